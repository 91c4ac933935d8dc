import { describe, expect, it } from "vitest";
import { escapeMarkdown } from "../../src/report/escape.js";
import { renderJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { buildPlanReport } from "../../src/report/model.js";
import { buildRunReport } from "../../src/report/run-model.js";
import { PlanReportSchema } from "../../src/report/schema.js";
import { createPerson, ENTREE, header, journaled, review, run } from "./fixtures.js";

const hostile = '<script>alert("x")</script> | [link](http://evil) *bold*';

describe("renderMarkdown", () => {
  const ops = [
    createPerson("a", "11ZZ03", "student", { cn: [hostile] }),
    createPerson("b", "11ZZ03", "employee"),
  ];
  const items = [review("mapping", "error", { record: hostile, reason: hostile })];

  it("says the same things as the HTML report, in both languages", () => {
    const report = buildPlanReport(header(), ops, items, { profile: ENTREE });
    const nl = renderMarkdown(report, { lang: "nl" });
    const en = renderMarkdown(report, { lang: "en" });
    expect(nl).toContain("# Migratieplan: fase pilot");
    expect(nl).toContain("Deze fase maakt 2 accounts aan.");
    expect(nl).toContain("## Gereed voor Entree");
    expect(en).toContain("This stage creates 2 accounts.");
    expect(en).toContain("| **11ZZ03 · School** |  | &lt; 5 | &lt; 5 |");
  });

  it("escapes names so they cannot inject HTML, links or table cells", () => {
    const report = buildPlanReport(header({ institution: hostile }), ops, items, { includeNames: true });
    const md = renderMarkdown(report, { lang: "en" });
    expect(md).not.toContain("<script>");
    expect(md).not.toMatch(/(?<!\\)\]\(http/);
    expect(md).toContain("&lt;script&gt;");
    const tableLines = md.split("\n").filter((l) => l.startsWith("| Create |"));
    expect(tableLines).toHaveLength(2);
    for (const line of tableLines) expect(line.split(/(?<!\\)\|/).length - 2).toBe(7);
  });

  it("renders a run with its commands", () => {
    const op = createPerson("a", "11ZZ03", "student");
    const md = renderMarkdown(buildRunReport(run(), journaled("run-7", 0, "done", op)), { lang: "nl" });
    expect(md).toContain("```sh\noverstap apply plans/pilot.jsonl --resume run-7\n```");
    expect(md).toContain("1 van de 5 geplande wijzigingen is doorgevoerd.");
  });
});

describe("escapeMarkdown", () => {
  it("escapes markdown punctuation and HTML", () => {
    expect(escapeMarkdown("a|b*c_d`e[f]<g>&")).toBe("a\\|b\\*c\\_d\\`e\\[f\\]&lt;g&gt;&amp;");
  });
});

describe("renderJson", () => {
  it("round-trips through the documented schema", () => {
    const report = buildPlanReport(header(), [createPerson("a", "11ZZ03", "student")], []);
    expect(PlanReportSchema.parse(JSON.parse(renderJson(report)))).toEqual(report);
  });
});

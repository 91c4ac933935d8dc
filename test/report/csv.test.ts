import { describe, expect, it } from "vitest";
import { csvCell, renderReviewCsv, UTF8_BOM } from "../../src/report/csv.js";
import { review } from "./fixtures.js";

/** A minimal RFC 4180 reader, to check what a spreadsheet would see. */
function parseCsv(text: string, d = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === d) {
      row.push(cell);
      cell = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += ch;
  }
  return rows;
}

describe("csvCell", () => {
  it.each(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "＝1+1"])("neutralises a formula: %j", (v) => {
    expect(csvCell(v).replace(/^"/, "").startsWith("'")).toBe(true);
  });
  it("leaves ordinary text alone and quotes per RFC 4180", () => {
    expect(csvCell("Jansen")).toBe("Jansen");
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell("a,b")).toBe('"a,b"');
    expect(csvCell("a;b", ";")).toBe('"a;b"');
    expect(csvCell("a\nb")).toBe('"a\nb"');
  });
});

describe("renderReviewCsv", () => {
  const items = [
    review("mapping", "error", {
      record: "=cmd|' /C calc'!A0",
      field: "sn",
      reason: 'name "<script>alert(1)</script>", bad',
    }),
    review("duplicate", "warning", { record: "las:2", candidates: ["uid=a,dc=x", "-1+2"] }),
  ];

  it("starts with a UTF-8 BOM and a header row, and ends records with CRLF", () => {
    const csv = renderReviewCsv(items);
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(csv.endsWith("\r\n")).toBe(true);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual(["Effect", "Record", "Field", "Rule", "Reason", "Candidates"]);
    expect(rows).toHaveLength(3);
  });

  it("exports hostile values so no cell starts a formula and the text survives", () => {
    const rows = parseCsv(renderReviewCsv(items).slice(1));
    expect(rows[1]).toEqual([
      "Not carried over",
      "'=cmd|' /C calc'!A0",
      "sn",
      "mapping",
      'name "<script>alert(1)</script>", bad',
      "",
    ]);
    expect(rows[2]?.[5]).toBe("uid=a,dc=x | -1+2");
    for (const row of rows) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("writes Dutch headers with semicolons for Excel with Dutch settings", () => {
    const rows = parseCsv(renderReviewCsv(items, { lang: "nl", delimiter: ";" }).slice(1), ";");
    expect(rows[0]?.[0]).toBe("Gevolg");
    expect(rows[1]?.[4]).toBe('name "<script>alert(1)</script>", bad');
  });
});

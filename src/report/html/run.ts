import type { Translator } from "../i18n/index.js";
import { errorLabel, kindsPresent, runSummary } from "../narrative.js";
import type { RunReport } from "../schema.js";
import { KIND_COLOURS } from "./css.js";
import { type Cell, code, command, facts, figure, type Html, page, para, section, table } from "./parts.js";

/** The run report as one self-contained HTML document. */
export function runHtml(report: RunReport, tr: Translator): Html {
  const r = report.run;
  const title = tr.t(r.kind === "rollback" ? "doc.title.rollbackRun" : "doc.title.run", { stage: r.stage });
  const status = tr.t(`status.${r.status}`);
  const body = [
    summarySection(report, tr),
    doneSection(report, tr),
    failuresSection(report, tr),
    nextSection(report, tr),
    namesSection(report, tr),
    technicalSection(report, tr),
  ];
  return page({
    tr,
    title,
    subtitle: tr.t("doc.subtitle.run", { run: r.id, date: tr.date(r.startedAt) }),
    pills: [
      { text: status, warn: r.status !== "completed" || report.counts.failed > 0 },
      ...(report.names ? [{ text: tr.t("doc.badge.names"), warn: true }] : []),
    ],
    body: body.filter((s) => s !== "").join("\n"),
    footer: [tr.t("footer.made"), tr.t(report.names ? "footer.names" : "footer.aggregate")],
  });
}

function summarySection(report: RunReport, tr: Translator): Html {
  const c = report.counts;
  const figures = [
    figure(c.done, tr.t("run.figure.done"), KIND_COLOURS.create, tr),
    figure(c.failed, tr.t("run.figure.failed"), KIND_COLOURS.delete, tr),
    figure(c.inDoubt, tr.t("run.figure.inDoubt"), KIND_COLOURS.disable, tr),
    figure(c.notStarted, tr.t("run.figure.notStarted"), "#c3cad5", tr),
  ];
  return section(
    "summary",
    tr.t("section.summary"),
    `${para(runSummary(report, tr).join(" "), "lead")}<div class="figures">${figures.join("")}</div>`,
  );
}

function doneSection(report: RunReport, tr: Translator): Html {
  const kinds = kindsPresent(
    report.done.person,
    report.done.group,
    report.failed.person,
    report.failed.group,
  );
  if (kinds.length === 0) return section("done", tr.t("section.runDone"), para(tr.t("run.nothingDone")));
  const rows = kinds.map((k) => ({
    cells: [
      tr.t(`kind.${k}`),
      report.done.person[k] ?? 0,
      report.done.group[k] ?? 0,
      (report.failed.person[k] ?? 0) + (report.failed.group[k] ?? 0),
    ] as Cell[],
  }));
  const headers = [
    tr.t("names.change"),
    `${tr.t("type.person")}: ${tr.t("run.figure.done").toLowerCase()}`,
    `${tr.t("type.group")}: ${tr.t("run.figure.done").toLowerCase()}`,
    tr.t("run.figure.failed"),
  ];
  return section("done", tr.t("section.runDone"), table(headers, rows, tr, [false, true, true, true]));
}

function failuresSection(report: RunReport, tr: Translator): Html {
  if (report.failures.length === 0)
    return section("failures", tr.t("section.failures"), para(tr.t("failures.none")));
  const rows = report.failures.map((f) => ({
    cells: [errorLabel(f.code, tr), { html: code(f.code) }, f.count] as Cell[],
  }));
  return section(
    "failures",
    tr.t("section.failures"),
    table([tr.t("failures.cause"), tr.t("names.code"), tr.t("failures.count")], rows, tr, [
      false,
      false,
      true,
    ]),
  );
}

function nextSection(report: RunReport, tr: Translator): Html {
  const { resume, rollback } = report.commands;
  const parts: string[] = [];
  if (resume) parts.push(para(tr.t("next.resume")), command(resume));
  if (rollback) parts.push(para(tr.t("next.rollback")), command(rollback));
  if (parts.length === 0) parts.push(para(tr.t("next.none")));
  return section("next", tr.t("section.next"), parts.join(""));
}

function namesSection(report: RunReport, tr: Translator): Html {
  if (!report.names || report.names.failures.length === 0) return "";
  const rows = report.names.failures.map((f) => ({
    cells: [tr.t(`kind.${f.kind}`), { html: code(f.key) }, { html: code(f.code) }, f.message] as Cell[],
  }));
  return section(
    "failure-names",
    tr.t("section.failureNames"),
    table(
      [tr.t("names.change"), tr.t("names.key"), tr.t("names.code"), tr.t("names.message")],
      rows,
      tr,
      [],
      "names",
    ),
  );
}

function technicalSection(report: RunReport, tr: Translator): Html {
  const r = report.run;
  const rows: [string, string | { html: Html }][] = [
    [tr.t("tech.run"), { html: code(r.id) }],
    [tr.t("tech.status"), tr.t(`status.${r.status}`)],
    [tr.t("tech.planId"), { html: code(r.planId) }],
    [tr.t("tech.planFile"), { html: code(r.planFile) }],
    [tr.t("tech.stage"), r.stage],
    [tr.t("tech.started"), tr.date(r.startedAt)],
  ];
  if (r.finishedAt) rows.push([tr.t("tech.finished"), tr.date(r.finishedAt)]);
  if (r.rollbackOf) rows.push([tr.t("tech.rollbackOf"), { html: code(r.rollbackOf) }]);
  rows.push([tr.t("tech.operations"), tr.number(r.total)]);
  return section("technical", tr.t("section.technical"), facts(rows));
}

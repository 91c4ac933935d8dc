import { escapeHtml } from "../escape.js";
import type { Translator } from "../i18n/index.js";
import type { RiskItem } from "../narrative.js";
import { cellText, type ReportTable } from "../tables.js";
import { meter } from "./chart.js";
import { STYLESHEET } from "./css.js";

/** HTML that is already safe (escaped or built from escaped parts). */
export type Html = string;

/** A table cell: text to escape, or a number shown right-aligned in the locale. */
export type Cell = string | number | { html: Html; className?: string };

/** A table with escaped headers and cells; numeric headers and cells align right. */
export function table(
  headers: string[],
  rows: { cells: Cell[]; className?: string }[],
  tr: Translator,
  numeric: boolean[] = [],
  className = "",
): Html {
  const head = headers
    .map((h, i) => `<th${numeric[i] ? ' class="num"' : ""} scope="col">${escapeHtml(h)}</th>`)
    .join("");
  const body = rows
    .map((row) => {
      const cells = row.cells.map((cell) => cellHtml(cell, tr)).join("");
      return `<tr${row.className ? ` class="${row.className}"` : ""}>${cells}</tr>`;
    })
    .join("\n");
  return `<table${className ? ` class="${className}"` : ""}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** A report table (the model every format shares) as HTML. */
export function reportTable(t: ReportTable, className = ""): Html {
  const numeric = t.columns.map((c) => c.numeric === true);
  const head = t.columns
    .map((c) => `<th${c.numeric ? ' class="num"' : ""} scope="col">${escapeHtml(c.label)}</th>`)
    .join("");
  const body = t.rows
    .map((row) => {
      const cells = row.cells
        .map((cell, i) => {
          const text = escapeHtml(cellText(cell));
          const cls = numeric[i] ? (cellText(cell) === "—" ? "num zero" : "num") : "";
          const inner =
            typeof cell === "string"
              ? text
              : `${cell.meter === undefined ? "" : meter(cell.meter, cell.text, cell.required === true)}${cell.code ? `<code>${text}</code>` : text}`;
          return `<td${cls ? ` class="${cls}"` : ""}>${inner}</td>`;
        })
        .join("");
      const cls = row.level === "group" ? "school" : row.level === "sub" ? "sub" : "";
      return `<tr${cls ? ` class="${cls}"` : ""}>${cells}</tr>`;
    })
    .join("\n");
  return `<table data-table="${escapeHtml(t.id)}"${className ? ` class="${className}"` : ""}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

/** Text as a CSS string literal: every character but letters, digits and spaces escaped. */
export function cssString(text: string): string {
  return `"${[...text].map((ch) => (/[A-Za-z0-9 ]/.test(ch) ? ch : `\\${ch.codePointAt(0)?.toString(16)} `)).join("")}"`;
}

function cellHtml(cell: Cell, tr: Translator): Html {
  if (typeof cell === "number") {
    return cell === 0
      ? `<td class="num zero">${escapeHtml(tr.t("table.none"))}</td>`
      : `<td class="num">${escapeHtml(tr.number(cell))}</td>`;
  }
  if (typeof cell === "string") return `<td>${escapeHtml(cell)}</td>`;
  return `<td${cell.className ? ` class="${cell.className}"` : ""}>${cell.html}</td>`;
}

/** A titled section; `title` is escaped, `body` is HTML. */
export function section(id: string, title: string, body: Html): Html {
  return `<section id="${escapeHtml(id)}" aria-labelledby="${escapeHtml(id)}-h"><h2 id="${escapeHtml(id)}-h">${escapeHtml(title)}</h2>\n${body}\n</section>`;
}

/** A key figure: a big number with a label and a colour bar. */
export function figure(n: number, label: string, colour: string, tr: Translator): Html {
  return `<div class="figure" style="--c:${colour}"><span class="n">${escapeHtml(tr.number(n))}</span><span class="l">${escapeHtml(label)}</span></div>`;
}

/** A paragraph of escaped text. */
export function para(text: string, className = ""): Html {
  return `<p${className ? ` class="${className}"` : ""}>${escapeHtml(text)}</p>`;
}

/** The list of risks, each with its level badge. */
export function riskList(items: RiskItem[], tr: Translator): Html {
  const li = items.map(
    (r) =>
      `<li class="risk" data-risk="${escapeHtml(r.id)}" data-level="${r.level}"><span class="level ${r.level}">${escapeHtml(tr.t(`risk.${r.level}`))}</span><div><h3>${escapeHtml(r.title)}</h3><p>${escapeHtml(r.body)}</p></div></li>`,
  );
  return `<ul class="risks">${li.join("\n")}</ul>`;
}

/** A definition list of facts (label → escaped value or HTML). */
export function facts(rows: [string, string | { html: Html }][]): Html {
  const items = rows.map(
    ([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${typeof v === "string" ? escapeHtml(v) : v.html}</dd>`,
  );
  return `<dl class="facts">${items.join("")}</dl>`;
}

/** Inline code, escaped. */
export function code(text: string): Html {
  return `<code>${escapeHtml(text)}</code>`;
}

/** A command line to copy, escaped. */
export function command(text: string): Html {
  return `<pre class="command"><code>${escapeHtml(text)}</code></pre>`;
}

/**
 * The whole document: a strict Content-Security-Policy (no scripts, no requests of any
 * kind), the inline stylesheet, the header band and the footer.
 */
export function page(opts: {
  tr: Translator;
  title: string;
  subtitle: string;
  pills: { text: string; warn?: boolean }[];
  body: Html;
  footer: string[];
  /** Printed at the foot of every page, next to the page number (plan id or fingerprint). */
  printFooter?: string;
}): Html {
  const pills = opts.pills
    .map((p) => `<span class="pill${p.warn ? " warn" : ""}">${escapeHtml(p.text)}</span>`)
    .join("");
  return `<!DOCTYPE html>
<html lang="${escapeHtml(opts.tr.t("doc.lang"))}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="Overstap">
<title>${escapeHtml(opts.title)}</title>
<style>${STYLESHEET}${printFooterCss(opts.tr, opts.printFooter)}</style>
</head>
<body>
<div class="page">
<header class="doc"><div class="eyebrow"><span>Overstap</span>${pills}</div><h1>${escapeHtml(opts.title)}</h1><p class="subtitle">${escapeHtml(opts.subtitle)}</p></header>
<main>
${opts.body}
</main>
<footer>${opts.footer.map((f) => escapeHtml(f)).join(" ")}</footer>
</div>
</body>
</html>
`;
}

/** Page margin boxes: `printFooter` bottom left, "Page n of m" bottom right. */
function printFooterCss(tr: Translator, left: string | undefined): string {
  const page = `${cssString(`${tr.t("footer.page")} `)} counter(page) ${cssString(` ${tr.t("footer.of")} `)} counter(pages)`;
  return `@page{@bottom-right{content:${page};font:8pt system-ui,sans-serif;color:#5b6575}${left ? `@bottom-left{content:${cssString(left)};font:8pt system-ui,sans-serif;color:#5b6575}` : ""}}`;
}

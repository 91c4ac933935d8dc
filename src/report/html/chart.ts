import type { OperationKind } from "../../model/operation.js";
import { escapeHtml } from "../escape.js";
import type { KindCounts } from "../schema.js";
import { KIND_COLOURS } from "./css.js";

/** One bar of a stacked bar chart. */
export interface BarRow {
  label: string;
  counts: KindCounts;
  total: number;
}

const WIDTH = 900;
const LABEL_W = 190;
const TOTAL_W = 80;
const ROW_H = 28;
const BAR_H = 16;

/**
 * A horizontal stacked bar chart as inline SVG: one bar per row, one segment per kind, the
 * total at the end of each bar. Every label is escaped.
 */
export function stackedBarChart(
  rows: BarRow[],
  kinds: OperationKind[],
  title: string,
  formatNumber: (n: number) => string,
): string {
  const max = Math.max(1, ...rows.map((r) => r.total));
  const area = WIDTH - LABEL_W - TOTAL_W;
  const height = rows.length * ROW_H + 4;
  const out: string[] = [
    `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${WIDTH} ${height}" xmlns="http://www.w3.org/2000/svg">`,
    `<title>${escapeHtml(title)}</title>`,
  ];
  rows.forEach((row, i) => {
    const y = i * ROW_H + 2;
    const mid = y + ROW_H / 2;
    out.push(
      `<text x="${LABEL_W - 12}" y="${mid}" text-anchor="end" dominant-baseline="middle" font-size="14" fill="#1d2430">${escapeHtml(truncate(row.label, 26))}</text>`,
    );
    out.push(
      `<rect x="${LABEL_W}" y="${mid - BAR_H / 2}" width="${area}" height="${BAR_H}" rx="3" fill="#f1f4f8"/>`,
    );
    let x = LABEL_W;
    for (const kind of kinds) {
      const n = row.counts[kind] ?? 0;
      if (n === 0) continue;
      const w = Math.max(1.5, (n / max) * area);
      out.push(
        `<rect x="${x.toFixed(1)}" y="${mid - BAR_H / 2}" width="${w.toFixed(1)}" height="${BAR_H}" fill="${KIND_COLOURS[kind]}"><title>${escapeHtml(`${row.label}: ${formatNumber(n)}`)}</title></rect>`,
      );
      x += w;
    }
    out.push(
      `<text x="${Math.min(x + 8, WIDTH - TOTAL_W + 8).toFixed(1)}" y="${mid}" dominant-baseline="middle" font-size="13" font-weight="600" fill="#5b6575">${escapeHtml(formatNumber(row.total))}</text>`,
    );
  });
  out.push("</svg>");
  return out.join("");
}

/**
 * A thin horizontal meter (0–100) as inline SVG. A required measure is green when complete,
 * amber from 90 and red below; an optional one is always the calm accent colour.
 */
export function meter(percent: number, label: string, required: boolean): string {
  const p = Math.max(0, Math.min(100, percent));
  const colour = !required ? "#3b6ea5" : p >= 100 ? "#2e7d5b" : p >= 90 ? "#c98a1b" : "#b4443c";
  return `<svg class="meter" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 160 10" xmlns="http://www.w3.org/2000/svg"><rect width="160" height="10" rx="5" fill="#edf0f4"/><rect width="${((p / 100) * 160).toFixed(1)}" height="10" rx="5" fill="${colour}"/></svg>`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

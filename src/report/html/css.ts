import type { OperationKind } from "../../model/operation.js";

/** The colour of each operation kind, shared by charts, legends and figures. */
export const KIND_COLOURS: Record<OperationKind, string> = {
  create: "#2e7d5b",
  update: "#3b6ea5",
  rename: "#7a5ea8",
  enable: "#2b8a8a",
  disable: "#c98a1b",
  delete: "#b4443c",
  "add-members": "#6b7c93",
  "remove-members": "#a3adbb",
};

/** The report's whole stylesheet: system fonts only, calm colours, and an A4 print layout. */
export const STYLESHEET = `
:root{--ink:#1d2430;--muted:#5b6575;--line:#e1e6ee;--soft:#f4f6f9;--brand:#1f3a5f;--accent:#3b6ea5}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--soft);color:var(--ink);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.page{max-width:980px;margin:0 auto;padding:28px 24px 48px}
header.doc{background:var(--brand);color:#fff;border-radius:12px;padding:26px 32px 24px}
header.doc .eyebrow{display:flex;gap:10px;align-items:center;font-size:13px;letter-spacing:.04em;text-transform:uppercase;opacity:.85}
header.doc h1{margin:6px 0 4px;font-size:28px;line-height:1.25;font-weight:650}
header.doc .subtitle{margin:0;font-size:15px;opacity:.9}
.pill{display:inline-block;border-radius:999px;padding:2px 10px;font-size:12px;font-weight:600;letter-spacing:.02em;text-transform:none}
header.doc .pill{background:rgba(255,255,255,.16);color:#fff}
header.doc .pill.warn{background:#f3d7a4;color:#5e3d00}
section{background:#fff;border:1px solid var(--line);border-radius:12px;padding:22px 28px;margin-top:18px}
h2{margin:0 0 12px;font-size:19px;color:var(--brand);font-weight:650}
h3{margin:18px 0 8px;font-size:15px;color:var(--ink);font-weight:650}
p{margin:0 0 10px}
.lead{font-size:17px;line-height:1.6}
.note{color:var(--muted);font-size:14px}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(118px,1fr));gap:12px;margin-top:16px}
.figure{border:1px solid var(--line);border-left:5px solid var(--c,#8a94a6);border-radius:8px;padding:10px 14px}
.figure .n{display:block;font-size:26px;font-weight:650;font-variant-numeric:tabular-nums;line-height:1.2}
.figure .l{display:block;color:var(--muted);font-size:13px}
table{border-collapse:collapse;width:100%;font-size:14px;margin-top:6px}
th{text-align:left;color:var(--muted);font-weight:600;font-size:12.5px;border-bottom:2px solid var(--line);padding:6px 8px;vertical-align:bottom}
td{border-bottom:1px solid #edf0f4;padding:6px 8px;vertical-align:top}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.school td{font-weight:600;background:#f8fafc}
tr.sub td:first-child{padding-left:22px;color:var(--muted)}
td.zero{color:#b7bec9}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
.legend{display:flex;flex-wrap:wrap;gap:6px 16px;font-size:13px;color:var(--muted);margin:4px 0 8px}
.chart{display:block;width:100%;height:auto;margin:4px 0 12px}
.risks{list-style:none;margin:0;padding:0}
.risk{display:grid;grid-template-columns:92px 1fr;gap:14px;padding:12px 0;border-top:1px solid #edf0f4}
.risk:first-child{border-top:none;padding-top:2px}
.risk h3{margin:0 0 2px}
.risk p{margin:0}
.level{display:inline-block;text-align:center;border-radius:6px;padding:3px 8px;font-size:12.5px;font-weight:650;align-self:start}
.level.high{background:#fbe4e1;color:#9b2f25}
.level.attention{background:#fdf0d8;color:#7a4f00}
.level.ok{background:#e3f2ea;color:#1f6244}
.meter{display:block;width:160px;height:10px}
dl.facts{display:grid;grid-template-columns:minmax(160px,max-content) 1fr;gap:6px 18px;margin:0;font-size:14px}
dl.facts dt{color:var(--muted)}
dl.facts dd{margin:0;overflow-wrap:anywhere}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,"Liberation Mono",monospace;font-size:.9em;background:#eef2f7;border-radius:4px;padding:1px 5px;overflow-wrap:anywhere}
pre.command{background:#15253b;color:#e8eef7;border-radius:8px;padding:10px 14px;overflow-x:auto;white-space:pre-wrap;overflow-wrap:anywhere}
pre.command code{background:none;padding:0;color:inherit}
footer{color:var(--muted);font-size:13px;margin-top:22px;padding:0 4px}
.names td{font-size:13px}
section.verdict{border-left:8px solid #2e7d5b}
section.verdict.not-ready{border-left-color:#c98a1b}
section.verdict.refused{border-left-color:#b4443c;background:#fdf3f2}
section.verdict h2{font-size:22px}
.reasons{margin:0;padding-left:20px}
.reasons li{margin:2px 0}
p.warn{font-weight:600;color:#9b2f25}
.fingerprint{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:18px;letter-spacing:.06em}
.sign{display:grid;grid-template-columns:1fr 1fr;gap:28px 32px;margin-top:22px}
.sign .line{border-bottom:1px solid var(--ink);height:44px;display:flex;align-items:flex-end}
.sign .line span{font-size:12px;color:var(--muted);transform:translateY(18px)}
@media (max-width:640px){.page{padding:12px}section{padding:16px}.risk{grid-template-columns:1fr}}
@media print{
  @page{size:A4;margin:14mm 13mm 16mm}
  body{background:#fff;font-size:10pt}
  .page{max-width:none;padding:0}
  header.doc,.level,.figure,.swatch,.chart,.meter,pre.command,tr.school td{-webkit-print-color-adjust:exact;print-color-adjust:exact}
  header.doc{border-radius:0;padding:16px 20px}
  section{border:none;border-radius:0;padding:0;margin-top:16pt}
  h2{break-after:avoid;border-bottom:1px solid var(--line);padding-bottom:3pt}
  h2,h3,p.note{break-after:avoid}
  tr,.risk,.figure,dl.facts>*,.keep,#verdict,#approval{break-inside:avoid}
  section.verdict{border-left:6pt solid #2e7d5b;padding-left:10pt;-webkit-print-color-adjust:exact;print-color-adjust:exact}
  section.verdict.not-ready{border-left-color:#c98a1b}
  section.verdict.refused{border-left-color:#b4443c}
  thead{display:table-header-group}
  .figures{grid-template-columns:repeat(3,1fr)}
}
`;

import type { AttrChange, Operation } from "../model/operation.js";
import type { PlanHeader } from "../model/plan.js";
import type { ReviewItem } from "../model/review.js";

export interface DiffTextOptions {
  color: boolean;
  /** Operations shown in full; the rest are counted. */
  limit?: number;
  /** Review items shown; the rest are counted. */
  reviewLimit?: number;
  /** The plan's fingerprint (see `planFingerprint`), shown under the summary line. */
  fingerprint?: string;
  /** How many operations `operations` is out of, when it is a filtered part of the plan (`overstap show`). */
  matched?: number;
}

const SYMBOL: Record<Operation["kind"], string> = {
  create: "+",
  update: "~",
  rename: "-/+",
  disable: "⏸",
  enable: "▶",
  delete: "-",
  "add-members": "~",
  "remove-members": "~",
};
const COLOR: Record<Operation["kind"], number> = {
  create: 32,
  update: 33,
  rename: 35,
  disable: 33,
  enable: 32,
  delete: 31,
  "add-members": 33,
  "remove-members": 33,
};

/**
 * Renders a plan the way Terraform renders one: `+` create, `~` update with only the changed
 * attributes (values added and removed one by one), `-/+` rename, `-` delete, disables and
 * enables marked, identity-key changes flagged; then the review list and one summary line.
 */
export function renderDiffText(
  header: PlanHeader,
  operations: readonly Operation[],
  review: ReviewItem[],
  options: DiffTextOptions,
): string {
  const paint = (code: number, s: string) => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const bold = (s: string) => (options.color ? `\x1b[1m${s}\x1b[0m` : s);
  const limit = options.limit ?? 200;
  const lines: string[] = [];
  const title =
    header.kind === "rollback" ? `Rollback of run ${header.rollbackOf}` : `Plan for stage "${header.stage}"`;
  lines.push(
    bold(`${title} — ${header.institution}, profile ${header.profile}, target ${header.target}`),
    "",
  );
  for (const op of operations.slice(0, limit)) {
    const sym = paint(COLOR[op.kind], SYMBOL[op.kind]);
    const what =
      op.kind === "add-members" || op.kind === "remove-members" ? `group ${op.key}` : `${op.type} ${op.key}`;
    const kind = op.kind === "update" || op.kind === "create" || op.kind === "delete" ? "" : `${op.kind} `;
    let head = `  ${sym} ${op.adopt ? paint(31, "adopt ") : ""}${kind}${what}`;
    if (op.newKey) head += ` → ${op.newKey}`;
    if (op.reason)
      head += paint(
        90,
        ` (${op.reason}${op.purgeAfter ? `; purge after ${op.purgeAfter.slice(0, 10)}` : ""})`,
      );
    lines.push(head);
    if (op.identityChanges?.length) {
      lines.push(
        paint(
          31,
          `      ! changes identity key ${op.identityChanges.join(", ")}: services will see a new user`,
        ),
      );
    }
    if (op.attrs) {
      for (const [name, values] of Object.entries(op.attrs)) {
        lines.push(`      ${paint(32, "+")} ${name}: ${formatValues(values, 5)}`);
      }
    }
    for (const c of op.changes ?? []) lines.push(...formatChange(c, paint));
  }
  const total = options.matched ?? operationTotal(header);
  if (total > Math.min(limit, operations.length)) {
    lines.push(
      paint(
        90,
        `  … and ${total - Math.min(limit, operations.length)} more operations (see \`overstap report\` or --json)`,
      ),
    );
  }
  if (total === 0)
    lines.push(
      options.matched === undefined
        ? "  No changes. The target matches the mapping for this stage."
        : `  No operation matches (the plan has ${operationTotal(header).toLocaleString("en-US")}).`,
    );
  if (review.length) {
    lines.push("", bold(reviewHeadline(review)));
    const reviewLimit = options.reviewLimit ?? 50;
    for (const r of review.slice(0, reviewLimit)) {
      const mark = r.severity === "error" ? paint(31, "✗") : paint(33, "!");
      lines.push(
        `  ${mark} ${r.record}${r.field ? ` [${r.field}]` : ""}: ${r.reason} ${paint(90, `(${r.rule})`)}`,
      );
    }
    if (review.length > reviewLimit)
      lines.push(
        paint(
          90,
          `  … and ${review.length - reviewLimit} more (export them with \`overstap report PLAN --format csv\`)`,
        ),
      );
  }
  if (options.matched !== undefined && options.matched > 0)
    lines.push(
      "",
      `${options.matched.toLocaleString("en-US")} of ${operationTotal(header).toLocaleString("en-US")} operations match the filter.`,
    );
  lines.push("", bold(summaryLine(header)));
  const deletes = (header.summary.person.delete ?? 0) + (header.summary.group.delete ?? 0);
  if (header.kind === "rollback" && deletes > 0)
    lines.push(
      paint(
        31,
        `This rollback deletes ${header.summary.person.delete ?? 0} account(s) and ${header.summary.group.delete ?? 0} group(s) that run ${header.rollbackOf} created.`,
      ),
    );
  if (options.fingerprint)
    lines.push(`Fingerprint: ${options.fingerprint} (the board approves the plan with this fingerprint)`);
  return `${lines.join("\n")}\n`;
}

/** The number of operations in a plan, from its summary. */
function operationTotal(header: PlanHeader): number {
  let total = 0;
  for (const counts of [header.summary.person, header.summary.group])
    for (const n of Object.values(counts)) total += n ?? 0;
  return total;
}

/** "Plan: 12 to create, 3 to change, …; 2 group changes; 4 review findings." */
export function summaryLine(header: PlanHeader): string {
  const p = header.summary.person;
  const g = header.summary.group;
  const groupChanges = Object.values(g).reduce((a, b) => a + (b ?? 0), 0);
  const parts = [
    `${p.create ?? 0} to create`,
    `${(p.update ?? 0) + (p.enable ?? 0)} to change`,
    `${p.rename ?? 0} to rename`,
    `${p.disable ?? 0} to disable`,
    `${p.delete ?? 0} to delete`,
  ];
  const findings = header.summary.review.error;
  const adoptions = header.summary.adoptions;
  const adopt = adoptions ? `; ${adoptions} to adopt (needs --accept-adoptions)` : "";
  return `${header.kind === "rollback" ? "Rollback" : "Plan"}: ${parts.join(", ")}; ${groupChanges} group change${groupChanges === 1 ? "" : "s"}${adopt}; ${findings} review finding${findings === 1 ? "" : "s"}.`;
}

function formatChange(c: AttrChange, paint: (code: number, s: string) => string): string[] {
  const out: string[] = [];
  if (c.replace !== undefined) {
    if (c.from?.length && c.replace.length)
      out.push(
        `      ${paint(33, "~")} ${c.attr}: ${formatValues(c.from, 3)} → ${formatValues(c.replace, 3)}`,
      );
    else if (c.replace.length) out.push(`      ${paint(32, "+")} ${c.attr}: ${formatValues(c.replace, 3)}`);
    else out.push(`      ${paint(31, "-")} ${c.attr}${c.from?.length ? `: ${formatValues(c.from, 3)}` : ""}`);
  }
  for (const v of (c.add ?? []).slice(0, 10))
    out.push(`      ${paint(32, "+")} ${c.attr}: ${JSON.stringify(v)}`);
  if ((c.add?.length ?? 0) > 10)
    out.push(`      ${paint(32, "+")} ${c.attr}: … ${(c.add?.length ?? 0) - 10} more values`);
  for (const v of (c.remove ?? []).slice(0, 10))
    out.push(`      ${paint(31, "-")} ${c.attr}: ${JSON.stringify(v)}`);
  if ((c.remove?.length ?? 0) > 10)
    out.push(`      ${paint(31, "-")} ${c.attr}: … ${(c.remove?.length ?? 0) - 10} more values`);
  return out;
}

function formatValues(values: string[], max: number): string {
  const shown = values.slice(0, max).map((v) => JSON.stringify(v));
  return values.length > max
    ? `[${shown.join(", ")}, … ${values.length - max} more]`
    : values.length === 1
      ? (shown[0] as string)
      : `[${shown.join(", ")}]`;
}

/** "Review: 4 records left out, 1 with warnings (6 findings)", with the records outside the stage apart. */
function reviewHeadline(review: readonly ReviewItem[]): string {
  const records = (items: readonly ReviewItem[]) => new Set(items.map((r) => r.record));
  const stage = review.filter((r) => !r.outsideStage);
  const errors = records(stage.filter((r) => r.severity === "error"));
  const warned = [...records(stage.filter((r) => r.severity === "warning"))].filter(
    (r) => !errors.has(r),
  ).length;
  const outside = records(review.filter((r) => r.outsideStage)).size;
  const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
  return `Review: ${plural(errors.size, "record")} left out, ${warned.toLocaleString("en-US")} with warnings${
    outside ? `, and ${plural(outside, "record")} outside this stage` : ""
  } (${plural(review.length, "finding")})`;
}

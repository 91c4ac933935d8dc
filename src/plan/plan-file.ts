import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename } from "node:fs/promises";
import path from "node:path";
import { createInterface } from "node:readline";
import { OverstapError } from "../errors.js";
import { type Operation, OperationSchema } from "../model/operation.js";
import { type PlanHeader, PlanHeaderSchema, type PlanTrailer, PlanTrailerSchema } from "../model/plan.js";
import { type ReviewItem, ReviewItemSchema } from "../model/review.js";
import { ensurePrivateFile } from "../state/files.js";

const CHUNK = 1 << 20;

/** A plan held in memory. */
export interface Plan {
  header: PlanHeader;
  operations: Operation[];
  review: ReviewItem[];
}

/** A plan read back from a file, with its verified content hash. */
export interface LoadedPlan extends Plan {
  file: string;
  hash: string;
}

/**
 * Writes a plan as JSON Lines (header, one operation per line, one review item per line,
 * trailer with the sha256 of everything before it), atomically and with mode 0600.
 * Returns the hash.
 */
export async function writePlan(file: string, plan: Plan): Promise<string> {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.tmp`);
  ensurePrivateFile(tmp);
  const handle = await open(tmp, "w", 0o600);
  const hash = createHash("sha256");
  let buffer = "";
  const flush = async () => {
    hash.update(buffer);
    await handle.write(buffer);
    buffer = "";
  };
  try {
    buffer += `${JSON.stringify(plan.header)}\n`;
    for (const op of plan.operations) {
      buffer += `{"op":${JSON.stringify(op)}}\n`;
      if (buffer.length > CHUNK) await flush();
    }
    for (const review of plan.review) {
      buffer += `{"review":${JSON.stringify(review)}}\n`;
      if (buffer.length > CHUNK) await flush();
    }
    await flush();
    const digest = hash.digest("hex");
    const trailer: PlanTrailer = {
      end: true,
      operations: plan.operations.length,
      review: plan.review.length,
      hash: digest,
    };
    buffer += `${JSON.stringify(trailer)}\n`;
    await handle.write(buffer);
    await handle.sync();
    await handle.close();
    await rename(tmp, file);
    return digest;
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw new OverstapError("PLAN_INVALID", `cannot write the plan ${file}`, { cause: err });
  }
}

/**
 * Reads a plan file, validating every line and the content hash. A file whose hash does not
 * match its content was edited after planning and is refused (PLAN_TAMPERED).
 */
export async function readPlan(file: string): Promise<LoadedPlan> {
  const hash = createHash("sha256");
  let header: PlanHeader | undefined;
  let trailer: PlanTrailer | undefined;
  const operations: Operation[] = [];
  const review: ReviewItem[] = [];
  let lineNo = 0;
  const bad = (reason: string) =>
    new OverstapError("PLAN_INVALID", `${file}:${lineNo}: ${reason}`, {
      hint: "Plan files are written by `overstap plan`; make a new plan instead of editing one.",
    });
  let lines: ReturnType<typeof createInterface>;
  try {
    lines = createInterface({
      input: createReadStream(file, { encoding: "utf8" }),
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    for await (const line of lines) {
      lineNo++;
      if (trailer) throw bad("content after the trailer");
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw bad("not a JSON line");
      }
      if (lineNo === 1) {
        const parsed = PlanHeaderSchema.safeParse(value);
        if (!parsed.success) throw bad(`not an Overstap plan header (${parsed.error.issues[0]?.message})`);
        header = parsed.data;
        hash.update(`${line}\n`);
        continue;
      }
      const obj = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
      if ("end" in obj) {
        const parsed = PlanTrailerSchema.safeParse(value);
        if (!parsed.success) throw bad("invalid trailer");
        trailer = parsed.data;
      } else if ("op" in obj) {
        const parsed = OperationSchema.safeParse(obj.op);
        if (!parsed.success) throw bad(`invalid operation (${parsed.error.issues[0]?.message})`);
        operations.push(parsed.data);
        hash.update(`${line}\n`);
      } else if ("review" in obj) {
        const parsed = ReviewItemSchema.safeParse(obj.review);
        if (!parsed.success) throw bad(`invalid review item (${parsed.error.issues[0]?.message})`);
        review.push(parsed.data);
        hash.update(`${line}\n`);
      } else throw bad("unknown line");
    }
  } catch (err) {
    if (err instanceof OverstapError) throw err;
    throw new OverstapError("PLAN_INVALID", `cannot read the plan ${file}`, { cause: err });
  }
  if (!header) throw new OverstapError("PLAN_INVALID", `${file}: empty plan file`);
  if (!trailer) throw new OverstapError("PLAN_INVALID", `${file}: the plan is truncated (no trailer line)`);
  const digest = hash.digest("hex");
  if (
    digest !== trailer.hash ||
    trailer.operations !== operations.length ||
    trailer.review !== review.length
  ) {
    throw new OverstapError(
      "PLAN_TAMPERED",
      `${file}: the plan's content does not match its hash; it was changed after planning`,
      {
        hint: "Never edit a plan. Make a new one with `overstap plan`.",
      },
    );
  }
  return { header, operations, review, file, hash: digest };
}

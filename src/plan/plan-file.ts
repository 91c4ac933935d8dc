import { createHash } from "node:crypto";
import { closeSync, constants, createReadStream } from "node:fs";
import { type FileHandle, open, rename, rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import { OverstapError } from "../errors.js";
import { type Operation, OperationSchema } from "../model/operation.js";
import { type PlanHeader, PlanHeaderSchema, type PlanTrailer, PlanTrailerSchema } from "../model/plan.js";
import { type ReviewItem, ReviewItemSchema } from "../model/review.js";
import { createPrivateFile, workingPath } from "../state/files.js";
import { BufferedWriter } from "./perf/buffered-writer.js";
import { type PlanSeal, planMac } from "./seal.js";

const CHUNK = 1 << 20;

/** A plan held in memory. */
export interface Plan {
  header: PlanHeader;
  operations: Operation[];
  review: ReviewItem[];
}

/** A plan read back from a file, with its verified content hash and its MAC (see `verifySeal`). */
export interface LoadedPlan extends Plan {
  file: string;
  hash: string;
  mac?: string;
}

/**
 * Writes a plan as JSON Lines (header, one operation per line, one review item per line,
 * trailer with the sha256 of everything before it), atomically and with mode 0600. With the
 * project's `seal`, the header names the project and the trailer carries the MAC. Returns the hash.
 */
export async function writePlan(file: string, plan: Plan, seal?: PlanSeal): Promise<string> {
  const writer = new PlanFileWriter(file);
  for (const op of plan.operations) writer.add(op);
  return writer.finish(plan.header, plan.review, seal);
}

/**
 * Writes a plan file whose operations arrive before its header (with the summary) is known:
 * operations are serialized as they come into a private spool file next to the plan, so a
 * million-person plan never holds its operations in memory. {@link finish} writes the plan
 * (header, the spooled operations, review, trailer) atomically and with mode 0600.
 *
 * @example
 * const writer = new PlanFileWriter("pilot.plan");
 * for (const op of ops) writer.add(op);
 * const hash = await writer.finish(header, review);
 */
export class PlanFileWriter {
  readonly #file: string;
  readonly #spool: string;
  readonly #fd: number;
  readonly #out: BufferedWriter;
  #count = 0;
  #closed = false;

  constructor(file: string) {
    this.#file = file;
    this.#spool = workingPath(file, "ops");
    this.#fd = createPrivateFile(this.#spool);
    this.#out = new BufferedWriter(this.#fd);
  }

  /** The number of operations added so far. */
  get count(): number {
    return this.#count;
  }

  /** Appends one operation (its `seq` as given). */
  add(op: Operation): void {
    this.#out.write(`{"op":${JSON.stringify(op)}}\n`);
    this.#count++;
  }

  /**
   * Appends a person create whose attributes are JSON text already (a spool row, see
   * `SpoolReader.raw`): the same line {@link add} writes for
   * `{ seq, kind: "create", type: "person", key, ref, attrs, fingerprint: null }`, without
   * parsing and serialising the attributes again.
   */
  addCreate(seq: number, key: string, ref: string, attrs: string | Uint8Array): void {
    this.#out.write(
      `{"op":{"seq":${seq},"kind":"create","type":"person","key":${JSON.stringify(key)},"ref":${JSON.stringify(ref)},"attrs":`,
    );
    if (typeof attrs === "string") this.#out.write(attrs);
    else this.#out.writeBytes(attrs);
    this.#out.write(`,"fingerprint":null}}\n`);
    this.#count++;
  }

  /**
   * Writes the plan file: header, every operation added, the review items and the trailer.
   * With `seal`, the header's `project` is the seal's and the trailer carries the MAC of the
   * content hash. Returns the hash.
   */
  async finish(header: PlanHeader, review: readonly ReviewItem[], seal?: PlanSeal): Promise<string> {
    if (seal) header.project = seal.project;
    const tmp = workingPath(this.#file, "tmp");
    let handle: FileHandle | undefined;
    try {
      this.#out.flush();
      this.#close();
      handle = await open(
        tmp,
        constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW | constants.O_WRONLY,
        0o600,
      );
      const hash = createHash("sha256");
      const write = async (text: string | Buffer) => {
        hash.update(text);
        const h = handle as FileHandle;
        await (typeof text === "string" ? h.write(text) : h.write(text));
      };
      await write(`${JSON.stringify(header)}\n`);
      for await (const chunk of createReadStream(this.#spool, { highWaterMark: CHUNK }))
        await write(chunk as Buffer);
      let buffer = "";
      for (const item of review) {
        buffer += `{"review":${JSON.stringify(item)}}\n`;
        if (buffer.length > CHUNK) {
          await write(buffer);
          buffer = "";
        }
      }
      await write(buffer);
      const digest = hash.digest("hex");
      const trailer: PlanTrailer = {
        end: true,
        operations: this.#count,
        review: review.length,
        hash: digest,
        ...(seal ? { mac: planMac(seal.key, digest) } : {}),
      };
      await handle.write(`${JSON.stringify(trailer)}\n`);
      await handle.sync();
      await handle.close();
      handle = undefined;
      await rename(tmp, this.#file);
      return digest;
    } catch (err) {
      await handle?.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw new OverstapError("PLAN_INVALID", `cannot write the plan ${this.#file}`, { cause: err });
    } finally {
      await rm(this.#spool, { force: true });
    }
  }

  /** Drops what was spooled, for a plan that will not be finished. */
  async discard(): Promise<void> {
    this.#close();
    await rm(this.#spool, { force: true });
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

/**
 * The first `limit` operations of a plan file, for display: reads only as far as needed and
 * does not verify the hash (use {@link readPlan} for anything that acts on the plan).
 */
export async function readPlanOperations(file: string, limit: number): Promise<Operation[]> {
  const operations: Operation[] = [];
  if (limit <= 0) return operations;
  const lines = createInterface({
    input: createReadStream(file, { encoding: "utf8" }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  try {
    for await (const line of lines) {
      if (!line.startsWith('{"op":')) continue;
      const parsed = OperationSchema.safeParse((JSON.parse(line) as { op: unknown }).op);
      if (!parsed.success) throw new OverstapError("PLAN_INVALID", `${file}: invalid operation`);
      operations.push(parsed.data);
      if (operations.length >= limit) break;
    }
  } finally {
    lines.close();
  }
  return operations;
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
  return { header, operations, review, file, hash: digest, ...(trailer.mac ? { mac: trailer.mac } : {}) };
}

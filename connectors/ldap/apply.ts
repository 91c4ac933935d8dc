import { AlreadyExistsError, Change, type Client, NoSuchObjectError } from "ldapts";
import { OverstapError } from "../../src/errors.js";
import { formatDn, normalizeDn, parseDn } from "../../src/model/dn.js";
import { applyChanges, attrName, attrValues, sameEntry } from "../../src/model/entry.js";
import type { AttrChange, Operation } from "../../src/model/operation.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import type { AfterImages } from "./after-image.js";
import type { LdapConfig } from "./config.js";
import { strategyFor } from "./disable.js";
import { type ReadEnv, readEntry } from "./lookup.js";
import { chunkModifications, modificationsFor } from "./modifications.js";
import { moveEntry } from "./modify-dn.js";
import { WireAttribute } from "./wire-attribute.js";

/** What applying an operation needs besides the client: configuration, how to read entries, after-images. */
export interface ApplyEnv extends ReadEnv {
  config: LdapConfig;
  images: AfterImages;
}

function conflict(op: Operation, dn: string, what: string): OverstapError {
  return new OverstapError("TARGET_CONFLICT", `${op.kind} ${op.type} ${JSON.stringify(dn)}: ${what}`, {
    hint: "Someone else changed the directory since the plan was made: re-run overstap plan.",
    details: { dn, seq: op.seq },
  });
}

function missing(op: Operation, dn: string): OverstapError {
  return new OverstapError(
    "TARGET_NO_SUCH_OBJECT",
    `${op.kind} ${op.type} ${JSON.stringify(dn)}: the entry does not exist`,
    {
      hint: "The entry was removed or moved since the plan was made: re-run overstap plan.",
      details: { dn, seq: op.seq },
    },
  );
}

/** Sends the modifications that turn `current` into what `changes` want; returns the after-image. */
async function modifyEntry(client: Client, current: TargetEntry, changes: AttrChange[], env: ApplyEnv) {
  const limit = env.config.memberChunk;
  const requests = chunkModifications(modificationsFor(current.attrs, changes, limit), limit);
  if (requests.length === 0) return current;
  for (const request of requests) {
    await client.modify(
      current.key,
      request.map(
        (m) =>
          new Change({
            operation: m.operation,
            modification: new WireAttribute({ type: m.attr, values: m.values }),
          }),
      ),
    );
  }
  return env.images.settle(client, "modify", current.key, env.images.modified(current.attrs, changes), env);
}

async function create(client: Client, op: Operation, env: ApplyEnv): Promise<TargetEntry | null> {
  const attrs = applyChanges(
    {},
    Object.entries(op.attrs ?? {}).map(([attr, values]) => ({ attr, replace: values })),
  );
  try {
    await client.add(
      op.key,
      Object.entries(attrs).map(([type, values]) => new WireAttribute({ type, values })),
    );
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
    const existing = await readEntry(client, op.key, env);
    if (!existing || !sameEntry({ ...existing, key: op.key }, { key: op.key, type: op.type, attrs })) {
      throw conflict(op, op.key, "an entry with this DN already exists with other content");
    }
    return existing;
  }
  return env.images.settle(client, "create", op.key, env.images.created(op.key, attrs), env);
}

async function update(client: Client, op: Operation, changes: AttrChange[], env: ApplyEnv) {
  const current = await readEntry(client, op.key, env);
  if (!current) throw missing(op, op.key);
  return modifyEntry(client, current, changes, env);
}

function sameRdn(a: string, b: string): boolean {
  return normalizeDn(formatDn(parseDn(a).slice(0, 1))) === normalizeDn(formatDn(parseDn(b).slice(0, 1)));
}

/**
 * Removes the values of the old RDN that the new one does not have (what deleteOldRdn would
 * do; see {@link moveEntry}), matching the entry's values case-insensitively as the RDN does.
 */
function dropOldRdn(entry: TargetEntry, oldKey: string, newKey: string): AttrChange[] {
  const kept = new Set(
    (parseDn(newKey)[0] ?? []).map((p) => `${p.type.toLowerCase()}=${p.value.toLowerCase()}`),
  );
  const out: AttrChange[] = [];
  for (const p of parseDn(oldKey)[0] ?? []) {
    if (kept.has(`${p.type.toLowerCase()}=${p.value.toLowerCase()}`)) continue;
    const stale = attrValues(entry.attrs, p.type).filter((v) => v.toLowerCase() === p.value.toLowerCase());
    if (stale.length) out.push({ attr: attrName(entry.attrs, p.type) ?? p.type, remove: stale });
  }
  return out;
}

async function rename(client: Client, op: Operation, newKey: string, changes: AttrChange[], env: ApplyEnv) {
  const same = normalizeDn(op.key) === normalizeDn(newKey);
  let current = await readEntry(client, op.key, env);
  let moved: TargetEntry | null = null;
  if (current && !same) {
    try {
      await moveEntry(client, current.key, newKey);
      if (sameRdn(current.key, newKey) && env.images.movedTo(newKey)) moved = { ...current, key: newKey };
    } catch (err) {
      if (err instanceof AlreadyExistsError) throw conflict(op, newKey, "the new DN is already taken");
      if (!(err instanceof NoSuchObjectError)) throw err;
    }
  }
  current = moved ?? (await readEntry(client, newKey, env));
  if (!current) throw missing(op, op.key);
  return modifyEntry(client, current, [...dropOldRdn(current, op.key, newKey), ...changes], env);
}

async function remove(client: Client, op: Operation): Promise<null> {
  try {
    await client.del(op.key);
  } catch (err) {
    if (!(err instanceof NoSuchObjectError)) throw err;
  }
  return null;
}

/**
 * Applies one operation with the semantics of `expectedAfter` (src/model/entry.ts),
 * idempotently, and returns the entry as the server has it afterwards (null after delete):
 * computed from what was sent where the server stores exactly that ({@link AfterImages}),
 * read back otherwise.
 * - create: add; an existing identical entry is a no-op, a different one TARGET_CONFLICT.
 * - update, add-members, remove-members, disable, enable: read, then one modify with only
 *   the values that are missing or superfluous (`replace` for replace changes), membership
 *   changes in requests of at most `memberChunk` values.
 * - rename: modifyDN keeping the attributes in place ({@link moveEntry}), then the old RDN
 *   values the new RDN lacks are removed; when the old DN is gone and
 *   the new one exists it was done before; a new DN taken by another entry is TARGET_CONFLICT;
 *   then the changes.
 * - delete: del; an absent entry is a no-op.
 * A disable or enable without changes gets them from the configured disable strategy.
 */
export async function applyOperation(
  client: Client,
  op: Operation,
  env: ApplyEnv,
): Promise<TargetEntry | null> {
  const strategy = strategyFor(op, env.config);
  const changes = strategy?.changes ?? op.changes ?? [];
  const newKey = strategy?.newKey ?? op.newKey;
  switch (op.kind) {
    case "create":
      return create(client, op, env);
    case "delete":
      return remove(client, op);
    case "rename":
      if (newKey === undefined)
        throw new OverstapError("PLAN_INVALID", `rename #${op.seq} of ${op.key} has no newKey`);
      return rename(client, op, newKey, changes, env);
    default:
      if (newKey !== undefined) return rename(client, op, newKey, changes, env);
      return update(client, op, changes, env);
  }
}

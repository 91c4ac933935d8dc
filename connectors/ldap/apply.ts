import { AlreadyExistsError, Attribute, Change, type Client, NoSuchObjectError } from "ldapts";
import { OverstapError } from "../../src/errors.js";
import { normalizeDn, parentDn } from "../../src/model/dn.js";
import { applyChanges, sameEntry } from "../../src/model/entry.js";
import type { AttrChange, Operation } from "../../src/model/operation.js";
import type { TargetEntry } from "../../src/model/target-entry.js";
import type { LdapConfig } from "./config.js";
import { strategyFor } from "./disable.js";
import { type ReadEnv, readEntry } from "./lookup.js";
import { chunkModifications, modificationsFor } from "./modifications.js";
import { modifyDnTarget } from "./modify-dn.js";

/** What applying an operation needs besides the client: the configuration and how to read entries. */
export interface ApplyEnv extends ReadEnv {
  config: LdapConfig;
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

async function modifyEntry(client: Client, current: TargetEntry, changes: AttrChange[], env: ApplyEnv) {
  const limit = env.config.memberChunk;
  for (const request of chunkModifications(modificationsFor(current.attrs, changes, limit), limit)) {
    await client.modify(
      current.key,
      request.map(
        (m) =>
          new Change({
            operation: m.operation,
            modification: new Attribute({ type: m.attr, values: m.values }),
          }),
      ),
    );
  }
}

async function create(client: Client, op: Operation, env: ApplyEnv): Promise<TargetEntry | null> {
  const attrs = applyChanges(
    {},
    Object.entries(op.attrs ?? {}).map(([attr, values]) => ({ attr, replace: values })),
  );
  const wanted: TargetEntry = { key: op.key, type: op.type, attrs };
  try {
    await client.add(
      op.key,
      Object.entries(attrs).map(([type, values]) => new Attribute({ type, values })),
    );
  } catch (err) {
    if (!(err instanceof AlreadyExistsError)) throw err;
    const existing = await readEntry(client, op.key, env);
    if (!existing || !sameEntry({ ...existing, key: op.key }, wanted)) {
      throw conflict(op, op.key, "an entry with this DN already exists with other content");
    }
  }
  return readEntry(client, op.key, env);
}

async function update(client: Client, op: Operation, changes: AttrChange[], env: ApplyEnv) {
  const current = await readEntry(client, op.key, env);
  if (!current) throw missing(op, op.key);
  await modifyEntry(client, current, changes, env);
  return readEntry(client, current.key, env);
}

async function rename(client: Client, op: Operation, newKey: string, changes: AttrChange[], env: ApplyEnv) {
  const same = normalizeDn(op.key) === normalizeDn(newKey);
  let current = await readEntry(client, op.key, env);
  if (current && !same) {
    if (await readEntry(client, newKey, env)) throw conflict(op, newKey, "the new DN is already taken");
    const moves = normalizeDn(parentDn(op.key)) !== normalizeDn(parentDn(newKey));
    try {
      await client.modifyDN(current.key, modifyDnTarget(newKey, moves));
    } catch (err) {
      if (!(err instanceof NoSuchObjectError)) throw err;
    }
  }
  current = await readEntry(client, newKey, env);
  if (!current) throw missing(op, op.key);
  await modifyEntry(client, current, changes, env);
  return readEntry(client, current.key, env);
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
 * idempotently, and returns the entry as the server has it afterwards (null after delete).
 * - create: add; an existing identical entry is a no-op, a different one TARGET_CONFLICT.
 * - update, add-members, remove-members, disable, enable: read, then one modify with only
 *   the values that are missing or superfluous (`replace` for replace changes), membership
 *   changes in requests of at most `memberChunk` values.
 * - rename: modifyDN (with newSuperior when the parent changes); when the old DN is gone and
 *   the new one exists it was done before; then the changes.
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

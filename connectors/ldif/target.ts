import { createHash, type Hash } from "node:crypto";
import { mkdir, open, readdir, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { OverstapError } from "../../src/errors.js";
import type { TargetConnector } from "../../src/model/connector.js";
import { directoryRules } from "../../src/model/directory-rules.js";
import type { Operation } from "../../src/model/operation.js";
import type { ObjectType, TargetEntry } from "../../src/model/target-entry.js";
import { classSets, typeByClasses } from "../object-classes.js";
import { AppliedMarker } from "./applied-marker.js";
import { scanCanonicalLdif } from "./canonical-scan.js";
import { ChangeLog } from "./change-log.js";
import type { LdifTargetConfig } from "./config.js";
import { ContentFile } from "./content-file.js";
import { type Classify, Directory } from "./directory.js";
import { syncDir, writeSynced } from "./durable-file.js";
import { acquireLock } from "./lock.js";
import { type ScannedEntry, scanLdif } from "./parse.js";

/** An LDIF target; `file` is the resolved path of its content file. */
export interface LdifTarget extends TargetConnector {
  readonly file: string;
}

/** Types entries by objectClass, by the rule both LDAP-style targets share (see `typeByClasses`). */
export function classifier(personClasses: string[], groupClasses: string[]): Classify {
  const sets = classSets(personClasses, groupClasses);
  return (attrs) => {
    const name = Object.keys(attrs).find((k) => k.toLowerCase() === "objectclass");
    return typeByClasses(name ? (attrs[name] ?? []) : [], sets);
  };
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

/** Bytes read from the content file at a time, into one buffer (fresh memory is costly). */
const READ_CHUNK = 1 << 20;

/** The chunks of `file`, read into one reused buffer, each added to `hash` before it is handed on. */
async function* hashedChunks(file: string, hash: Hash): AsyncGenerator<Buffer> {
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(READ_CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, null);
      if (bytesRead === 0) return;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      yield chunk;
    }
  } finally {
    await handle.close();
  }
}

/**
 * Loads the content file into a new directory that reads its entries back from `content` (the
 * same file, kept open); returns it with the file's SHA-256. A file whose hash is one of
 * `written` (the target wrote it itself) is read by the fast canonical scan; if its hash turns
 * out to differ, or it does not look canonical, it is read again in full.
 */
async function loadContent(
  content: ContentFile,
  classify: Classify,
  written: string[],
): Promise<{ dir: Directory; sha256: string; canonical: boolean }> {
  const { file } = content;
  if (written.length) {
    const dir = new Directory(classify, content);
    const hash = createHash("sha256");
    const onEntry = (e: ScannedEntry) =>
      dir.loadAt(e.dn, e.offset, e.bytes, e.form, classify({ objectClass: e.objectClass }));
    const read = await scanCanonicalLdif(hashedChunks(file, hash), onEntry).catch(() => false);
    const sha256 = read ? hash.digest("hex") : "";
    if (read && written.includes(sha256)) return { dir, sha256, canonical: true };
  }
  const dir = new Directory(classify, content);
  const hash = createHash("sha256");
  await scanContent(file, hashedChunks(file, hash), dir, classify);
  return { dir, sha256: hash.digest("hex"), canonical: false };
}

async function scanContent(
  file: string,
  input: AsyncIterable<Buffer>,
  dir: Directory,
  classify: Classify,
): Promise<void> {
  await scanLdif(input, { source: file }, (record) => {
    if (record.kind !== "entry") {
      throw new OverstapError(
        "TARGET_INVALID",
        `${file}:${record.line}: a change record in the content file`,
        {
          hint: "The content file holds entries only; apply change records with the target, not by hand.",
        },
      );
    }
    try {
      const type = classify({ objectClass: record.objectClass });
      dir.loadAt(record.dn, record.offset, record.bytes, record.form, type);
    } catch (err) {
      if (err instanceof OverstapError) {
        throw new OverstapError(err.code, `${file}:${record.line}: ${err.message}`, {
          cause: err,
          hint: err.hint,
        });
      }
      throw err;
    }
  });
}

async function removeStaleTemporaries(file: string): Promise<void> {
  const prefix = `${path.basename(file)}.tmp-`;
  for (const name of await readdir(path.dirname(file))) {
    if (name.startsWith(prefix)) await unlink(path.join(path.dirname(file), name)).catch(() => undefined);
  }
}

/** How many change records the content file includes, from the sidecar that matches it. */
async function appliedCount(file: string, sha256: string | null, marker: AppliedMarker): Promise<number> {
  if (sha256 === null) {
    if (await marker.exists()) {
      throw new OverstapError("TARGET_INVALID", `${file} is missing, but ${marker.file} says it existed`, {
        hint: `Restore ${file} from a backup, or remove ${marker.file} to rebuild the content from the change log alone.`,
      });
    }
    await marker.discardPending();
    return 0;
  }
  const found = await marker.find(sha256);
  if (found) {
    if (found.pending) await marker.commit();
    return found.applied.changes;
  }
  if (await marker.exists()) {
    throw new OverstapError(
      "TARGET_INVALID",
      `${file} was changed outside overstap since it was last written`,
      {
        hint: `Restore it, or, if the edit is intended and the file already includes every record of the change log, remove the "sha256" field from ${marker.file}.`,
      },
    );
  }
  await marker.discardPending();
  return 0;
}

/**
 * Opens the LDIF target described by `config`: loads the content file, replays the change
 * records it does not include yet, and takes a lock. Operations are applied in order, each
 * appended to `<file>.changes.ldif`; `flush()` fsyncs that log; `close()` rewrites the content
 * file atomically in canonical form.
 *
 * @example
 * const target = await openLdifTarget({ type: "ldif", file: "dir.ldif", personClasses: ["inetOrgPerson"], groupClasses: ["groupOfNames"] }, { name: "target", baseDir: "." });
 */
export async function openLdifTarget(
  config: LdifTargetConfig,
  where: { name: string; baseDir: string },
): Promise<LdifTarget> {
  const file = path.resolve(where.baseDir, config.file);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const release = await acquireLock(`${file}.lock`, `LDIF target ${file}`);
  let content: ContentFile | null = null;
  try {
    await removeStaleTemporaries(file);
    const classify = classifier(config.personClasses, config.groupClasses);
    const marker = new AppliedMarker(file);
    content = (await exists(file)) ? ContentFile.open(file) : null;
    const loaded = content ? await loadContent(content, classify, await marker.writtenHashes()) : null;
    const dir = loaded?.dir ?? new Directory(classify);
    const sha256 = loaded?.sha256 ?? null;
    const applied = await appliedCount(file, sha256, marker);
    const log = await ChangeLog.open(`${file}.changes.ldif`);
    if (applied > log.total) {
      await log.close();
      throw new OverstapError(
        "TARGET_INVALID",
        `${marker.file} counts ${applied} change records, but ${log.file} holds ${log.total}`,
        {
          hint: `Restore ${log.file} from a backup.`,
        },
      );
    }
    let seen = 0;
    try {
      for await (const record of log.records()) {
        seen += 1;
        if (seen > applied) dir.replay(record);
      }
    } catch (err) {
      await log.close();
      throw err;
    }
    // A file the target wrote itself that includes every change record is already what close()
    // would write, until something is applied.
    const current = loaded?.canonical === true && applied === log.total;
    return ldifTarget({ name: where.name, file, sha256, dir, log, marker, content, release, current });
  } catch (err) {
    content?.close();
    await release();
    throw err;
  }
}

/** An opened LDIF target's parts: its files, its entries, and the lock to release. */
interface OpenedLdif {
  name: string;
  file: string;
  /** The SHA-256 of the content file as loaded (null: there was none). */
  sha256: string | null;
  dir: Directory;
  log: ChangeLog;
  marker: AppliedMarker;
  content: ContentFile | null;
  release: () => Promise<void>;
  /** True when the content file is already what close() would write. */
  current: boolean;
}

function ldifTarget(opened: OpenedLdif): LdifTarget {
  const { name, file, sha256, dir, log, marker, content, release, current } = opened;
  const loadedTotal = log.total;
  let chain: Promise<unknown> = Promise.resolve();
  let closed = false;
  let broken: unknown = null;
  const serial = <T>(fn: () => Promise<T>, whenBroken = false): Promise<T> => {
    const run = chain.then(() => {
      if (closed) throw new OverstapError("INTERNAL", `LDIF target ${file} is closed`);
      if (broken && !whenBroken) {
        throw new OverstapError(
          "TARGET_WRITE",
          `LDIF target ${file}: an earlier write to ${log.file} failed`,
          {
            cause: broken,
            hint: "Fix the cause (disk full? permissions?) and run again; nothing after the failed operation was applied.",
          },
        );
      }
      return fn();
    });
    chain = run.catch(() => undefined);
    return run;
  };
  const writeFailed = (err: unknown, what: string) => {
    broken = err;
    return new OverstapError("TARGET_WRITE", `LDIF target ${file}: ${what}`, {
      cause: err,
      hint: "Fix the cause (disk full? permissions?) and run again.",
    });
  };

  return {
    name,
    file,
    async *read() {
      const entries = await serial(async () => dir.ordered());
      for (const e of entries) if (e.type !== null) yield { key: e.key, type: e.type, attrs: e.attrs };
    },
    get(key: string, type: ObjectType) {
      return serial(async () => dir.get(key, type));
    },
    rules: directoryRules,
    peek(key: string, type: ObjectType) {
      return dir.get(key, type);
    },
    // The content file as loaded, and how many change records were applied on top of it since.
    fingerprint() {
      return `${sha256 ?? "no content file"}+${log.total}`;
    },
    apply(op: Operation): Promise<TargetEntry | null> {
      return serial(async () => {
        const { after, changes } = dir.apply(op);
        try {
          await log.append(changes);
        } catch (err) {
          throw writeFailed(err, `cannot append to ${log.file}`);
        }
        return after;
      });
    },
    flush() {
      return serial(async () => {
        try {
          await log.sync();
        } catch (err) {
          throw writeFailed(err, `cannot fsync ${log.file}`);
        }
      });
    },
    close() {
      if (closed) return Promise.resolve();
      return serial(async () => {
        try {
          if (broken) return;
          // Nothing applied to a file already in canonical form: rewriting it would give the same bytes.
          if (current && log.total === loadedTotal) return;
          await log.sync();
          const tmp = `${file}.tmp-${process.pid}`;
          const sha256 = await writeSynced(tmp, dir.canonicalLdif());
          await marker.prepare({ changes: log.total, sha256 });
          await rename(tmp, file);
          await syncDir(path.dirname(file));
          await marker.commit();
        } catch (err) {
          throw writeFailed(err, `cannot write ${file}`);
        } finally {
          closed = true;
          dir.clear();
          content?.close();
          await log.close();
          await release();
        }
      }, true);
    },
  };
}

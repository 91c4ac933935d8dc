import type { Disable } from "../../src/config/schema.js";
import { OverstapError } from "../../src/errors.js";
import type { ProgressFn, TargetConnector } from "../../src/model/connector.js";
import type { Operation } from "../../src/model/operation.js";
import type { ObjectType, TargetEntry } from "../../src/model/target-entry.js";
import type { TargetRules } from "../../src/model/target-rules.js";
import { normKey } from "../../src/plan/keys.js";
import { AfterImages } from "./after-image.js";
import { type ApplyEnv, applyOperation } from "./apply.js";
import type { LdapConfig } from "./config.js";
import { classifier } from "./entry.js";
import { anyClass, both, equals, type ReadEnv, readEntry } from "./lookup.js";
import { pagedEntries, type ReadScope } from "./read.js";
import { ldapRules } from "./rules.js";
import { readServerSchema } from "./server-schema.js";
import type { LdapSession } from "./session.js";

/**
 * The LDAP directory as an Overstap target. Every call goes through one {@link LdapSession},
 * so connection loss and server restarts are retried; `apply` is idempotent, which is what
 * makes those retries (and journal replays after a crash) safe.
 */
export class LdapTarget implements TargetConnector {
  readonly name: string;
  readonly #config: LdapConfig;
  readonly #session: LdapSession;
  readonly #env: ReadEnv & { config: LdapConfig };
  #images: Promise<ApplyEnv> | undefined;

  constructor(name: string, config: LdapConfig, session: LdapSession) {
    this.name = name;
    this.#config = config;
    this.#session = session;
    this.#env = {
      config,
      classify: classifier(config.groupClass, config.personClasses),
      ignore: new Set(config.ignoreAttributes.map((a) => a.toLowerCase())),
    };
  }

  /** The session, for checks such as `checkSchema` that need the server itself. */
  get session(): LdapSession {
    return this.#session;
  }

  /**
   * Reads all persons (under `peopleBase`) and groups (under `groupsBase`) with paged searches.
   * @example for await (const e of target.read()) console.log(e.key)
   */
  async *read(options: { signal?: AbortSignal; progress?: ProgressFn } = {}): AsyncIterable<TargetEntry> {
    const c = this.#config;
    const scopes: ReadScope[] = [
      { base: c.peopleBase ?? c.baseDn, filter: anyClass(c.personClasses) },
      { base: c.groupsBase ?? c.baseDn, filter: anyClass([c.groupClass]) },
    ];
    // Entries the `ou` strategy moved out of the people base are still Overstap's persons.
    const parked = c.disable?.strategy === "ou" ? c.disable.ou : undefined;
    if (parked && !normKey(parked).endsWith(normKey(c.peopleBase ?? c.baseDn)))
      scopes.splice(1, 0, { base: parked, filter: anyClass(c.personClasses) });
    const seen = new Set<string>();
    let count = 0;
    for (const scope of scopes) {
      const entries = this.#session.stream(
        { action: "search", dn: scope.base },
        (client) => pagedEntries(client, scope, c.pageSize, this.#env, options.signal),
        (e) => e.key,
        seen,
      );
      for await (const entry of entries) {
        yield entry;
        options.progress?.(++count);
      }
    }
  }

  /**
   * What this directory means by a disabled entry (see {@link ldapRules}).
   * @example target.rules(config.disable).isDisabled(entry.attrs, entry.key)
   */
  rules(defaults: Disable): TargetRules {
    return ldapRules(this.#config, defaults);
  }

  /**
   * The entry at `key`, or null when absent (or of the other type).
   * @example await target.get("uid=piet,ou=people,dc=example,dc=nl", "person")
   */
  async get(key: string, type: ObjectType): Promise<TargetEntry | null> {
    const entry = await this.#session.run({ action: "read", dn: key }, (client) =>
      readEntry(client, key, this.#env),
    );
    return entry?.type === type ? entry : null;
  }

  /**
   * Persons or groups whose `attr` equals `value` exactly as the server matches it, e.g. for
   * correlation by uid. The value is sent as data, never parsed as filter syntax.
   * @example await target.findBy("person", "uid", "piet@school")
   */
  async findBy(type: ObjectType, attr: string, value: string): Promise<TargetEntry[]> {
    const c = this.#config;
    const base = type === "person" ? (c.peopleBase ?? c.baseDn) : (c.groupsBase ?? c.baseDn);
    const classes = type === "person" ? c.personClasses : [c.groupClass];
    const filter = both(anyClass(classes), equals(attr, value));
    const found: TargetEntry[] = [];
    const entries = this.#session.stream(
      { action: "search", dn: base, attributes: [attr] },
      (client) => pagedEntries(client, { base, filter }, c.pageSize, this.#env),
      (e) => e.key,
    );
    for await (const e of entries) if (e.type === type) found.push(e);
    return found;
  }

  /**
   * Applies one operation idempotently and returns the entry as the server has it afterwards.
   * @example const after = await target.apply(op)
   */
  async apply(op: Operation): Promise<TargetEntry | null> {
    const env = await this.#applyEnv();
    const ctx = {
      action: op.kind,
      dn: op.key,
      // Only an error message needs them.
      get attributes() {
        return [...new Set([...Object.keys(op.attrs ?? {}), ...(op.changes ?? []).map((ch) => ch.attr)])];
      },
    };
    return this.#session.run(ctx, (client) => applyOperation(client, op, env));
  }

  /** After-images from the server's subschema, read once; without it every write is read back. */
  #applyEnv(): Promise<ApplyEnv> {
    this.#images ??= this.#session.run({ action: "read subschema" }, readServerSchema).then(
      (schema) => ({ ...this.#env, images: new AfterImages(schema) }),
      (err: unknown) => {
        if (err instanceof OverstapError && err.code === "TARGET_UNREACHABLE") {
          this.#images = undefined;
          throw err;
        }
        return { ...this.#env, images: new AfterImages(null) };
      },
    );
    return this.#images;
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#session.close();
  }
}

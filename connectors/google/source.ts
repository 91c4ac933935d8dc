import {
  type ConnectorContext,
  type ConnectorRuntime,
  connectorRuntime,
} from "../../src/config/connector-context.js";
import { toOverstapError } from "../../src/errors.js";
import type {
  CheckFinding,
  SourceConnector,
  SourceEvent,
  SourceReadOptions,
} from "../../src/model/connector.js";
import { createTokenSource, type TokenSource } from "./auth.js";
import { userChains } from "./chains.js";
import { readCheckpoint } from "./checkpoint.js";
import { DirectoryClient } from "./client.js";
import { type GoogleConfig, GoogleConfigSchema } from "./config.js";
import type { ErrorFacts } from "./errors.js";
import { fullPull } from "./full-pull.js";
import { parseServiceAccountKey, type ServiceAccountKey } from "./key.js";
import type { PullContext } from "./pull-state.js";

/**
 * The Google Workspace source over the Admin SDK Directory API, as a service account with
 * domain-wide delegation acting as an admin. Every pull is a full read (Google has no delta
 * feed); an interrupted pull resumes from its last page when the state store holds what it
 * already delivered.
 */
export class GoogleSource implements SourceConnector {
  readonly name: string;
  /** What the last pulls tolerated and reported (cycles, CUSTOMER and external members). */
  readonly warnings: string[] = [];
  readonly #cfg: GoogleConfig;
  readonly #ctx: ConnectorContext;
  readonly #facts: ErrorFacts;
  readonly #runtime: ConnectorRuntime;
  readonly #tokens: TokenSource;
  /** The client of the latest read, for its request counts. */
  client: DirectoryClient | undefined;

  constructor(cfg: GoogleConfig, ctx: ConnectorContext, key: ServiceAccountKey) {
    this.name = ctx.name;
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.#runtime = connectorRuntime(ctx);
    this.#facts = {
      source: ctx.name,
      subject: cfg.subject,
      customer: cfg.customer,
      clientEmail: key.clientEmail,
      tokenUrl: cfg.tokenUrl,
    };
    this.#tokens = createTokenSource({
      facts: this.#facts,
      key,
      fetch: this.#runtime.fetch,
      now: this.#runtime.now,
      timeoutMs: cfg.timeoutMs,
      retries: Math.min(cfg.retries, 4),
      ...(this.#runtime.signal ? { signal: this.#runtime.signal } : {}),
    });
  }

  /** Pulls persons and groups; see {@link SourceEvent} for what the events mean. */
  read(options: SourceReadOptions = {}): AsyncIterable<SourceEvent> {
    const client = this.#client(eitherSignal(options.signal, this.#runtime.signal));
    this.client = client;
    const p: PullContext = {
      name: this.name,
      cfg: this.#cfg,
      client,
      ...(this.#ctx.previous ? { previous: this.#ctx.previous } : {}),
      ...(options.progress ? { progress: options.progress } : {}),
      warn: (message) => {
        if (!this.warnings.includes(message)) this.warnings.push(message);
      },
    };
    const cp = options.full || !p.previous ? undefined : readCheckpoint(options.checkpoint, this.#cfg);
    return fullPull(p, cp);
  }

  /**
   * What `overstap doctor` reports, read-only: a token for the service account acting as the
   * subject, then one user of the first configured chain with the configured custom schema.
   * Nothing is retried for long: a check that waits minutes helps no one.
   * @example for (const f of await source.check()) console.log(f.status, f.message)
   */
  async check(): Promise<CheckFinding[]> {
    const out: CheckFinding[] = [];
    const step = async (ok: string, fn: () => Promise<unknown>): Promise<boolean> => {
      try {
        await fn();
        out.push({ status: "ok", message: ok });
        return true;
      } catch (err) {
        const e = toOverstapError(err, "SOURCE_UNREACHABLE");
        out.push({
          status: "failed",
          message: `[${e.code}] ${e.message}`,
          ...(e.hint ? { hint: e.hint } : {}),
        });
        return false;
      }
    };
    const cfg = this.#cfg;
    const who = `service account ${this.#facts.clientEmail} acting as ${cfg.subject}`;
    if (!(await step(`got an access token for ${who}`, () => this.#tokens.get()))) {
      out.push({ status: "not checked", message: "reading users (no token)" });
      return out;
    }
    const client = this.#client(this.#runtime.signal, 1);
    const chain = userChains(cfg)[0] as ReturnType<typeof userChains>[number];
    await step(`read one user with custom schema ${cfg.customSchema.name}`, () =>
      client.get(chain.path, { ...chain.query, maxResults: "1" }, chain.what),
    );
    return out;
  }

  #client(signal: AbortSignal | undefined, retries = this.#cfg.retries): DirectoryClient {
    const cfg = this.#cfg;
    return new DirectoryClient({
      facts: this.#facts,
      baseUrl: cfg.baseUrl,
      tokens: this.#tokens,
      fetch: this.#runtime.fetch,
      concurrency: cfg.concurrency,
      quota: cfg.quota,
      timeoutMs: cfg.timeoutMs,
      retries,
      ...(signal ? { signal } : {}),
    });
  }
}

/**
 * Validates the configuration section, reads the service account key and creates the source;
 * the context's `fetch`, `now` and `signal` replace the global ones (tests, proxies).
 * @example
 * const source = await createGoogleSource(config, ctx);
 * await store.ingest(source.name, source.read({ checkpoint }));
 */
export async function createGoogleSource(config: unknown, ctx: ConnectorContext): Promise<GoogleSource> {
  const cfg = ctx.parse(GoogleConfigSchema, config);
  const key = parseServiceAccountKey(await ctx.secret(cfg.key, "key"), `${ctx.path}.key`);
  return new GoogleSource(cfg, ctx, key);
}

/** A read's own signal and the connector's, as one; either alone as it is. */
function eitherSignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}

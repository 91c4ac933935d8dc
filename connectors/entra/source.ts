import { X509Certificate } from "node:crypto";
import path from "node:path";
import {
  type ConnectorContext,
  type ConnectorRuntime,
  connectorRuntime,
} from "../../src/config/connector-context.js";
import { OverstapError, toOverstapError } from "../../src/errors.js";
import type {
  CheckFinding,
  SourceConnector,
  SourceEvent,
  SourceReadOptions,
} from "../../src/model/connector.js";
import { type Credential, createTokenSource, type TokenSource } from "./auth.js";
import { type DeltaCheckpoint, readCheckpoint } from "./checkpoint.js";
import { type EntraConfig, EntraConfigSchema } from "./config.js";
import { deltaPull } from "./delta-pull.js";
import { fullPull } from "./full-pull.js";
import { GraphClient, isDeltaExpired } from "./http.js";
import { userSelect } from "./map.js";
import { groupSelect, type PullContext } from "./pull-context.js";

/** Resolves the configured credential: a secret, or a certificate's key and thumbprint. */
export async function resolveCredential(cfg: EntraConfig, ctx: ConnectorContext): Promise<Credential> {
  if (cfg.clientSecret) return { secret: await ctx.secret(cfg.clientSecret, "clientSecret") };
  const cert = cfg.certificate as NonNullable<EntraConfig["certificate"]>;
  const privateKey = await ctx.secret(
    { file: path.resolve(ctx.baseDir, cert.keyFile) },
    "certificate.keyFile",
  );
  if (cert.thumbprint) {
    return {
      certificate:
        cert.thumbprint.length === 64
          ? { privateKey, thumbprintSha256: cert.thumbprint }
          : { privateKey, thumbprint: cert.thumbprint },
    };
  }
  const pem = await ctx.secret(
    { file: path.resolve(ctx.baseDir, cert.certFile as string) },
    "certificate.certFile",
  );
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(pem);
  } catch (err) {
    throw new OverstapError("CONFIG_INVALID", `${ctx.path}.certificate.certFile: not a PEM certificate`, {
      cause: err,
    });
  }
  return {
    certificate: {
      privateKey,
      thumbprintSha256: x509.fingerprint256.replace(/:/g, ""),
      x5c: x509.raw.toString("base64"),
    },
  };
}

/**
 * The Entra ID source: a full pull the first time (and whenever asked or the delta links have
 * expired), incremental pulls from delta links after that, resuming an interrupted full pull
 * from its last page when the state store holds what it already delivered.
 */
export class EntraSource implements SourceConnector {
  readonly name: string;
  readonly #cfg: EntraConfig;
  readonly #ctx: ConnectorContext;
  readonly #tokens: TokenSource;
  readonly #runtime: ConnectorRuntime;

  constructor(cfg: EntraConfig, ctx: ConnectorContext, credential: Credential) {
    this.name = ctx.name;
    this.#cfg = cfg;
    this.#ctx = ctx;
    this.#runtime = connectorRuntime(ctx);
    this.#tokens = createTokenSource({
      source: ctx.name,
      tenantId: cfg.tenantId,
      clientId: cfg.clientId,
      authorityHost: cfg.authorityHost,
      resource: new URL(cfg.graphBaseUrl).origin,
      credential,
      fetch: this.#runtime.fetch,
      now: this.#runtime.now,
      timeoutMs: cfg.timeoutMs,
    });
  }

  /**
   * Pulls persons and groups; see {@link SourceEvent} for what the events mean. A full pull is
   * handed out as it is, without a generator around it (one hop less for each event).
   */
  read(options: SourceReadOptions = {}): AsyncIterable<SourceEvent> {
    const cfg = this.#cfg;
    const client = this.#client(eitherSignal(options.signal, this.#runtime.signal));
    const p: PullContext = {
      name: this.name,
      cfg,
      client,
      previous: this.#ctx.previous,
      progress: options.progress,
    };
    const cp = options.full || !p.previous ? undefined : readCheckpoint(options.checkpoint, cfg);
    if (!cp) return fullPull(p);
    if (cp.mode === "full") return fullPull(p, cp);
    if (cfg.educationData) return fullPull(p);
    return this.#incremental(p, cp);
  }

  /**
   * What `overstap doctor` reports, read-only: a token for the app, then one page of users with
   * the configured `$select` and one page of groups, each failure naming the permission it lacks.
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
    if (!(await step(`got an access token for app ${cfg.clientId}`, () => this.#tokens.get()))) {
      out.push({ status: "not checked", message: "reading users and groups (no token)" });
      return out;
    }
    const client = this.#client(this.#runtime.signal, 1);
    await step("read one page of users with the configured $select", () =>
      client.page(`users?$select=${userSelect(cfg)}&$top=1`),
    );
    await step("read one page of groups", () => client.page(`groups?$select=${groupSelect}&$top=1`));
    return out;
  }

  #client(signal: AbortSignal | undefined, retries = this.#cfg.retries): GraphClient {
    const cfg = this.#cfg;
    return new GraphClient({
      source: this.name,
      baseUrl: cfg.graphBaseUrl,
      tokens: this.#tokens,
      fetch: this.#runtime.fetch,
      concurrency: cfg.concurrency,
      unitsPer10s: cfg.budget.unitsPer10s,
      timeoutMs: cfg.timeoutMs,
      retries,
      signal,
    });
  }

  /** An incremental pull, or a full one when the delta links have expired. */
  async *#incremental(p: PullContext, cp: DeltaCheckpoint): AsyncGenerator<SourceEvent> {
    const incremental = deltaPull(p, cp);
    try {
      const first = await incremental.next();
      if (first.done) return;
      yield first.value;
    } catch (err) {
      if (!isDeltaExpired(err)) throw err;
      return yield* fullPull(p);
    }
    yield* incremental;
  }
}

/**
 * Validates the configuration section, resolves its credential and creates the source; the
 * context's `fetch`, `now` and `signal` replace the global ones (tests, proxies).
 *
 * @example
 * const source = await createEntraSource(config, ctx);
 * await store.ingest(source.name, source.read({ checkpoint }));
 */
export async function createEntraSource(config: unknown, ctx: ConnectorContext): Promise<EntraSource> {
  const cfg = ctx.parse(EntraConfigSchema, config);
  return new EntraSource(cfg, ctx, await resolveCredential(cfg, ctx));
}

/** A read's own signal and the connector's, as one; either alone as it is. */
function eitherSignal(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}

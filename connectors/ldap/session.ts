import { setTimeout as sleep } from "node:timers/promises";
import { Client } from "ldapts";
import type { OverstapError } from "../../src/errors.js";
import { backoffDelay } from "./backoff.js";
import { coalescedConnection, coalescedSecureConnection } from "./coalesced-writes.js";
import type { RetryPolicy } from "./config.js";
import { isRetryable, type LdapErrorContext, translateLdapError } from "./errors.js";
import type { Transport } from "./transport.js";

/** What a session needs to (re)connect: transport, credentials, timeouts and retry policy. */
export interface SessionOptions {
  transport: Transport;
  bindDn: string;
  password: string;
  timeoutMs: number;
  retry: RetryPolicy;
  /** Told about each retry (no secrets in the message). */
  onRetry?: (err: OverstapError, attempt: number, delayMs: number) => void;
}

/**
 * One bound LDAP connection that reconnects on demand. `run` executes a unit of work and,
 * when the connection is lost or the server is busy or restarting, reconnects with jittered
 * exponential backoff and runs the whole unit again; units must therefore be idempotent.
 */
export class LdapSession {
  readonly #options: SessionOptions;
  #client: Client | null = null;

  constructor(options: SessionOptions) {
    this.#options = options;
  }

  /**
   * Runs `work` on a bound client, retrying on connection loss within the retry policy.
   * Every failure comes out as an OverstapError (via {@link translateLdapError}).
   * @example const entry = await session.run({ action: "search", dn }, (c) => c.search(dn))
   */
  async run<T>(ctx: LdapErrorContext, work: (client: Client) => Promise<T>): Promise<T> {
    const { retry } = this.#options;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await work(await this.#connected());
      } catch (raw) {
        const err = translateLdapError(raw, ctx);
        if (!isRetryable(err)) throw err;
        await this.#drop();
        const delay = backoffDelay(retry, attempt);
        if (attempt >= retry.attempts || Date.now() - started + delay > retry.totalMs) {
          err.message += ` (gave up after ${attempt} attempts in ${Math.round((Date.now() - started) / 1000)} s)`;
          throw err;
        }
        this.#options.onRetry?.(err, attempt, delay);
        await sleep(delay);
      }
    }
  }

  /**
   * Streams the items of `work`, restarting it on a fresh connection after connection loss
   * (within the retry policy) and skipping items already yielded, as told by `identity`;
   * `seen` (the identities yielded so far) may be shared between streams to skip duplicates.
   * @example yield* session.stream({ action: "search", dn: base }, (c) => pages(c), (e) => e.key)
   */
  async *stream<T>(
    ctx: LdapErrorContext,
    work: (client: Client) => AsyncIterable<T>,
    identity: (item: T) => string,
    seen: Set<string> = new Set(),
  ): AsyncGenerator<T> {
    const { retry } = this.#options;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        for await (const item of work(await this.#connected())) {
          const id = identity(item);
          if (seen.has(id)) continue;
          seen.add(id);
          yield item;
        }
        return;
      } catch (raw) {
        const err = translateLdapError(raw, ctx);
        if (!isRetryable(err)) throw err;
        await this.#drop();
        const delay = backoffDelay(retry, attempt);
        if (attempt >= retry.attempts || Date.now() - started + delay > retry.totalMs) throw err;
        this.#options.onRetry?.(err, attempt, delay);
        await sleep(delay);
      }
    }
  }

  /** Unbinds and closes the connection. */
  async close(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    if (client) await client.unbind().catch(() => undefined);
  }

  async #connected(): Promise<Client> {
    if (this.#client?.isBound) return this.#client;
    await this.#drop();
    const { transport, timeoutMs } = this.#options;
    const client = new Client({
      url: transport.url,
      timeout: timeoutMs,
      connectTimeout: timeoutMs,
      createConnection: coalescedConnection,
      createSecureConnection: coalescedSecureConnection,
      ...(transport.secure ? { tlsOptions: transport.tls } : {}),
    });
    try {
      if (transport.startTls) await client.startTLS({ ...transport.tls });
      await client.bind(this.#options.bindDn, this.#options.password);
    } catch (err) {
      await client.unbind().catch(() => undefined);
      throw translateLdapError(err, {
        action: transport.startTls ? "StartTLS and bind" : "bind",
        dn: this.#options.bindDn,
      });
    }
    this.#client = client;
    return client;
  }

  async #drop(): Promise<void> {
    const client = this.#client;
    this.#client = null;
    if (client) await client.unbind().catch(() => undefined);
  }
}

import type { z } from "zod";
import type { CheckFinding, SourceConnector, TargetConnector, TargetWrites } from "../model/connector.js";
import type { PreviousSnapshot } from "../state/previous.js";
import type { SecretRef } from "./secret.js";

/**
 * What a connector factory receives besides its own configuration section: where that section
 * is (for line-accurate errors), how to validate it, how to resolve secrets, what a source may
 * read of its previous snapshot, and what the connector talks to the world with (fetch, clock,
 * abort signal), which tests and embedders inject here and nowhere else.
 */
export interface ConnectorContext {
  /** The connector's name in the config (`sources.<name>` or `target`). */
  name: string;
  /** The dotted path of its section, e.g. `sources.entra`. */
  path: string;
  /** Directory of the config file; relative paths resolve against it. */
  baseDir: string;
  /** Validates the section; a failure is a CONFIG_INVALID error naming file, line and key. */
  parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S>;
  /** Resolves a secret reference found at `key` of the section. */
  secret(ref: SecretRef, key: string): Promise<string>;
  /** A source's snapshot as its last pull left it; absent when there is no store to read. */
  previous?: PreviousSnapshot;
  /** The fetch for HTTP connectors; the global fetch when absent (tests pass a simulator's). */
  fetch?: typeof fetch;
  /** The clock; the system clock when absent. */
  now?: () => Date;
  /** Aborts everything the connector does, on top of each read's own signal. */
  signal?: AbortSignal;
}

/** The fetch, clock and signal of a {@link ConnectorContext}, with the defaults filled in. */
export interface ConnectorRuntime {
  fetch: typeof fetch;
  now: () => Date;
  signal?: AbortSignal;
}

/**
 * What a connector uses to reach the world: the context's injections, else the global fetch and
 * the system clock. The one place those defaults live.
 * @example const { fetch, now } = connectorRuntime(ctx);
 */
export function connectorRuntime(ctx: ConnectorContext): ConnectorRuntime {
  return {
    fetch: ctx.fetch ?? globalThis.fetch,
    now: ctx.now ?? (() => new Date()),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
}

/** What each folder under `connectors/` exports from its `index.ts`. */
export interface ConnectorModule {
  type: string;
  source?(config: unknown, ctx: ConnectorContext): Promise<SourceConnector>;
  target?(config: unknown, ctx: ConnectorContext): Promise<TargetConnector>;
  /**
   * What `overstap doctor` reports about a source: whether it can be reached and its first
   * records read with this configuration. Writes nothing anywhere.
   */
  checkSource?(config: unknown, ctx: ConnectorContext): Promise<CheckFinding[]>;
  /**
   * What `overstap doctor` reports about the target: that it exists and can be reached, and that
   * it can hold what plans write. Writes nothing, and opens nothing for writing.
   */
  checkTarget?(config: unknown, ctx: ConnectorContext, writes: TargetWrites): Promise<CheckFinding[]>;
}

import type { ProgressFn } from "../model/connector.js";

/**
 * How a use case reports progress: one display per step, `finish` ends the current one with a
 * summary line. The CLI shows them on stderr (`src/cli/progress.ts`); {@link SILENT} shows nothing.
 */
export interface Steps {
  step(label: string, total?: number): ProgressFn;
  finish(summary?: string): void;
}

/** Steps that show nothing (the demo, tests). */
export const SILENT: Steps = { step: () => () => undefined, finish: () => undefined };

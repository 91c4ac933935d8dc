/**
 * An abort signal raised by the first SIGINT (Ctrl-C) or SIGTERM, for commands that stop
 * cleanly; a second one ends the process at once (exit 130). `dispose` removes the handlers.
 * @example const stop = stopOnSignals(); try { await applyPlan({ …, signal: stop.signal }) } finally { stop.dispose() }
 */
export function stopOnSignals(
  notice = "Stopping after the operations in flight (press Ctrl-C again to stop at once).",
): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\n${name}: ${notice}\n`);
    controller.abort(new Error(name));
  };
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) process.on(s, handler);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of signals) process.off(s, handler);
    },
  };
}

// The signals that ask the tool to quit: Ctrl+C, `kill`, the terminal closing. A front end
// (the plain runner, the TUI) listens to all three while it owns the session; what it
// does then is its own (cancel the step, or ask the TUI to quit).
export const QUIT_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Calls `handler` on each quit signal; returns the function that stops listening. */
export function onQuitSignals(handler: (signal: NodeJS.Signals) => void): () => void {
  for (const signal of QUIT_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of QUIT_SIGNALS) process.off(signal, handler);
  };
}

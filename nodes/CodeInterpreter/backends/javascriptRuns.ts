/**
 * JavaScript and TypeScript code run by a backend just before each run's code (in its prelude), so that a run behaves
 * as the same code would as a script (Deno's kernel, or E2B's):
 * - what a timer, promise or stream callback left pending by an earlier run prints is discarded, never shown in
 *   this run: every run enters an AsyncLocalStorage context of its own, which its callbacks carry with them, and the
 *   console prints only for the run in progress;
 * - `Deno.exit(status)` and `process.exit(status)` end the run there by throwing a SystemExit error, instead of
 *   ending the kernel and its state; status 0 counts as success (model/executionStops.ts `isCleanExit`).
 * The first run of a kernel installs it; later runs only enter their context.
 */
export const JAVASCRIPT_RUN_START = `if (!globalThis.__n8nRuns) {
  const { AsyncLocalStorage } = await import("node:async_hooks");
  const owner = new AsyncLocalStorage();
  const runs = { current: 0 };
  const ownRun = () => { const run = owner.getStore(); return run === undefined || run === runs.current; };
  for (const key of Object.keys(console)) {
    const method = console[key];
    if (typeof method === "function") console[key] = (...args) => { if (ownRun()) return method.apply(console, args); };
  }
  class SystemExit extends Error {
    constructor(status) { super(String(status ?? 0)); this.name = "SystemExit"; this.status = status ?? 0; }
  }
  const exit = (status) => { throw new SystemExit(status); };
  if (globalThis.Deno) Deno.exit = exit;
  if (globalThis.process) process.exit = exit;
  runs.begin = () => { runs.current += 1; owner.enterWith(runs.current); };
  globalThis.__n8nRuns = runs;
}
globalThis.__n8nRuns.begin();`;

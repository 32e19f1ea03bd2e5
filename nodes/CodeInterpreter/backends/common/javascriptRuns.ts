import type { Language } from '../../model/languages';

/**
 * Put before each JavaScript and TypeScript run's code (Deno's kernel, or E2B's), so that a run behaves as the same
 * code would as a script:
 * - what a timer, promise or stream callback left pending by an earlier run prints is discarded, never shown in
 *   this run: every run enters an AsyncLocalStorage context of its own, which its callbacks carry with them, and the
 *   console prints only for the run in progress;
 * - `Deno.exit(status)` and `process.exit(status)` end the run there by throwing a SystemExit error, instead of
 *   ending the kernel and its state; status 0 counts as success (model/executionStops.ts `isCleanExit`).
 * The first run of a kernel installs it; later runs only enter their context. Synchronous, so that it can share the
 * run's own request: a request of its own before each run cost Deno's kernel 44 ms.
 */
const RUN_START = `(globalThis.__n8nRuns ??= (() => {
	const hooks = globalThis.process?.getBuiltinModule?.("node:async_hooks");
	const owner = hooks ? new hooks.AsyncLocalStorage() : undefined;
	const runs = { current: 0 };
	const ownRun = () => { const run = owner?.getStore(); return run === undefined || run === runs.current; };
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
	runs.begin = () => { runs.current += 1; owner?.enterWith(runs.current); };
	return runs;
})()).begin();`.replace(/\n\s*/g, ' ');

/**
 * The code as the kernel gets it: for JavaScript and TypeScript, the run start first, on the code's first line, so
 * that the line numbers of the code's errors stay its own. Other languages' code as it is.
 */
export function codeToSend(code: string, language: Language): string {
	return language === 'javascript' || language === 'typescript' ? `${RUN_START} ${code}` : code;
}

import { Script } from 'vm';

import type { Execution } from '../../model/execution';
import type { Language } from '../../model/languages';

/**
 * Put before each JavaScript and TypeScript run's code (Deno's kernel, or E2B's), so that a run behaves as the same
 * code would as a script:
 * - what a timer, promise or stream callback left pending by an earlier run prints is discarded, never shown in
 *   this run: every run enters an AsyncLocalStorage context of its own, which its callbacks carry with them, and the
 *   console prints only for the run in progress;
 * - `Deno.exit(status)` and `process.exit(status)` end the run there by throwing a SystemExit error, instead of
 *   ending the kernel and its state; status 0 counts as success (model/executionStops.ts `isCleanExit`);
 * - the run's timers and fetches still pending are counted, and what its callbacks leave rejected or throw is
 *   kept, for `settle` (settleCode) to wait for them and report it as a script's end would.
 * The first run of a kernel installs it; later runs only enter their context. Synchronous, so that it can share the
 * run's own request: a request of its own before each run cost Deno's kernel 44 ms.
 */
const RUN_START = `(globalThis.__n8nRuns ??= (() => {
	const hooks = globalThis.process?.getBuiltinModule?.("node:async_hooks");
	const owner = hooks ? new hooks.AsyncLocalStorage() : undefined;
	const runs = { current: 0 };
	const runOf = () => owner?.getStore() ?? runs.current;
	for (const key of Object.keys(console)) {
		const method = console[key];
		if (typeof method === "function") console[key] = (...args) => { if (runOf() === runs.current) return method.apply(console, args); };
	}
	class SystemExit extends Error {
		constructor(status) { super(String(status ?? 0)); this.name = "SystemExit"; this.status = status ?? 0; }
	}
	const exit = (status) => { throw new SystemExit(status); };
	if (globalThis.Deno) Deno.exit = exit;
	if (globalThis.process) process.exit = exit;
	const pending = new Map();
	const count = (run, by) => pending.set(run, (pending.get(run) ?? 0) + by);
	const { setTimeout: startTimer, clearTimeout: stopTimer, fetch: fetchFirst } = globalThis;
	const timers = new Map();
	globalThis.setTimeout = (callback, ms, ...args) => {
		const run = runOf();
		count(run, 1);
		const done = () => { if (timers.delete(id)) count(run, -1); };
		const id = startTimer((...given) => { done(); if (typeof callback === "function") return callback(...given); }, ms, ...args);
		timers.set(id, done);
		return id;
	};
	globalThis.clearTimeout = (id) => { timers.get(id)?.(); stopTimer(id); };
	if (fetchFirst) globalThis.fetch = (...args) => { const run = runOf(); count(run, 1); return fetchFirst(...args).finally(() => count(run, -1)); };
	const rejected = new Map();
	const keep = (reason) => { const run = runOf(); if (!rejected.has(run)) rejected.set(run, reason); };
	globalThis.addEventListener?.("unhandledrejection", (event) => { keep(event.reason); event.preventDefault(); });
	globalThis.addEventListener?.("error", (event) => { keep(event.error); event.preventDefault(); });
	runs.settle = async (limitMs) => {
		const run = runs.current;
		const end = Date.now() + limitMs;
		let busy = Date.now();
		while (Date.now() < end && Date.now() - busy < 50) {
			await new Promise((resolve) => startTimer(resolve, 10));
			if ((pending.get(run) ?? 0) > 0) busy = Date.now();
		}
		pending.delete(run);
		const reason = rejected.get(run);
		rejected.delete(run);
		if (reason !== undefined) throw reason;
	};
	runs.begin = () => { runs.current += 1; owner?.enterWith(runs.current); };
	return runs;
})()).begin();`.replace(/\n\s*/g, ' ');

/** The value a run leaves when its code started async work it did not await (`main();`, `main().catch(…)`). */
const UNSETTLED = /^Promise \{\s*<(pending|rejected)>/;
/** Code that may leave work behind a script would wait for: timers, fetches, promises, listeners. */
const ASYNC_WORK = /\b(setTimeout|fetch|Promise|then|catch|async|queueMicrotask|addEventListener|nextTick)\b|\.(on|once)\(/;

/**
 * The code as the kernel gets it: for JavaScript and TypeScript, the run start first, on the code's first line, so
 * that the line numbers of the code's errors stay its own. Code that is one object literal (`{ a: 1 }`) is put in
 * parentheses, as Deno's REPL does when it comes first. Other languages' code as it is.
 */
export function codeToSend(code: string, language: Language): string {
	if (language !== 'javascript' && language !== 'typescript') return code;
	return `${RUN_START} ${isObjectLiteral(code) ? `(${code})` : code}`;
}

function isObjectLiteral(code: string): boolean {
	const trimmed = code.trim();
	if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return false;
	try {
		// Only compiled, never run: whether the text parses as an expression.
		new Script(`(${trimmed})`);
		return true;
	} catch {
		return false;
	}
}

/**
 * Whether a JavaScript run may have left async work pending, or a promise rejected, that a script would wait for
 * and report: its value is an unsettled promise, or its code starts timers, fetches, promises or listeners.
 */
export function leftUnsettled(execution: Execution, language: Language, code: string): boolean {
	if (language !== 'javascript' && language !== 'typescript') return false;
	return ASYNC_WORK.test(code) || execution.results.some((result) => result.isMainResult && UNSETTLED.test(result.text ?? ''));
}

/**
 * Run right after such a run, in its kernel and without the run start (it is still that run): waits, as a script's
 * end would, until the run's timers and fetches are done and nothing happened for 50 ms, at most `limitMs`; fails
 * with what the run left rejected (an error thrown in `main()`, `process.exit(1)` in a `.catch`).
 */
export function settleCode(limitMs: number): string {
	return `await globalThis.__n8nRuns?.settle(${Math.max(0, Math.floor(limitMs))})`;
}

/** The run's Execution once settled: what it printed meanwhile added, its unsettled promise replaced by the outcome. */
export function settledExecution(run: Execution, settled: Execution): Execution {
	const merged: Execution = {
		...run,
		results: [...run.results.filter((result) => !(result.isMainResult && UNSETTLED.test(result.text ?? ''))), ...settled.results],
		logs: { stdout: [...run.logs.stdout, ...settled.logs.stdout], stderr: [...run.logs.stderr, ...settled.logs.stderr] },
		error: run.error ?? settled.error,
	};
	const truncated = [...(run.truncated ?? []), ...(settled.truncated ?? [])];
	if (truncated.length > 0) merged.truncated = truncated;
	return merged;
}

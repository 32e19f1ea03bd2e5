import type { ExecutionError } from './execution';

/** Why an execution was stopped from outside, in the same words on every backend. */
export function timedOut(timeoutMs: number): ExecutionError {
	return { name: 'TimeoutError', value: `Execution exceeded its ${formatSeconds(timeoutMs)} limit and was interrupted.`, traceback: '' };
}

export function cancelled(): ExecutionError {
	return { name: 'ExecutionCancelled', value: 'The workflow execution was cancelled and the code was interrupted.', traceback: '' };
}

/** A run that never started: the workflow was cancelled while it waited behind the runs sent before it. */
export function cancelledBeforeStart(): ExecutionError {
	return { name: 'ExecutionCancelled', value: 'The workflow execution was cancelled before this code started.', traceback: '' };
}

/** A run the kernel skipped because a run sent before it failed (stop on error). */
export function skipped(): ExecutionError {
	return { name: 'NotRun', value: 'An earlier run sent with this one failed, so this code was skipped.', traceback: '' };
}

/**
 * The code ended itself as a successful script does: `sys.exit()`, `sys.exit(0)`, `exit()`, `quit()` in Python,
 * `Deno.exit(0)` and `process.exit(0)` in JavaScript (backends/common/javascriptRuns.ts turns them into a thrown
 * SystemExit). Kernels report these as a SystemExit error with an empty or "0" value; the run counts as a success.
 */
export function isCleanExit(error: ExecutionError): boolean {
	return error.name === 'SystemExit' && ['', '0', 'None'].includes(error.value.trim());
}

export const STATE_KEPT_NOTE = 'The sandbox and its state are kept.';

/** The stop reason as the Execution's error, keeping any traceback the interrupted code printed. */
export function stoppedError(reason: ExecutionError, note: string, previous: ExecutionError | null): ExecutionError {
	return { ...reason, value: `${reason.value} ${note}`, traceback: previous?.traceback ?? reason.traceback };
}

function formatSeconds(ms: number): string {
	return `${Number((ms / 1000).toFixed(3))} s`;
}

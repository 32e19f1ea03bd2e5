import { cancelledBeforeStart } from '../../model/executionStops';
import type { CodeRun, CodeRunOutcome, RanExecution, RunCodeOptions } from '../Backend';
import { codeToSend, leftUnsettled, settleCode, settledExecution } from '../common/javascriptRuns';
import { preludeCodes } from '../common/prelude';
import { notStarted } from '../common/runInTurn';
import { ConnectionLostError, PendingExecution } from './PendingExecution';
import type { RunContext } from './runContext';

/** Runs sent ahead of the one running: enough that the kernel never idles, few enough that a cancel stops soon. */
const PIPELINE_DEPTH = 16;
/** Seen 1 ms late on this machine; a margin for a busy host. */
const DENO_LATE_RESULT_MS = 50;
/** Time for the settling request itself, past what is left of the run's limit when it starts. */
const SETTLE_MARGIN_MS = 1_000;
/** Deno's kernel can publish a late value under the next request's header: its runs go one at a time. */
const ONE_AT_A_TIME = new Set(['javascript', 'typescript']);

/**
 * Runs the codes in order as requests of their own, sending up to PIPELINE_DEPTH ahead so the kernel never waits
 * for a round trip between them. Once a run fails to be collected (the connection dropped), the ones not yet sent
 * get the same error; once the workflow is cancelled, they are not sent.
 */
export async function runPipelined(runs: CodeRun[], stopOnError: boolean, context: RunContext): Promise<CodeRunOutcome[]> {
	const preludes = await preludeCodes(runs, context.writeText);
	const sent: PendingExecution[] = [];
	const outcomes: CodeRunOutcome[] = [];
	let failure: Error | undefined;
	const depth = runs.some((run) => ONE_AT_A_TIME.has(run.options.language)) ? 1 : PIPELINE_DEPTH;
	for (let index = 0; index < runs.length; index++) {
		while (!failure && sent.length < Math.min(runs.length, index + depth) && !runs[sent.length].options.signal?.aborted) {
			const { code, options } = runs[sent.length];
			const lateResultMs = ONE_AT_A_TIME.has(options.language) ? DENO_LATE_RESULT_MS : undefined;
			const pending = new PendingExecution(context.connection, codeToSend(code, options.language), { ...options, prelude: preludes[sent.length], stopOnError, lateResultMs }, context.control);
			context.track(pending);
			sent.push(pending);
		}
		const pending = sent[index];
		if (!pending) {
			outcomes.push(failure ? { error: failure } : notStarted(cancelledBeforeStart()));
			continue;
		}
		pending.begin();
		const begun = Date.now();
		try {
			const outcome = await pending.outcome;
			const { code, options } = runs[index];
			outcomes.push(leftUnsettled(outcome.execution, options.language, code) && !pending.stopped ? await settled(outcome, options, begun, context) : outcome);
		} catch (error) {
			if (error instanceof ConnectionLostError) failure = error;
			outcomes.push({ error: error as Error });
		}
	}
	return outcomes;
}

/** Async work the run did not await (`main();`): a script would wait for it, within the run's limit. */
async function settled(outcome: RanExecution, options: RunCodeOptions, begun: number, context: RunContext): Promise<RanExecution> {
	const left = Math.max(options.timeoutMs - (Date.now() - begun), 0);
	const settling = new PendingExecution(context.connection, settleCode(left), { ...options, timeoutMs: left + SETTLE_MARGIN_MS, lateResultMs: DENO_LATE_RESULT_MS }, context.control);
	context.track(settling);
	settling.begin();
	return { ...outcome, execution: settledExecution(outcome.execution, (await settling.outcome).execution) };
}

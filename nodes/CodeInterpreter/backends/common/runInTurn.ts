import { emptyExecution, type ExecutionError } from '../../model/execution';
import { cancelledBeforeStart, skipped } from '../../model/executionStops';
import type { CodeRun, CodeRunOutcome, RanExecution } from '../Backend';

/** An outcome for a run that never started. */
export function notStarted(error: ExecutionError): RanExecution {
	return { execution: { ...emptyExecution(), error } };
}

/**
 * `runCodeMany` for a backend that runs one execution at a time: each run waits for the one before it; with
 * `stopOnError`, the runs after a failing one are skipped; once the workflow is cancelled, none starts.
 */
export async function runInTurn(
	runs: CodeRun[],
	stopOnError: boolean,
	runOne: (run: CodeRun) => Promise<RanExecution>,
): Promise<CodeRunOutcome[]> {
	const outcomes: CodeRunOutcome[] = [];
	let failed = false;
	for (const run of runs) {
		if (run.options.signal?.aborted) outcomes.push(notStarted(cancelledBeforeStart()));
		else if (failed) outcomes.push(notStarted(skipped()));
		else {
			try {
				const ran = await runOne(run);
				failed = stopOnError && ran.execution.error !== null;
				outcomes.push(ran);
			} catch (error) {
				failed = stopOnError;
				outcomes.push({ error: error as Error });
			}
		}
	}
	return outcomes;
}

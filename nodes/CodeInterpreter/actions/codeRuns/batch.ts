import type { IExecuteFunctions } from 'n8n-workflow';

import type { Backend } from '../../backends/Backend';
import { noOutputFiles, readOutputFiles } from './outputFiles';
import type { ItemRun, PlannedRun } from './plannedRun';

/**
 * Runs the planned runs in one sandbox, in order, as one batch (same language and output folder), and gives each
 * the files it wrote in the output folder; a file that several wrote goes to the last (it holds what that one wrote).
 */
export async function runBatch(
	ctx: IExecuteFunctions,
	backend: Backend,
	sandboxId: string,
	plans: PlannedRun[],
	stopOnError: boolean,
): Promise<Array<ItemRun | Error>> {
	const folder = plans[0]?.outputFolder;
	const outcomes = await backend.runCodeMany(sandboxId, plans.map(({ code, options }) => ({ code, options })), stopOnError, folder);
	const lastWriter = new Map<string, number>();
	outcomes.forEach((outcome, index) => 'execution' in outcome && outcome.writtenFiles?.forEach((file) => lastWriter.set(file.path, index)));
	return await Promise.all(
		outcomes.map(async (outcome, index) => {
			if ('error' in outcome) return outcome.error;
			const { options, pairedItem } = plans[index];
			const written = (outcome.writtenFiles ?? []).filter((file) => lastWriter.get(file.path) === index);
			const outputFiles =
				folder && written.length > 0 ? await readOutputFiles(ctx, backend, sandboxId, folder, written, plans[index].outputFileLimits) : noOutputFiles();
			const { execution } = outcome;
			if (outputFiles.notes.length > 0) execution.truncated = [...(execution.truncated ?? []), ...outputFiles.notes];
			return { sandboxId, language: options.language, execution, pairedItem, outputFiles };
		}),
	);
}

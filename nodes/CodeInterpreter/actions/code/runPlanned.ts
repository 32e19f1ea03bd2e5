import type { IExecuteFunctions } from 'n8n-workflow';

import type { Backend, RanExecution } from '../../backends/Backend';
import type { SandboxFile } from '../../backends/files';
import { listOutputFiles, noOutputFiles, readOutputFiles } from './outputFiles';
import type { ItemRun, PlannedRun } from './runForItem';

/**
 * Runs the planned runs in one sandbox, in order, as one batch (same language and output folder), and gives each
 * its files: the folder is listed once, and each file goes to the run during which, by the sandbox's clock, it was
 * last written (from that run's start to the next one's).
 */
export async function runPlanned(
	ctx: IExecuteFunctions,
	backend: Backend,
	sandboxId: string,
	plans: PlannedRun[],
	stopOnError: boolean,
): Promise<Array<ItemRun | Error>> {
	const outcomes = await backend.runCodeMany(sandboxId, plans.map(({ code, options }) => ({ code, options })), stopOnError);
	const ran = outcomes.filter((outcome): outcome is RanExecution => 'execution' in outcome);
	const folder = plans[0]?.outputFolder;
	const files = folder && ran.length > 0 ? await listOutputFiles(backend, sandboxId, folder, earliest(ran)) : [];
	return await Promise.all(
		outcomes.map(async (outcome, index) => {
			if ('error' in outcome) return outcome.error;
			const { options, pairedItem } = plans[index];
			const own = files.filter((file) => ownerOf(file, ran) === outcome);
			const outputFiles = folder && own.length > 0 ? await readOutputFiles(ctx, backend, sandboxId, folder, own) : noOutputFiles();
			return { sandboxId, language: options.language, execution: outcome.execution, pairedItem, outputFiles };
		}),
	);
}

function earliest(ran: RanExecution[]): Date {
	return new Date(Math.min(...ran.map((run) => run.startedAt.getTime())));
}

/** The last run that started before the file was last written. */
function ownerOf(file: SandboxFile, ran: RanExecution[]): RanExecution | undefined {
	const modified = new Date(file.modifiedAt).getTime();
	return ran.filter((run) => run.startedAt.getTime() <= modified).at(-1) ?? ran[0];
}

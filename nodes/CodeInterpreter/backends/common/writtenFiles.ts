import type { CodeRun, CodeRunOutcome, RanExecution } from '../Backend';
import { SandboxFileNotFoundError } from '../errors';
import type { SandboxFile } from '../files';

/** How deep in an output folder written files are looked for (template/python/sandbox_display/items.py too). */
export const OUTPUT_DEPTH = 10;

/** Lists an output folder's files, to OUTPUT_DEPTH levels. */
export type ListFolder = (folder: string, options: { depth: number }) => Promise<SandboxFile[]>;

/** The files in the folder; none when it does not exist (yet). */
async function folderFiles(list: ListFolder, folder: string): Promise<SandboxFile[]> {
	const entries = await list(folder, { depth: OUTPUT_DEPTH }).catch((error: unknown) => {
		if (error instanceof SandboxFileNotFoundError) return [];
		throw error;
	});
	return entries.filter((entry) => entry.type === 'file');
}

/** The files of `after` that are new or changed (size or time) since `before`. */
export function filesWritten(before: SandboxFile[], after: SandboxFile[]): SandboxFile[] {
	const seen = new Map(before.map((file) => [file.path, file]));
	return after.filter((file) => {
		const earlier = seen.get(file.path);
		return !earlier || earlier.size !== file.size || earlier.modifiedAt !== file.modifiedAt;
	});
}

/**
 * Wraps `runOne` so that each run says which files it wrote in the folder, by listing the folder before the first
 * run and after each one: exact where timestamps are not (file times lag the clock by up to a scheduler tick, and
 * a remote sandbox's clock is not this host's).
 */
export async function listingWrittenFiles(
	list: ListFolder,
	folder: string,
	runOne: (run: CodeRun) => Promise<RanExecution>,
): Promise<(run: CodeRun) => Promise<RanExecution>> {
	let before = await folderFiles(list, folder);
	const listAfter = async (): Promise<SandboxFile[]> => {
		const after = await folderFiles(list, folder);
		const written = filesWritten(before, after);
		before = after;
		return written;
	};
	return async (run) => {
		const ran = await runOne(run).catch(async (error: unknown) => {
			// The next run must not take the files of this one as its own.
			await listAfter().catch(() => undefined);
			throw error;
		});
		return { ...ran, writtenFiles: await listAfter() };
	};
}

/**
 * The written files runs reported from inside the sandbox (the item runner, which the code could alter), kept only
 * where the backend's own listing of the folder has a regular file at that path (what is read of it later is
 * bounded by the read itself).
 */
export async function confirmedWrittenFiles(outcomes: CodeRunOutcome[], list: ListFolder, folder: string): Promise<CodeRunOutcome[]> {
	if (!outcomes.some((outcome) => 'execution' in outcome && outcome.writtenFiles?.length)) return outcomes;
	const listed = new Set((await folderFiles(list, folder)).map((file) => file.path));
	return outcomes.map((outcome) => {
		if (!('execution' in outcome) || !outcome.writtenFiles) return outcome;
		return { ...outcome, writtenFiles: outcome.writtenFiles.filter((file) => listed.has(file.path)) };
	});
}

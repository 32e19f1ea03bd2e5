import type { CodeRun, CodeRunOutcome } from '../../../../nodes/CodeInterpreter/backends/Backend';
import { SandboxFileNotFoundError } from '../../../../nodes/CodeInterpreter/backends/errors';
import type { SandboxFile } from '../../../../nodes/CodeInterpreter/backends/files';
import { confirmedWrittenFiles, filesWritten, listingWrittenFiles, OUTPUT_DEPTH } from '../../../../nodes/CodeInterpreter/backends/common/writtenFiles';
import { emptyExecution } from '../../../../nodes/CodeInterpreter/model/execution';

const file = (name: string, size = 1, modifiedAt = '2026-11-26T10:00:00.000Z'): SandboxFile => ({
	name,
	path: `/home/user/output/${name}`,
	type: 'file',
	size,
	modifiedAt,
});
const run: CodeRun = { code: '', options: { language: 'python', timeoutMs: 1_000 } };
const names = (files: SandboxFile[] | undefined) => files?.map(({ name }) => name);

test('new files, and files whose size or time changed, are written; the same file as before is not', () => {
	const before = [file('same'), file('grown'), file('touched'), file('deleted')];
	const after = [file('same'), file('grown', 2), file('touched', 1, '2026-11-26T10:00:00.004Z'), file('new')];
	expect(names(filesWritten(before, after))).toEqual(['grown', 'touched', 'new']);
});

test('each run gets what changed since the run before it; a run that throws keeps its files from the next', async () => {
	const folder = [file('old')];
	const requests: Array<{ folder: string; depth: number }> = [];
	const list = async (path: string, { depth }: { depth: number }) => {
		requests.push({ folder: path, depth });
		return [...folder, { ...file('sub'), type: 'directory' as const }];
	};
	const writes = [['a', 'b'], ['lost'], [], ['c']];
	let index = 0;
	const runOne = await listingWrittenFiles(list, 'output', async () => {
		const names = writes[index++];
		folder.push(...names.map((name) => file(name)));
		if (names[0] === 'lost') throw new Error('connection lost');
		return { execution: emptyExecution() };
	});
	expect(names((await runOne(run)).writtenFiles)).toEqual(['a', 'b']);
	await expect(runOne(run)).rejects.toThrow('connection lost');
	expect(names((await runOne(run)).writtenFiles)).toEqual([]);
	expect(names((await runOne(run)).writtenFiles)).toEqual(['c']);
	expect(requests).toEqual(Array(5).fill({ folder: 'output', depth: OUTPUT_DEPTH }));
});

test('an output folder that does not exist yet has no files; other listing errors are the run\'s', async () => {
	let exists = false;
	const list = async () => {
		if (!exists) throw new SandboxFileNotFoundError('/home/user/output');
		return [file('made')];
	};
	const runOne = await listingWrittenFiles(list, 'output', async () => {
		exists = true;
		return { execution: emptyExecution() };
	});
	expect(names((await runOne(run)).writtenFiles)).toEqual(['made']);
	const denied = await listingWrittenFiles(async () => await Promise.reject(new Error('Permission denied')), 'output', async () => ({ execution: emptyExecution() })).catch(
		(error: Error) => error.message,
	);
	expect(denied).toBe('Permission denied');
});

describe('confirmedWrittenFiles', () => {
	const at = (path: string, size = 1): SandboxFile => ({ name: path.split('/').at(-1)!, path, type: 'file', size, modifiedAt: '2026-01-01T00:00:00.000Z' });

	it('keeps only what the backend lists in the folder', async () => {
		const listed = [at('/home/user/output/a.csv', 10)];
		const outcomes: CodeRunOutcome[] = [
			{ execution: emptyExecution(), writtenFiles: [at('/home/user/output/a.csv', 1), at('/etc/passwd'), at('/home/user/output/gone.txt')] },
			{ error: new Error('not run') },
		];
		const confirmed = await confirmedWrittenFiles(outcomes, async () => listed, '/home/user/output');
		expect(confirmed).toEqual([{ execution: emptyExecution(), writtenFiles: [at('/home/user/output/a.csv', 1)] }, { error: new Error('not run') }]);
	});

	it('lists nothing when no run reported a file', async () => {
		const list = jest.fn();
		const outcomes: CodeRunOutcome[] = [{ execution: emptyExecution(), writtenFiles: [] }];
		expect(await confirmedWrittenFiles(outcomes, list, '/home/user/output')).toBe(outcomes);
		expect(list).not.toHaveBeenCalled();
	});
});

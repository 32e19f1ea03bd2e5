import { randomUUID } from 'crypto';

import type { SandboxError } from '../../../nodes/CodeInterpreter/model/errors';
import { MAX_LIST_ENTRIES } from '../../../nodes/CodeInterpreter/backends/common/fileLimits';
import type { SuiteContext } from './suite';

const MB = 2 ** 20;

/**
 * Files shaped to hurt n8n when read out of a sandbox: sizes are checked before reading (a sparse file counts
 * whole), only regular files are read (links followed), listings are bounded, and what a run says it wrote is
 * checked against the backend's own listing.
 */
export function hostileFileCases({ backend, sandbox, run, test }: SuiteContext): void {
	const folder = `hostile-${randomUUID().slice(0, 8)}`;

	beforeAll(async () => {
		const made = await run(
			[
				'import os',
				`os.makedirs("${folder}/many")`,
				`open("${folder}/sparse.bin", "wb").truncate(2**40)`,
				`os.mkfifo("${folder}/pipe")`,
				`os.symlink("/dev/zero", "${folder}/zero")`,
				`open("${folder}/real.txt", "w").write("real")`,
				`os.symlink("real.txt", "${folder}/link.txt")`,
				`open("${folder}/two-mb.bin", "wb").write(b"x" * 2 * 2**20)`,
				`open("${folder}/unreadable.txt", "w").write("secret")`,
				`os.chmod("${folder}/unreadable.txt", 0)`,
				`for i in range(${MAX_LIST_ENTRIES + 1}): open(f"${folder}/many/{i}", "w").close()`,
			].join('\n'),
		);
		expect(made.error).toBeNull();
	}, 120_000);

	const read = async (path: string, limits?: { maxBytes: number; timeoutMs: number }) => {
		const file = await backend().readFile(sandbox().sandboxId, `${folder}/${path}`, limits);
		const chunks: Buffer[] = [];
		for await (const chunk of file.content) chunks.push(chunk as Buffer);
		return { size: file.size, text: Buffer.concat(chunks).toString() };
	};

	test('a 1 TB sparse file is refused by its size before anything is read', async () => {
		const started = Date.now();
		await expect(read('sparse.bin')).rejects.toMatchObject({
			message: `"/home/user/${folder}/sparse.bin" is 1048576 MB, more than the 512 MB a file read from the sandbox may be`,
		});
		expect(Date.now() - started).toBeLessThan(10_000);
	});

	test('a file over a smaller limit is refused; within it, read whole', async () => {
		await expect(read('two-mb.bin', { maxBytes: MB, timeoutMs: 30_000 })).rejects.toMatchObject({ message: expect.stringMatching(/is 2 MB, more than the 1 MB/) });
		expect((await read('two-mb.bin', { maxBytes: 3 * MB, timeoutMs: 30_000 })).size).toBe(2 * MB);
	});

	test('a pipe and a link to a device are refused by name; a link to a regular file is read', async () => {
		const started = Date.now();
		await expect(read('pipe')).rejects.toMatchObject({ message: expect.stringMatching(new RegExp(`^"/home/user/${folder}/pipe" is not a regular file \\(`)) });
		await expect(read('zero')).rejects.toMatchObject({ message: expect.stringMatching(new RegExp(`^"/home/user/${folder}/zero" is not a regular file \\(`)) });
		expect(Date.now() - started).toBeLessThan(10_000);
		expect(await read('link.txt')).toEqual({ size: 4, text: 'real' });
	});

	test(`a folder of more than ${MAX_LIST_ENTRIES} entries is not listed whole: an error says what to do`, async () => {
		const listing = backend().listFiles(sandbox().sandboxId, `${folder}/many`, { depth: 1 });
		await expect(listing).rejects.toMatchObject({ message: `"/home/user/${folder}/many" holds more than ${MAX_LIST_ENTRIES} entries to the depth asked` });
		const error = (await listing.catch((caught: unknown) => caught)) as SandboxError;
		expect(error.description).toMatch(/lower Depth/);
	});

	test('files a run says it wrote are only those the backend finds in the output folder', async () => {
		const forging = [
			'import os, sandbox_display.items as runner',
			'real_files = runner._files',
			'runner._files = lambda folder: {**real_files(folder), "/etc/passwd": os.stat("/etc/passwd")}',
			`os.makedirs("${folder}/out", exist_ok=True)`,
			`open("${folder}/out/mine.txt", "w").write("mine")`,
		].join('\n');
		const runs = [{ code: forging, options: { language: 'python' as const, timeoutMs: 30_000 } }];
		const outcomes = await backend().runCodeMany(sandbox().sandboxId, runs, false, `${folder}/out`);
		const written = outcomes.flatMap((outcome) => ('execution' in outcome ? (outcome.writtenFiles ?? []).map((file) => file.path) : ['error']));
		expect(written).toEqual([`/home/user/${folder}/out/mine.txt`]);
		await run('import sandbox_display.items as runner\nrunner._files = real_files');
	});

	test('a file the sandbox\'s user may not read fails the read; it is never an empty success', async () => {
		await expect(read('unreadable.txt')).rejects.toThrow();
	});
}

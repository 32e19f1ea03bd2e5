import { createHash, randomBytes } from 'crypto';
import { Readable } from 'stream';

import { SandboxFileNotFoundError, SandboxNotFoundError } from '../../../nodes/CodeInterpreter/backends/errors';
import { executionText } from '../../../nodes/CodeInterpreter/model/execution';
import type { SuiteContext } from './suite';
import { runOne } from '../../helpers/runOne';

export function fileCases({ subject, backend, sandbox, test }: SuiteContext): void {
	const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

	async function readAll(path: string): Promise<Buffer> {
		const { content } = await backend().readFile(sandbox().sandboxId, path);
		const chunks: Buffer[] = [];
		for await (const chunk of content) chunks.push(chunk as Buffer);
		return Buffer.concat(chunks);
	}

	for (const [what, path, bytes] of [
		['an empty file', 'empty.bin', Buffer.alloc(0)],
		['all 256 byte values', 'bytes/all.bin', Buffer.from(Array.from({ length: 256 }, (_, byte) => byte))],
		['a non-ASCII name', 'données/Grüße ✓ 日本.txt', Buffer.from('héllo wörld\n')],
	] as const) test(`round trip of ${what} keeps the bytes identical`, async () => {
		const written = await backend().writeFile(sandbox().sandboxId, path, Readable.from([bytes]));
		expect(written).toEqual({ path: `/home/user/${path}`, size: bytes.length });
		expect(sha256(await readAll(path))).toBe(sha256(bytes));
		// Written as the sandbox's user, where the code finds it.
		const seen = await runOne(backend(), sandbox().sandboxId, `import os\nst = os.stat(${JSON.stringify(path)})\n(st.st_uid == os.getuid(), st.st_size)`, {
			language: 'python',
			timeoutMs: 30_000,
		});
		expect(executionText(seen)).toBe(`(True, ${bytes.length})`);
	});

	test('a 200 MB file streams both ways: identical bytes, and memory stays well below twice its size', async () => {
		const size = 200 * 1024 * 1024;
		const block = randomBytes(1024 * 1024);
		const sent = createHash('sha256');
		const source = Readable.from(
			(function* () {
				for (let index = 0; index < size / block.length; index++) {
					const chunk = Buffer.from(block);
					chunk.writeUInt32BE(index);
					sent.update(chunk);
					yield chunk;
				}
			})(),
		);
		const before = process.memoryUsage().rss;
		let peak = before;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
		try {
			const started = Date.now();
			expect(await backend().writeFile(sandbox().sandboxId, 'big.bin', source)).toEqual({ path: '/home/user/big.bin', size });
			const uploaded = Date.now();
			const { content, size: reported } = await backend().readFile(sandbox().sandboxId, 'big.bin');
			const received = createHash('sha256');
			let bytes = 0;
			for await (const chunk of content) {
				received.update(chunk as Buffer);
				bytes += (chunk as Buffer).length;
			}
			const downloaded = Date.now();
			expect([reported, bytes]).toEqual([size, size]);
			expect(received.digest('hex')).toBe(sent.digest('hex'));
			console.log(
				`${subject.name}: 200 MB upload ${uploaded - started} ms, download ${downloaded - uploaded} ms; test process RSS ${mb(before)} MB before, peak ${mb(peak)} MB (+${mb(peak - before)} MB)`,
			);
			expect(peak - before).toBeLessThan(size);
		} finally {
			clearInterval(sampler);
			await runOne(backend(), sandbox().sandboxId, 'import os\nos.remove("big.bin")', { language: 'python', timeoutMs: 30_000 });
		}
	}, 120_000);

	const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

	test('List Files: entries with name, path, type, size and modification time, to the depth asked', async () => {
		await backend().writeFile(sandbox().sandboxId, 'tree/a.txt', Readable.from([Buffer.from('a')]));
		await backend().writeFile(sandbox().sandboxId, 'tree/sub/b.txt', Readable.from([Buffer.from('bb')]));
		const shallow = await backend().listFiles(sandbox().sandboxId, 'tree', { depth: 1 });
		expect(shallow.map(({ name, path, type }) => ({ name, path, type }))).toEqual([
			{ name: 'a.txt', path: '/home/user/tree/a.txt', type: 'file' },
			{ name: 'sub', path: '/home/user/tree/sub', type: 'directory' },
		]);
		expect(shallow[0].size).toBe(1);
		expect(Date.now() - Date.parse(shallow[0].modifiedAt)).toBeLessThan(60_000);
		const deep = await backend().listFiles(sandbox().sandboxId, '/home/user/tree', { depth: 2 });
		expect(deep.map((entry) => entry.name)).toEqual(['a.txt', 'sub', 'b.txt']);
	});

	for (const [what, action, message] of [
		['a path that does not exist', () => backend().readFile(sandbox().sandboxId, 'missing.txt'), '"/home/user/missing.txt" was not found in the sandbox'],
		['a folder', () => backend().readFile(sandbox().sandboxId, 'tree'), '"/home/user/tree" is a folder'],
		['a file listed as a folder', () => backend().listFiles(sandbox().sandboxId, 'tree/a.txt', { depth: 1 }), '"/home/user/tree/a.txt" is a file, not a folder'],
		[
			'a write outside the writable folders',
			() => backend().writeFile(sandbox().sandboxId, '/etc/evil', Readable.from([Buffer.from('x')])),
			'The sandbox\'s user may not write "/etc/evil"',
		],
		['an empty path', () => backend().readFile(sandbox().sandboxId, '  '), 'The file path is empty'],
	] as const) test(`${what}: a clear error`, async () => {
		await expect(action()).rejects.toMatchObject({ message, description: expect.any(String) });
	});

	test('a missing file is a SandboxFileNotFoundError, a sandbox that is gone a SandboxNotFoundError', async () => {
		await expect(backend().readFile(sandbox().sandboxId, 'missing.txt')).rejects.toBeInstanceOf(SandboxFileNotFoundError);
		await expect(backend().readFile(subject.unknownSandboxId, 'x.txt')).rejects.toBeInstanceOf(SandboxNotFoundError);
	});
}

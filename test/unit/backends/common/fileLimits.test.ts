import { PassThrough, Readable } from 'stream';

import { boundedContent } from '../../../../nodes/CodeInterpreter/backends/common/fileLimits';

async function readAll(stream: Readable): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

describe('boundedContent', () => {
	it('passes a file within the limit through whole', async () => {
		const content = Readable.from([Buffer.from('abc'), Buffer.from('def')]);
		expect((await readAll(boundedContent(content, '/home/user/a', { maxBytes: 6, timeoutMs: 5_000 }))).toString()).toBe('abcdef');
	});

	it('fails a file that grows past the limit while read, naming it', async () => {
		const content = Readable.from([Buffer.alloc(4), Buffer.alloc(4)]);
		await expect(readAll(boundedContent(content, '/home/user/grows', { maxBytes: 6, timeoutMs: 5_000 }))).rejects.toThrow(
			'"/home/user/grows" is 8 bytes, more than the 6 bytes a file read from the sandbox may be',
		);
	});

	it('fails a transfer that outlasts its time, even while bytes keep coming', async () => {
		const content = new PassThrough();
		const trickle = setInterval(() => content.write('x'), 10);
		try {
			await expect(readAll(boundedContent(content, '/home/user/slow', { maxBytes: 1_000_000, timeoutMs: 200 }))).rejects.toThrow(
				'Reading "/home/user/slow" from the sandbox took longer than 0.2 s',
			);
			expect(content.destroyed).toBe(true);
		} finally {
			clearInterval(trickle);
		}
	});
});

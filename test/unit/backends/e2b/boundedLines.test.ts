import { forEachBoundedLine } from '../../../../nodes/CodeInterpreter/backends/e2b/boundedLines';

async function* chunks(...parts: Array<string | Buffer>): AsyncIterable<Uint8Array> {
	for (const part of parts) yield typeof part === 'string' ? Buffer.from(part) : part;
}

async function read(maxLineBytes: number, ...parts: Array<string | Buffer>) {
	const lines: string[] = [];
	let tooLong = 0;
	await forEachBoundedLine(chunks(...parts), maxLineBytes, (line) => lines.push(line.toString()), () => tooLong++);
	return { lines, tooLong };
}

describe('forEachBoundedLine', () => {
	it('splits lines across chunks, skips blank ones, keeps a last line without a newline', async () => {
		expect(await read(100, '{"a":', '1}\n\n{"b"', ':2}\n{"c":3}')).toEqual({ lines: ['{"a":1}', '{"b":2}', '{"c":3}'], tooLong: 0 });
	});

	it('never splits a character that spans two chunks', async () => {
		const bytes = Buffer.from('"é"\n');
		expect(await read(100, bytes.subarray(0, 2), bytes.subarray(2))).toEqual({ lines: ['"é"'], tooLong: 0 });
	});

	it('says once when a line passes the limit, skips the rest of it, and reads the next one', async () => {
		const long = 'x'.repeat(1000);
		expect(await read(100, long.slice(0, 500), long.slice(500), '\n', 'ok\n')).toEqual({ lines: ['ok'], tooLong: 1 });
	});

	it('stops reading where the caller throws, without holding the line', async () => {
		const chunk = Buffer.alloc(64 * 1024, 'y');
		let read = 0;
		async function* endless(): AsyncIterable<Uint8Array> {
			for (;;) {
				read += chunk.length;
				yield chunk;
			}
		}
		const tooLong = new Error('too long');
		await expect(forEachBoundedLine(endless(), 2 ** 20, () => undefined, () => { throw tooLong; })).rejects.toBe(tooLong);
		expect(read).toBe(2 ** 20 + chunk.length);
	});

	it('reads one line of many chunks in time linear in its size', async () => {
		const chunk = Buffer.alloc(64 * 1024, 'y');
		const parts = Array.from({ length: 2000 }, () => chunk); // 128 MB in one line, then more of them
		const { lines } = await read(200 * 2 ** 20, ...parts, '\nend\n');
		expect(lines).toEqual(['y'.repeat(2000 * 64 * 1024), 'end']);
	});
});

test('lets other work run while it reads one chunk of many lines', async () => {
	const lines = Buffer.from(Array.from({ length: 200_000 }, (_, index) => `{"n":${index}}`).join('\n'));
	let ticks = 0;
	const ticker = setInterval(() => ticks++, 1);
	let read = 0;
	try {
		await forEachBoundedLine(chunks(lines), 2 ** 20, () => {
			const until = performance.now() + 0.002;
			while (performance.now() < until) read += 0; // some work per line
			read++;
		}, () => undefined);
	} finally {
		clearInterval(ticker);
	}
	expect(read).toBe(200_000);
	expect(ticks).toBeGreaterThan(5);
});

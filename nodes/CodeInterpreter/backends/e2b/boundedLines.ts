/**
 * Calls `onLine` for each non-empty line (its bytes) of a streamed body (NDJSON), as it arrives. Each byte is looked at once,
 * however long a line grows, and no line may hold more than `maxLineBytes`: `onTooLong` is called as soon as one
 * passes it (and should throw; otherwise the rest of that line is skipped), so that a sandbox cannot fill n8n's
 * memory with one line.
 */
/** How long reading lines may hold the event loop before it lets other work run. */
const YIELD_AFTER_MS = 20;

export async function forEachBoundedLine(
	body: AsyncIterable<Uint8Array>,
	maxLineBytes: number,
	onLine: (line: Buffer) => void,
	onTooLong: () => void,
): Promise<void> {
	let parts: Buffer[] = [];
	let length = 0;
	let skipping = false;
	const take = (bytes: Buffer) => {
		if (skipping) return;
		length += bytes.length;
		if (length <= maxLineBytes) {
			parts.push(bytes);
			return;
		}
		skipping = true;
		parts = [];
		onTooLong();
	};
	const end = () => {
		if (!skipping && length > 0) {
			const line = Buffer.concat(parts, length);
			if (line.toString().trim()) onLine(line);
		}
		parts = [];
		length = 0;
		skipping = false;
	};
	let since = performance.now();
	for await (const chunk of body) {
		const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		let start = 0;
		for (let newline = bytes.indexOf(10); newline !== -1; newline = bytes.indexOf(10, start)) {
			take(bytes.subarray(start, newline));
			end();
			start = newline + 1;
			// One chunk can hold thousands of lines: the rest of n8n gets its turn between them.
			if (performance.now() - since > YIELD_AFTER_MS) {
				await new Promise((resolve) => setImmediate(resolve));
				since = performance.now();
			}
		}
		if (start < bytes.length) take(bytes.subarray(start));
	}
	end();
}

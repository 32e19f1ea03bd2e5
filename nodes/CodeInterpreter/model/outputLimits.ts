import type { Execution, ExecutionError, Result } from './execution';
import { isCleanExit } from './executionStops';

export interface OutputLimits {
	/** Per stream (stdout, stderr): text beyond this is dropped. */
	maxLogBytes: number;
	/**
	 * Per result, and for all the results of a run together: a bigger result keeps only its text (cut to the room
	 * left); once the run's results fill it, later ones are dropped.
	 */
	maxResultBytes: number;
}

const MB = 1024 * 1024;

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { maxLogBytes: 5 * MB, maxResultBytes: 50 * MB };

/**
 * What one result counts for beyond its content, toward the run's results together: a run of many empty displays
 * must fill the limit too, since each costs n8n an object (roughly this much memory).
 */
const RESULT_OVERHEAD_BYTES = 64;

/** Log chunks smaller than this are joined to the chunk before them, so that many tiny prints cost no more than one. */
const SMALL_CHUNK = 1024;

/**
 * Adds a kernel's outputs to an Execution as they arrive, within limits, so that one runaway `print`, a huge image
 * or thousands of displays cannot exhaust n8n's memory. Each addition costs time linear in its own size. What was
 * cut is said in `execution.truncated`.
 */
export class OutputCollector {
	private readonly logBytes = { stdout: 0, stderr: 0 };
	private readonly logCut = { stdout: false, stderr: false };
	private resultBytes = 0;
	private readonly textOnly = new CutCount('kept only their text: they were over Max Result Size, or the room left of it for the run');
	private readonly dropped = new CutCount('were dropped: the run\'s results had filled Max Result Size');

	constructor(
		readonly execution: Execution,
		private readonly limits: OutputLimits = DEFAULT_OUTPUT_LIMITS,
	) {}

	addLog(stream: 'stdout' | 'stderr', text: string): void {
		if (text.length === 0) return;
		const room = this.limits.maxLogBytes - this.logBytes[stream];
		if (room <= 0) {
			this.cutLog(stream);
			return;
		}
		const bytes = Buffer.byteLength(text);
		const kept = bytes <= room ? text : cutToBytes(text, room);
		this.logBytes[stream] += Math.min(bytes, room);
		const chunks = this.execution.logs[stream];
		const last = chunks.length - 1;
		if (last >= 0 && kept.length < SMALL_CHUNK && chunks[last].length < SMALL_CHUNK) chunks[last] += kept;
		else chunks.push(kept);
		if (bytes > room) this.cutLog(stream);
	}

	addResult(result: Result): void {
		const limit = this.limits.maxResultBytes;
		const room = limit - this.resultBytes;
		const bytes = resultSize(result);
		if (bytes <= limit && bytes + RESULT_OVERHEAD_BYTES <= room) {
			this.resultBytes += bytes + RESULT_OVERHEAD_BYTES;
			this.execution.results.push(result);
			return;
		}
		const textRoom = Math.min(room, limit) - RESULT_OVERHEAD_BYTES;
		if (textRoom < 0) {
			this.dropped.add(bytes, this.notes());
			return;
		}
		const { isMainResult, text } = result;
		const keptText = text === undefined ? undefined : cutToBytes(text, textRoom);
		this.resultBytes += RESULT_OVERHEAD_BYTES + (keptText === undefined ? 0 : Buffer.byteLength(keptText));
		this.execution.results.push(keptText === undefined ? { isMainResult } : { isMainResult, text: keptText });
		const why = bytes > limit ? `over ${formatSize(limit)} (Max Result Size)` : `more than the ${formatSize(room)} left of Max Result Size for this run`;
		const cut = keptText !== undefined && keptText.length < text!.length ? ', cut to fit,' : '';
		this.textOnly.add(bytes, this.notes(), `Result ${this.execution.results.length} was ${formatSize(bytes)}, ${why}: only its text${cut} was kept.`);
	}

	/**
	 * The run's error, each of its texts cut to Max Result Size (an exception's message can be any size). A clean
	 * exit (`sys.exit(0)`) is no error.
	 */
	setError(error: ExecutionError): void {
		if (isCleanExit(error)) return;
		const limit = this.limits.maxResultBytes;
		const cut = (text: string) => (Buffer.byteLength(text) > limit ? cutToBytes(text, limit) : text);
		const kept = { name: cut(error.name), value: cut(error.value), traceback: cut(error.traceback) };
		if (kept.name !== error.name || kept.value !== error.value || kept.traceback !== error.traceback) {
			this.notes().push(`The error's text was cut at ${formatSize(limit)} (Max Result Size).`);
		}
		this.execution.error = kept;
	}

	private cutLog(stream: 'stdout' | 'stderr'): void {
		if (this.logCut[stream]) return;
		this.logCut[stream] = true;
		this.notes().push(`${stream} was cut at ${formatSize(this.limits.maxLogBytes)} (Max Log Size); the rest of it was dropped.`);
	}

	private notes(): string[] {
		return (this.execution.truncated ??= []);
	}
}

/**
 * Notes of one kind of cut: the first few each in their own words, then one note, kept up to date, counting the
 * rest (so that a million cut results make a few notes, not a million).
 */
class CutCount {
	private static readonly NAMED = 10;
	private count = 0;
	private bytes = 0;
	private summary = -1;

	constructor(private readonly what: string) {}

	add(bytes: number, notes: string[], own?: string): void {
		this.count += 1;
		if (own !== undefined && this.count <= CutCount.NAMED) {
			notes.push(own);
			return;
		}
		this.bytes += bytes;
		const rest = this.count - (own === undefined ? 0 : CutCount.NAMED);
		const message = `${rest}${own === undefined ? '' : ' more'} result${rest === 1 ? '' : 's'} (${formatSize(this.bytes)}) ${this.what}.`;
		if (this.summary < 0) this.summary = notes.push(message) - 1;
		else notes[this.summary] = message;
	}
}

/**
 * The biggest output message readers take before holding it in memory: room for a result at the limit (its formats
 * as JSON, base64 images and escaping included), and at least 64 MB, since kernels gather a burst of prints into one
 * message (ipykernel sends what was printed in 0.2 s), which the limits then cut.
 */
export function maxMessageBytes(limits: OutputLimits): number {
	return Math.max(2 * Math.max(limits.maxResultBytes, limits.maxLogBytes) + MB, 64 * MB);
}

/** The size of a result's content: text as its length, structured values as JSON. Linear in it, whatever its shape. */
function resultSize(result: Result): number {
	let bytes = 0;
	for (const value of Object.values(result)) {
		if (typeof value === 'string') bytes += value.length;
		else if (value !== null && typeof value === 'object') bytes += JSON.stringify(value).length;
	}
	return bytes;
}

/** The longest start of `text` that fits in `bytes` of UTF-8, never splitting a character. */
function cutToBytes(text: string, bytes: number): string {
	if (bytes <= 0) return '';
	// A character takes at most 3 UTF-8 bytes per UTF-16 unit: only that much of the text needs encoding.
	return Buffer.from(text.slice(0, bytes)).subarray(0, bytes).toString().replace(/\uFFFD$/, '');
}

/** A size in bytes as people read it: "12 bytes", "3.5 KB", "1.2 MB". */
export function formatSize(bytes: number): string {
	if (bytes >= MB) return `${Number((bytes / MB).toFixed(1))} MB`;
	return bytes >= 1024 ? `${Number((bytes / 1024).toFixed(1))} KB` : `${bytes} bytes`;
}

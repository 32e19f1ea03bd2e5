import type { Execution, Result } from './execution';

export interface OutputLimits {
	/** Per stream (stdout, stderr): text beyond this is dropped. */
	maxLogBytes: number;
	/** Per result: a bigger result keeps only its plain text. */
	maxResultBytes: number;
}

const MB = 1024 * 1024;

export const DEFAULT_OUTPUT_LIMITS: OutputLimits = { maxLogBytes: 5 * MB, maxResultBytes: 50 * MB };

/**
 * Adds a kernel's outputs to an Execution as they arrive, within limits, so that one runaway `print` or a huge
 * image cannot exhaust n8n's memory. What was cut is said in `execution.truncated`.
 */
export class OutputCollector {
	private readonly logBytes = { stdout: 0, stderr: 0 };

	constructor(
		readonly execution: Execution,
		private readonly limits: OutputLimits = DEFAULT_OUTPUT_LIMITS,
	) {}

	addLog(stream: 'stdout' | 'stderr', text: string): void {
		const room = this.limits.maxLogBytes - this.logBytes[stream];
		const bytes = Buffer.byteLength(text);
		this.logBytes[stream] += bytes;
		if (bytes <= room) {
			this.execution.logs[stream].push(text);
		} else if (room > 0) {
			this.execution.logs[stream].push(Buffer.from(text).subarray(0, room).toString().replace(/\uFFFD$/, ''));
			this.note(`${stream} was cut at ${formatSize(this.limits.maxLogBytes)} (Max Log Size); the rest of it was dropped.`);
		}
	}

	addResult(result: Result): void {
		const bytes = resultSize(result);
		if (bytes <= this.limits.maxResultBytes) {
			this.execution.results.push(result);
			return;
		}
		const { isMainResult, text } = result;
		this.execution.results.push(text === undefined ? { isMainResult } : { isMainResult, text });
		this.note(
			`Result ${this.execution.results.length} was ${formatSize(bytes)}, over ${formatSize(this.limits.maxResultBytes)} (Max Result Size): only its text was kept.`,
		);
	}

	private note(message: string): void {
		(this.execution.truncated ??= []).push(message);
	}
}

function resultSize(result: Result): number {
	let bytes = 0;
	for (const value of Object.values(result)) {
		if (typeof value === 'string') bytes += value.length;
		else if (value !== null && typeof value === 'object') bytes += JSON.stringify(value).length;
	}
	return bytes;
}

function formatSize(bytes: number): string {
	if (bytes >= MB) return `${Number((bytes / MB).toFixed(1))} MB`;
	return bytes >= 1024 ? `${Number((bytes / 1024).toFixed(1))} KB` : `${bytes} bytes`;
}

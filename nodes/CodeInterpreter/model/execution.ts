/**
 * The execution model every backend speaks, mirroring E2B's Code Interpreter SDK
 * (`Execution`, `Result`, `Logs`, `ExecutionError`), so both backends produce the same data.
 */

/** One output of an execution: the formats a kernel emitted for one display or the cell's value. */
export interface Result {
	/** True for the value of the cell's last expression (`execute_result`), false for displays (`display_data`). */
	isMainResult: boolean;
	text?: string;
	html?: string;
	markdown?: string;
	svg?: string;
	/** base64 */
	png?: string;
	/** base64 */
	jpeg?: string;
	/** base64 */
	pdf?: string;
	latex?: string;
	json?: unknown;
	javascript?: string;
	/** A table (e.g. a pandas DataFrame) as `{ column: values[] }`. */
	data?: unknown;
	/** Structured chart data extracted from a plot. */
	chart?: unknown;
	/** Every other MIME type, keyed by MIME type. */
	extra?: Record<string, unknown>;
}

export interface Logs {
	stdout: string[];
	stderr: string[];
}

export interface ExecutionError {
	name: string;
	value: string;
	traceback: string;
}

export interface Execution {
	results: Result[];
	logs: Logs;
	error: ExecutionError | null;
	executionCount: number | null;
	/** What was cut to stay within the output limits (not in E2B's model). */
	truncated?: string[];
}

export type ResultFormat = Exclude<keyof Result, 'isMainResult'>;

/** MIME type → Result field, as E2B maps them. Anything else lands in `extra`. */
const MIME_FORMATS: Record<string, ResultFormat> = {
	'text/plain': 'text',
	'text/html': 'html',
	'text/markdown': 'markdown',
	'image/svg+xml': 'svg',
	'image/png': 'png',
	'image/jpeg': 'jpeg',
	'application/pdf': 'pdf',
	'text/latex': 'latex',
	'application/json': 'json',
	'application/javascript': 'javascript',
	'e2b/data': 'data',
	'e2b/chart': 'chart',
};

const STRUCTURED_FORMATS = new Set<ResultFormat>(['json', 'data', 'chart']);

/** Builds a Result from a Jupyter MIME bundle (`{ 'text/plain': ..., 'image/png': ... }`). */
export function resultFromMimeBundle(bundle: Record<string, unknown>, isMainResult: boolean): Result {
	const result: Result = { isMainResult };
	// Filled in place: a bundle may hold any number of MIME types, and each must cost the same.
	const extra: Record<string, unknown> = {};
	let hasExtra = false;
	for (const [mime, value] of Object.entries(bundle)) {
		const format = Object.hasOwn(MIME_FORMATS, mime) ? MIME_FORMATS[mime] : undefined;
		if (mime === '__proto__') {
			continue; // no MIME type; assigning it would replace `extra`'s prototype
		} else if (format === undefined) {
			extra[mime] = value;
			hasExtra = true;
		} else if (STRUCTURED_FORMATS.has(format)) {
			(result as unknown as Record<string, unknown>)[format] = value;
		} else {
			// Jupyter allows multi-line strings as arrays of lines.
			const text = Array.isArray(value) ? value.join('') : String(value);
			(result as unknown as Record<string, unknown>)[format] = format === 'text' ? unquoted(text) : text;
		}
	}
	if (hasExtra) result.extra = extra;
	return result;
}

/** As E2B's code server does: the repr of a string value loses its one pair of quotes (`'abc'` → `abc`). */
function unquoted(text: string): string {
	const quoted = text.length >= 2 && (text[0] === "'" || text[0] === '"') && text.at(-1) === text[0];
	return quoted ? text.slice(1, -1) : text;
}

/** The formats a Result holds, in a stable order. */
export function resultFormats(result: Result): ResultFormat[] {
	return (Object.keys(result) as Array<keyof Result>).filter(
		(key): key is ResultFormat => key !== 'isMainResult' && result[key] !== undefined,
	);
}

/** The main result's text, as E2B's `execution.text`. */
export function executionText(execution: Execution): string | null {
	return execution.results.find((result) => result.isMainResult)?.text ?? null;
}

export function emptyExecution(): Execution {
	return { results: [], logs: { stdout: [], stderr: [] }, error: null, executionCount: null };
}

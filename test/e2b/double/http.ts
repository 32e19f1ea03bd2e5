import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'http';

/** The Connect-RPC error codes the double answers with, and the HTTP status envd sends each with. */
export const CONNECT_HTTP_STATUS = {
	invalid_argument: 400,
	unauthenticated: 401,
	not_found: 404,
	permission_denied: 403,
	already_exists: 409,
	internal: 500,
} as const;

export type ConnectCode = keyof typeof CONNECT_HTTP_STATUS;

export interface HttpErrorOptions {
	/** Answer as a Connect-RPC error (envd's filesystem service). */
	connectCode?: ConnectCode;
	/** Answer as text/plain, as E2B's proxy and its code server do. */
	plain?: boolean;
}

/** An error answer. Without options it goes out as E2B's API sends errors: JSON `{ code, message }`. */
export class HttpError extends Error {
	readonly status: number;
	readonly connectCode?: ConnectCode;
	readonly plain: boolean;

	constructor(status: number, message: string, options: HttpErrorOptions = {}) {
		super(message);
		this.name = 'HttpError';
		this.status = status;
		this.connectCode = options.connectCode;
		this.plain = options.plain ?? false;
	}
}

export function send(res: ServerResponse, status: number, body?: string | Buffer, headers: OutgoingHttpHeaders = {}): void {
	res.writeHead(status, headers);
	res.end(body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
	send(res, status, JSON.stringify(value), { 'Content-Type': 'application/json', ...headers });
}

/** Answers with an error in the form its part of E2B uses; an answer already under way can only be cut off. */
export function sendError(res: ServerResponse, thrown: unknown): void {
	const error = thrown instanceof HttpError ? thrown : new HttpError(500, thrown instanceof Error ? thrown.message : String(thrown));
	if (res.headersSent) {
		res.destroy(error);
		return;
	}
	if (error.connectCode) {
		sendJson(res, CONNECT_HTTP_STATUS[error.connectCode], { code: error.connectCode, message: error.message });
	} else if (error.plain) {
		send(res, error.status, error.message, { 'Content-Type': 'text/plain; charset=utf-8' });
	} else {
		sendJson(res, error.status, { code: error.status, message: error.message });
	}
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

/** A JSON object body (an empty body reads as `{}`). The SDK is trusted for the fields' types: this is a test double. */
export async function readJson<T extends object>(req: IncomingMessage): Promise<Partial<T>> {
	const body = await readBody(req);
	if (body.length === 0) return {};
	let value: unknown;
	try {
		value = JSON.parse(body.toString());
	} catch {
		throw new HttpError(400, 'the body is not JSON');
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError(400, 'the body is not a JSON object');
	return value as Partial<T>;
}

export interface MultipartPart {
	/** The part's filename, with the SDK's escapes (`%22`, `%0A`, `%0D`) undone. */
	filename?: string;
	data: Buffer;
}

/** A minimal multipart/form-data parser: the whole form is in memory, which is fine for a test double. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
	const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
	if (!boundary) throw new HttpError(400, 'multipart body without boundary');
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: MultipartPart[] = [];
	let start = body.indexOf(delimiter);
	while (start >= 0) {
		const next = body.indexOf(delimiter, start + delimiter.length);
		if (next < 0) break;
		// Skip the CRLF after this delimiter and the one before the next.
		const part = body.subarray(start + delimiter.length + 2, next - 2);
		const split = part.indexOf('\r\n\r\n');
		const head = part.subarray(0, split).toString();
		const filename = /filename="((?:[^"\\]|\\.)*)"/.exec(head)?.[1];
		parts.push({
			filename: filename?.replace(/%22/g, '"').replace(/%0A/g, '\n').replace(/%0D/g, '\r'),
			data: part.subarray(split + 4),
		});
		start = next;
	}
	return parts;
}

import type { IncomingMessage, ServerResponse } from 'http';

import { SandboxStoppedError } from '../../../nodes/CodeInterpreter/backends/errors';
import type { Execution, Result } from '../../../nodes/CodeInterpreter/model/execution';
import { isLanguage } from '../../../nodes/CodeInterpreter/model/languages';
import { HttpError, readJson, sendJson } from './http';
import { addContext, type DoubleSandbox, type DoubleState } from './sandboxes';
import { runOne } from '../../helpers/runOne';

/** Every field E2B's code server sends on a result line, in its order. */
const RESULT_FIELDS = ['text', 'html', 'markdown', 'svg', 'png', 'jpeg', 'pdf', 'latex', 'json', 'javascript', 'data', 'chart'] as const;

type ResultField = (typeof RESULT_FIELDS)[number];

const KEEPALIVE_MS = 5_000;

/** The short language names E2B's code server accepts as well. */
const LANGUAGE_ALIASES: Record<string, string> = { js: 'javascript', ts: 'typescript' };

export type ResultLine = { type: 'result' } & { [field in ResultField]: unknown } & {
	extra: Record<string, unknown>;
	is_main_result: boolean;
};

/** One line of `/execute`'s NDJSON answer. */
export type ExecutionLine =
	| { type: 'stdout' | 'stderr'; text: string; timestamp: string }
	| ResultLine
	| { type: 'error'; name: string; value: string; traceback: string }
	| { type: 'number_of_executions'; execution_count: number }
	| { type: 'keepalive' }
	| { type: 'end_of_execution' };

interface ExecuteRequest {
	code: string;
	context_id: string;
	language: string;
	env_vars: Record<string, string>;
}

interface NewContextRequest {
	language: string;
	cwd: string;
}

/** `POST /execute`: runs code, answering with NDJSON lines as it goes. */
export async function execute(state: DoubleState, req: IncomingMessage, res: ServerResponse, sandbox: DoubleSandbox): Promise<void> {
	const body = await readJson<ExecuteRequest>(req);
	if (body.context_id && body.language) throw new HttpError(400, 'Only one of context_id or language can be provided', { plain: true });
	let language = (body.language ?? 'python').toLowerCase();
	if (body.context_id) {
		const context = sandbox.contexts.get(body.context_id);
		if (!context) throw new HttpError(404, `Context ${body.context_id} not found`, { plain: true });
		language = context.language;
	}
	language = LANGUAGE_ALIASES[language] ?? language;
	// Headers go out at once, as E2B's server streams: the SDK's requestTimeoutMs only covers this part.
	res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
	res.flushHeaders();
	const write = (line: ExecutionLine) => {
		if (!res.destroyed) res.write(`${JSON.stringify(line)}\n`);
	};
	const keepalive = setInterval(() => write({ type: 'keepalive' }), KEEPALIVE_MS);
	const abort = new AbortController();
	// The client went away (its timeoutMs, or a cancel): interrupt the kernel.
	res.on('close', () => abort.abort());
	let lines: ExecutionLine[];
	try {
		if (!isLanguage(language)) throw new Error(`The double has no ${language} kernel`);
		const execution = await runOne(state.backend, sandbox.dockerId, body.code ?? '', {
			language,
			timeoutMs: state.executionLimitMs,
			signal: abort.signal,
			// E2B's server passes on everything: the limits under test are the client's.
			limits: { maxLogBytes: 2 ** 30, maxResultBytes: 2 ** 30 },
		});
		lines = executionToLines(execution);
	} catch (error) {
		// A sandbox that stops mid-run takes its code server with it: on E2B the client sees the connection drop.
		if (error instanceof SandboxStoppedError) {
			res.destroy();
			return;
		}
		const { name, message } = error instanceof Error ? error : new Error(String(error));
		lines = [{ type: 'error', name, value: message, traceback: '' }, { type: 'end_of_execution' }];
	} finally {
		clearInterval(keepalive);
	}
	for (const line of lines) write(line);
	res.end();
}

/** `/contexts`: list, create and remove; restarting one is not possible on the DockerBackend. */
export async function contexts(req: IncomingMessage, res: ServerResponse, url: URL, sandbox: DoubleSandbox): Promise<void> {
	const match = /^\/contexts(?:\/([^/]+))?(\/restart)?$/.exec(url.pathname);
	if (!match) throw new HttpError(404, `no route ${req.method} ${url.pathname} in the double`, { plain: true });
	const [, id, restart] = match;
	if (!id && req.method === 'GET') {
		sendJson(res, 200, [...sandbox.contexts.values()]);
		return;
	}
	if (!id && req.method === 'POST') {
		const body = await readJson<NewContextRequest>(req);
		sendJson(res, 200, addContext(sandbox, (body.language ?? 'python').toLowerCase(), body.cwd ?? '/home/user'));
		return;
	}
	if (id && !sandbox.contexts.has(id)) throw new HttpError(404, `Context ${id} not found`, { plain: true });
	if (id && req.method === 'DELETE') {
		sandbox.contexts.delete(id);
		sendJson(res, 200, null);
		return;
	}
	if (restart && req.method === 'POST') {
		throw new HttpError(501, 'restarting a context is not implemented by the double (DockerBackend cannot restart a kernel)', {
			plain: true,
		});
	}
	throw new HttpError(405, 'method not allowed', { plain: true });
}

/** E2B's code server strips one pair of quotes around a text/plain repr (`'abc'` → `abc`). */
function e2bText(text: string | undefined): string | null {
	if (text === undefined) return null;
	const quoted = text.length >= 2 && ((text.startsWith("'") && text.endsWith("'")) || (text.startsWith('"') && text.endsWith('"')));
	return quoted ? text.slice(1, -1) : text;
}

function resultLine(result: Result): ResultLine {
	const fields = Object.fromEntries(RESULT_FIELDS.map((field) => [field, result[field] ?? null])) as { [field in ResultField]: unknown };
	return { type: 'result', ...fields, text: e2bText(result.text), extra: result.extra ?? {}, is_main_result: result.isMainResult };
}

/** Our Execution as the lines E2B's code server sends for it. */
export function executionToLines(execution: Execution): ExecutionLine[] {
	const timestamp = () => new Date().toISOString();
	// An Execution loses the order across kinds, which E2B keeps (it sends them as the kernel did).
	const lines: ExecutionLine[] = [
		...execution.logs.stdout.map((text): ExecutionLine => ({ type: 'stdout', text, timestamp: timestamp() })),
		...execution.logs.stderr.map((text): ExecutionLine => ({ type: 'stderr', text, timestamp: timestamp() })),
		...execution.results.map(resultLine),
	];
	if (execution.error) lines.push({ type: 'error', ...execution.error });
	if (execution.executionCount !== null) lines.push({ type: 'number_of_executions', execution_count: execution.executionCount });
	lines.push({ type: 'end_of_execution' });
	return lines;
}

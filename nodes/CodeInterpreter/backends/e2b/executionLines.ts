import { z } from 'zod';

import type { Result } from '../../model/execution';
import type { OutputCollector } from '../../model/outputLimits';
import { SandboxError } from '../../model/errors';
import { describeIssues, jsonObject } from '../../model/validation';

/**
 * The lines of E2B's code server's `/execute` answer (one JSON object per line), as its SDK reads them.
 * Unknown line types are skipped, so a newer server does not break older nodes.
 */
const text = z.string().nullable().optional();
const resultLine = z.object({
	is_main_result: z.boolean().default(false),
	text,
	html: text,
	markdown: text,
	svg: text,
	png: text,
	jpeg: text,
	pdf: text,
	latex: text,
	javascript: text,
	json: z.unknown(),
	data: z.unknown(),
	chart: z.unknown(),
	extra: jsonObject.nullable().optional(),
});
const LINE_SCHEMAS = {
	stdout: z.object({ text: z.string() }),
	stderr: z.object({ text: z.string() }),
	result: resultLine,
	error: z.object({ name: z.string(), value: z.string(), traceback: z.union([z.string(), z.array(z.string())]).default('') }),
	number_of_executions: z.object({ execution_count: z.number().int() }),
};
const lineType = z.object({ type: z.string() });

/** Adds one line of the answer to the execution. */
export function addExecutionLine(output: OutputCollector, line: string): void {
	const json = parseJson(line);
	const typed = lineType.safeParse(json);
	if (!typed.success) throw malformed('a line without a type', describeIssues(typed.error));
	const type = typed.data.type;
	if (!(type in LINE_SCHEMAS)) return; // keepalive, end_of_execution, and types of newer servers
	const schema = LINE_SCHEMAS[type as keyof typeof LINE_SCHEMAS];
	const parsed = schema.safeParse(json);
	if (!parsed.success) throw malformed(`a malformed "${type}" line`, describeIssues(parsed.error));
	const { execution } = output;
	switch (type) {
		case 'stdout':
		case 'stderr':
			output.addLog(type, (parsed.data as { text: string }).text);
			break;
		case 'result':
			output.addResult(toResult(parsed.data as z.infer<typeof resultLine>));
			break;
		case 'error': {
			const error = parsed.data as z.infer<(typeof LINE_SCHEMAS)['error']>;
			const traceback = Array.isArray(error.traceback) ? error.traceback.join('\n') : error.traceback;
			output.setError({ name: error.name, value: error.value, traceback });
			break;
		}
		case 'number_of_executions':
			execution.executionCount = (parsed.data as { execution_count: number }).execution_count;
			break;
	}
}

function toResult({ is_main_result: isMainResult, extra, ...formats }: z.infer<typeof resultLine>): Result {
	const result: Result = { isMainResult };
	for (const [format, value] of Object.entries(formats)) {
		if (value !== null && value !== undefined) (result as unknown as Record<string, unknown>)[format] = value;
	}
	if (extra && Object.keys(extra).length > 0) result.extra = extra;
	return result;
}

function parseJson(line: string): unknown {
	try {
		return JSON.parse(line);
	} catch {
		throw malformed('a line that is not JSON', line.length > 200 ? `${line.slice(0, 200)}…` : line);
	}
}

function malformed(what: string, detail: string): SandboxError {
	return new SandboxError(`E2B's code server sent ${what}: ${detail}`, {
		description: 'The sandbox template may not be an E2B Code Interpreter template. Use code-interpreter-v1 or a template built on it.',
	});
}

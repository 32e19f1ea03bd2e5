import { addExecutionLine } from '../../../../nodes/CodeInterpreter/backends/e2b/executionLines';
import { SandboxError } from '../../../../nodes/CodeInterpreter/model/errors';
import { emptyExecution } from '../../../../nodes/CodeInterpreter/model/execution';
import { OutputCollector } from '../../../../nodes/CodeInterpreter/model/outputLimits';

function collect(lines: unknown[], limits?: ConstructorParameters<typeof OutputCollector>[1]) {
	const output = new OutputCollector(emptyExecution(), limits);
	for (const line of lines) addExecutionLine(output, typeof line === 'string' ? line : JSON.stringify(line));
	return output.execution;
}

test('the lines of an E2B execution become one Execution, as the SDK builds it', () => {
	const execution = collect([
		{ type: 'stdout', text: 'hello\n', timestamp: '2026-11-26T10:00:00Z' },
		{ type: 'stderr', text: 'warn\n', timestamp: '2026-11-26T10:00:00Z' },
		{ type: 'keepalive' },
		{ type: 'result', text: '42', html: null, png: null, data: null, chart: null, json: null, extra: {}, is_main_result: true },
		{ type: 'result', text: '<Figure>', png: 'iVBOR', chart: { type: 'line' }, extra: { 'application/vnd.plotly.v1+json': { data: [] } }, is_main_result: false },
		{ type: 'number_of_executions', execution_count: 3 },
		{ type: 'end_of_execution' },
	]);
	expect(execution).toEqual({
		results: [
			{ isMainResult: true, text: '42' },
			{ isMainResult: false, text: '<Figure>', png: 'iVBOR', chart: { type: 'line' }, extra: { 'application/vnd.plotly.v1+json': { data: [] } } },
		],
		logs: { stdout: ['hello\n'], stderr: ['warn\n'] },
		error: null,
		executionCount: 3,
	});
});

test('an error line, with its traceback as one string or as lines', () => {
	expect(collect([{ type: 'error', name: 'ZeroDivisionError', value: 'division by zero', traceback: 'Traceback…' }]).error).toEqual({
		name: 'ZeroDivisionError',
		value: 'division by zero',
		traceback: 'Traceback…',
	});
	expect(collect([{ type: 'error', name: 'E', value: 'v', traceback: ['a', 'b'] }]).error?.traceback).toBe('a\nb');
});

test('types of a newer server are skipped; output limits apply as lines arrive', () => {
	const execution = collect(
		[{ type: 'something_new', x: 1 }, { type: 'stdout', text: 'x'.repeat(10) }, { type: 'stdout', text: 'y'.repeat(10) }],
		{ maxLogBytes: 15, maxResultBytes: 100 },
	);
	expect(execution.logs.stdout.join('')).toBe('xxxxxxxxxxyyyyy');
	expect(execution.truncated).toHaveLength(1);
});

test.each([
	['not JSON', 'Internal Server Error', 'E2B\'s code server sent a line that is not JSON: Internal Server Error'],
	['no type', { text: 'x' }, 'E2B\'s code server sent a line without a type: type: Required'],
	['a malformed stdout', { type: 'stdout', text: 5 }, 'E2B\'s code server sent a malformed "stdout" line: text: Expected string, received number'],
])('%s: a SandboxError naming what came', (_, line, message) => {
	expect(() => collect([line])).toThrow(SandboxError);
	expect(() => collect([line])).toThrow(message);
});

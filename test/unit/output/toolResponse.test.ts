import { emptyExecution, type Execution } from '../../../nodes/CodeInterpreter/model/execution';
import { TOOL_TEXT_LIMIT, toolResponse } from '../../../nodes/CodeInterpreter/output/toolResponse';

/** The first bytes of a PNG: signature, then the IHDR chunk with width 640 and height 480. */
const PNG_HEADER = Buffer.concat([
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
	Buffer.from('IHDR'),
	Buffer.from([0, 0, 2, 128, 0, 0, 1, 224, 8, 6, 0, 0, 0]),
]).toString('base64');

function execution(parts: Partial<Execution>): Execution {
	return { ...emptyExecution(), ...parts };
}

describe('toolResponse: what an AI Agent reads back from a run', () => {
	test('an empty run is just "ok"', () => {
		expect(toolResponse(emptyExecution())).toEqual({ status: 'ok' });
	});

	test('the value, stdout and stderr, as plain text; displays other than images by their text', () => {
		const response = toolResponse(
			execution({
				logs: { stdout: ['a\n', 'b\n'], stderr: ['\u001b[31mwarning\u001b[0m\n'] },
				results: [
					{ isMainResult: false, text: '   x\n0  1', html: '<table></table>' },
					{ isMainResult: true, text: '42' },
				],
			}),
		);
		expect(response).toEqual({ status: 'ok', stdout: 'a\nb\n', stderr: 'warning\n', result: '42', displayed: ['   x\n0  1'] });
	});

	test('a failed run gives the error and its traceback without terminal colours', () => {
		const response = toolResponse(
			execution({
				error: { name: 'ZeroDivisionError', value: 'division by zero', traceback: '\u001b[0;31mZeroDivisionError\u001b[0m Traceback\n----> 1 1/0' },
			}),
		);
		expect(response).toEqual({ status: 'error', error: 'ZeroDivisionError: division by zero', traceback: 'ZeroDivisionError Traceback\n----> 1 1/0' });
	});

	test('charts are described by type, title, axes and size; an image without chart data by its format and size', () => {
		const response = toolResponse(
			execution({
				results: [
					{
						isMainResult: false,
						png: PNG_HEADER,
						chart: {
							type: 'line',
							title: 'Sales',
							x_label: 'month',
							y_label: 'USD',
							elements: [
								{ label: 'a', points: [[1, 2], [2, 3]] },
								{ label: 'b', points: [[1, 5]] },
							],
						},
					},
					{ isMainResult: false, png: PNG_HEADER, chart: { type: 'pie', title: null, elements: [{}, {}, {}] } },
					{ isMainResult: false, png: PNG_HEADER },
					{ isMainResult: false, svg: '<svg/>' },
					{
						isMainResult: false,
						chart: { type: 'superchart', title: 'Both', elements: [{ type: 'bar', title: 'one', elements: [{}] }, { type: 'box_and_whisker', elements: [{}, {}] }] },
					},
				],
			}),
		);
		expect(response.charts).toEqual([
			'line chart "Sales"; x axis "month", y axis "USD"; 2 series, 3 points',
			'pie chart; 3 slices',
			'image (PNG, 640×480) with no chart data',
			'image (SVG) with no chart data',
			'figure "Both" with 2 charts: bar chart "one"; 1 bar | box-and-whisker chart; 2 boxes',
		]);
		expect(response).not.toHaveProperty('displayed');
	});

	test('files the code wrote are named with their size', () => {
		const response = toolResponse(emptyExecution(), [{ name: 'a.csv', path: '/home/user/output/a.csv', size: 12, binaryProperty: 'a_csv' }]);
		expect(response.files).toEqual(['/home/user/output/a.csv (12 bytes)']);
	});

	test('long text keeps its start and end, and says how much was cut', () => {
		const long = `${'s'.repeat(TOOL_TEXT_LIMIT)}${'m'.repeat(1000)}${'e'.repeat(TOOL_TEXT_LIMIT)}`;
		const { stdout } = toolResponse(execution({ logs: { stdout: [long], stderr: [] } })) as { stdout: string };
		expect(stdout).toBe(`${'s'.repeat(TOOL_TEXT_LIMIT / 2)}\n[… ${long.length - TOOL_TEXT_LIMIT} characters cut …]\n${'e'.repeat(TOOL_TEXT_LIMIT / 2)}`);
	});
});

describe('toolResponse: the whole answer is bounded', () => {
	test('20,000 displays give an answer within Max Answer Length that says what it left out', () => {
		const results = Array.from({ length: 20_000 }, (_, index) => ({ isMainResult: false, text: `display ${index} `.repeat(3) }));
		const response = toolResponse(execution({ results, logs: { stdout: ['x'.repeat(50_000)], stderr: [] } }), [], 20_000);
		expect(JSON.stringify(response).length).toBeLessThanOrEqual(20_000);
		expect(response.stdout).toMatch(/characters cut/);
		const displayed = response.displayed as string[];
		expect(displayed.length).toBeGreaterThan(100);
		expect(response.omitted).toBe(`Left out to keep this answer within 20000 characters: ${20_000 - displayed.length} of 20000 displayed outputs.`);
	});

	test('a small limit keeps the status and error first, and still names what was left out', () => {
		const response = toolResponse(
			execution({ error: { name: 'ValueError', value: 'bad', traceback: 't'.repeat(5000) }, logs: { stdout: ['o'.repeat(5000)], stderr: [] } }),
			[{ path: '/home/user/output/a.csv', size: 1 }],
			1000,
		);
		expect(JSON.stringify(response).length).toBeLessThanOrEqual(1000);
		expect(response.status).toBe('error');
		expect(response.error).toBe('ValueError: bad');
		expect(response.omitted).toMatch(/^Left out to keep this answer within 1000 characters: .*stdout \(5000 characters\)/);
	});
});

test('text that JSON escapes (backslashes, control characters) still fits Max Answer Length', () => {
	const response = toolResponse(
		execution({ results: [{ isMainResult: true, text: '\\'.repeat(100_000) }], logs: { stdout: ['\u0000'.repeat(100_000)], stderr: ['\u0001'.repeat(1_000)] } }),
		[],
		20_000,
	);
	expect(JSON.stringify(response).length).toBeLessThanOrEqual(20_000);
	expect(response.result).toMatch(/characters cut/);
});

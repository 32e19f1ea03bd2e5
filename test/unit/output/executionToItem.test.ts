import type { IBinaryData } from 'n8n-workflow';

import { emptyExecution, type Execution, type Result } from '../../../nodes/CodeInterpreter/model/execution';
import { executionToItem, toErrorOutputItem, type PrepareBinary } from '../../../nodes/CodeInterpreter/output/executionToItem';

interface BinaryCall {
	bytes: Buffer;
	fileName: string;
	mimeType: string;
}

/** A prepareBinary that records its calls and returns what n8n's would, without storing anything. */
function fakePrepareBinary(): { prepareBinary: PrepareBinary; calls: BinaryCall[] } {
	const calls: BinaryCall[] = [];
	const prepareBinary: PrepareBinary = async (bytes, fileName, mimeType): Promise<IBinaryData> => {
		calls.push({ bytes: Buffer.from(bytes), fileName, mimeType });
		return { data: bytes.toString('base64'), mimeType, fileName };
	};
	return { prepareBinary, calls };
}

const context = { sandboxId: 'sbx-123', language: 'python' };

// Distinct byte sequences, including bytes that are not valid UTF-8, so a wrong decoding shows.
const PNG_BYTES = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0x01]);
const JPEG_BYTES = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]);
const PDF_BYTES = Buffer.from('%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n', 'latin1');
const SVG_TEXT = '<svg xmlns="http://www.w3.org/2000/svg"><text>Grüße ✓</text></svg>';
const PNG = PNG_BYTES.toString('base64');
const JPEG = JPEG_BYTES.toString('base64');
const PDF = PDF_BYTES.toString('base64');

function execution(results: Result[], overrides: Partial<Execution> = {}): Execution {
	return { ...emptyExecution(), executionCount: 1, results, ...overrides };
}

describe('executionToItem', () => {
	it('maps a text-only execution to JSON without binary data', async () => {
		const { prepareBinary, calls } = fakePrepareBinary();
		const item = await executionToItem(
			execution([{ isMainResult: true, text: '2' }], {
				executionCount: 7,
				logs: { stdout: ['hello\n', 'world\n'], stderr: ['warn 1\n', 'warn 2'] },
			}),
			context,
			prepareBinary,
		);
		expect(item).toEqual({
			json: {
				sandboxId: 'sbx-123',
				language: 'python',
				executionCount: 7,
				text: '2',
				stdout: 'hello\nworld\n',
				stderr: 'warn 1\nwarn 2',
				error: null,
				results: [{ isMainResult: true, formats: ['text'], text: '2' }],
			},
		});
		expect(item).not.toHaveProperty('binary');
		expect(calls).toHaveLength(0);
	});

	it('keeps a null execution count and a null text when there is no main result', async () => {
		const { prepareBinary } = fakePrepareBinary();
		const item = await executionToItem(
			execution([{ isMainResult: false, text: 'display' }], { executionCount: null }),
			context,
			prepareBinary,
		);
		expect(item.json.executionCount).toBeNull();
		expect(item.json.text).toBeNull();
		expect(item.json.stdout).toBe('');
		expect(item.json.stderr).toBe('');
	});

	it('copies the error as { name, value, traceback }', async () => {
		const { prepareBinary } = fakePrepareBinary();
		const error = { name: 'ZeroDivisionError', value: 'division by zero', traceback: 'Traceback ...\nZeroDivisionError' };
		const item = await executionToItem(execution([], { error }), context, prepareBinary);
		expect(item.json.error).toEqual({ name: 'ZeroDivisionError', value: 'division by zero', traceback: 'Traceback ...\nZeroDivisionError' });
		expect(item.json.error).not.toBe(error);
		expect(item.json.results).toEqual([]);
	});

	it('copies non-binary formats (html, markdown, json, data, chart, extra) into the result JSON', async () => {
		const { prepareBinary, calls } = fakePrepareBinary();
		const table = { x: [1, 2], y: [3, 4] };
		const chart = { type: 'bar', elements: [] };
		const item = await executionToItem(
			execution([
				{
					isMainResult: true,
					text: 'df',
					html: '<table></table>',
					markdown: '| x |',
					json: { k: 'v' },
					data: table,
					chart,
					extra: { 'x/custom': 1 },
				},
			]),
			context,
			prepareBinary,
		);
		expect(item.json.results).toEqual([
			{
				isMainResult: true,
				formats: ['text', 'html', 'markdown', 'json', 'data', 'chart', 'extra'],
				text: 'df',
				html: '<table></table>',
				markdown: '| x |',
				json: { k: 'v' },
				data: table,
				chart,
				extra: { 'x/custom': 1 },
			},
		]);
		expect(calls).toHaveLength(0);
		expect(item.binary).toBeUndefined();
	});

	it('turns a PNG into the binary property "data" with the decoded bytes, never base64 in the JSON', async () => {
		const { prepareBinary, calls } = fakePrepareBinary();
		const item = await executionToItem(
			execution([{ isMainResult: false, text: '<Figure size 640x480>', png: PNG }]),
			context,
			prepareBinary,
		);
		expect(calls).toHaveLength(1);
		expect(calls[0].bytes.equals(PNG_BYTES)).toBe(true);
		expect(calls[0].fileName).toBe('result-1.png');
		expect(calls[0].mimeType).toBe('image/png');
		expect(item.binary).toEqual({ data: { data: PNG, mimeType: 'image/png', fileName: 'result-1.png' } });
		expect(item.json.results).toEqual([
			{ isMainResult: false, formats: ['text', 'png'], text: '<Figure size 640x480>', binaryProperty: 'data' },
		]);
		expect(JSON.stringify(item.json)).not.toContain(PNG);
	});

	it('numbers binary properties per result with binaries, and files by the result position', async () => {
		const { prepareBinary, calls } = fakePrepareBinary();
		const item = await executionToItem(
			execution([
				{ isMainResult: false, png: PNG },
				{ isMainResult: false, text: 'no image here' },
				{ isMainResult: false, jpeg: JPEG },
				{ isMainResult: true, text: 'done', pdf: PDF },
			]),
			context,
			prepareBinary,
		);
		expect(calls.map(({ fileName, mimeType }) => ({ fileName, mimeType }))).toEqual([
			{ fileName: 'result-1.png', mimeType: 'image/png' },
			{ fileName: 'result-3.jpg', mimeType: 'image/jpeg' },
			{ fileName: 'result-4.pdf', mimeType: 'application/pdf' },
		]);
		expect(calls[1].bytes.equals(JPEG_BYTES)).toBe(true);
		expect(calls[2].bytes.equals(PDF_BYTES)).toBe(true);
		expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1', 'data_2']);
		expect(item.binary?.data_1).toEqual({ data: JPEG, mimeType: 'image/jpeg', fileName: 'result-3.jpg' });
		expect(item.binary?.data_2).toEqual({ data: PDF, mimeType: 'application/pdf', fileName: 'result-4.pdf' });

		const results = item.json.results as Array<Record<string, unknown>>;
		expect(results.map((result) => result.binaryProperty)).toEqual(['data', undefined, 'data_1', 'data_2']);
		expect(results[1]).not.toHaveProperty('binaryProperty');
		expect(item.json.text).toBe('done');
		const json = JSON.stringify(item.json);
		for (const encoded of [PNG, JPEG, PDF]) expect(json).not.toContain(encoded);
	});

	it('stores an SVG as UTF-8 text, not as base64', async () => {
		const { prepareBinary, calls } = fakePrepareBinary();
		const item = await executionToItem(execution([{ isMainResult: false, svg: SVG_TEXT }]), context, prepareBinary);
		expect(calls).toHaveLength(1);
		expect(calls[0].bytes.equals(Buffer.from(SVG_TEXT, 'utf8'))).toBe(true);
		expect(calls[0].bytes.toString('utf8')).toBe(SVG_TEXT);
		expect(calls[0].fileName).toBe('result-1.svg');
		expect(calls[0].mimeType).toBe('image/svg+xml');
		expect(item.json.results).toEqual([{ isMainResult: false, formats: ['svg'], binaryProperty: 'data' }]);
		expect(JSON.stringify(item.json)).not.toContain('<svg');
	});

	it('names secondary formats of a result <property>_<format>, the first in png/jpeg/svg/pdf order taking the plain name', async () => {
		const { prepareBinary, calls } = fakePrepareBinary();
		const item = await executionToItem(
			execution([
				// Bundle order svg, pdf, png: png still names the property.
				{ isMainResult: false, svg: SVG_TEXT, pdf: PDF, png: PNG },
				{ isMainResult: true, text: 'fig', svg: SVG_TEXT, jpeg: JPEG },
			]),
			context,
			prepareBinary,
		);
		expect(item.binary).toEqual({
			data: { data: PNG, mimeType: 'image/png', fileName: 'result-1.png' },
			data_svg: { data: Buffer.from(SVG_TEXT, 'utf8').toString('base64'), mimeType: 'image/svg+xml', fileName: 'result-1.svg' },
			data_pdf: { data: PDF, mimeType: 'application/pdf', fileName: 'result-1.pdf' },
			data_1: { data: JPEG, mimeType: 'image/jpeg', fileName: 'result-2.jpg' },
			data_1_svg: { data: Buffer.from(SVG_TEXT, 'utf8').toString('base64'), mimeType: 'image/svg+xml', fileName: 'result-2.svg' },
		});
		expect(calls.map((call) => call.fileName)).toEqual([
			'result-1.png',
			'result-1.svg',
			'result-1.pdf',
			'result-2.jpg',
			'result-2.svg',
		]);
		expect(calls[0].bytes.equals(PNG_BYTES)).toBe(true);
		expect(calls[1].bytes.toString('utf8')).toBe(SVG_TEXT);
		expect(calls[2].bytes.equals(PDF_BYTES)).toBe(true);
		expect(calls[3].bytes.equals(JPEG_BYTES)).toBe(true);

		const results = item.json.results as Array<Record<string, unknown>>;
		expect(results[0]).toEqual({ isMainResult: false, formats: ['svg', 'pdf', 'png'], binaryProperty: 'data' });
		expect(results[1]).toEqual({ isMainResult: true, formats: ['text', 'svg', 'jpeg'], text: 'fig', binaryProperty: 'data_1' });
	});
});

describe('toErrorOutputItem', () => {
	it('keeps the error with its traceback and moves everything else under details, binaries included', () => {
		const binary = { data: { data: 'eA==', mimeType: 'image/png' } };
		const error = { name: 'ValueError', value: 'bad', traceback: 'Traceback ...\nValueError: bad' };
		const item = toErrorOutputItem({ json: { sandboxId: 'ci-1', language: 'python', stdout: 'x\n', error }, binary });
		expect(item).toEqual({
			json: { error, message: 'ValueError: bad', details: { sandboxId: 'ci-1', language: 'python', stdout: 'x\n' } },
			binary,
		});
		expect(Object.keys(item.json).every((key) => ['error', 'message', 'details'].includes(key))).toBe(true);
	});
});

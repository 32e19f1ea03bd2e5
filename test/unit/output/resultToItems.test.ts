import { emptyExecution, type Result } from '../../../nodes/CodeInterpreter/model/execution';
import { resultRows } from '../../../nodes/CodeInterpreter/output/resultToItems';

const withResults = (...results: Result[]) => ({ ...emptyExecution(), results });

describe('resultRows', () => {
	it('turns a table into one row per index, keeping column order and nulls', () => {
		const table = { city: ['Oslo', 'Rome', 'Lima'], sales: [3, null, 7.5] };
		expect(resultRows(withResults({ isMainResult: true, text: '…', data: table })).rows).toEqual([
			{ city: 'Oslo', sales: 3 },
			{ city: 'Rome', sales: null },
			{ city: 'Lima', sales: 7.5 },
		]);
	});

	it('turns a JSON list into one row per element, wrapping values that are not objects', () => {
		expect(resultRows(withResults({ isMainResult: true, json: [{ a: 1 }, 2, 'x'] })).rows).toEqual([{ a: 1 }, { value: 2 }, { value: 'x' }]);
	});

	it('turns a JSON object into one row', () => {
		expect(resultRows(withResults({ isMainResult: true, json: { total: 10 } })).rows).toEqual([{ total: 10 }]);
	});

	it('prefers the main result, else takes the last displayed table', () => {
		const first = { isMainResult: false, data: { n: [1] } };
		const last = { isMainResult: false, data: { n: [2] } };
		expect(resultRows(withResults(first, last, { isMainResult: true, json: [{ n: 3 }] })).rows).toEqual([{ n: 3 }]);
		expect(resultRows(withResults(first, last, { isMainResult: true, text: '42' })).rows).toEqual([{ n: 2 }]);
	});

	it('says what to do when there is nothing to split', () => {
		expect(() => resultRows(withResults({ isMainResult: true, text: '42' }))).toThrow(
			expect.objectContaining({
				message: 'The result has no table or list to turn into items',
				description: expect.stringContaining('End the code with a DataFrame'),
			}),
		);
	});
});

describe('resultRows: bounded', () => {
	it('makes at most Max Items rows and says how many there were', () => {
		const { rows, total } = resultRows(withResults({ isMainResult: true, data: { n: Array.from({ length: 1000 }, (_, i) => i) } }), 10);
		expect(rows).toHaveLength(10);
		expect(rows[9]).toEqual({ n: 9 });
		expect(total).toBe(1000);
		expect(resultRows(withResults({ isMainResult: true, json: Array.from({ length: 50 }, () => 1) }), 10)).toEqual({ rows: expect.any(Array), total: 50 });
	});

	it('does not multiply a ragged table into rows × columns', () => {
		const ragged: Record<string, number[]> = { long: Array.from({ length: 100_000 }, () => 1) };
		for (let column = 0; column < 200_000; column++) ragged[`c${column}`] = [column];
		const { rows, total } = resultRows(withResults({ isMainResult: true, data: ragged }));
		expect(total).toBe(100_000);
		expect(rows.length).toBe(Math.floor(10_000_000 / 200_001));
	});
});

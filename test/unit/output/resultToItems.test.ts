import { emptyExecution, type Result } from '../../../nodes/CodeInterpreter/model/execution';
import { resultRows } from '../../../nodes/CodeInterpreter/output/resultToItems';

const withResults = (...results: Result[]) => ({ ...emptyExecution(), results });

describe('resultRows', () => {
	it('turns a table into one row per index, keeping column order and nulls', () => {
		const table = { city: ['Oslo', 'Rome', 'Lima'], sales: [3, null, 7.5] };
		expect(resultRows(withResults({ isMainResult: true, text: '…', data: table }))).toEqual([
			{ city: 'Oslo', sales: 3 },
			{ city: 'Rome', sales: null },
			{ city: 'Lima', sales: 7.5 },
		]);
	});

	it('turns a JSON list into one row per element, wrapping values that are not objects', () => {
		expect(resultRows(withResults({ isMainResult: true, json: [{ a: 1 }, 2, 'x'] }))).toEqual([{ a: 1 }, { value: 2 }, { value: 'x' }]);
	});

	it('turns a JSON object into one row', () => {
		expect(resultRows(withResults({ isMainResult: true, json: { total: 10 } }))).toEqual([{ total: 10 }]);
	});

	it('prefers the main result, else takes the last displayed table', () => {
		const first = { isMainResult: false, data: { n: [1] } };
		const last = { isMainResult: false, data: { n: [2] } };
		expect(resultRows(withResults(first, last, { isMainResult: true, json: [{ n: 3 }] }))).toEqual([{ n: 3 }]);
		expect(resultRows(withResults(first, last, { isMainResult: true, text: '42' }))).toEqual([{ n: 2 }]);
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

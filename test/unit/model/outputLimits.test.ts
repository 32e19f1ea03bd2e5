import { emptyExecution } from '../../../nodes/CodeInterpreter/model/execution';
import { OutputCollector } from '../../../nodes/CodeInterpreter/model/outputLimits';

const limits = { maxLogBytes: 10, maxResultBytes: 1000 };

describe('OutputCollector', () => {
	it('keeps logs up to the limit, cuts the chunk that crosses it, drops the rest and says so once', () => {
		const output = new OutputCollector(emptyExecution(), limits);
		output.addLog('stdout', 'abcdef');
		output.addLog('stdout', 'ghijkl');
		output.addLog('stdout', 'mnop');
		output.addLog('stderr', 'fine');
		// Small chunks are joined as they come.
		expect(output.execution.logs).toEqual({ stdout: ['abcdefghij'], stderr: ['fine'] });
		expect(output.execution.truncated).toEqual(['stdout was cut at 10 bytes (Max Log Size); the rest of it was dropped.']);
	});

	it('never splits a character in two', () => {
		const output = new OutputCollector(emptyExecution(), { ...limits, maxLogBytes: 5 });
		output.addLog('stdout', 'abcdé'); // é is 2 bytes: 6 bytes in all
		expect(output.execution.logs.stdout).toEqual(['abcd']);
	});

	it('keeps only the text of a result over the limit, and names it', () => {
		const output = new OutputCollector(emptyExecution(), limits);
		output.addResult({ isMainResult: false, text: 'small' });
		output.addResult({ isMainResult: true, text: '<Figure>', png: 'A'.repeat(2040) });
		expect(output.execution.results).toEqual([
			{ isMainResult: false, text: 'small' },
			{ isMainResult: true, text: '<Figure>' },
		]);
		expect(output.execution.truncated).toEqual([
			'Result 2 was 2 KB, over 1000 bytes (Max Result Size): only its text was kept.',
		]);
	});

	it('adds nothing to an execution that stays within its limits', () => {
		const output = new OutputCollector(emptyExecution(), limits);
		output.addLog('stdout', 'ok');
		output.addResult({ isMainResult: true, text: '42' });
		expect(output.execution.truncated).toBeUndefined();
	});

	it('says so when output comes after a stream filled its limit exactly, and not before', () => {
		const output = new OutputCollector(emptyExecution(), limits);
		output.addLog('stdout', '0123456789');
		expect(output.execution.truncated).toBeUndefined();
		output.addLog('stdout', 'more');
		expect(output.execution.logs.stdout).toEqual(['0123456789']);
		expect(output.execution.truncated).toEqual(['stdout was cut at 10 bytes (Max Log Size); the rest of it was dropped.']);
	});

	it('joins many tiny chunks into few, so that their number costs nothing', () => {
		const output = new OutputCollector(emptyExecution(), { ...limits, maxLogBytes: 1_000_000 });
		for (let index = 0; index < 100_000; index++) output.addLog('stdout', 'x');
		expect(output.execution.logs.stdout.join('')).toBe('x'.repeat(100_000));
		expect(output.execution.logs.stdout.length).toBeLessThanOrEqual(100);
	});

	it('bounds the results of a run together: text only once they fill the limit, then dropped, in a few notes', () => {
		const output = new OutputCollector(emptyExecution(), limits);
		for (let index = 0; index < 5; index++) output.addResult({ isMainResult: false, text: `r${index}`, html: 'h'.repeat(300) });
		expect(output.execution.results).toEqual([
			{ isMainResult: false, text: 'r0', html: 'h'.repeat(300) },
			{ isMainResult: false, text: 'r1', html: 'h'.repeat(300) },
			{ isMainResult: false, text: 'r2' },
			{ isMainResult: false, text: 'r3' },
			{ isMainResult: false, text: 'r4' },
		]);
		expect(output.execution.truncated).toEqual([
			'Result 3 was 302 bytes, more than the 268 bytes left of Max Result Size for this run: only its text was kept.',
			'Result 4 was 302 bytes, more than the 202 bytes left of Max Result Size for this run: only its text was kept.',
			'Result 5 was 302 bytes, more than the 136 bytes left of Max Result Size for this run: only its text was kept.',
		]);
		for (let index = 0; index < 100_000; index++) output.addResult({ isMainResult: false });
		expect(output.execution.results.length).toBeLessThan(1000 / 64);
		expect(output.execution.truncated).toHaveLength(4);
		expect(output.execution.truncated?.[3]).toMatch(/^\d+ results \(0 bytes\) were dropped: the run's results had filled Max Result Size\.$/);
	});

	it('cuts the text of a result bigger than the limit to fit, never keeping more than the limit', () => {
		const output = new OutputCollector(emptyExecution(), limits);
		output.addResult({ isMainResult: true, text: 't'.repeat(70_000) });
		expect(output.execution.results).toEqual([{ isMainResult: true, text: 't'.repeat(1000 - 64) }]);
		expect(output.execution.truncated).toEqual(['Result 1 was 68.4 KB, over 1000 bytes (Max Result Size): only its text, cut to fit, was kept.']);
	});

	it('counts many cut results in one note after the first ten', () => {
		const output = new OutputCollector(emptyExecution(), { ...limits, maxResultBytes: 100_000 });
		for (let index = 0; index < 1000; index++) output.addResult({ isMainResult: false, png: 'p'.repeat(200_000) });
		expect(output.execution.truncated?.length).toBeLessThanOrEqual(12);
		expect(output.execution.truncated?.[10]).toMatch(/^\d+ more results \([\d.]+ MB\) kept only their text/);
	});
});

describe('OutputCollector: the error', () => {
	it('cuts an error\'s texts to Max Result Size, and says so', () => {
		const output = new OutputCollector(emptyExecution(), limits);
		output.setError({ name: 'ValueError', value: 'A'.repeat(25 * 2 ** 20), traceback: 'T'.repeat(5000) });
		expect(output.execution.error).toEqual({ name: 'ValueError', value: 'A'.repeat(1000), traceback: 'T'.repeat(1000) });
		expect(output.execution.truncated).toEqual(["The error's text was cut at 1000 bytes (Max Result Size)."]);
	});

	it('a clean exit (SystemExit with status 0 or none) is no error; any other status is', () => {
		for (const value of ['0', '', 'None', ' 0 ']) {
			const output = new OutputCollector(emptyExecution(), limits);
			output.setError({ name: 'SystemExit', value, traceback: '' });
			expect(output.execution.error).toBeNull();
		}
		for (const [name, value] of [['SystemExit', '3'], ['SystemExit', 'fatal: no data'], ['ExitCode', '0'], ['ValueError', '0']]) {
			const output = new OutputCollector(emptyExecution(), limits);
			output.setError({ name, value, traceback: '' });
			expect(output.execution.error).toMatchObject({ name, value });
		}
	});
});

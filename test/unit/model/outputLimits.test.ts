import { emptyExecution } from '../../../nodes/CodeInterpreter/model/execution';
import { OutputCollector } from '../../../nodes/CodeInterpreter/model/outputLimits';

const limits = { maxLogBytes: 10, maxResultBytes: 20 };

describe('OutputCollector', () => {
	it('keeps logs up to the limit, cuts the chunk that crosses it, drops the rest and says so once', () => {
		const output = new OutputCollector(emptyExecution(), limits);
		output.addLog('stdout', 'abcdef');
		output.addLog('stdout', 'ghijkl');
		output.addLog('stdout', 'mnop');
		output.addLog('stderr', 'fine');
		expect(output.execution.logs).toEqual({ stdout: ['abcdef', 'ghij'], stderr: ['fine'] });
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
		output.addResult({ isMainResult: true, text: '<Figure>', png: 'A'.repeat(100) });
		expect(output.execution.results).toEqual([
			{ isMainResult: false, text: 'small' },
			{ isMainResult: true, text: '<Figure>' },
		]);
		expect(output.execution.truncated).toEqual([
			'Result 2 was 108 bytes, over 20 bytes (Max Result Size): only its text was kept.',
		]);
	});

	it('adds nothing to an execution that stays within its limits', () => {
		const output = new OutputCollector(emptyExecution(), limits);
		output.addLog('stdout', 'ok');
		output.addResult({ isMainResult: true, text: '42' });
		expect(output.execution.truncated).toBeUndefined();
	});
});

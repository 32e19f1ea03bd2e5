import { AsyncLocalStorage } from 'async_hooks';
import vm from 'vm';

import { codeToSend, leftUnsettled } from '../../../../nodes/CodeInterpreter/backends/common/javascriptRuns';
import { emptyExecution } from '../../../../nodes/CodeInterpreter/model/execution';

/** A JavaScript global scope like a kernel's: a console that records, and a process with async_hooks. */
function kernelScope() {
	const printed: string[] = [];
	const scope = {
		console: { log: (...args: unknown[]) => printed.push(args.join(' ')) },
		process: { exit: () => 'the real exit', getBuiltinModule: (name: string) => (name === 'node:async_hooks' ? { AsyncLocalStorage } : undefined) },
		setTimeout,
	};
	const context = vm.createContext(scope);
	return { printed, run: (code: string) => vm.runInContext(codeToSend(code, 'javascript'), context) as unknown };
}

test('the run start shares the first line of the code, so the code keeps its line numbers; other languages are sent as they are', () => {
	const sent = codeToSend('const a = 1;\nthrow new Error("line 2")', 'typescript');
	expect(sent.split('\n')).toHaveLength(2);
	expect(sent.split('\n')[1]).toBe('throw new Error("line 2")');
	for (const language of ['python', 'r', 'bash'] as const) expect(codeToSend('x\ny', language)).toBe('x\ny');
});

test('the value of the last expression is still the code\'s', () => {
	expect(kernelScope().run('6 * 7')).toBe(42);
});

test('process.exit ends the run with a SystemExit error carrying the status, instead of ending the process', () => {
	const { run } = kernelScope();
	for (const [call, message] of [['process.exit()', '0'], ['process.exit(0)', '0'], ['process.exit(3)', '3']]) {
		expect(() => run(`${call}; "not reached"`)).toThrow(expect.objectContaining({ name: 'SystemExit', message }));
	}
});

test('a callback an earlier run left pending prints nothing in a later run; the later run\'s own callbacks print', async () => {
	const { printed, run } = kernelScope();
	run('setTimeout(() => console.log("late from run 1"), 20); console.log("run 1")');
	await (run('new Promise((resolve) => setTimeout(() => { console.log("own of run 2"); resolve(); }, 60))') as Promise<void>);
	expect(printed).toEqual(['run 1', 'own of run 2']);
	// A third run begins: what run 2 still has pending is now late too.
	run('setTimeout(() => console.log("late from run 3"), 10)');
	run('console.log("run 4")');
	await new Promise((resolve) => setTimeout(resolve, 50));
	expect(printed).toEqual(['run 1', 'own of run 2', 'run 4']);
});

test('a run is settled when its value is an unsettled promise or its code starts async work; other languages never', () => {
	const value = (text: string) => ({ ...emptyExecution(), results: [{ isMainResult: true, text }] });
	expect(leftUnsettled(value('Promise { <pending> }'), 'javascript', 'main()')).toBe(true);
	expect(leftUnsettled(value('Promise {\n  <rejected> Error: x\n}'), 'typescript', 'main()')).toBe(true);
	for (const code of ['setTimeout(f, 10); 1', 'fetch(url).then(show)', 'Promise.reject(e); "v"', 'emitter.on("data", f)']) {
		expect(leftUnsettled(value('1'), 'javascript', code)).toBe(true);
	}
	expect(leftUnsettled(value('Promise { 5 }'), 'javascript', 'const x = 1; x')).toBe(false);
	expect(leftUnsettled(value('Promise { <pending> }'), 'python', 'setTimeout()')).toBe(false);
});

import { SandboxNotFoundError } from '../../../nodes/CodeInterpreter/backends/errors';
import { executionText } from '../../../nodes/CodeInterpreter/model/execution';
import type { Language } from '../../../nodes/CodeInterpreter/model/languages';
import type { SuiteContext } from './suite';
import { runOne } from '../../helpers/runOne';

export function sandboxCases({ subject, backend, sandbox, run, test }: SuiteContext): void {
	test('Get Many lists the sandbox, from this package, with its backend and deadline', async () => {
		const listed = (await backend().list()).find((s) => s.sandboxId === sandbox().sandboxId);
		expect(listed).toMatchObject({ backend: subject.backendName, template: sandbox().template });
		expect(Date.parse(listed!.expiresAt)).toBeGreaterThan(Date.now());
	});

	test('the environment variables given at creation are there for the code', async () => {
		expect(executionText(await run('import os\nos.environ["SUITE_GREETING"]'))).toBe('hej då');
	});

	test('keeps Python state between executions, found again by a second backend instance', async () => {
		await run('x = 21');
		const execution = await runOne(subject.backend(), sandbox().sandboxId, 'x * 2', { language: 'python', timeoutMs: 30_000 });
		expect(executionText(execution)).toBe('42');
		expect(execution.error).toBeNull();
	});

	test('Python: stdout, stderr, the last expression and the execution count', async () => {
		const first = await run('import sys\nprint("out")\nprint("err", file=sys.stderr)\n{"a": 1}');
		expect(first.logs).toEqual({ stdout: ['out\n'], stderr: ['err\n'] });
		expect(executionText(first)).toBe("{'a': 1}");
		const second = await run('"a string loses its quotes, as on E2B"');
		expect(executionText(second)).toBe('a string loses its quotes, as on E2B');
		expect(second.executionCount).toBeGreaterThan(first.executionCount!);
	});

	test('JavaScript: console output and the value, with state kept', async () => {
		const first = await run('const names = ["a", "b"]; console.log("count", names.length); names.length * 10', 'javascript');
		expect(first.logs.stdout.join('')).toBe('count 2\n');
		expect(executionText(first)).toBe('20');
		const second = await run('names.join("-")', 'javascript');
		expect(executionText(second)).toBe('a-b');
	});

	test('TypeScript: typed code runs on the same kernel', async () => {
		const execution = await run('const square = (n: number): number => n * n; square(7)', 'typescript');
		expect(execution.error).toBeNull();
		expect(executionText(execution)).toBe('49');
	});

	test('R: printed output and the value of the last expression', async () => {
		const execution = await run('v <- c(1, 2, 3)\nprint(sum(v))\nmean(v) * 10', 'r');
		expect(execution.logs.stdout.join('')).toBe('[1] 6\n');
		expect(execution.results.map((result) => result.text)).toEqual(['[1] 20']);
	});

	test('Bash: output, variables and working directory kept between runs', async () => {
		const first = await run('GREETING=hello\ncd /tmp\necho "$GREETING from $(pwd)"', 'bash');
		expect(first.logs.stdout.join('')).toBe('hello from /tmp\n');
		expect(first.error).toBeNull();
		const second = await run('echo "$GREETING again in $(pwd)"\nls /does-not-exist', 'bash');
		expect(second.logs.stdout.join('')).toContain('hello again in /tmp\n');
		if (subject.ourTemplate) expect(second.error).toMatchObject({ name: 'ExitCode', value: 'the last command exited with status 2' });
	});

	test('Java: state kept between runs, stdout, and the value of the last expression', async () => {
		const first = await run('int x = 21;\nString city = "Zoë";', 'java');
		expect(first.error).toBeNull();
		expect(first.results).toEqual([]);
		const second = await run('System.out.println("x is " + x);\nx * 2', 'java');
		expect(second.logs.stdout.join('')).toBe('x is 21\n');
		expect(second.results.map((result) => result.text)).toEqual(['42']);
		expect(second.results[0].isMainResult).toBe(true);
		expect(executionText(await run('city', 'java'))).toBe('Zoë');
	});

	test('Java: an exception without a message, an empty string, a closed System.out and a long value, as a script has them', async () => {
		expect((await run('throw new RuntimeException();', 'java')).error).toMatchObject({ name: 'java.lang.RuntimeException', value: '' });
		expect((await run('int depth(int n) { return depth(n + 1) + 1; }\ndepth(0)', 'java')).error).toMatchObject({ name: 'java.lang.StackOverflowError' });
		const empty = await run('""', 'java');
		expect(empty.error).toBeNull();
		expect(empty.results.map((result) => result.text)).toEqual(['']);
		const closed = await run('var writer = new java.io.PrintWriter(System.out);\nwriter.println("hi");\nwriter.close();\nSystem.out.println("still printing");', 'java');
		expect(closed.error).toBeNull();
		expect(closed.logs.stdout.join('')).toBe('hi\nstill printing\n');
		const long = await run('"é".repeat(100_000) + "end"', 'java');
		expect(long.results[0].text).toBe(`${'é'.repeat(100_000)}end`);
		expect(executionText(await run('java.util.Collections.nCopies(10_000, 12).size() + " " + java.util.Collections.nCopies(10_000, 12).toString().length()', 'java'))).toBe('10000 40000');
		expect(executionText(await run('java.util.Collections.nCopies(10_000, 12)', 'java'))?.length).toBe(40_000);
	});

	test('Java: an exception ends the run with its class, message and stack; a compile error names the symbol', async () => {
		const thrown = await run('void check(int n) { if (n > 1) throw new IllegalStateException("too many: " + n); }\nSystem.out.println("before");\ncheck(x);\nSystem.out.println("after");', 'java');
		expect(thrown.logs.stdout.join('')).toBe('before\n');
		expect(thrown.error).toMatchObject({ name: 'java.lang.IllegalStateException', value: 'too many: 21' });
		if (subject.ourTemplate) expect(thrown.error?.traceback).toMatch(/java\.lang\.IllegalStateException: too many: 21\n\tat \.check\(#\d+:1\)/);
		const compile = await run('int y = undefinedName + 1;', 'java');
		expect(compile.error?.value).toContain('cannot find symbol');
		expect(compile.error?.value).toContain('undefinedName');
	});

	const item = { name: 'Zoë "quoted"', n: 3, nested: { list: [1, null, true] } };
	for (const [language, code, stdout] of [
		['python', 'print(item["name"], item["n"] * 2, item["nested"]["list"])', 'Zoë "quoted" 6 [1, None, True]\n'],
		['javascript', 'console.log(item.name, item.n * 2, item.nested.list)', 'Zoë "quoted" 6 [ 1, null, true ]\n'],
		['typescript', 'const doubled: number = item.n * 2; console.log(doubled)', '6\n'],
		['r', 'cat(item$name, item$n * 2, length(item$nested$list))', 'Zoë "quoted" 6 3'],
		['bash', 'echo "$item"', `${JSON.stringify(item)}\n`],
		['java', 'System.out.println(item.get("name").asText() + " " + item.get("n").asInt() * 2 + " " + item.get("nested").get("list").size())', 'Zoë "quoted" 6 3\n'],
	] as const) {
		// Java's item is a Jackson JsonNode: Jackson is on the class path of this package's template.
		if (language !== 'java' || subject.ourTemplate) test(`input variables: ${language} reads the item, and its file is gone`, async () => {
			const execution = await runOne(backend(), sandbox().sandboxId, code, { language, timeoutMs: 60_000, variables: { item } });
			expect(execution.error).toBeNull();
			expect(execution.logs.stdout.join('')).toBe(stdout);
			const left = await run('import os\n[f for f in os.listdir("/home/user") if f.startswith(".n8n-input")]');
			expect(executionText(left)).toBe('[]');
		});
	}

	test('input variables: all items as a list that pandas takes as it is', async () => {
		const items = Array.from({ length: 500 }, (_, i) => ({ id: i, city: i % 2 ? 'Oslo' : 'Rome', amount: i / 2 }));
		const execution = await runOne(backend(), 
			sandbox().sandboxId,
			'import pandas as pd\ndf = pd.DataFrame(items)\nprint(df.shape, df["amount"].sum(), list(df.columns))',
			{ language: 'python', timeoutMs: 60_000, variables: { items } },
		);
		expect(execution.logs.stdout.join('')).toBe("(500, 3) 62375.0 ['id', 'city', 'amount']\n");
	});

	test('a runaway print is cut at the log limit, with a note, and the run still ends normally', async () => {
		const execution = await runOne(backend(), sandbox().sandboxId, 'for i in range(50_000):\n    print("x" * 999)\n"done"', {
			language: 'python',
			timeoutMs: 60_000,
			limits: { maxLogBytes: 1024 * 1024, maxResultBytes: 1024 * 1024 },
		});
		const stdout = execution.logs.stdout.join('');
		expect(stdout.length).toBe(1024 * 1024);
		expect(stdout.startsWith('x'.repeat(999) + '\n')).toBe(true);
		expect(execution.truncated).toEqual(['stdout was cut at 1 MB (Max Log Size); the rest of it was dropped.']);
		expect(executionText(execution)).toBe('done');
	});

	test('a code error returns its name, value and traceback', async () => {
		const execution = await run('def f():\n    return 1 / 0\nf()');
		expect(execution.error?.name).toBe('ZeroDivisionError');
		expect(execution.error?.value).toBe('division by zero');
		expect(execution.error?.traceback).toContain('return 1 / 0');
		expect(execution.error?.traceback).not.toMatch(/\u001b\[/);
	});

	const everything = (execution: { logs: { stdout: string[] }; results: Array<{ text?: string }> }) =>
		execution.logs.stdout.join('') + execution.results.map((result) => result.text ?? '').join('');
	for (const [language, loop, probe, expected] of [
		['python', 'while True:\n    pass', 'x', '21'],
		['bash', 'sleep 300', 'echo "$GREETING"', 'hello\n'],
		['r', 'while (TRUE) {}', 'sum(v)', '[1] 6'],
		['java', 'while (true) {}', 'x', '21'],
	] as Array<[Language, string, string, string]>) {
		test(`${language}: the execution limit interrupts an endless run and the next run works with state kept`, async () => {
			const started = Date.now();
			const execution = await run(loop, language, 1_500);
			expect(Date.now() - started).toBeLessThan(8_000);
			expect(execution.error?.name).toBe('TimeoutError');
			expect(execution.error?.value).toBe('Execution exceeded its 1.5 s limit and was interrupted. The sandbox and its state are kept.');
			const after = await run(probe, language);
			expect(after.error).toBeNull();
			expect(everything(after)).toBe(expected);
		});
	}

	test('java: an endless loop that prints is interrupted at the limit, its output cut, and the state stays', async () => {
		const execution = await runOne(backend(), sandbox().sandboxId, 'while (true) System.out.println("spam");', {
			language: 'java',
			timeoutMs: 3_000,
			limits: { maxLogBytes: 1024 * 1024, maxResultBytes: 1024 * 1024 },
		});
		expect(execution.error?.name).toBe('TimeoutError');
		expect(execution.logs.stdout.join('').length).toBeLessThanOrEqual(1024 * 1024);
		// The E2B double sends a run's output when the run ends (E2B streams it): stopped at its limit, it has none.
		if (subject.backendName === 'docker') expect(execution.logs.stdout.join('').slice(0, 40)).toBe('spam\n'.repeat(8));
		expect(executionText(await run('x', 'java'))).toBe('21');
	});

	if (subject.ourTemplate) test('java: code that ends the kernel\'s Java engine or its own VM is told so, and the next run starts afresh', async () => {
		expect((await run('System.setSecurityManager(null);', 'java')).error?.value).toBe("the sandbox's Java kernel keeps its security manager");
		for (const ending of ['ProcessHandle.current().parent().get().destroyForcibly();\nThread.sleep(5000);', 'Runtime.getRuntime().exec(new String[] {"kill", "-9", String.valueOf(ProcessHandle.current().pid())}).waitFor();\nThread.sleep(5000);']) {
			const ended = await run(ending, 'java');
			expect(ended.error).toMatchObject({ name: 'JavaExited' });
			expect(ended.error?.value).toContain('a new one was started, without the variables and classes of earlier runs');
			expect(executionText(await run('int fresh = 1; fresh + 1', 'java'))).toBe('2');
			expect((await run('x', 'java')).error?.value).toContain('cannot find symbol');
		}
		// Only the new engine and its code's JVM are left.
		expect(executionText(await run('import subprocess\nlen([l for l in subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout.splitlines() if l.split()[0].endswith("java")])'))).toBe('2');
	});

	test('r: a run sent while a cancelled one is still being interrupted waits for it, and finds the state', async () => {
		for (let attempt = 0; attempt < 3; attempt++) {
			const controller = new AbortController();
			const { sandboxId } = sandbox();
			const endless = runOne(backend(), sandboxId, 'while (TRUE) {}', { language: 'r', timeoutMs: 60_000, signal: controller.signal });
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			controller.abort();
			// Sent at once, not after the cancelled run has ended (an E2B client hangs up without waiting).
			const after = await run('sum(v)', 'r', 20_000);
			expect((await endless).error?.name).toBe('ExecutionCancelled');
			expect(after.error).toBeNull();
			expect(everything(after)).toBe('[1] 6');
		}
	}, 120_000);

	test('cancelling (the workflow was stopped) interrupts the code at once, and the sandbox keeps its state', async () => {
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 1_000);
		const started = Date.now();
		const execution = await runOne(backend(), sandbox().sandboxId, 'import time\nticks = 0\nwhile True:\n    ticks += 1\n    time.sleep(0.05)', {
			language: 'python',
			timeoutMs: 120_000,
			signal: controller.signal,
		});
		expect(Date.now() - started).toBeLessThan(6_000);
		expect(execution.error).toMatchObject({ name: 'ExecutionCancelled' });
		const first = executionText(await run('ticks'));
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(executionText(await run('ticks'))).toBe(first);
		expect(executionText(await run('x'))).toBe('21');
	});

	test('Set Timeout moves the deadline, and Get Many reports it', async () => {
		const moved = await backend().setTimeout(sandbox().sandboxId, 900);
		expect(Math.abs(Date.parse(moved.expiresAt) - (Date.now() + 900_000))).toBeLessThan(5_000);
		expect(moved).toMatchObject({ sandboxId: sandbox().sandboxId, backend: subject.backendName });
		const listed = (await backend().list()).find((s) => s.sandboxId === sandbox().sandboxId);
		expect(Math.abs(Date.parse(listed!.expiresAt) - Date.parse(moved.expiresAt))).toBeLessThan(1_000);
	});

	test('an unknown sandbox is a SandboxNotFoundError that says what to do, and killing it reports false', async () => {
		const missing = runOne(backend(), subject.unknownSandboxId, '1', { language: 'python', timeoutMs: 5_000 });
		await expect(missing).rejects.toBeInstanceOf(SandboxNotFoundError);
		await expect(missing).rejects.toMatchObject({
			message: `Sandbox "${subject.unknownSandboxId}" was not found`,
			description: expect.stringContaining('Set Timeout'),
		});
		await expect(backend().setTimeout(subject.unknownSandboxId, 60)).rejects.toBeInstanceOf(SandboxNotFoundError);
		await expect(backend().kill(subject.unknownSandboxId)).resolves.toBe(false);
	});

	test('an ID of the other backend is named as such', async () => {
		const [foreign, message] =
			subject.backendName === 'docker'
				? ['i0000000000000000000', '"i0000000000000000000" is not the ID of a Docker sandbox']
				: ['ci-0000000000000000', '"ci-0000000000000000" is the ID of a Docker sandbox, not of an E2B one'];
		await expect(runOne(backend(), foreign, '1', { language: 'python', timeoutMs: 5_000 })).rejects.toMatchObject({
			message,
			description: expect.stringContaining('backend'),
		});
	});

	test('a killed sandbox is gone: Kill reports true, then runs are SandboxNotFoundError and Get Many leaves it out', async () => {
		const doomed = await backend().create({ timeoutSeconds: 300, template: subject.template });
		await expect(backend().kill(doomed.sandboxId)).resolves.toBe(true);
		await expect(runOne(backend(), doomed.sandboxId, '1', { language: 'python', timeoutMs: 5_000 })).rejects.toBeInstanceOf(SandboxNotFoundError);
		expect((await backend().list()).map((s) => s.sandboxId)).not.toContain(doomed.sandboxId);
	}, 120_000);
}

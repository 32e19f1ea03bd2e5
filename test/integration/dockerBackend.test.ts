import Docker from 'dockerode';

import type { SandboxInfo } from '../../nodes/CodeInterpreter/backends/Backend';
import { dockerRemovesStoppedSandboxes } from '../../nodes/CodeInterpreter/backends/docker/autoRemove';
import { parseDockerSettings } from '../../nodes/CodeInterpreter/backends/docker/connection';
import { DockerBackend } from '../../nodes/CodeInterpreter/backends/docker/DockerBackend';
import { SandboxNotFoundError } from '../../nodes/CodeInterpreter/backends/errors';
import type { Language } from '../../nodes/CodeInterpreter/model/languages';
import { executionText } from '../../nodes/CodeInterpreter/model/execution';

const backend = new DockerBackend(parseDockerSettings({}));
const docker = new Docker();
let sandbox: SandboxInfo;

const run = (code: string, language: Language = 'python', timeoutMs = 60_000) =>
	backend.runCode(sandbox.sandboxId, code, { language, timeoutMs });

beforeAll(async () => {
	sandbox = await backend.create({ timeoutSeconds: 600 });
}, 120_000);

afterAll(async () => {
	if (sandbox) await backend.kill(sandbox.sandboxId);
});

describe('a Docker sandbox', () => {
	test('is a running container labelled with its id, listed by Get Many', async () => {
		expect(sandbox.sandboxId).toMatch(/^ci-[0-9a-f]{16}$/);
		const [container] = await docker.listContainers({ filters: { name: [sandbox.sandboxId] } });
		expect(container.Labels['io.n8n.code-interpreter.sandbox-id']).toBe(sandbox.sandboxId);
		expect(container.Labels['io.n8n.code-interpreter.version']).toBe(sandbox.template.split(':')[1]);
		const listed = await backend.list();
		expect(listed.map((s) => s.sandboxId)).toContain(sandbox.sandboxId);
	});

	test('keeps Python state between executions, found again by a second backend instance', async () => {
		await run('x = 21');
		const other = new DockerBackend(parseDockerSettings({}));
		const execution = await other.runCode(sandbox.sandboxId, 'x * 2', { language: 'python', timeoutMs: 30_000 });
		expect(executionText(execution)).toBe('42');
		expect(execution.error).toBeNull();
	});

	test('Python: stdout, stderr and the last expression', async () => {
		const execution = await run('import sys\nprint("out")\nprint("err", file=sys.stderr)\n{"a": 1}');
		expect(execution.logs).toEqual({ stdout: ['out\n'], stderr: ['err\n'] });
		expect(executionText(execution)).toBe("{'a': 1}");
	});

	test('JavaScript: console output and the value, with state kept', async () => {
		const first = await run('const names = ["a", "b"]; console.log("count", names.length); names.length * 10', 'javascript');
		expect(first.logs.stdout.join('')).toBe('count 2\n');
		expect(executionText(first)).toBe('20');
		const second = await run('names.join("-")', 'javascript');
		expect(executionText(second)).toBe('"a-b"');
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

	test('Bash: output, variables and working directory kept, failures reported with their exit status', async () => {
		const first = await run('GREETING=hello\ncd /tmp\necho "$GREETING from $(pwd)"', 'bash');
		expect(first.logs.stdout.join('')).toBe('hello from /tmp\n');
		expect(first.error).toBeNull();
		const second = await run('echo "$GREETING again in $(pwd)"\nls /does-not-exist', 'bash');
		expect(second.logs.stdout.join('')).toContain('hello again in /tmp\n');
		expect(second.error).toMatchObject({ name: 'ExitCode', value: 'the last command exited with status 2' });
	});

	describe('input variables', () => {
		const item = { name: 'Zoë "quoted"', n: 3, nested: { list: [1, null, true] } };
		const withItem = (code: string, language: Language) =>
			backend.runCode(sandbox.sandboxId, code, { language, timeoutMs: 60_000, variables: { item } });

		test.each([
			['python', 'print(item["name"], item["n"] * 2, item["nested"]["list"])', 'Zoë "quoted" 6 [1, None, True]\n'],
			['javascript', 'console.log(item.name, item.n * 2, item.nested.list)', 'Zoë "quoted" 6 [ 1, null, true ]\n'],
			['typescript', 'const doubled: number = item.n * 2; console.log(doubled)', '6\n'],
			['r', 'cat(item$name, item$n * 2, length(item$nested$list))', 'Zoë "quoted" 6 3'],
			['bash', 'echo "$item"', `${JSON.stringify(item)}\n`],
		] as const)('%s reads the item, and its file is gone', async (language, code, stdout) => {
			const execution = await withItem(code, language);
			expect(execution.error).toBeNull();
			expect(execution.logs.stdout.join('')).toBe(stdout);
			const left = await run('import os\n[f for f in os.listdir("/home/user") if f.startswith(".n8n-input")]');
			expect(executionText(left)).toBe('[]');
		});

		test('all items as a list that pandas takes as it is', async () => {
			const items = Array.from({ length: 500 }, (_, i) => ({ id: i, city: i % 2 ? 'Oslo' : 'Rome', amount: i / 2 }));
			const execution = await backend.runCode(
				sandbox.sandboxId,
				'import pandas as pd\ndf = pd.DataFrame(items)\nprint(df.shape, df["amount"].sum(), list(df.columns))',
				{ language: 'python', timeoutMs: 60_000, variables: { items } },
			);
			expect(execution.logs.stdout.join('')).toBe("(500, 3) 62375.0 ['id', 'city', 'amount']\n");
		});
	});

	test('a runaway print is cut at the log limit, with a note, and the run still ends normally', async () => {
		const execution = await backend.runCode(sandbox.sandboxId, 'for i in range(50_000):\n    print("x" * 999)\n"done"', {
			language: 'python',
			timeoutMs: 60_000,
			limits: { maxLogBytes: 1024 * 1024, maxResultBytes: 1024 * 1024 },
		});
		const stdout = execution.logs.stdout.join('');
		expect(stdout.length).toBe(1024 * 1024);
		expect(stdout.startsWith('x'.repeat(999) + '\n')).toBe(true);
		expect(execution.truncated).toEqual(['stdout was cut at 1 MB (Max Log Size); the rest of it was dropped.']);
		expect(executionText(execution)).toBe("'done'");
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

	test.each<[Language, string, string, string]>([
		['python', 'while True:\n    pass', 'x', '21'],
		['bash', 'sleep 300', 'echo "$GREETING"', 'hello\n'],
		['r', 'while (TRUE) {}', 'sum(v)', '[1] 6'],
	])('%s: a timeout interrupts an endless run and the next run works with state kept', async (language, loop, probe, expected) => {
		const started = Date.now();
		const execution = await run(loop, language, 1_500);
		expect(Date.now() - started).toBeLessThan(8_000);
		expect(execution.error?.name).toBe('TimeoutError');
		expect(execution.error?.value).toContain('The sandbox and its state are kept');
		const after = await run(probe, language);
		expect(after.error).toBeNull();
		expect(everything(after)).toBe(expected);
	});

	test('JavaScript: a kernel that ignores the interrupt is replaced by a fresh one, and says its state is lost', async () => {
		const execution = await run('while (true) {}', 'javascript', 1_500);
		expect(execution.error?.name).toBe('TimeoutError');
		expect(execution.error?.value).toContain('was stopped');
		const after = await run('typeof names', 'javascript');
		expect(executionText(after)).toBe('"undefined"');
	}, 60_000);

	test('Set Timeout moves the deadline, and Get Many reports it', async () => {
		const moved = await backend.setTimeout(sandbox.sandboxId, 900);
		const expected = Date.now() + 900_000;
		expect(Math.abs(Date.parse(moved.expiresAt) - expected)).toBeLessThan(5_000);
		const listed = (await backend.list()).find((s) => s.sandboxId === sandbox.sandboxId);
		expect(Math.abs(Date.parse(listed!.expiresAt) - Date.parse(moved.expiresAt))).toBeLessThan(1_000);
	});

	test('an unknown sandbox id is a SandboxNotFoundError, and killing it reports false', async () => {
		await expect(backend.runCode('ci-0000000000000000', '1', { language: 'python', timeoutMs: 5_000 })).rejects.toBeInstanceOf(
			SandboxNotFoundError,
		);
		await expect(backend.kill('ci-0000000000000000')).resolves.toBe(false);
	});
});

test('a sandbox stops at its deadline without anyone watching, and is removed', async () => {
	const shortLived = await backend.create({ timeoutSeconds: 2 });
	const running = async () => (await docker.listContainers({ filters: { name: [shortLived.sandboxId] } })).length > 0;
	const deadline = Date.now() + 20_000;
	while ((await running()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
	expect(await running()).toBe(false);
	if (!dockerRemovesStoppedSandboxes(await docker.info())) {
		console.log('This engine keeps stopped sandboxes (live-restore before Docker 24.0.8): Get Many removes it.');
		await backend.list();
	}
	await new Promise((resolve) => setTimeout(resolve, 1_000));
	expect(await docker.listContainers({ all: true, filters: { name: [shortLived.sandboxId] } })).toHaveLength(0);
}, 60_000);

test('Kill Sandbox removes the container', async () => {
	const doomed = await backend.create({ timeoutSeconds: 300 });
	await expect(backend.kill(doomed.sandboxId)).resolves.toBe(true);
	expect(await docker.listContainers({ all: true, filters: { name: [doomed.sandboxId] } })).toHaveLength(0);
});

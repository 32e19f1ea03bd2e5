import { randomUUID } from 'crypto';
import { Readable } from 'stream';

import type { Backend, SandboxInfo } from '../../../nodes/CodeInterpreter/backends/Backend';
import { executionText } from '../../../nodes/CodeInterpreter/model/execution';
import type { SuiteContext } from './suite';
import { runOne } from '../../helpers/runOne';

/** What a Python kernel holds that a pause must keep: numbers, strings, a DataFrame, a function, a class, modules. */
const PYTHON_STATE = [
	'import pandas as pd, numpy as np, os',
	'n = 41',
	's = "hej då"',
	'df = pd.DataFrame({"region": ["eu", "us", "eu"], "sales": [1.5, 2.0, 3.25]})',
	'def double(x): return x * 2',
	'class Box:\n    def __init__(self, v): self.v = v',
	'box = Box(7)',
	'os.makedirs("/home/user/work", exist_ok=True)',
	'open("/home/user/work/notes.txt", "w").write("kept")',
	'open("/tmp/scratch.txt", "w").write("tmp too")',
].join('\n');
const PYTHON_CHECK =
	'print(n + 1, s, df.groupby("region").sales.sum().to_dict(), double(21), box.v, np.arange(3).sum(), open("/home/user/work/notes.txt").read(), open("/tmp/scratch.txt").read())';
const PYTHON_EXPECTED = "42 hej då {'eu': 4.75, 'us': 2.0} 42 7 3 kept tmp too\n";

async function listed(backend: Backend, sandboxId: string): Promise<SandboxInfo | undefined> {
	return (await backend.list()).find((sandbox) => sandbox.sandboxId === sandboxId);
}

/** Pause and Resume: a sandbox sleeps with its state and wakes with it, on demand, on use and at its deadline. */
export function pauseCases({ subject, backend, test }: SuiteContext): void {
	const python = async (target: Backend, sandboxId: string, code: string) => await runOne(target, sandboxId, code, { language: 'python', timeoutMs: 60_000 });

	test('Pause, then Resume from another backend instance: variables (numbers, strings, a DataFrame, a function, a class, modules) and files come back', async () => {
		const made = await backend().create({ timeoutSeconds: 300, template: subject.template });
		try {
			expect((await python(backend(), made.sandboxId, PYTHON_STATE)).error).toBeNull();
			const paused = await backend().pause(made.sandboxId);
			expect(paused).toMatchObject({ sandboxId: made.sandboxId, state: 'paused' });
			expect(await listed(backend(), made.sandboxId)).toMatchObject({ state: 'paused' });
			// Paused already: as it is.
			expect(await backend().pause(made.sandboxId)).toMatchObject({ sandboxId: made.sandboxId, state: 'paused' });

			const elsewhere = subject.backend();
			const resumed = await elsewhere.resume(made.sandboxId, 600);
			expect(resumed).toMatchObject({ sandboxId: made.sandboxId, state: 'running' });
			expect(Date.parse(resumed.expiresAt) - Date.now()).toBeGreaterThan(590_000);
			expect((await python(elsewhere, made.sandboxId, PYTHON_CHECK)).logs.stdout.join('')).toBe(PYTHON_EXPECTED);
			expect(await listed(backend(), made.sandboxId)).toMatchObject({ state: 'running' });
		} finally {
			await backend().kill(made.sandboxId);
		}
	}, 240_000);

	test('a run, a file read or Set Timeout on a paused sandbox resumes it first, with its state', async () => {
		const made = await backend().create({ timeoutSeconds: 300, template: subject.template });
		try {
			await python(backend(), made.sandboxId, 'x = 20');
			await backend().writeFile(made.sandboxId, 'in.csv', Readable.from([Buffer.from('a\n1\n')]));
			await backend().pause(made.sandboxId);
			expect(executionText(await python(backend(), made.sandboxId, 'x + 1'))).toBe('21');
			await backend().pause(made.sandboxId);
			const file = await backend().readFile(made.sandboxId, 'in.csv');
			const chunks: Buffer[] = [];
			for await (const chunk of file.content) chunks.push(chunk as Buffer);
			expect(Buffer.concat(chunks).toString()).toBe('a\n1\n');
			await backend().pause(made.sandboxId);
			expect(await backend().setTimeout(made.sandboxId, 120)).toMatchObject({ state: 'running' });
			expect(executionText(await python(backend(), made.sandboxId, 'x + 2'))).toBe('22');
		} finally {
			await backend().kill(made.sandboxId);
		}
	}, 240_000);

	test('On Timeout pause: at its deadline the sandbox pauses instead of dying, and a run resumes it with its variables', async () => {
		const made = await backend().create({ timeoutSeconds: 5, onTimeout: 'pause', template: subject.template });
		try {
			await python(backend(), made.sandboxId, 'kept = "through the deadline"');
			const until = Date.now() + 60_000;
			while ((await listed(backend(), made.sandboxId))?.state !== 'paused' && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 1_000));
			expect(await listed(backend(), made.sandboxId)).toMatchObject({ state: 'paused' });
			expect((await python(backend(), made.sandboxId, 'print(kept)')).logs.stdout.join('')).toBe('through the deadline\n');
		} finally {
			await backend().kill(made.sandboxId);
		}
	}, 180_000);

	test('a conversation\'s sandbox (On Timeout pause) pauses when idle; the next call resumes it with its variables', async () => {
		const name = `paused conversation ${randomUUID()}`;
		const first = await backend().openNamed(name, { timeoutSeconds: 5, onTimeout: 'pause', template: subject.template });
		try {
			await python(backend(), first.sandboxId, 'answer = 42');
			const until = Date.now() + 60_000;
			while ((await listed(backend(), first.sandboxId))?.state !== 'paused' && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 1_000));
			expect(await listed(backend(), first.sandboxId)).toMatchObject({ state: 'paused' });
			const again = await subject.backend().openNamed(name, { timeoutSeconds: 120, onTimeout: 'pause', template: subject.template });
			expect(again).toMatchObject({ sandboxId: first.sandboxId, state: 'running' });
			expect(executionText(await python(backend(), again.sandboxId, 'answer'))).toBe('42');
		} finally {
			await backend().kill(first.sandboxId);
		}
	}, 180_000);

	test('Kill removes a paused sandbox; another credential can neither see, resume nor kill it; an unknown one is not found', async () => {
		const made = await backend().create({ timeoutSeconds: 300, template: subject.template });
		await backend().pause(made.sandboxId);
		const other = subject.backend(`credential:${randomUUID()}`);
		const notFound = { name: 'SandboxNotFoundError' };
		expect((await other.list()).map((sandbox) => sandbox.sandboxId)).not.toContain(made.sandboxId);
		await expect(other.resume(made.sandboxId, 60)).rejects.toMatchObject(notFound);
		await expect(other.pause(made.sandboxId)).rejects.toMatchObject(notFound);
		expect(await other.kill(made.sandboxId)).toBe(false);
		expect(await listed(backend(), made.sandboxId)).toMatchObject({ state: 'paused' });
		expect(await backend().kill(made.sandboxId)).toBe(true);
		expect(await listed(backend(), made.sandboxId)).toBeUndefined();
		await expect(backend().resume(made.sandboxId, 60)).rejects.toMatchObject(notFound);
		await expect(backend().pause(subject.unknownSandboxId)).rejects.toMatchObject(notFound);
	}, 180_000);
}

import { randomUUID } from 'crypto';
import { Readable } from 'stream';

import { executionText } from '../../../nodes/CodeInterpreter/model/execution';
import { DEFAULT_SCOPE } from '../../../nodes/CodeInterpreter/backends/common/sandboxScope';
import type { SuiteContext } from './suite';
import { runOne } from '../../helpers/runOne';

/** A sandbox belongs to the credential (scope) that made it: another one cannot list, use, read or kill it. */
export function scopeCases({ subject, backend, sandbox, test }: SuiteContext): void {
	test('another credential cannot list, run in, read, write, list the files of, time or kill a sandbox; the same scope can', async () => {
		const mine = sandbox().sandboxId;
		await backend().writeFile(mine, 'customers.csv', Readable.from([Buffer.from('name\nAda\n')]));
		const other = subject.backend(`credential:${randomUUID()}`);
		const notFound = { name: 'SandboxNotFoundError', message: `Sandbox "${mine}" was not found` };

		expect((await other.list()).map((info) => info.sandboxId)).not.toContain(mine);
		await expect(runOne(other, mine, '1 + 1', { language: 'python', timeoutMs: 30_000 })).rejects.toMatchObject(notFound);
		await expect(other.readFile(mine, 'customers.csv')).rejects.toMatchObject(notFound);
		await expect(other.listFiles(mine, '.', { depth: 1 })).rejects.toMatchObject(notFound);
		await expect(other.writeFile(mine, 'planted.txt', Readable.from([Buffer.from('x')]))).rejects.toMatchObject(notFound);
		await expect(other.setTimeout(mine, 5)).rejects.toMatchObject(notFound);
		expect(await other.kill(mine)).toBe(false);

		// Untouched, and still reached through its own scope from another backend instance.
		const same = subject.backend(DEFAULT_SCOPE);
		expect((await same.list()).map((info) => info.sandboxId)).toContain(mine);
		expect(executionText(await runOne(same, mine, 'open("customers.csv").read().split()[1]', { language: 'python', timeoutMs: 30_000 }))).toBe('Ada');
		expect((await same.listFiles(mine, '.', { depth: 1 })).map((file) => file.name)).not.toContain('planted.txt');
	}, 180_000);

	test('the same conversation name opens another sandbox in another scope', async () => {
		const name = `scoped ${randomUUID()}`;
		const other = subject.backend(`credential:${randomUUID()}`);
		const first = await backend().openNamed(name, { timeoutSeconds: 120, template: subject.template });
		try {
			const second = await other.openNamed(name, { timeoutSeconds: 120, template: subject.template });
			try {
				expect(second.sandboxId).not.toBe(first.sandboxId);
			} finally {
				await other.kill(second.sandboxId);
			}
		} finally {
			await backend().kill(first.sandboxId);
		}
	}, 180_000);
}

import { randomUUID } from 'crypto';

import { executionText } from '../../../nodes/CodeInterpreter/model/execution';
import type { SuiteContext } from './suite';
import { runOne } from '../../helpers/runOne';

/** Sandboxes known by a name (an AI Agent's conversation), found again by any process. */
export function namedCases({ subject, backend, test }: SuiteContext): void {
	test('a name opens the same sandbox from another backend instance, with its state, and moves its deadline', async () => {
		const name = `suite ${randomUUID()}`;
		const first = await backend().openNamed(name, { timeoutSeconds: 120, template: subject.template });
		try {
			await runOne(backend(), first.sandboxId, 'x = 21', { language: 'python', timeoutMs: 30_000 });
			const again = await subject.backend().openNamed(name, { timeoutSeconds: 600, template: subject.template });
			expect(again.sandboxId).toBe(first.sandboxId);
			expect(Date.parse(again.expiresAt) - Date.now()).toBeGreaterThan(590_000);
			const listed = (await backend().list()).find((sandbox) => sandbox.sandboxId === first.sandboxId);
			// Deadlines are kept to the second.
			expect(Math.abs(Date.parse(listed!.expiresAt) - Date.parse(again.expiresAt))).toBeLessThan(1_000);
			const execution = await runOne(subject.backend(), again.sandboxId, 'x * 2', { language: 'python', timeoutMs: 30_000 });
			expect(executionText(execution)).toBe('42');
			const other = await backend().openNamed(`${name} (another)`, { timeoutSeconds: 120, template: subject.template });
			expect(other.sandboxId).not.toBe(first.sandboxId);
			await backend().kill(other.sandboxId);
		} finally {
			await backend().kill(first.sandboxId);
		}
	}, 180_000);

	test('callers racing to open one name end up sharing one sandbox, and no other is left running', async () => {
		const name = `suite race ${randomUUID()}`;
		const before = new Set((await backend().list()).map((sandbox) => sandbox.sandboxId));
		const opened = await Promise.all(
			Array.from({ length: 4 }, (_, n) => (n % 2 ? subject.backend() : backend()).openNamed(name, { timeoutSeconds: 120, template: subject.template })),
		);
		try {
			expect(new Set(opened.map((sandbox) => sandbox.sandboxId)).size).toBe(1);
			const added = (await backend().list()).filter((sandbox) => !before.has(sandbox.sandboxId)).map((sandbox) => sandbox.sandboxId);
			expect(added).toEqual([opened[0].sandboxId]);
		} finally {
			await backend().kill(opened[0].sandboxId);
		}
	}, 180_000);
}

import { execute } from '../../../../nodes/CodeInterpreter/actions/sandbox/resume.operation';
import { fakeBackend, fakeContext, SANDBOX } from '../fakes';

test('resumes the sandbox with its new timeout and outputs it, running, with what each language got back', async () => {
	const resumed = { ...SANDBOX, languages: { python: { restored: ['df'], notRestored: {} }, javascript: { lost: 'lives only in the kernel' } } };
	const { ctx } = fakeContext({ items: [{ sandboxId: SANDBOX.sandboxId, timeoutSeconds: '600' }] });
	const { backend, called } = fakeBackend({ resume: resumed });
	expect(await execute.call(ctx, 0, backend)).toEqual([{ json: resumed }]);
	expect(called('resume')).toEqual([[SANDBOX.sandboxId, 600]]);
});

test('a wrong timeout is an error, and nothing is resumed', async () => {
	const { ctx } = fakeContext({ items: [{ sandboxId: SANDBOX.sandboxId, timeoutSeconds: 0 }] });
	const { backend, calls } = fakeBackend();
	await expect(execute.call(ctx, 0, backend)).rejects.toThrow('"Timeout (Seconds)" must be more than 0 seconds');
	expect(calls).toEqual([]);
});

import { execute } from '../../../../nodes/CodeInterpreter/actions/sandbox/getAll.operation';
import { fakeBackend, fakeContext, SANDBOX } from '../fakes';

test('one item per sandbox the backend lists; none when there are none', async () => {
	const { ctx } = fakeContext({ items: [{}] });
	const other = { ...SANDBOX, sandboxId: 'ci-fedcba9876543210' };
	expect(await execute.call(ctx, 0, fakeBackend({ list: [SANDBOX, other] }).backend)).toEqual([{ json: { ...SANDBOX } }, { json: { ...other } }]);
	expect(await execute.call(ctx, 0, fakeBackend({ list: [] }).backend)).toEqual([]);
});

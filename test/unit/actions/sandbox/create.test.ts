import { execute } from '../../../../nodes/CodeInterpreter/actions/sandbox/create.operation';
import { fakeBackend, fakeContext, SANDBOX } from '../fakes';

test('creates a sandbox with the timeout and options, and outputs what the backend knows of it', async () => {
	const { ctx } = fakeContext({
		items: [{ timeoutSeconds: '600', options: { internetAccess: true, template: ' my-template ', envs: { variable: [{ name: 'REGION', value: 'eu' }] } } }],
	});
	const { backend, called } = fakeBackend();
	expect(await execute.call(ctx, 0, backend)).toEqual([{ json: { ...SANDBOX } }]);
	expect(called('create')).toEqual([[{ timeoutSeconds: 600, internetAccess: true, envs: { REGION: 'eu' }, template: 'my-template' }]]);
});

test('defaults: no internet, no variables, the backend\'s template', async () => {
	const { ctx } = fakeContext({ items: [{ timeoutSeconds: 300 }] });
	const { backend, called } = fakeBackend();
	await execute.call(ctx, 0, backend);
	expect(called('create')).toEqual([[{ timeoutSeconds: 300, internetAccess: false, envs: {}, template: undefined }]]);
});

test.each([
	[{ timeoutSeconds: 0 }, '"Timeout (Seconds)" must be more than 0 seconds'],
	[{ timeoutSeconds: 'soon' }, '"Timeout (Seconds)" must be a number of seconds'],
	[{ timeoutSeconds: 60, options: { envs: { variable: [{ name: '1BAD', value: 'x' }] } } }, 'Environment Variables: a name must be letters'],
])('a wrong parameter is an error that names it, and nothing is created: %j', async (parameters, message) => {
	const { ctx } = fakeContext({ items: [parameters] });
	const { backend, calls } = fakeBackend();
	await expect(execute.call(ctx, 0, backend)).rejects.toThrow(message);
	expect(calls).toEqual([]);
});

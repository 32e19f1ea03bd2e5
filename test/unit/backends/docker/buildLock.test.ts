import { lockName } from '../../../../nodes/CodeInterpreter/backends/docker/image/buildLock';

describe('the build lock container name', () => {
	test.each([
		['n8n-code-interpreter-sandbox:0.1.0', 'n8n-code-interpreter-build-n8n-code-interpreter-sandbox_0.1.0'],
		['registry.example.com:5000/team/sandbox:1.2.3-rc.1', 'n8n-code-interpreter-build-registry.example.com_5000_team_sandbox_1.2.3-rc.1'],
	])('%s → %s, a name Docker accepts', (tag, name) => {
		expect(lockName(tag)).toBe(name);
		expect(lockName(tag)).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/);
	});

	test('differs for tags that differ', () => {
		expect(lockName('sandbox:1')).not.toBe(lockName('sandbox:2'));
	});
});

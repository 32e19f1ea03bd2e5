import { dockerRemovesStoppedSandboxes } from '../../../../nodes/CodeInterpreter/backends/docker/autoRemove';

test.each([
	[false, '20.10.24+dfsg1', true],
	[undefined, '20.10.24', true],
	[true, '20.10.24+dfsg1', false],
	[true, '24.0.7', false],
	[true, '23.9.9', false],
	[true, '24.0.8', true],
	[true, '24.1.0', true],
	[true, '27.3.1', true],
	[true, 'dev-build', true],
])('live-restore %s on engine %s: Docker removes stopped sandboxes = %s', (LiveRestoreEnabled, ServerVersion, expected) => {
	expect(dockerRemovesStoppedSandboxes({ LiveRestoreEnabled, ServerVersion })).toBe(expected);
});

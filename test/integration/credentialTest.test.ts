import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';

import { CodeInterpreter } from '../../nodes/CodeInterpreter/CodeInterpreter.node';
import { DEFAULT_IMAGE } from '../../nodes/CodeInterpreter/packageInfo';

const testCredential = (data: ICredentialsDecrypted['data']) =>
	new CodeInterpreter().methods.credentialTest.codeInterpreterDockerApiTest.call({} as ICredentialTestFunctions, {
		id: 'test',
		name: 'Docker',
		type: 'codeInterpreterDockerApi',
		data,
	});

describe('the Docker credential test', () => {
	test('passes with the defaults when Docker runs and the image is built', async () => {
		await expect(testCredential({})).resolves.toEqual({
			status: 'OK',
			message: `Docker answers at socket /var/run/docker.sock and has the sandbox image ${DEFAULT_IMAGE}`,
		});
	});

	test('says how to build a missing image', async () => {
		const result = await testCredential({ image: 'n8n-code-interpreter-sandbox:0.0.0-missing' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('"n8n-code-interpreter-sandbox:0.0.0-missing" does not exist');
		expect(result.message).toContain('npm run template:build');
	});

	test('names the socket it could not reach', async () => {
		const result = await testCredential({ socketPath: '/tmp/no-docker-here.sock' });
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringContaining('Cannot reach the Docker engine at socket /tmp/no-docker-here.sock'),
		});
	});
});

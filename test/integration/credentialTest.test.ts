import { createServer, type AddressInfo } from 'net';
import type { ICredentialsDecrypted, ICredentialTestFunctions } from 'n8n-workflow';

import { CodeInterpreter } from '../../nodes/CodeInterpreter/CodeInterpreter.node';
import { DEFAULT_IMAGE } from '../../nodes/CodeInterpreter/packageInfo';
import { startE2BDouble, type E2BDouble } from '../e2b/double/startE2BDouble';

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

	test('says a missing image of the user\'s own is not built for them', async () => {
		const result = await testCredential({ image: 'n8n-code-interpreter-sandbox:0.0.0-missing' });
		expect(result.status).toBe('Error');
		expect(result.message).toContain('"n8n-code-interpreter-sandbox:0.0.0-missing" does not exist');
		expect(result.message).toContain('never built for you');
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

describe('the E2B credential test (against the local double of E2B\'s API)', () => {
	let double: E2BDouble;
	beforeAll(async () => {
		double = await startE2BDouble();
	});
	afterAll(async () => await double?.close());

	const testE2B = (data: ICredentialsDecrypted['data']) =>
		new CodeInterpreter().methods.credentialTest.e2bApiTest.call({} as ICredentialTestFunctions, { id: 'test', name: 'E2B', type: 'e2bApi', data });

	test('passes with a key E2B accepts', async () => {
		await expect(testE2B({ apiKey: double.apiKey, apiUrl: double.apiUrl, sandboxUrl: double.sandboxUrl })).resolves.toEqual({
			status: 'OK',
			message: 'E2B accepted the API key; 0 sandboxes of this package running',
		});
	});

	test('fails with a wrong key, saying it was rejected, without the key', async () => {
		const result = await testE2B({ apiKey: 'e2b_wrong_key_456', apiUrl: double.apiUrl, sandboxUrl: double.sandboxUrl });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('E2B rejected the API key') });
		expect(result.message).not.toContain('e2b_wrong_key_456');
	});

	test('names an unreachable API', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const { port } = closed.address() as AddressInfo;
		await new Promise((resolve) => closed.close(resolve));
		const result = await testE2B({ apiKey: 'e2b_x', apiUrl: `http://127.0.0.1:${port}`, requestTimeoutSeconds: 5 });
		expect(result).toEqual({ status: 'Error', message: expect.stringContaining('Cannot reach E2B to list sandboxes (ECONNREFUSED)') });
	});
});

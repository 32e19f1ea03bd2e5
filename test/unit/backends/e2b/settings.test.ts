import { connectionOptions, parseE2BSettings } from '../../../../nodes/CodeInterpreter/backends/e2b/settings';

test('only the API key is needed; empty fields fall back to the SDK\'s defaults', () => {
	const settings = parseE2BSettings({ apiKey: ' e2b_abc ', domain: '', apiUrl: '', sandboxUrl: '' });
	expect(connectionOptions(settings)).toEqual({
		apiKey: 'e2b_abc',
		domain: undefined,
		apiUrl: undefined,
		sandboxUrl: undefined,
		requestTimeoutMs: 60_000,
		debug: false,
	});
});

test('a self-hosted E2B: domain, API URL, sandbox URL and request timeout are passed on', () => {
	const settings = parseE2BSettings({ apiKey: 'k', domain: 'e2b.example.com', apiUrl: 'http://10.0.0.5:3000', sandboxUrl: 'http://10.0.0.5:3001', requestTimeoutSeconds: 5 });
	expect(connectionOptions(settings)).toMatchObject({ domain: 'e2b.example.com', apiUrl: 'http://10.0.0.5:3000', sandboxUrl: 'http://10.0.0.5:3001', requestTimeoutMs: 5_000 });
});

test.each([
	[{}, 'The E2B credential is not valid: apiKey: the API key is missing'],
	[{ apiKey: '  ' }, 'The E2B credential is not valid: apiKey: the API key is empty'],
	[{ apiKey: 'k', apiUrl: 'not a url' }, 'The E2B credential is not valid: apiUrl: must be a URL such as https://api.example.com'],
])('%j: a clear error naming the field', (raw, message) => {
	expect(() => parseE2BSettings(raw)).toThrow(message);
});

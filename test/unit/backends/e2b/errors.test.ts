import { AuthenticationError, FileNotFoundError, RateLimitError, SandboxNotFoundError as E2BSandboxNotFoundError, TimeoutError } from 'e2b';

import { fromE2BError } from '../../../../nodes/CodeInterpreter/backends/e2b/errors';
import { SandboxError } from '../../../../nodes/CodeInterpreter/model/errors';
import { SandboxFileNotFoundError, SandboxNotFoundError } from '../../../../nodes/CodeInterpreter/backends/errors';

const KEY = 'e2b_secret_key_123';
const context = { action: 'create a sandbox', apiKey: KEY, requestTimeoutMs: 60_000 };

test('a rejected key says so and where to get one, never echoing the key', () => {
	const error = fromE2BError(new AuthenticationError(`Unauthorized, please check your credentials. - key ${KEY} is invalid`), context);
	expect(error.message).toBe('E2B rejected the API key');
	expect(error.description).toContain('https://e2b.dev/dashboard?tab=keys');
	expect(`${error.message} ${error.description}`).not.toContain(KEY);
});

test('429: rate or concurrency limit, with what to do', () => {
	const error = fromE2BError(new RateLimitError('429: too many sandboxes'), context);
	expect(error.message).toBe('E2B refused to create a sandbox: rate limit or concurrent sandbox limit reached (HTTP 429)');
	expect(error.description).toContain('Retry On Fail');
});

test('a sandbox that is gone is our SandboxNotFoundError with E2B\'s reason', () => {
	const error = fromE2BError(new E2BSandboxNotFoundError('Sandbox abc not found'), { ...context, sandboxId: 'abc' });
	expect(error).toBeInstanceOf(SandboxNotFoundError);
	expect(error.description).toContain('E2B ends a sandbox when its timeout passes');
});

test('files: not found, and permission denied in the words the Docker backend uses', () => {
	const file = { path: '/home/user/x.csv', verb: 'read' as const };
	expect(fromE2BError(new FileNotFoundError('no such file'), { ...context, file })).toBeInstanceOf(SandboxFileNotFoundError);
	expect(fromE2BError(new Error('403: permission denied: open /etc/x'), { ...context, file: { path: '/etc/x', verb: 'write' } }).message).toBe(
		'The sandbox\'s user may not write "/etc/x"',
	);
});

test('a request timeout is named as such, apart from the code\'s execution limit', () => {
	for (const timeout of [new TimeoutError('Request timed out'), Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' })]) {
		const error = fromE2BError(timeout, context);
		expect(error.message).toBe('E2B did not answer within 60 s trying to create a sandbox (request timeout)');
		expect(error.description).toContain('not the code\'s execution limit');
	}
});

test('a network failure names its code; anything else keeps the SDK\'s message, without the key', () => {
	const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
	expect(fromE2BError(refused, context).message).toBe('Cannot reach E2B to create a sandbox (ECONNREFUSED)');
	const other = fromE2BError(new Error(`500: boom for ${KEY}`), context);
	expect(other).toBeInstanceOf(SandboxError);
	expect(other.message).toBe('E2B could not create a sandbox: 500: boom for ***');
});

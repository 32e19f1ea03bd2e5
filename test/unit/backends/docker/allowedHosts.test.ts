import { resolveAllowedHosts } from '../../../../nodes/CodeInterpreter/backends/docker/allowedHosts';
import { parseAllowedHost } from '../../../../nodes/CodeInterpreter/model/allowedHosts';

const HOST = ['192.168.1.5', 'fe80::1'];
const hosts = (...entries: string[]) => entries.map(parseAllowedHost);

test('names resolve once to the addresses the firewall opens and /etc/hosts pins; addresses and ranges are kept', async () => {
	const lookup = async (name: string) => ({ 'pypi.example': ['203.0.113.7', '2001:db8::7', '203.0.113.7'] })[name] ?? [];
	expect(await resolveAllowedHosts(hosts('pypi.example', '10.0.0.5', '10.1.0.0/16'), HOST, lookup)).toEqual({
		addresses: ['203.0.113.7', '2001:db8::7', '10.0.0.5'],
		ranges: ['10.1.0.0/16'],
		extraHosts: ['pypi.example:203.0.113.7', 'pypi.example:2001:db8::7'],
	});
});

test('a name whose addresses include ones a sandbox never reaches keeps only the others; with none left it is refused', async () => {
	const lookup = async () => ['127.0.0.1', '::ffff:203.0.113.8'];
	expect((await resolveAllowedHosts(hosts('mixed.example'), HOST, lookup)).addresses).toEqual(['203.0.113.8']);
	const loopbackOnly = async () => ['::ffff:127.0.0.1'];
	await expect(resolveAllowedHosts(hosts('local.example'), HOST, loopbackOnly)).rejects.toThrow('The allowed host local.example (127.0.0.1) is one a sandbox can never reach');
});

test.each(['192.168.1.5', 'fe80::1', '169.254.169.254', '224.0.0.1', '0.0.0.0', '127.0.0.0/8', '::1'])('%s is refused', async (entry) => {
	await expect(resolveAllowedHosts(hosts(entry), HOST, async () => [])).rejects.toThrow('is one a sandbox can never reach');
});

test('a name that does not resolve, or not in time, is an error that says what to do', async () => {
	const failing = async () => {
		throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
	};
	await expect(resolveAllowedHosts(hosts('gone.example'), HOST, failing)).rejects.toMatchObject({
		message: 'The allowed host "gone.example" could not be resolved (ENOTFOUND)',
		description: expect.stringContaining('give its IP address'),
	});
	jest.useFakeTimers();
	try {
		let cancelled = false;
		const never = (_: string, signal: AbortSignal) => new Promise<string[]>(() => signal.addEventListener('abort', () => (cancelled = true)));
		const pending = resolveAllowedHosts(hosts('slow.example'), HOST, never);
		const outcome = expect(pending).rejects.toThrow('Resolving the Allowed Hosts took more than 10 s');
		await jest.advanceTimersByTimeAsync(10_000);
		await outcome;
		// The lookup is cancelled, not left running.
		expect(cancelled).toBe(true);
	} finally {
		jest.useRealTimers();
	}
});

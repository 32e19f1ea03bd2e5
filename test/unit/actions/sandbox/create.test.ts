import { execute } from '../../../../nodes/CodeInterpreter/actions/sandbox/create.operation';
import { fakeBackend, fakeContext, SANDBOX } from '../fakes';

test('creates a sandbox with the timeout and options, and outputs what the backend knows of it', async () => {
	const { ctx } = fakeContext({
		items: [
			{
				timeoutSeconds: '600',
				options: {
					internetAccess: true,
					allowedHosts: 'PyPI.org., 10.0.0.5\n\n 10.1.0.0/16 ,fd00::1, ::ffff:10.0.0.6',
					packages: 'tabulate==0.9.0\n# for the report\nrequests>=2.31,<3',
					template: ' my-template ',
					envs: { variable: [{ name: 'REGION', value: 'eu' }] },
					onTimeout: 'pause',
				},
			},
		],
	});
	const { backend, called } = fakeBackend();
	expect(await execute.call(ctx, 0, backend)).toEqual([{ json: { ...SANDBOX } }]);
	const allowedHosts = [
		{ kind: 'name', name: 'pypi.org' },
		{ kind: 'address', address: '10.0.0.5' },
		{ kind: 'range', range: '10.1.0.0/16' },
		{ kind: 'address', address: 'fd00::1' },
		{ kind: 'address', address: '10.0.0.6' },
	];
	const packages = ['tabulate==0.9.0', 'requests>=2.31,<3'];
	expect(called('create')).toEqual([[{ timeoutSeconds: 600, internetAccess: true, allowedHosts, packages, envs: { REGION: 'eu' }, template: 'my-template', onTimeout: 'pause' }]]);
});

test('defaults: no internet, no variables, the backend\'s template', async () => {
	const { ctx } = fakeContext({ items: [{ timeoutSeconds: 300 }] });
	const { backend, called } = fakeBackend();
	await execute.call(ctx, 0, backend);
	expect(called('create')).toEqual([[{ timeoutSeconds: 300, internetAccess: false, allowedHosts: [], packages: [], envs: {}, template: undefined, onTimeout: 'kill' }]]);
});

test.each([
	[{ timeoutSeconds: 0 }, '"Timeout (Seconds)" must be more than 0 seconds'],
	[{ timeoutSeconds: 'soon' }, '"Timeout (Seconds)" must be a number of seconds'],
	[{ timeoutSeconds: 60, options: { envs: { variable: [{ name: '1BAD', value: 'x' }] } } }, 'Environment Variables: a name must be letters'],
	[{ timeoutSeconds: 60, options: { allowedHosts: 'https://pypi.org/simple' } }, 'Allowed Hosts: "https://pypi.org/simple" is a URL: give its host name alone, e.g. "pypi.org"'],
	[{ timeoutSeconds: 60, options: { allowedHosts: '*.example.com' } }, 'Allowed Hosts: "*.example.com": wildcards are not supported'],
	[{ timeoutSeconds: 60, options: { allowedHosts: 'mirror.local:8080' } }, 'every port of an allowed host is open'],
	[{ timeoutSeconds: 60, options: { allowedHosts: '10.0.0.0/33' } }, 'a CIDR range ends in /0 to /32'],
	[{ timeoutSeconds: 60, options: { allowedHosts: 'not a host' } }, '"not a host" is not a domain name, an IP address or a CIDR range'],
	[{ timeoutSeconds: 60, options: { allowedHosts: '10.1.1.1/08' } }, 'a CIDR range ends in /0 to /32'],
	[{ timeoutSeconds: 60, options: { allowedHosts: '0.0.0.0/0' } }, 'is every address: turn on Internet Access instead'],
	[{ timeoutSeconds: 60, options: { allowedHosts: 'fe80::1%eth0' } }, 'give the address without a zone'],
	[{ timeoutSeconds: 60, options: { allowedHosts: '2130706433' } }, 'write an IPv4 address as four decimal numbers'],
	[{ timeoutSeconds: 60, options: { allowedHosts: '010.1.1.1' } }, 'write an IPv4 address as four decimal numbers'],
	[{ timeoutSeconds: 60, options: { allowedHosts: 'api.localhost' } }, 'is a loopback name'],
	[{ timeoutSeconds: 60, options: { packages: '--extra-index-url https://evil.example/simple' } }, 'Packages: "--extra-index-url https://evil.example/simple": pip options are not taken here'],
	[{ timeoutSeconds: 60, options: { allowedHosts: Array.from({ length: 101 }, (_, i) => `10.0.0.${i}`).join(',') } }, 'Allowed Hosts: 101 entries; at most 100'],
])('a wrong parameter is an error that names it, and nothing is created: %j', async (parameters, message) => {
	const { ctx } = fakeContext({ items: [parameters] });
	const { backend, calls } = fakeBackend();
	await expect(execute.call(ctx, 0, backend)).rejects.toThrow(message);
	expect(calls).toEqual([]);
});

test('On Timeout other than kill or pause is refused, naming the option', async () => {
	const { ctx } = fakeContext({ items: [{ timeoutSeconds: 60, options: { onTimeout: 'sleep' } }] });
	await expect(execute.call(ctx, 0, fakeBackend().backend)).rejects.toThrow(/must be kill or pause/);
});

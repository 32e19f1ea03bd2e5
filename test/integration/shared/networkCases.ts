import { execFileSync } from 'child_process';

import { parseAllowedHost } from '../../../nodes/CodeInterpreter/model/allowedHosts';
import { DEFAULT_IMAGE } from '../../../nodes/CodeInterpreter/packageInfo';
import { runOne } from '../../helpers/runOne';
import type { SuiteContext } from './suite';

/**
 * Allowed Hosts: with internet access off, a sandbox reaches the hosts it lists and no other. On this machine's
 * engine the hosts are two web servers the test starts (containers of the sandbox image on Docker's default network,
 * where the sandboxes are); on E2B's cloud, two public sites.
 */
export function networkCases({ subject, backend, test }: SuiteContext): void {
	const servers: string[] = [];
	let allowed = 'http://example.com/';
	let other = 'http://example.org/';

	beforeAll(() => {
		if (!subject.localEngine) return;
		const start = (name: string): string => {
			const serve = `mkdir -p /tmp/www && echo ${name} > /tmp/www/index.html && cd /tmp/www && exec python3 -m http.server 8000`;
			const id = execFileSync('docker', ['run', '-d', '--rm', '--entrypoint', 'sh', DEFAULT_IMAGE, '-c', serve], { encoding: 'utf8' }).trim();
			servers.push(id);
			return `http://${execFileSync('docker', ['inspect', '-f', '{{.NetworkSettings.IPAddress}}', id], { encoding: 'utf8' }).trim()}:8000/`;
		};
		allowed = start('allowed');
		other = start('other');
	}, 60_000);

	afterAll(() => {
		if (servers.length) execFileSync('docker', ['rm', '-f', ...servers]);
	});

	test('with internet off, the listed host is reached and another is not', async () => {
		const sandbox = await backend().create({ timeoutSeconds: 120, allowedHosts: [parseAllowedHost(new URL(allowed).hostname)] });
		try {
			const code = [
				'import urllib.request, json',
				'seen = []',
				`for url in ${JSON.stringify([allowed, other])}:`,
				'    try:',
				'        urllib.request.urlopen(url, timeout=5).read()',
				'        seen.append("reached")',
				'    except Exception:',
				'        seen.append("blocked")',
				'print(json.dumps(seen))',
			].join('\n');
			const execution = await runOne(backend(), sandbox.sandboxId, code, { language: 'python', timeoutMs: 60_000 });
			expect(execution.logs.stdout.join('')).toBe('["reached", "blocked"]\n');
		} finally {
			await backend().kill(sandbox.sandboxId);
		}
	});
}

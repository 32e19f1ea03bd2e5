import Docker from 'dockerode';
import { promises as dns } from 'dns';
import { isIP } from 'net';

import { execInContainer } from '../../../nodes/CodeInterpreter/backends/docker/exec';
import { LABELS } from '../../../nodes/CodeInterpreter/backends/docker/labels';
import { parseAllowedHost } from '../../../nodes/CodeInterpreter/model/allowedHosts';

const docker = new Docker();

/**
 * `PUT /sandboxes/{id}/network` narrowing the egress rules: the entries no longer allowed lose the firewall rules the
 * DockerBackend's sandbox got for them at create (template/bin/sandbox-firewall, `-A OUTPUT -d X -j ACCEPT`).
 */
export async function closeEgress(dockerId: string, removed: string[]): Promise<void> {
	const [container] = await docker.listContainers({ filters: { label: [`${LABELS.sandboxId}=${dockerId}`] } });
	if (!container) return;
	for (const entry of removed) {
		const host = parseAllowedHost(entry);
		const targets =
			host.kind === 'name' ? (await dns.lookup(host.name, { all: true })).map(({ address }) => address) : [host.kind === 'address' ? host.address : host.range];
		for (const target of targets) {
			const table = (isIP(target.split('/')[0]) || 4) === 6 ? 'ip6tables' : 'iptables';
			// Absent already (never resolved to it, or removed twice): nothing to close.
			await execInContainer(docker.getContainer(container.Id), [table, '-D', 'OUTPUT', '-d', target, '-j', 'ACCEPT']).catch(() => undefined);
			// Connections opened meanwhile end too, as E2B's rules apply to every packet.
			await execInContainer(docker.getContainer(container.Id), ['conntrack', '-D', '-d', target]).catch(() => undefined);
		}
	}
}

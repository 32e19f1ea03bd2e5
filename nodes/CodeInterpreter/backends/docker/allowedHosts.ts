import { promises as dns } from 'dns';
import { BlockList, isIP } from 'net';
import type Docker from 'dockerode';

import { type AllowedHost, unmapped } from '../../model/allowedHosts';
import { SandboxError } from '../../model/errors';

/** How long the names of one sandbox may take to resolve, together. */
const RESOLVE_WITHIN_MS = 10_000;

/** What the sandbox's firewall opens (template/bin/sandbox-firewall) and the names its /etc/hosts gets. */
export interface Allowances {
	/** Single addresses: opened even inside the sandbox network's own ranges (another container listed by address). */
	addresses: string[];
	/** CIDR ranges: opened outside the sandbox network's own ranges, so a range never opens the other sandboxes. */
	ranges: string[];
	/** `name:address` lines for Docker's ExtraHosts: the code resolves a listed name to what it resolved to at create. */
	extraHosts: string[];
}

/** A name's IPv4 and IPv6 addresses; rejects (an Error with a DNS `code`) when it has none. */
export type Lookup = (name: string, signal: AbortSignal) => Promise<string[]>;

/**
 * DNS through c-ares (Node's Resolver): unlike the system's getaddrinfo, a lookup holds no thread of libuv's pool, so
 * names whose servers never answer cannot stall the lookups of the rest of n8n; it is cancelled at the time limit.
 */
const dnsLookup: Lookup = async (name, signal) => {
	const resolver = new dns.Resolver({ timeout: 3_000, tries: 2 });
	signal.addEventListener('abort', () => resolver.cancel(), { once: true });
	const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
	const addresses = [v4, v6].flatMap((outcome) => (outcome.status === 'fulfilled' ? outcome.value : []));
	if (addresses.length === 0) throw v4.status === 'rejected' ? v4.reason : new Error('no address');
	return addresses;
};

/**
 * Resolves the names through DNS (the resolvers of n8n's host), once, when the sandbox is created; addresses and
 * ranges are taken as given. Throws a SandboxError for a name that does not resolve (in time), and for an entry that
 * only reaches what a sandbox never may: `neverReachable` (the n8n host's and the Docker host's addresses) and
 * loopback, link-local or multicast addresses.
 */
export async function resolveAllowedHosts(
	hosts: AllowedHost[],
	neverReachable: string[],
	lookup: Lookup = dnsLookup,
	what = 'allowed host',
): Promise<Allowances> {
	const blocked = neverReachableList(neverReachable);
	const allowances: Allowances = { addresses: [], ranges: [], extraHosts: [] };
	const cancel = new AbortController();
	const resolving = Promise.all(hosts.map(async (host) => (host.kind === 'name' ? await resolveName(host.name, lookup, what, cancel.signal) : [])));
	const resolved = await withinLimit(resolving).finally(() => cancel.abort());
	for (const [index, host] of hosts.entries()) {
		if (host.kind === 'range') {
			const [network] = host.range.split('/');
			if (isBlocked(blocked, network)) throw unreachable(what, host.range);
			allowances.ranges.push(host.range);
			continue;
		}
		const addresses = host.kind === 'address' ? [host.address] : resolved[index];
		const reachable = addresses.filter((address) => !isBlocked(blocked, address));
		if (reachable.length === 0) throw unreachable(what, host.kind === 'name' ? `${host.name} (${addresses.join(', ')})` : host.address);
		allowances.addresses.push(...reachable);
		if (host.kind === 'name') allowances.extraHosts.push(...reachable.map((address) => `${host.name}:${address}`));
	}
	return allowances;
}

async function resolveName(name: string, lookup: Lookup, what: string, signal: AbortSignal): Promise<string[]> {
	const found = await lookup(name, signal).catch((error: NodeJS.ErrnoException) => {
		throw new SandboxError(`The ${what} "${name}" could not be resolved (${error.code ?? error.message})`, {
			description: 'Host names are resolved through DNS by n8n when the sandbox is created. Check the name, or give its IP address.',
		});
	});
	return [...new Set(found.map(unmapped))];
}

async function withinLimit<T>(work: Promise<T>): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(
			() =>
				reject(
					new SandboxError(`Resolving the Allowed Hosts took more than ${RESOLVE_WITHIN_MS / 1000} s`, {
						description: 'n8n\'s DNS resolver did not answer in time. Try again, or give IP addresses.',
					}),
				),
			RESOLVE_WITHIN_MS,
		);
	});
	try {
		return await Promise.race([work, late]);
	} finally {
		clearTimeout(timer);
	}
}

function unreachable(what: string, entry: string): SandboxError {
	return new SandboxError(`The ${what} ${entry} is one a sandbox can never reach`, {
		description: 'The n8n host\'s own addresses, loopback, link-local (such as cloud metadata at 169.254.169.254) and multicast addresses stay blocked.',
	});
}

function neverReachableList(hostAddresses: string[]): BlockList {
	const list = new BlockList();
	for (const [network, prefix] of [['0.0.0.0', 8], ['127.0.0.0', 8], ['169.254.0.0', 16], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) list.addSubnet(network, prefix, 'ipv4');
	for (const [network, prefix] of [['::', 128], ['::1', 128], ['fe80::', 10], ['ff00::', 8]] as const) list.addSubnet(network, prefix, 'ipv6');
	for (const address of hostAddresses) if (isIP(address)) list.addAddress(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
	return list;
}

function isBlocked(list: BlockList, address: string): boolean {
	const plain = unmapped(address);
	return list.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The Docker host's own addresses on its networks (their gateways): when n8n runs in a container, its own addresses do
 * not include them.
 */
export async function dockerHostAddresses(docker: Docker): Promise<string[]> {
	const networks = (await docker.listNetworks()) as Array<{ IPAM?: { Config?: Array<{ Gateway?: string }> } }>;
	return networks.flatMap((network) => (network.IPAM?.Config ?? []).flatMap(({ Gateway }) => (Gateway ? [Gateway] : [])));
}

/** The CIDR ranges of the Docker network the sandbox joins: its other containers are the other sandboxes. */
export async function networkRanges(docker: Docker, network: string): Promise<string[]> {
	const info = (await docker.getNetwork(network).inspect()) as { IPAM?: { Config?: Array<{ Subnet?: string }> } };
	return (info.IPAM?.Config ?? []).flatMap(({ Subnet }) => (Subnet ? [Subnet] : []));
}

import { isIP } from 'net';

/** One entry of a sandbox's Allowed Hosts: a domain name, an IP address (v4 or v6), or a CIDR range of addresses. */
export type AllowedHost = { kind: 'name'; name: string } | { kind: 'address'; address: string } | { kind: 'range'; range: string };

/** The most entries one sandbox may list (each becomes firewall rules). */
export const MAX_ALLOWED_HOSTS = 100;

// RFC 1123 host names; a single label (a container's name on a Docker network) too.
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i;

/** Splits Allowed Hosts as a user writes them: comma- or newline-separated, spaces ignored. */
export function splitAllowedHosts(text: string): string[] {
	return text
		.split(/[,\n]/)
		.map((entry) => entry.trim())
		.filter((entry) => entry !== '');
}

/**
 * Reads one entry; throws an Error whose message says what is wrong with it and how to write it instead.
 * Names are lower-cased and lose a final dot; addresses and ranges are kept as written.
 */
export function parseAllowedHost(entry: string): AllowedHost {
	if (entry.includes('%')) throw new Error(`"${entry}": give the address without a zone (%…)`);
	if (isIP(entry)) return { kind: 'address', address: unmapped(entry) };
	const slash = entry.indexOf('/');
	if (slash > 0 && isIP(entry.slice(0, slash))) {
		const prefix = entry.slice(slash + 1);
		const bits = isIP(entry.slice(0, slash)) === 4 ? 32 : 128;
		if (!/^(0|[1-9]\d{0,2})$/.test(prefix) || Number(prefix) > bits) throw new Error(`"${entry}": a CIDR range ends in /0 to /${bits}`);
		if (prefix === '0') throw new Error(`"${entry}" is every address: turn on Internet Access instead`);
		return { kind: 'range', range: entry };
	}
	if (/^[0-9.]+$/.test(entry) || /^0x/i.test(entry)) throw new Error(`"${entry}": write an IPv4 address as four decimal numbers, e.g. 10.0.0.5`);
	if (entry.includes('://')) {
		throw new Error(`"${entry}" is a URL: give its host name alone, e.g. "${hostOfUrl(entry) ?? 'pypi.org'}"`);
	}
	if (entry.includes('*')) {
		throw new Error(`"${entry}": wildcards are not supported (names are resolved when the sandbox is created): list each name`);
	}
	if (/^[^/]+:\d+$/.test(entry) || /^\[.*\]:\d+$/.test(entry)) {
		throw new Error(`"${entry}": give the host without a port; every port of an allowed host is open`);
	}
	if (!HOST_NAME.test(entry)) throw new Error(`"${entry}" is not a domain name, an IP address or a CIDR range (such as 10.0.0.0/24)`);
	if (/(^|\.)localhost\.?$/i.test(entry)) throw new Error(`"${entry}" is a loopback name, which a sandbox never reaches`);
	return { kind: 'name', name: entry.toLowerCase().replace(/\.$/, '') };
}

/** An IPv4 address written as IPv6 (`::ffff:10.0.0.5`) is the IPv4 one, which the firewall's IPv4 table filters. */
export function unmapped(address: string): string {
	return /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1] ?? address;
}

function hostOfUrl(url: string): string | undefined {
	try {
		return new URL(url).hostname || undefined;
	} catch {
		return undefined;
	}
}

/** The entry as it was given (names normalised). */
export function allowedHostText(host: AllowedHost): string {
	return host.kind === 'name' ? host.name : host.kind === 'address' ? host.address : host.range;
}

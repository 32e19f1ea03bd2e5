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
	if (isIP(entry)) return { kind: 'address', address: entry };
	const slash = entry.indexOf('/');
	if (slash > 0 && isIP(entry.slice(0, slash))) {
		const prefix = entry.slice(slash + 1);
		const bits = isIP(entry.slice(0, slash)) === 4 ? 32 : 128;
		if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) throw new Error(`"${entry}": a CIDR range ends in /0 to /${bits}`);
		return { kind: 'range', range: entry };
	}
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
	return { kind: 'name', name: entry.toLowerCase().replace(/\.$/, '') };
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

import type { N8nServer } from './n8nServer';

// n8n runs `npm pack` and `npm install` of the package's dependencies (through the registry's uplink): seconds, or
// minutes on a cold npm cache.
const INSTALL_WITHIN_MS = 300_000;
// n8n 2.40 installs from a registry other than registry.npmjs.org only with this licensed feature.
const CUSTOM_REGISTRY_FEATURE = 'feat:communityNodes:customRegistry';

/** A package as n8n's Settings → Community nodes lists it. */
export interface InstalledPackage {
	packageName: string;
	installedVersion: string;
	installedNodes: Array<{ name: string; type: string; latestVersion: number }>;
	/** In the list only: true when n8n has the package on record but its nodes did not load. */
	failedLoading?: boolean;
}

/**
 * The environment n8n needs (on top of N8nServer's) to install community packages from the npm registry at
 * `registryUrl`, e.g. an NpmRegistry's url. N8N_COMMUNITY_PACKAGES_REGISTRY alone is refused as not licensed
 * (`feat:communityNodes:customRegistry`); E2E_TESTS=true is n8n's own end-to-end test mode, whose
 * PATCH /rest/e2e/feature turns the feature on (installCommunityPackage does that).
 */
export function communityInstallEnvironment(registryUrl: string): NodeJS.ProcessEnv {
	return {
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_COMMUNITY_PACKAGES_REGISTRY: registryUrl,
		// The default (true) for now, announced to become false.
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		E2E_TESTS: 'true',
	};
}

/**
 * Installs a community package the way Settings → Community nodes → Install does: POST /rest/community-packages with
 * the package's name, as the owner. n8n checks the version exists on its registry, runs `npm pack` and `npm install`
 * into <user folder>/.n8n/nodes, and loads the package's nodes without a restart.
 */
export async function installCommunityPackage(server: N8nServer, name: string): Promise<InstalledPackage> {
	await server.request('PATCH', '/rest/e2e/feature', { feature: CUSTOM_REGISTRY_FEATURE, enabled: true }).catch((error: Error) => {
		throw new Error(`n8n's end-to-end test mode did not answer: was n8n started with communityInstallEnvironment()?\n${error.message}`);
	});
	return await server.api<InstalledPackage>('POST', '/rest/community-packages', { name }, INSTALL_WITHIN_MS);
}

/** The installed community packages, as Settings → Community nodes lists them. */
export async function communityPackages(server: N8nServer): Promise<InstalledPackage[]> {
	return await server.api<InstalledPackage[]>('GET', '/rest/community-packages');
}

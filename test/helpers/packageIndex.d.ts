/**
 * A package index of the test's own, as no public one is reachable: a container of the sandbox image on the given
 * Docker network builds a wheel (n8n-test-pkg 1.0, module n8n_test_pkg with GREETING), an sdist whose build would leave
 * a process holding a connection to the index (n8n-lingering-pkg 1.0), a wheel whose .pth file writes to
 * /tmp/pth-probe whether it could reach the index (n8n-pth-probe 1.0) and an R source package (n8ntestr 1.0,
 * greeting()), and serves them over http: a PEP 503 simple index at /simple and a CRAN-like
 * repository at the root. Needs the package built (dist/).
 */
export interface TestPackageIndex {
	pythonIndexUrl: string;
	rRepos: string;
	/** The paths requested from the index so far, in order. */
	requestedPaths(): string[];
	stop(): void;
}

export function startPackageIndex(network: string): Promise<TestPackageIndex>;

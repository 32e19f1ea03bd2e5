import { parseRequirement, PYPI_INDEX } from './packages';
import { shellQuote } from './shell';

/**
 * The extra libraries of a derived sandbox image, from a file such as:
 *
 *     [python]                       pip requirement lines (PEP 508, no options or URLs)
 *     index-url = https://pypi.example.com/simple     (optional; PyPI otherwise)
 *     tabulate==0.9.0
 *     [debian]                       Debian package names, optionally =version
 *     graphviz
 *     [r]                            R package names, from CRAN or `repos`
 *     repos = https://cran.example.com
 *     data.table
 *
 * Blank lines and `#` comments are ignored.
 */
export interface Libraries {
	python: { indexUrl: string; requirements: string[] };
	debian: string[];
	r: { repos: string; packages: string[] };
}

export const DEFAULT_R_REPOS = 'https://cloud.r-project.org';

const SECTIONS = ['python', 'debian', 'r'] as const;
const DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+:~-]+)?$/;
const R_PACKAGE = /^[A-Za-z][A-Za-z0-9.]*[A-Za-z0-9]$/;
const SETTING = /^([a-z-]+)\s*=\s*(\S+)$/;
const URL_SETTINGS: Record<(typeof SECTIONS)[number], string | undefined> = { python: 'index-url', debian: undefined, r: 'repos' };

/** Reads a libraries file; throws an Error naming the line and what is wrong with it. */
export function parseLibraries(text: string): Libraries {
	const libraries: Libraries = { python: { indexUrl: PYPI_INDEX.url, requirements: [] }, debian: [], r: { repos: DEFAULT_R_REPOS, packages: [] } };
	let section: (typeof SECTIONS)[number] | undefined;
	for (const [index, raw] of text.split('\n').entries()) {
		const line = raw.replace(/(^|\s)#.*$/, '').trim();
		if (!line) continue;
		const fail = (problem: string): never => {
			throw new Error(`line ${index + 1} ("${line}"): ${problem}`);
		};
		const header = /^\[(.*)\]$/.exec(line);
		if (header) {
			section = SECTIONS.find((name) => name === header[1].trim().toLowerCase()) ?? fail(`the sections are ${SECTIONS.map((name) => `[${name}]`).join(', ')}`);
			continue;
		}
		if (!section) fail('put it under a section: [python], [debian] or [r]');
		const setting = SETTING.exec(line);
		if (setting && section && setting[1] === URL_SETTINGS[section]) {
			if (!/^https?:\/\/[^\s/]+/i.test(setting[2])) fail(`${setting[1]} must be an http(s) URL`);
			if (section === 'python') libraries.python.indexUrl = setting[2];
			else libraries.r.repos = setting[2];
			continue;
		}
		if (section === 'python') {
			try {
				libraries.python.requirements.push(parseRequirement(line));
			} catch (error) {
				fail((error as Error).message);
			}
		} else if (section === 'debian') {
			if (!DEBIAN_PACKAGE.test(line)) fail('not a Debian package name such as graphviz or libgeos-dev=3.11.1-1');
			libraries.debian.push(line);
		} else {
			if (!R_PACKAGE.test(line)) fail('not an R package name such as data.table');
			libraries.r.packages.push(line);
		}
	}
	if (!libraries.python.requirements.length && !libraries.debian.length && !libraries.r.packages.length) {
		throw new Error('the file lists no library: add them under [python], [debian] or [r]');
	}
	return libraries;
}

/**
 * The Dockerfile of the derived image: the base, then apt, pip and R installs, each checked (pip and apt fail by
 * themselves; R only warns, so the R step checks that every package is installed).
 */
export function derivedDockerfile(base: string, libraries: Libraries): string {
	const lines = [`FROM ${base}`];
	if (libraries.debian.length) {
		lines.push(`RUN apt-get update && apt-get install -y --no-install-recommends ${libraries.debian.join(' ')} && rm -rf /var/lib/apt/lists/*`);
	}
	const { indexUrl, requirements } = libraries.python;
	if (requirements.length) {
		const index = new URL(indexUrl);
		const trusted = index.protocol === 'http:' ? ` --trusted-host ${shellQuote(index.host)}` : '';
		const words = requirements.map(shellQuote).join(' ');
		lines.push(`RUN python3 -m pip install --no-cache-dir --break-system-packages --index-url ${shellQuote(indexUrl)}${trusted} ${words}`);
	}
	const { repos, packages } = libraries.r;
	if (packages.length) {
		const names = `c(${packages.map((name) => `"${name}"`).join(', ')})`;
		const script = `install.packages(${names}, repos = ${JSON.stringify(repos)}); missing <- setdiff(${names}, rownames(installed.packages())); if (length(missing)) stop("not installed: ", paste(missing, collapse = ", "))`;
		lines.push(`RUN Rscript -e ${shellQuote(script)}`);
	}
	return `${lines.join('\n')}\n`;
}

/** The most requirement lines one sandbox may install at create. */
export const MAX_PACKAGES = 100;

/** PyPI: its simple index, and the hosts pip reaches for it (the index, and the one serving its files). */
export const PYPI_INDEX = { url: 'https://pypi.org/simple', hosts: ['pypi.org', 'files.pythonhosted.org'] };

const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?';
// What pip takes for a file to install (its archive formats, wheels, eggs), not a name: `x.tar`, `x.tar.xz`, `x.tbz`.
const ARCHIVE = /\.(whl|zip|egg|tar(\.[a-z0-9]+)?|tgz|tbz2?|txz|tlz)(\s|;|$)/i;
const SPECIFIER = '(?:~=|===|==|!=|<=|>=|<|>)\\s*[A-Za-z0-9.*+!_-]+';
const SPECIFIERS = `${SPECIFIER}(?:\\s*,\\s*${SPECIFIER})*`;
// An environment marker's characters: names, strings, comparisons, parentheses (so a line is safe in a shell word too).
const MARKER = `;[\\w\\s.<>=!~"'()]+`;
// PEP 508 without direct references: name, extras, version specifiers (bare or in parentheses), an environment marker.
const REQUIREMENT = new RegExp(`^${NAME}\\s*(?:\\[\\s*${NAME}(?:\\s*,\\s*${NAME})*\\s*\\])?\\s*(?:${SPECIFIERS}|\\(\\s*${SPECIFIERS}\\s*\\))?\\s*(?:${MARKER})?$`);

/** Requirement lines as a user writes them, one per line; blank lines and `#` comments are left out. */
export function splitRequirements(text: string): string[] {
	return text
		.split('\n')
		.map((line) => line.replace(/(^|\s)#.*$/, '').trim())
		.filter((line) => line !== '');
}

/**
 * Checks one requirement line (`tabulate==0.9.0`, `requests[socks]>=2.31,<3`, `numpy; python_version >= "3.9"`);
 * throws an Error whose message says what is wrong. pip options and direct URLs are refused: packages come from the
 * credential's package index, whose host alone the install may reach.
 */
export function parseRequirement(line: string): string {
	if (line.startsWith('-')) throw new Error(`"${line}": pip options are not taken here; the index is the credential's Package Index URL`);
	if (line.includes('://') || /^[^;]*@/.test(line)) throw new Error(`"${line}": give a name and version; packages come from the credential's package index, not a URL`);
	if (ARCHIVE.test(line)) throw new Error(`"${line}" is a file name: give the package's name and version`);
	if (!REQUIREMENT.test(line)) throw new Error(`"${line}" is not a requirement such as tabulate==0.9.0 or requests>=2.31`);
	return line;
}

/** The index pip installs from, and the hosts it must reach: the credential's URL's host, or PyPI's two. */
export function packageIndex(url: string): { url: string; hosts: string[] } {
	if (!url) return PYPI_INDEX;
	return { url, hosts: [new URL(url).hostname.replace(/^\[|\]$/g, '')] };
}

import { DEFAULT_R_REPOS, derivedDockerfile, parseLibraries } from '../../../nodes/CodeInterpreter/model/libraries';
import { PYPI_INDEX } from '../../../nodes/CodeInterpreter/model/packages';
import { derivedTag } from '../../../nodes/CodeInterpreter/backends/docker/image/derived';

const FILE = [
	'# extra libraries',
	'[python]',
	'index-url = https://pypi.example.com/simple',
	'tabulate==0.9.0',
	"pandas~=2.0; python_version >= '3.9'",
	'[Debian]',
	'graphviz  # for diagrams',
	'libgeos-dev=3.11.1-1',
	'[r]',
	'data.table',
].join('\n');

test('a libraries file: sections, settings, comments', () => {
	expect(parseLibraries(FILE)).toEqual({
		python: { indexUrl: 'https://pypi.example.com/simple', requirements: ['tabulate==0.9.0', "pandas~=2.0; python_version >= '3.9'"] },
		debian: ['graphviz', 'libgeos-dev=3.11.1-1'],
		r: { repos: DEFAULT_R_REPOS, packages: ['data.table'] },
	});
	expect(parseLibraries('[r]\nggplot2').python).toEqual({ indexUrl: PYPI_INDEX.url, requirements: [] });
});

test.each([
	['tabulate', 'line 1 ("tabulate"): put it under a section'],
	['[node]\nleft-pad', 'line 1 ("[node]"): the sections are [python], [debian], [r]'],
	['[debian]\nrm -rf /', 'line 2 ("rm -rf /"): not a Debian package name'],
	['[debian]\n$(id)', 'not a Debian package name'],
	['[r]\ndata.table; q()', 'not an R package name'],
	['[python]\nindex-url = ftp://mirror/simple', 'index-url must be an http(s) URL'],
	['[python]\n-e .', 'pip options are not taken here'],
	['# nothing\n[python]', 'the file lists no library'],
])('%j is refused: %s', (text, message) => {
	expect(() => parseLibraries(text)).toThrow(message);
});

test('the Dockerfile installs each kind, every word shell-quoted, and checks R\'s installs', () => {
	const dockerfile = derivedDockerfile('base:1', parseLibraries(`${FILE}\n[python]\nindex-url = http://10.0.0.5:8000/it's`));
	expect(dockerfile.split('\n')).toEqual([
		'FROM base:1',
		'RUN apt-get update && apt-get install -y --no-install-recommends graphviz libgeos-dev=3.11.1-1 && rm -rf /var/lib/apt/lists/*',
		"RUN python3 -m pip install --no-cache-dir --break-system-packages --index-url 'http://10.0.0.5:8000/it'\\''s' --trusted-host '10.0.0.5:8000' 'tabulate==0.9.0' 'pandas~=2.0; python_version >= '\\''3.9'\\'''",
		`RUN Rscript -e 'install.packages(c("data.table"), repos = "${DEFAULT_R_REPOS}"); missing <- setdiff(c("data.table"), rownames(installed.packages())); if (length(missing)) stop("not installed: ", paste(missing, collapse = ", "))'`,
		'',
	]);
});

test('the tag: the base\'s, with a hash of the base image and the list', () => {
	const libraries = parseLibraries('[debian]\ntree');
	const tag = derivedTag('registry.example:5000/sandbox:0.1.0', 'sha256:aaa', libraries);
	expect(tag).toMatch(/^registry\.example:5000\/sandbox:0\.1\.0-libs-[0-9a-f]{12}$/);
	expect(derivedTag('registry.example:5000/sandbox:0.1.0', 'sha256:aaa', parseLibraries('[debian]\ntree # again'))).toBe(tag);
	expect(derivedTag('registry.example:5000/sandbox:0.1.0', 'sha256:bbb', libraries)).not.toBe(tag);
	expect(derivedTag('registry.example:5000/sandbox:0.1.0', 'sha256:aaa', parseLibraries('[debian]\njq'))).not.toBe(tag);
	expect(derivedTag('sandbox', 'sha256:aaa', libraries)).toMatch(/^sandbox:latest-libs-/);
});

import { packageIndex, parseRequirement, PYPI_INDEX, splitRequirements } from '../../../nodes/CodeInterpreter/model/packages';

test('requirement lines: one per line, blank lines and comments left out', () => {
	expect(splitRequirements('tabulate==0.9.0\n\n  # a comment\nrequests>=2.31,<3  # pinned below 3\n')).toEqual(['tabulate==0.9.0', 'requests>=2.31,<3']);
});

test.each(['tabulate', 'tabulate==0.9.0', 'requests[socks,security]>=2.31,<3', 'numpy (>=1.24)', 'pandas~=2.0; python_version >= "3.9"', 'zope.interface===5.5.2', 'a-b_c.d!=1.0.*'])(
	'%s is a requirement',
	(line) => {
		expect(parseRequirement(line)).toBe(line);
	},
);

test.each([
	['--index-url=https://evil.example/simple', 'pip options are not taken here'],
	['-r /etc/passwd', 'pip options are not taken here'],
	['pkg @ https://evil.example/pkg.whl', 'not a URL'],
	['https://evil.example/pkg.whl', 'not a URL'],
	['pkg==1.0 --index-url x', 'is not a requirement'],
	['pkg; ; x', 'is not a requirement'],
	['../../etc', 'is not a requirement'],
	['pkg; python_version >= "3.9" and "$(id)"', 'is not a requirement'],
	['pkg; `id`', 'is not a requirement'],
	['x-1.0-py3-none-any.whl', 'is a file name'],
	['foo.tar.gz', 'is a file name'],
	// pip reads each of its archive formats as a local file to build, wheels only or not.
	...['foo.tar', 'foo.tar.xz', 'foo.tar.lzma', 'foo.txz', 'foo.tbz', 'foo.tbz2', 'foo.tlz', 'foo.zip', 'foo.egg'].map((name) => [name, 'is a file name']),
])('%s is refused', (line, message) => {
	expect(() => parseRequirement(line)).toThrow(message);
});

test.each(['backports.tarfile', 'zip.py', 'tarsafe==0.0.5'])('%s, a name with an archive word in it, is taken', (line) => {
	expect(parseRequirement(line)).toBe(line);
});

test('the index: PyPI and its file host when the credential names none, else the URL\'s host', () => {
	expect(packageIndex('')).toEqual(PYPI_INDEX);
	expect(packageIndex('https://pypi.example.com:8443/simple')).toEqual({ url: 'https://pypi.example.com:8443/simple', hosts: ['pypi.example.com'] });
	expect(packageIndex('http://[fd00::5]:8000/simple')).toEqual({ url: 'http://[fd00::5]:8000/simple', hosts: ['fd00::5'] });
});

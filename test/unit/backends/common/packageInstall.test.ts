import { packageInstallError, pipInstallArguments } from '../../../../nodes/CodeInterpreter/backends/common/packageInstall';

const INDEX = 'https://ci:s3cret@pypi.example.com/simple';

test('pip installs built wheels only, reads none of the user\'s configuration or cache, never prompts, and trusts an http index it was given', () => {
	expect(pipInstallArguments('http://10.0.0.5:8000/simple', ['tabulate==0.9.0'])).toEqual([
		'install', '--user', '--isolated', '--no-cache-dir', '--only-binary', ':all:', '--no-input', '--no-warn-script-location', '--progress-bar', 'off',
		'--index-url', 'http://10.0.0.5:8000/simple', '--trusted-host', '10.0.0.5:8000', 'tabulate==0.9.0',
	]);
	expect(pipInstallArguments('https://pypi.org/simple', ['a', 'b'])).not.toContain('--trusted-host');
});

test('no wheel found: pip\'s words, and advice on the ways that take source releases', () => {
	const error = packageInstallError('Looking in indexes: x\nERROR: Could not find a version that satisfies the requirement foo==1 (from versions: none)\nERROR: No matching distribution found for foo==1\n', INDEX);
	expect(error.message).toBe('Installing the packages failed: Could not find a version that satisfies the requirement foo==1 (from versions: none)');
	expect(error.description).toMatch(/^Packages installs built wheels only.*image:derive.*Allowed Hosts\.\n\npip's last output:\nLooking in indexes: x\n/s);
});

test('an index that does not answer is named as the cause, without the credentials in its URL', () => {
	const output = [
		"WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused')': /simple/foo/",
		'ERROR: Could not find a version that satisfies the requirement foo==1 (from versions: none)',
	].join('\n');
	const error = packageInstallError(output, INDEX);
	expect(error.message).toBe('Installing the packages failed: the package index https://pypi.example.com/simple could not be reached');
	expect(error.description).toMatch(/^Check the credential's Package Index URL/);
	expect(`${error.message}${error.description}`).not.toContain('s3cret');
});

test('an index URL that is not a simple API (404) is named as the cause', () => {
	const error = packageInstallError('ERROR: 404 Client Error: Not Found for url: https://pypi.example.com/wrong/foo/\nERROR: Could not find a version that satisfies the requirement foo (from versions: none)', 'https://pypi.example.com/wrong');
	expect(error.message).toBe('Installing the packages failed: the package index https://pypi.example.com/wrong answered 404 Not Found');
	expect(error.description).toMatch(/simple API \(PEP 503\)/);
});

test('another failure: pip\'s first error, or its error: line, or its last line, without the advice', () => {
	const error = packageInstallError('ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device\n', INDEX);
	expect(error.message).toBe('Installing the packages failed: Could not install packages due to an OSError: [Errno 28] No space left on device');
	expect(error.description).toBe("pip's last output:\nERROR: Could not install packages due to an OSError: [Errno 28] No space left on device");
	expect(packageInstallError('  error: subprocess-exited-with-error\n  × Building wheel did not run successfully.\nnote: This error originates from a subprocess', INDEX).message).toBe(
		'Installing the packages failed: subprocess-exited-with-error',
	);
	expect(packageInstallError('', INDEX).message).toBe('Installing the packages failed: pip failed without a word');
});

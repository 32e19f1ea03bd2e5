import { packageInstallError, pipInstallArguments } from '../../../../nodes/CodeInterpreter/backends/common/packageInstall';

test('pip installs built wheels only, never prompts, and trusts an http index it was given', () => {
	expect(pipInstallArguments('http://10.0.0.5:8000/simple', ['tabulate==0.9.0'])).toEqual([
		'install', '--user', '--only-binary', ':all:', '--no-input', '--no-warn-script-location', '--progress-bar', 'off',
		'--index-url', 'http://10.0.0.5:8000/simple', '--trusted-host', '10.0.0.5:8000', 'tabulate==0.9.0',
	]);
	expect(pipInstallArguments('https://pypi.org/simple', ['a', 'b'])).not.toContain('--trusted-host');
});

test('no wheel found: pip\'s words, and advice on the ways that take source releases', () => {
	const error = packageInstallError('Looking in indexes: x\nERROR: Could not find a version that satisfies the requirement foo==1 (from versions: none)\nERROR: No matching distribution found for foo==1\n');
	expect(error.message).toBe('Installing the packages failed: Could not find a version that satisfies the requirement foo==1 (from versions: none)');
	expect(error.description).toMatch(/^Packages installs built wheels only.*image:derive.*Allowed Hosts\.\n\npip's last output:\nLooking in indexes: x\n/s);
});

test('another failure: pip\'s words without the advice', () => {
	const error = packageInstallError('ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device\n');
	expect(error.message).toBe('Installing the packages failed: Could not install packages due to an OSError: [Errno 28] No space left on device');
	expect(error.description).toBe("pip's last output:\nERROR: Could not install packages due to an OSError: [Errno 28] No space left on device");
	expect(packageInstallError('').message).toBe('Installing the packages failed: pip failed without a word');
});

import type { Execution } from '../../model/execution';
import { SandboxError } from '../../model/errors';
import { packageInstallError, pipInstallArguments } from '../common/packageInstall';

/** Marks the line that carries pip's result in the install's output. */
const PIP_RESULT_MARK = '__n8n_pip_result__ ';
/** How long pip may take for one sandbox's packages. */
const PACKAGE_INSTALL_TIMEOUT_MS = 10 * 60_000;
/** How long the installed packages' `.pth` files may take as the kernel loads them. */
const SITE_LOAD_TIMEOUT_MS = 60_000;

/**
 * pip in an E2B sandbox's Python kernel (`runPython`; E2B's sandboxes run no other command for the package), for the
 * sandbox's user, wheels only; then `closeIndex`, and only then is the running kernel pointed at the user's
 * site-packages, whose `.pth` files (code) it runs, with the index closed.
 * Throws a SandboxError with pip's words when the install fails.
 */
export async function installPackages(
	runPython: (code: string, timeoutMs: number) => Promise<Execution>,
	closeIndex: () => Promise<void>,
	indexUrl: string,
	requirements: string[],
): Promise<void> {
	const code = [
		'import json, os, pwd, subprocess, sys',
		// pip's whole environment (the sandbox's envs could set PIP_* or PYTHON* options), Python isolated, run from /.
		'__n8n_home = pwd.getpwuid(os.getuid()).pw_dir',
		`__n8n_pip = subprocess.run([sys.executable, "-I", "-m", "pip", *json.loads(${JSON.stringify(JSON.stringify(pipInstallArguments(indexUrl, requirements)))})], env={"HOME": __n8n_home, "LANG": "C.UTF-8", "PATH": "/usr/local/bin:/usr/bin:/bin"}, cwd="/", stdin=subprocess.DEVNULL, capture_output=True, text=True)`,
		`print(${JSON.stringify(PIP_RESULT_MARK)} + json.dumps({"exitCode": __n8n_pip.returncode, "output": (__n8n_pip.stdout + __n8n_pip.stderr)[-8192:]}))`,
		'del __n8n_pip, __n8n_home',
	].join('\n');
	const execution = await runPython(code, PACKAGE_INSTALL_TIMEOUT_MS);
	if (execution.error) throw new SandboxError(`Installing the packages failed: ${execution.error.name}: ${execution.error.value}`, { description: execution.error.traceback });
	const stdout = execution.logs.stdout.join('');
	const marked = stdout.split('\n').find((line) => line.startsWith(PIP_RESULT_MARK));
	if (!marked) throw new SandboxError('Installing the packages failed: pip\'s result did not come back', { description: stdout.slice(-2000) });
	const { exitCode, output } = JSON.parse(marked.slice(PIP_RESULT_MARK.length)) as { exitCode: number; output: string };
	if (exitCode !== 0) throw packageInstallError(output, indexUrl);
	await closeIndex();
	const activated = await runPython('import site\nsite.addsitedir(site.getusersitepackages())', SITE_LOAD_TIMEOUT_MS);
	if (activated.error) throw new SandboxError(`A package failed as Python loaded it: ${activated.error.name}: ${activated.error.value}`, { description: activated.error.traceback });
}

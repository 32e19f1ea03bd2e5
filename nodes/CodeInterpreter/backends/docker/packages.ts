import type Docker from 'dockerode';

import { SandboxError } from '../../model/errors';
import { packageInstallError, pipInstallArguments } from '../common/packageInstall';
import { execInContainer, execStream } from './exec';
import { asSandboxUser } from './isolation';

/** How long pip may take for one sandbox's packages. */
const INSTALL_WITHIN_MS = 10 * 60_000;
/** The end of pip's output kept for an error: its own words on what failed. */
const OUTPUT_TAIL_BYTES = 8 * 1024;
const FIREWALL = '/opt/sandbox/bin/sandbox-firewall';
/**
 * pip's whole environment: none of the sandbox's own (its Environment Variables could set PIP_* or PYTHON* options
 * and turn the install into another one), with Python isolated (-I) and the working folder `/`.
 */
const PIP_ENVIRONMENT = ['HOME=/home/user', 'USER=user', 'LANG=C.UTF-8', 'PATH=/usr/local/bin:/usr/bin:/bin'];

export interface PackageInstall {
	requirements: string[];
	indexUrl: string;
	/** The index's addresses, whose index port is opened for the install alone (template/bin/sandbox-firewall install-open). */
	addresses: string[];
}

/**
 * Installs the requirements with pip (wheels only: no package code runs) as the sandbox's user, into ~/.local, which
 * the kernels read when they start, from the index, with the index's port on its addresses open only meanwhile;
 * closing also forgets connections to them. Meanwhile the sandbox's Jupyter port refuses every connection, so that no
 * code runs in it with the index open (another execution could find it through Get Many). Throws a SandboxError with pip's last words when the install fails or
 * takes longer than 10 minutes.
 */
export async function installPackages(container: Docker.Container, install: PackageInstall): Promise<void> {
	const close = async () => await execInContainer(container, [FIREWALL, 'install-close', ...install.addresses]);
	await execInContainer(container, [FIREWALL, 'install-open', String(indexPort(install.indexUrl)), ...install.addresses]);
	try {
		await pipInstall(container, install);
	} catch (error) {
		// The sandbox is removed after a failed install: its firewall matters less than pip's words.
		await close().catch(() => undefined);
		throw error;
	}
	// A sandbox whose index stays open is not handed out: a failure here fails the create.
	await close();
}

/** The port pip reaches the index on (PyPI's file host is on 443, as pypi.org is). */
function indexPort(indexUrl: string): number {
	const url = new URL(indexUrl);
	return url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : 443;
}

async function pipInstall(container: Docker.Container, install: PackageInstall): Promise<void> {
	const pip = ['env', '-i', '-C', '/', ...PIP_ENVIRONMENT, 'python3', '-I', '-m', 'pip', ...pipInstallArguments(install.indexUrl, install.requirements)];
	const { stdout, finished } = await execStream(container, asSandboxUser(pip), { user: 'root', silentMs: INSTALL_WITHIN_MS });
	let output = '';
	stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-OUTPUT_TAIL_BYTES)));
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new SandboxError(`Installing the packages took more than ${INSTALL_WITHIN_MS / 60_000} minutes`)), INSTALL_WITHIN_MS);
	});
	const { exitCode, stderr } = await Promise.race([finished, late]).finally(() => clearTimeout(timer));
	if (exitCode !== 0) throw packageInstallError(`${output}\n${stderr}`.trim(), install.indexUrl);
}

import type Docker from 'dockerode';
import { networkInterfaces } from 'os';

import type { CreateSandboxOptions } from '../Backend';
import { SandboxError } from '../../model/errors';
import type { Allowances } from './allowedHosts';
import { sharedNamespaceError, type DockerSettings } from './settings';
import { SECCOMP_PROFILE } from './seccompProfile';

/**
 * The sandbox user's uid/gid in the template image (template/Dockerfile). Without a user namespace it is the same
 * number on the Docker host, so it must belong to no host account: 1000 is the first account on Debian and Ubuntu,
 * whose owner could then read every sandbox's token and files through /proc. This one lies above systemd's
 * container ranges and below 2^31, where no distribution allocates accounts.
 */
export const SANDBOX_UID = 1_900_000_000;

/** Written by the backend as root; the sandbox's watchdog stops the sandbox when this time passes (template/bin/sandbox-init). */
export const DEADLINE_FILE = '/run/sandbox/deadline';
/** The user's Environment Variables, as JSON, which sandbox-init hands to the kernels alone. */
export const USER_ENVS_VARIABLE = 'SANDBOX_USER_ENVS';
/** Made when a warm-pool sandbox is claimed (mkdir is atomic: one claimer wins); holds the claim time in `at`. */
export const CLAIMED_DIR = '/run/sandbox/claimed';

/**
 * How a sandbox is confined. Its init starts as root with only the capabilities it needs to set up the
 * sandbox's firewall and drop to `user` (template/bin/sandbox-init); the code itself runs with none, with an
 * empty bounding set, under the package's own seccomp profile (seccompProfile.ts).
 * The root filesystem is read-only; /home/user and /tmp are size-limited tmpfs (counted in the memory limit).
 */
export function isolationHostConfig(settings: DockerSettings): Docker.HostConfig {
	return {
		CapDrop: ['ALL'],
		CapAdd: ['NET_ADMIN', 'SETUID', 'SETGID', 'SETPCAP'],
		SecurityOpt: ['no-new-privileges', `seccomp=${SECCOMP_PROFILE}`],
		ReadonlyRootfs: true,
		Tmpfs: {
			'/home/user': `rw,nosuid,nodev,size=${settings.diskMb}m,uid=${SANDBOX_UID},gid=${SANDBOX_UID},mode=0755`,
			'/tmp': `rw,nosuid,nodev,size=${Math.min(settings.diskMb, 512)}m,mode=1777`,
			// The deadline, the claim, the pause's lock and a resume's report (up to MAX_REPORT_BYTES).
			'/run/sandbox': 'rw,nosuid,nodev,noexec,size=2m,mode=0755',
		},
		Memory: settings.memoryMb * 1024 * 1024,
		MemorySwap: settings.memoryMb * 1024 * 1024,
		NanoCpus: Math.round(settings.cpus * 1e9),
		PidsLimit: settings.pidsLimit,
		...(settings.runtime ? { Runtime: settings.runtime } : {}),
	};
}

/** The sandbox firewall's settings (template/bin/sandbox-firewall), passed as environment variables only its init reads. */
export function firewallEnv(internetAccess: boolean, allowances?: Allowances, networkRanges: string[] = [], alsoBlocked: string[] = []): string[] {
	return [
		`SANDBOX_NETWORK=${internetAccess ? 'on' : 'off'}`,
		`SANDBOX_BLOCKED_ADDRESSES=${[...new Set([...hostAddresses(), ...alsoBlocked])].join(' ')}`,
		`SANDBOX_ALLOWED_ADDRESSES=${allowances?.addresses.join(' ') ?? ''}`,
		`SANDBOX_ALLOWED_RANGES=${allowances?.ranges.join(' ') ?? ''}`,
		`SANDBOX_NETWORK_RANGES=${networkRanges.join(' ')}`,
	];
}

/** The variables of firewallEnv: the code never sees them (sandbox-init and `exec` unset them). */
export const FIREWALL_VARIABLES = ['SANDBOX_NETWORK', 'SANDBOX_BLOCKED_ADDRESSES', 'SANDBOX_ALLOWED_ADDRESSES', 'SANDBOX_ALLOWED_RANGES', 'SANDBOX_NETWORK_RANGES'];

/**
 * A command as the sandbox's user, the way sandbox-init starts the server: `docker exec` would give it the
 * container's bounding set and environment (the firewall's settings), which the code, as the same user, could read.
 * The exec runs as root only for setpriv to drop both.
 */
export function asSandboxUser(command: string[]): string[] {
	const drop = ['--inh-caps=-all', '--bounding-set=-all', '--no-new-privs'];
	const unset = [...FIREWALL_VARIABLES, 'SANDBOX_DEADLINE', 'SANDBOX_ON_TIMEOUT', USER_ENVS_VARIABLE, 'JUPYTER_TOKEN'].flatMap((name) => ['-u', name]);
	// env first, while still root: a process of the user's would show its starting environment in /proc.
	return ['env', ...unset, 'setpriv', `--reuid=${SANDBOX_UID}`, `--regid=${SANDBOX_UID}`, '--init-groups', ...drop, ...command];
}
/** This machine's own addresses: a sandbox may never reach n8n's host, whatever it is allowed. */
export function hostAddresses(): string[] {
	return Object.values(networkInterfaces())
		.flat()
		.filter((address) => address !== undefined && !address.internal)
		.map((address) => address!.address.split('%')[0]);
}

/**
 * Refuses a Container Address network whose driver shares a namespace (a network named otherwise may still be
 * Docker's host or null network); resolves when sandboxes are published on the host instead.
 */
export async function assertOwnNetwork(docker: Docker, settings: DockerSettings): Promise<void> {
	if (settings.jupyterAccess !== 'containerAddress') return;
	const { Driver } = (await docker.getNetwork(settings.network).inspect()) as { Driver?: string };
	if (Driver === 'host' || Driver === 'null') throw sharedNamespaceError(settings.network);
}

/** The Environment Variables of one sandbox, as JSON. */
const MAX_USER_ENVS_BYTES = 100 * 1024;

/**
 * The container's environment: the sandbox's own variables, and the user's as one JSON variable that only the kernels
 * get as variables (template/bin/sandbox-init, sandbox_server.py). As plain variables they would reach every process
 * of the container, root's included (PYTHONWARNINGS or PYTHONPATH run code in a Python at its start).
 */
export function sandboxEnv(options: Pick<CreateSandboxOptions, 'envs'>, own: string[]): string[] {
	const reserved = new Set([...own.map((entry) => entry.slice(0, entry.indexOf('='))), USER_ENVS_VARIABLE]);
	const user = options.envs ?? {};
	const clash = Object.keys(user).find((name) => reserved.has(name));
	if (clash) {
		throw new SandboxError(`The environment variable "${clash}" is the sandbox's own`, { description: 'Give the variable another name.' });
	}
	const json = JSON.stringify(user);
	// Linux takes no environment string longer than 128 KiB (MAX_ARG_STRLEN): the sandbox would not start.
	if (Buffer.byteLength(json) > MAX_USER_ENVS_BYTES) {
		throw new SandboxError(`The Environment Variables take ${Math.ceil(Buffer.byteLength(json) / 1024)} KB together; at most ${MAX_USER_ENVS_BYTES / 1024} KB fit`, {
			description: 'Pass large values as a file instead: File Upload, then read it in the code.',
		});
	}
	return [...own, `${USER_ENVS_VARIABLE}=${json}`];
}

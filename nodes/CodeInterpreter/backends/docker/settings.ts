import { z } from 'zod';

import { DEFAULT_IMAGE } from '../../packageInfo';
import { SandboxError } from '../../model/errors';
import { describeIssues } from '../../model/validation';
import { packageIndexUrlSchema } from '../common/packageInstall';
import { withDefault } from '../common/withDefault';

/** The Docker credential (`codeInterpreterDockerApi`) as the backend needs it. */
export const dockerSettingsSchema = z.object({
	connection: z.enum(['socket', 'tcp']).default('socket'),
	socketPath: withDefault(z.string().trim().min(1), '/var/run/docker.sock'),
	host: z.string().trim().default(''),
	port: withDefault(z.coerce.number().int().min(1).max(65535), 2376),
	tls: z.boolean().default(true),
	ca: z.string().default(''),
	cert: z.string().default(''),
	key: z.string().default(''),
	image: z.string().trim().default(''),
	/** Where Create Sandbox's Packages come from (a PEP 503 simple index); empty: PyPI. */
	packageIndexUrl: packageIndexUrlSchema,
	/** How n8n reaches a sandbox's Jupyter server. */
	jupyterAccess: z.enum(['publishedPort', 'containerAddress']).default('publishedPort'),
	/** publishedPort: the host address the port is published on and connected to. */
	publishAddress: withDefault(z.string().trim().min(1), '127.0.0.1'),
	/** containerAddress: the Docker network sandboxes join (the one n8n's own container is on). */
	network: z.string().trim().default(''),
	memoryMb: withDefault(z.coerce.number().int().min(128), 2048),
	cpus: withDefault(z.coerce.number().positive().max(256), 1),
	pidsLimit: withDefault(z.coerce.number().int().min(16), 256),
	/** Size of the writable home folder (/home/user), a tmpfs counted in the memory limit. */
	diskMb: withDefault(z.coerce.number().int().min(16), 1024),
	/** An OCI runtime the Docker engine knows, e.g. gVisor's `runsc`; empty for Docker's default. */
	runtime: z.string().trim().default(''),
	/** Ready sandboxes kept for Create Sandbox to take (0: none, every create starts one). */
	poolSize: withDefault(z.coerce.number().int().min(0).max(50), 2),
});

export type DockerSettings = z.infer<typeof dockerSettingsSchema>;

export function parseDockerSettings(raw: unknown): DockerSettings {
	const parsed = dockerSettingsSchema.safeParse(raw ?? {});
	if (!parsed.success) {
		throw new SandboxError(`The Docker credential is not valid: ${describeIssues(parsed.error)}`, {
			description: 'Open the Code Interpreter Docker credential and correct the fields named above.',
		});
	}
	const settings = parsed.data;
	if (settings.connection === 'tcp' && !settings.host) {
		throw new SandboxError('The Docker credential connects over TCP but has no host', {
			description: 'Set "Host" to the Docker engine\'s address, or connect through the local socket.',
		});
	}
	if (settings.jupyterAccess === 'containerAddress' && !settings.network) {
		throw new SandboxError('The Docker credential reaches sandboxes by container address but names no network', {
			description: 'Set "Network" to the Docker network n8n\'s container is attached to.',
		});
	}
	if (settings.network && SHARED_NAMESPACE_NETWORK.test(settings.network)) throw sharedNamespaceError(settings.network);
	return { ...settings, image: settings.image || DEFAULT_IMAGE };
}

/** Network modes that put a container in the host's network namespace, another container's, or none at all. */
const SHARED_NAMESPACE_NETWORK = /^(host|none|container:.*)$/i;

/** The credential names a network that would share a namespace with the host or another container. */
export function sharedNamespaceError(network: string): SandboxError {
	return new SandboxError(`The Docker credential's Network "${network}" is not a network of its own`, {
		description:
			'"host" would put sandboxes in the Docker host\'s own network (their firewall would replace the host\'s), "container:…" in another container\'s, and "none" leaves n8n no way in. Create a network for n8n and its sandboxes (docker network create n8n-sandboxes), attach n8n\'s container to it, and name it here.',
	});
}

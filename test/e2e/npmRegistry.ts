import { execFile, spawn, type ChildProcess } from 'child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';

import { freePorts, sleep } from './n8nProcess';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const INSTALL_WITHIN_MS = 300_000;
const READY_WITHIN_MS = 30_000;
const NPM_WITHIN_MS = 120_000;
const STOP_WITHIN_MS = 5_000;
// Verdaccio's output kept for error messages: its tail, where a failure shows.
const LOG_TAIL_CHARS = 20_000;
const USER = { name: 'e2e-publisher', password: 'e2e-publisher-password' };

/**
 * A private npm registry of the test's own: Verdaccio (installed by scripts/verdaccio-install.sh) on a free port of
 * 127.0.0.1 with its storage in a temporary folder. Packages published to it are served from there; every other package
 * comes through its uplink, the registry this machine's npm uses (read at run time), so that their dependencies resolve.
 */
export class NpmRegistry {
	private output = '';
	private exited = false;
	private readonly exit: Promise<void>;
	private token = '';

	private constructor(
		private readonly child: ChildProcess,
		private readonly folder: string,
		/** The registry, e.g. http://127.0.0.1:PORT (no trailing slash, as n8n's N8N_COMMUNITY_PACKAGES_REGISTRY takes it). */
		readonly url: string,
	) {
		child.stdout?.on('data', (chunk: Buffer) => this.keep(chunk));
		child.stderr?.on('data', (chunk: Buffer) => this.keep(chunk));
		this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
		void this.exit.then(() => (this.exited = true));
	}

	/**
	 * Installs Verdaccio if needed, starts it and creates the user that publishes. `localPackages` (by default this
	 * package) are served only from what is published here, never merged with the uplink's versions of the same name.
	 */
	static async start({ localPackages = [packageName()] }: { localPackages?: string[] } = {}): Promise<NpmRegistry> {
		const installDir = (await bounded('bash', [join(ROOT, 'scripts', 'verdaccio-install.sh')], INSTALL_WITHIN_MS, 'Installing Verdaccio')).trim();
		const { registry: uplink, cafile: caFile, 'https-proxy': httpsProxy, proxy: httpProxy } = await npmConfig(['registry', 'cafile', 'https-proxy', 'proxy']);
		if (!uplink) throw new Error('`npm config get registry` printed nothing: no registry for Verdaccio to take packages from');

		const folder = mkdtempSync(join(tmpdir(), 'npm-registry-'));
		const local = { access: '$all', publish: '$authenticated', unpublish: '$authenticated' };
		const proxied = { ...local, proxy: 'upstream' };
		const config = {
			storage: join(folder, 'storage'),
			auth: { htpasswd: { file: join(folder, 'htpasswd') } },
			uplinks: {
				upstream: {
					url: uplink,
					...(httpsProxy ? { https_proxy: httpsProxy } : {}),
					...(httpProxy ? { http_proxy: httpProxy } : {}),
				},
			},
			// The first pattern that matches a package's name applies.
			packages: { ...Object.fromEntries(localPackages.map((name) => [name, local])), '@*/*': proxied, '**': proxied },
			max_body_size: '200mb',
			web: { enable: false },
			log: { type: 'stdout', format: 'pretty', level: 'http' },
		};
		// JSON is YAML: Verdaccio reads it as its config.yaml.
		writeFileSync(join(folder, 'config.yaml'), JSON.stringify(config, null, 2));

		const [port] = await freePorts(1);
		const child = spawn(
			process.execPath,
			[join(installDir, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', join(folder, 'config.yaml'), '--listen', `127.0.0.1:${port}`],
			{
				cwd: folder,
				// The uplink is reached over TLS with the certificate authorities this machine's npm trusts.
				env: { ...process.env, ...(caFile ? { NODE_EXTRA_CA_CERTS: caFile } : {}) },
				stdio: ['ignore', 'pipe', 'pipe'],
			},
		);
		const registry = new NpmRegistry(child, folder, `http://127.0.0.1:${port}`);
		try {
			await registry.waitUntilReady();
			registry.token = await registry.addUser();
			return registry;
		} catch (error) {
			await registry.stop();
			throw error;
		}
	}

	/** The tail of what Verdaccio printed (one line per request, including those it made to its uplink). */
	get log(): string {
		return this.output;
	}

	/** Publishes a package tarball (from `npm pack`) with the tag "latest". */
	async publish(tarball: string): Promise<void> {
		this.assertRunning('before publishing');
		const auth = `--${this.url.replace(/^https?:/, '')}/:_authToken=${this.token}`;
		try {
			// In the registry's folder, away from any project's .npmrc.
			await run('npm', ['publish', tarball, `--registry=${this.url}/`, auth, '--tag=latest', '--access=public', '--ignore-scripts', '--loglevel=error'], {
				cwd: this.folder,
				timeout: NPM_WITHIN_MS,
			});
		} catch (error) {
			const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
			const hide = (text: string): string => text.replaceAll(this.token, '***');
			throw new Error(`Publishing ${tarball} to ${this.url} failed: ${hide(message)}\n${hide(stdout ?? '')}\n${hide(stderr ?? '')}\nVerdaccio's log:\n${this.output}`);
		}
	}

	/** The registry's metadata of a published version (404 and the like fail with Verdaccio's log). */
	async metadata(name: string, version = 'latest'): Promise<{ name: string; version: string; dist: { tarball: string; integrity: string } }> {
		const response = await this.fetch(`/${name.replace('/', '%2f')}/${version}`);
		return (await response.json()) as { name: string; version: string; dist: { tarball: string; integrity: string } };
	}

	/** Stops Verdaccio (SIGTERM, then SIGKILL after a grace period) and removes its storage. */
	async stop(): Promise<void> {
		signal(this.child, 'SIGTERM');
		await within(this.exit, STOP_WITHIN_MS);
		signal(this.child, 'SIGKILL');
		await within(this.exit, STOP_WITHIN_MS);
		rmSync(this.folder, { recursive: true, force: true });
	}

	private async waitUntilReady(): Promise<void> {
		const deadline = Date.now() + READY_WITHIN_MS;
		while (Date.now() < deadline) {
			this.assertRunning('before it was ready');
			const ready = await fetch(`${this.url}/-/ping`, { signal: AbortSignal.timeout(1_000) }).then(
				(response) => response.ok,
				() => false,
			);
			if (ready) return;
			await sleep(200);
		}
		throw new Error(`Verdaccio did not answer ${this.url}/-/ping within ${READY_WITHIN_MS / 1000} s:\n${this.output}`);
	}

	/** Creates the user that publishes (Verdaccio's htpasswd plugin signs anyone up) and returns its token. */
	private async addUser(): Promise<string> {
		const response = await this.fetch(`/-/user/org.couchdb.user:${USER.name}`, {
			method: 'PUT',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: USER.name, password: USER.password }),
		});
		const { token } = (await response.json()) as { token?: string };
		if (!token) throw new Error(`Verdaccio created the user ${USER.name} but returned no token:\n${this.output}`);
		return token;
	}

	private async fetch(path: string, init: RequestInit = {}): Promise<Response> {
		this.assertRunning(`before ${init.method ?? 'GET'} ${path}`);
		let response: Response;
		try {
			response = await fetch(`${this.url}${path}`, { ...init, signal: AbortSignal.timeout(NPM_WITHIN_MS) });
		} catch (error) {
			throw new Error(`${init.method ?? 'GET'} ${this.url}${path} failed: ${(error as Error).message}\nVerdaccio's log:\n${this.output}`);
		}
		if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${this.url}${path}: ${response.status} ${await response.text()}\nVerdaccio's log:\n${this.output}`);
		return response;
	}

	private assertRunning(what: string): void {
		if (this.exited) throw new Error(`Verdaccio exited (${this.child.exitCode ?? this.child.signalCode}) ${what}:\n${this.output}`);
	}

	private keep(chunk: Buffer): void {
		this.output = (this.output + chunk.toString()).slice(-LOG_TAIL_CHARS);
	}
}

/**
 * Packs a package folder (by default this repo, as built) into a new temporary folder and returns the tarball's path;
 * remove its folder (`dirname`) when done.
 */
export async function packPackage(folder = ROOT): Promise<string> {
	const destination = mkdtempSync(join(tmpdir(), 'npm-pack-'));
	const name = (await bounded('npm', ['pack', '--pack-destination', destination, '--silent'], NPM_WITHIN_MS, `Packing ${folder}`, folder)).trim().split('\n').pop()!;
	return join(destination, name);
}

/** This package's name, from its package.json. */
export function packageName(folder = ROOT): string {
	return (JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as { name: string }).name;
}

/** Settings of this machine's npm ('' for those it has none of), read in one call: `npm config get A B` prints `A=…` lines. */
async function npmConfig(keys: string[]): Promise<Record<string, string>> {
	const output = await bounded('npm', ['config', 'get', ...keys], 30_000, `Reading npm's settings ${keys.join(', ')}`);
	const settings: Record<string, string> = Object.fromEntries(keys.map((key) => [key, '']));
	// With one key, npm prints the value alone.
	for (const line of keys.length === 1 ? [`${keys[0]}=${output}`] : output.split('\n')) {
		const [key, ...rest] = line.split('=');
		const value = rest.join('=').trim();
		if (key in settings) settings[key] = value === 'null' || value === 'undefined' ? '' : value;
	}
	return settings;
}

async function bounded(command: string, args: string[], ms: number, what: string, cwd?: string): Promise<string> {
	try {
		return (await run(command, args, { timeout: ms, maxBuffer: 16 * 1024 * 1024, cwd })).stdout;
	} catch (error) {
		const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
		throw new Error(`${what} failed (${command} ${args.join(' ')}): ${message}\n${stdout ?? ''}\n${stderr ?? ''}`);
	}
}

function signal(child: ChildProcess, name: NodeJS.Signals): void {
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		child.kill(name);
	} catch {
		// It is gone already.
	}
}

/** Waits for a promise, at most `ms`; the timer does not outlive it. */
async function within(promise: Promise<void>, ms: number): Promise<void> {
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
	clearTimeout(timer);
}

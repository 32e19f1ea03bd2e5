import type { Readable } from 'stream';

import type { Execution } from '../model/execution';
import type { AllowedHost } from '../model/allowedHosts';
import type { Language } from '../model/languages';
import type { OutputLimits } from '../model/outputLimits';
import type { FileContent, FileReadLimits, ListFilesOptions, SandboxFile } from './files';

export type BackendName = 'docker' | 'e2b';

/** Where a backend reports work it does in the background, such as building an image (n8n's logger fits). */
export interface BackendLogger {
	info(message: string): void;
	error(message: string): void;
}

export const SILENT_LOGGER: BackendLogger = { info: () => undefined, error: () => undefined };

/** What a backend knows of one sandbox; the JSON of Create Sandbox and Get Many. */
export interface SandboxInfo {
	sandboxId: string;
	backend: BackendName;
	/** The image (Docker) or template (E2B) the sandbox was made from. */
	template: string;
	/** Paused: no process of it runs; its state waits for Resume (or a run, which resumes it first). */
	state: 'running' | 'paused';
	createdAt: string;
	/** Running: when it stops (or pauses, with On Timeout pause). Paused: when it is deleted (Docker: 30 days after the pause; E2B: as E2B says). */
	expiresAt: string;
}

/** What happens at a sandbox's deadline: it is killed (the default) or paused. */
export type OnTimeout = 'kill' | 'pause';

/**
 * What one language's kernel kept through a pause (Docker saves each kernel's variables into files; E2B keeps the
 * whole memory and reports nothing per language). Names of variables (and Bash functions); `lost` when the language's
 * state could not be kept at all.
 */
export interface LanguageState {
	saved?: string[];
	notSaved?: Record<string, string>;
	restored?: string[];
	notRestored?: Record<string, string>;
	lost?: string;
	/** A run was going on at the pause and was interrupted first. */
	interrupted?: boolean;
}

/** A sandbox just paused or resumed, with what each language kept, keyed by language (Docker). */
export interface PausedOrResumed extends SandboxInfo {
	languages?: Record<string, LanguageState>;
}

export interface CreateSandboxOptions {
	/** Lifetime: the sandbox stops itself this long after creation unless Set Timeout moves it. */
	timeoutSeconds: number;
	/** Lets the sandbox's code reach the internet (never the n8n host or other sandboxes). Off by default. */
	internetAccess?: boolean;
	/**
	 * Hosts the code may reach even with internet access off (and private ones with it on): names resolved when the
	 * sandbox is created, addresses and ranges as given. Never the n8n host, link-local or multicast addresses, nor
	 * other sandboxes unless one is listed by its own address.
	 */
	allowedHosts?: AllowedHost[];
	/**
	 * Python requirement lines (model/packages.ts) installed with pip before the sandbox is handed out, from the
	 * credential's package index, whose host the install alone may reach. A failed install fails the create.
	 */
	packages?: string[];
	/** Environment variables of the sandbox's processes, the code's included. */
	envs?: Record<string, string>;
	/** E2B: the template to start from (default code-interpreter-v1). Docker takes its image from the credential. */
	template?: string;
	/** At the deadline: kill (default) or pause the sandbox. */
	onTimeout?: OnTimeout;
}

export interface RunCodeOptions {
	language: Language;
	/** Execution limit: the code is interrupted after this long. */
	timeoutMs: number;
	/** Aborting interrupts the code (the workflow was cancelled). */
	signal?: AbortSignal;
	/** Caps on what the code's output may take in n8n's memory. */
	limits?: OutputLimits;
	/** Figures the code shows also carry an SVG (Python). */
	figureSvg?: boolean;
	/** Variables defined for the code before it runs (`item`, `items`), passed as JSON outside the code. */
	variables?: Record<string, unknown>;
}

/** One of several runs of code sent to a sandbox together (the items of a node, in order). */
export interface CodeRun {
	code: string;
	options: RunCodeOptions;
}

/** A run's Execution, and with an output folder the files it wrote there. */
export interface RanExecution {
	execution: Execution;
	/** The files in the output folder (to OUTPUT_DEPTH levels) the run created or changed; set when a folder was given. */
	writtenFiles?: SandboxFile[];
}

/** What became of one run of `runCodeMany`: it ran, or an error kept it from running (or from being collected). */
export type CodeRunOutcome = RanExecution | { error: Error };

/**
 * Everything the n8n node needs from a place that runs sandboxes. Sandboxes are found by id through the
 * backend itself on every call (never from this process's memory), so any n8n process or worker can use them.
 */
export interface Backend {
	readonly name: BackendName;
	/** Python that shows the matplotlib figures still open in the kernel (Get Chart without code). */
	readonly openFiguresCode: string;
	/** Checks that the backend answers and can make sandboxes; resolves with a short description of what it found. */
	checkConnection(): Promise<string>;
	create(options: CreateSandboxOptions): Promise<SandboxInfo>;
	/**
	 * The sandbox known by `name` (e.g. an AI Agent's conversation), found again from any process while it runs,
	 * its deadline moved to `timeoutSeconds` from now; created when there is none. Callers racing on one name end up
	 * sharing one sandbox.
	 */
	openNamed(name: string, options: CreateSandboxOptions): Promise<SandboxInfo>;
	/**
	 * Runs several pieces of code in one sandbox's kernel, in order, each with its own outcome, as fast as the
	 * backend can (Docker sends them back to back). With `stopOnError`, a run whose code fails makes the ones after
	 * it be skipped (their error is NotRun). With `outputFolder`, each run says which files it wrote there.
	 */
	runCodeMany(sandboxId: string, runs: CodeRun[], stopOnError: boolean, outputFolder?: string): Promise<CodeRunOutcome[]>;
	/**
	 * Pauses a running sandbox: no process of it runs until Resume (or a run, or a file operation, which resume it
	 * first). A run going on is interrupted. Paused already: as it is.
	 */
	pause(sandboxId: string): Promise<PausedOrResumed>;
	/** Resumes a paused sandbox with its variables and files, its deadline `timeoutSeconds` from now; running already: only the deadline moves. */
	resume(sandboxId: string, timeoutSeconds: number): Promise<PausedOrResumed>;
	/** Resolves false when there was no such sandbox (running or paused). */
	kill(sandboxId: string): Promise<boolean>;
	list(): Promise<SandboxInfo[]>;
	/** Moves the sandbox's deadline to `timeoutSeconds` from now. */
	setTimeout(sandboxId: string, timeoutSeconds: number): Promise<SandboxInfo>;
	/** Writes a file (parent folders made, owned by the sandbox's user), streaming; resolves with its path and size. */
	writeFile(sandboxId: string, path: string, content: Readable): Promise<{ path: string; size: number }>;
	/**
	 * Streams a regular file (links followed; anything else refused by name), within `limits` (DEFAULT_FILE_READ_LIMITS):
	 * bigger than `maxBytes` is refused before reading, and the transfer fails past `timeoutMs`.
	 */
	readFile(sandboxId: string, path: string, limits?: FileReadLimits): Promise<FileContent>;
	/** At most MAX_LIST_ENTRIES entries: more is an error that says what to do. */
	listFiles(sandboxId: string, path: string, options: ListFilesOptions): Promise<SandboxFile[]>;
}

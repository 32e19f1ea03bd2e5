import type { IBinaryData, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { Readable } from 'stream';

import type { Backend, CodeRun, CodeRunOutcome, SandboxInfo } from '../../../nodes/CodeInterpreter/backends/Backend';
import { emptyExecution, type Execution } from '../../../nodes/CodeInterpreter/model/execution';

export const SANDBOX: SandboxInfo = {
	sandboxId: 'ci-0123456789abcdef',
	backend: 'docker',
	template: 'n8n-code-interpreter-sandbox:test',
	state: 'running',
	createdAt: '2026-11-29T00:00:00.000Z',
	expiresAt: '2026-11-29T00:05:00.000Z',
};

export interface FakeContextOptions {
	/** Each item's parameters; a parameter no item sets comes from `defaults`. */
	items: Array<Record<string, unknown>>;
	defaults?: Record<string, unknown>;
	/** Each item's input data (JSON and binary); `{ json: { n: index } }` when left out. */
	inputs?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** `…Tool` when an AI Agent runs the node as its tool. */
	nodeType?: string;
	onError?: string;
}

/** The part of n8n's IExecuteFunctions the operations use, recording the hints and binary data they make. */
export function fakeContext({ items, defaults = {}, inputs, continueOnFail = false, nodeType = 'n8n-nodes-code-interpreter.codeInterpreter', onError }: FakeContextOptions) {
	const hints: string[] = [];
	const input = inputs ?? items.map((_, n) => ({ json: { n } }));
	const ctx = {
		getInputData: () => input,
		// As n8n's: a parameter that is not there is an error, unless the caller gives a fallback (even undefined).
		getNodeParameter: (name: string, index: number, ...fallback: unknown[]) => {
			const value = items[index]?.[name] ?? defaults[name];
			if (value === undefined && fallback.length === 0) throw new Error(`Could not get parameter "${name}"`);
			return value ?? fallback[0];
		},
		continueOnFail: () => continueOnFail,
		getExecutionCancelSignal: () => undefined,
		getExecutionId: () => 'execution-1',
		getWorkflow: () => ({ id: 'workflow-1' }),
		getNode: () => ({ name: 'Code Interpreter', type: nodeType, typeVersion: 1, parameters: {}, onError, credentials: { codeInterpreterDockerApi: { id: 'credential-1', name: 'Docker' } } }),
		getCredentials: async () => ({}),
		addExecutionHints: (...given: Array<{ message: string }>) => hints.push(...given.map((hint) => hint.message)),
		logger: { warn: () => undefined },
		helpers: {
			prepareBinaryData: async (data: Buffer | Readable, fileName?: string, mimeType?: string): Promise<IBinaryData> => {
				const bytes = Buffer.isBuffer(data) ? data : Buffer.concat(await data.toArray());
				return { data: bytes.toString('base64'), fileName, mimeType: mimeType ?? 'application/octet-stream' };
			},
			getBinaryStream: async () => Readable.from([Buffer.from('from the binary data store')]),
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, hints };
}

/** An Execution with a main result (its text) and, optionally, stdout and an error. */
export function execution(text?: string, extra: Partial<Execution> = {}): Execution {
	return { ...emptyExecution(), results: text === undefined ? [] : [{ isMainResult: true, text }], ...extra };
}

/** A Backend whose every method records its calls; each answers as given, or with a plain default. */
export function fakeBackend(answers: Partial<Record<keyof Backend, unknown>> = {}) {
	const calls: Array<[string, ...unknown[]]> = [];
	const answer = (name: keyof Backend, fallback: (...args: never[]) => unknown) =>
		async (...args: unknown[]) => {
			calls.push([name, ...args]);
			const given = answers[name];
			if (given instanceof Error) throw given;
			return typeof given === 'function' ? (given as (...a: unknown[]) => unknown)(...args) : given ?? (fallback as (...a: unknown[]) => unknown)(...args);
		};
	const backend = {
		name: 'docker',
		openFiguresCode: 'show_open_figures()',
		checkConnection: answer('checkConnection', () => 'ok'),
		create: answer('create', () => SANDBOX),
		openNamed: answer('openNamed', () => ({ ...SANDBOX, sandboxId: 'ci-conversation0000' })),
		runCodeMany: answer('runCodeMany', (_id: string, runs: CodeRun[]): CodeRunOutcome[] => runs.map(() => ({ execution: execution() }))),
		kill: answer('kill', () => true),
		pause: answer('pause', () => ({ ...SANDBOX, state: 'paused', languages: { python: { saved: ['x'], notSaved: {} } } })),
		resume: answer('resume', () => ({ ...SANDBOX, languages: { python: { restored: ['x'], notRestored: {} } } })),
		list: answer('list', () => [SANDBOX]),
		setTimeout: answer('setTimeout', () => SANDBOX),
		writeFile: answer('writeFile', () => ({ path: '/home/user/data.csv', size: 3 })),
		readFile: answer('readFile', () => ({ path: '/home/user/out.csv', size: 3, content: Readable.from([Buffer.from('a,b')]) })),
		listFiles: answer('listFiles', () => []),
	} as unknown as Backend;
	return { backend, calls, called: (name: keyof Backend) => calls.filter(([method]) => method === name).map(([, ...args]) => args) };
}

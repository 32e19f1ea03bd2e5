import type { Backend, SandboxInfo } from '../../../nodes/CodeInterpreter/backends/Backend';
import type { Execution } from '../../../nodes/CodeInterpreter/model/execution';
import type { Language } from '../../../nodes/CodeInterpreter/model/languages';
import { batchCases } from './batchCases';
import { fileCases } from './fileCases';
import { hostileFileCases } from './hostileFileCases';
import { hostileOutputCases } from './hostileOutputCases';
import { namedCases } from './namedCases';
import { networkCases } from './networkCases';
import { pauseCases } from './pauseCases';
import { richOutputCases } from './richOutputCases';
import { sandboxCases } from './sandboxCases';
import { scopeCases } from './scopeCases';
import { scriptCases } from './scriptCases';
import type { BackendSubject } from './subjects';
import { runOne } from '../../helpers/runOne';

/** What the cases of the shared suite get: one sandbox for the whole suite, and helpers. */
export interface SuiteContext {
	subject: BackendSubject;
	backend(): Backend;
	sandbox(): SandboxInfo;
	run(code: string, language?: Language, timeoutMs?: number): Promise<Execution>;
	/** Registers a case; only cases that pass are counted in the suite's summary. */
	test(name: string, body: () => Promise<void>, timeoutMs?: number): void;
}

/**
 * The behaviour every backend must have, written once: state, languages, input variables, limits, errors,
 * timeouts, rich outputs, charts, files, runs of many items, allowed hosts, pause and resume. Each backend's test file runs it against its own subject.
 */
export function describeBackendSuite(subject: BackendSubject): void {
	let backend: Backend | undefined;
	let sandbox: SandboxInfo | undefined;
	let registered = 0;
	let passed = 0;
	const context: SuiteContext = {
		subject,
		backend: () => backend ?? fail('the suite\'s backend is not set up'),
		sandbox: () => sandbox ?? fail('the suite\'s sandbox was not created'),
		run: (code, language = 'python', timeoutMs = 60_000) =>
			runOne(context.backend(), context.sandbox().sandboxId, code, { language, timeoutMs }),
		test: (name, body, timeoutMs) => {
			registered++;
			test(
				name,
				async () => {
					await body();
					passed++;
				},
				timeoutMs,
			);
		},
	};

	describe(`the shared backend suite on ${subject.name}`, () => {
		beforeAll(async () => {
			await subject.setUp();
			backend = subject.backend();
			sandbox = await backend.create({ timeoutSeconds: 900, template: subject.template, envs: { SUITE_GREETING: 'hej då' } });
		}, 180_000);

		afterAll(async () => {
			if (sandbox) await backend?.kill(sandbox.sandboxId);
			await subject.tearDown();
			process.stdout.write(`\nshared backend suite on ${subject.name}: ${passed} of ${registered} cases passed\n`);
		}, 60_000);

		describe('sandboxes, languages and errors', () => sandboxCases(context));
		describe('rich outputs and charts', () => richOutputCases(context));
		describe('output shaped to hurt n8n', () => hostileOutputCases(context));
		describe('files', () => fileCases(context));
		describe('files shaped to hurt n8n', () => hostileFileCases(context));
		describe('items sent together', () => batchCases(context));
		describe('named sandboxes (one per AI conversation)', () => namedCases(context));
		describe('a sandbox belongs to its credential', () => scopeCases(context));
		describe('a run behaves as the same code would as a script', () => scriptCases(context));
		describe('allowed hosts', () => networkCases(context));
		describe('pause and resume', () => pauseCases(context));
	});
}

function fail(message: string): never {
	throw new Error(message);
}

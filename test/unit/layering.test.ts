import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

/**
 * The layers of nodes/CodeInterpreter (docs/architecture.md), checked on every import, re-export, require and
 * dynamic import: model/ imports nothing of ours and not n8n; output/ only model/; descriptions/ no backend;
 * backends/ never n8n-workflow, actions/, descriptions/ or output/; actions/ never a backend's own folders
 * (docker, e2b, jupyter, common), only the Backend interface and its types and errors.
 */
const NODE = resolve(__dirname, '../../nodes/CodeInterpreter');

function sources(folder: string): string[] {
	return readdirSync(join(NODE, folder), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.ts'))
		.map((file) => join(folder, file));
}

const SPECIFIER = /\b(?:from|import|require)\s*\(?\s*(['"])([^'"]+)\1/g;

/** The module specifiers in a source text, in any form that loads a module. */
function specifiers(text: string): string[] {
	return [...text.matchAll(SPECIFIER)].map((match) => match[2]);
}

/** What a file imports: packages as they are, our own files as paths relative to nodes/CodeInterpreter. */
function imports(file: string): string[] {
	return specifiers(readFileSync(join(NODE, file), 'utf8')).map((spec) =>
		spec.startsWith('.') ? relative(NODE, resolve(dirname(join(NODE, file)), spec.replace(/\.js$/, ''))) : spec,
	);
}

/** One of this package's files (a path from the import's resolution), not a library. */
function isOurs(target: string): boolean {
	return target.startsWith('..') || existsSync(join(NODE, `${target}.ts`)) || existsSync(join(NODE, target, 'index.ts'));
}

const isN8n = (target: string) => target === 'n8n-workflow' || target.startsWith('n8n-workflow/');

const rules: Array<[folder: string, allowed: (target: string) => boolean]> = [
	['model', (target) => !isN8n(target) && (target.startsWith('model/') || !isOurs(target))],
	['output', (target) => target.startsWith('model/') || target.startsWith('output/') || !isOurs(target)],
	['descriptions', (target) => !target.startsWith('backends/') && !target.startsWith('actions/')],
	['backends', (target) => !isN8n(target) && !/^(actions|output|descriptions)\//.test(target)],
	['actions', (target) => !/^backends\/(docker|e2b|jupyter|common)\//.test(target)],
];

test.each(rules)('%s/ imports only what its layer may', (folder, allowed) => {
	const files = sources(folder);
	expect(files.length).toBeGreaterThan(0);
	const broken = files.flatMap((file) => imports(file).filter((target) => !allowed(target)).map((target) => `${file} imports ${target}`));
	expect(broken).toEqual([]);
});

test('the check sees every way of loading a module, and a broken rule', () => {
	const text = [
		"import type { A } from '../a';",
		'import {\n\tB,\n} from "../b";',
		"import '../c';",
		"export * from '../d';",
		"const e = await import('../e');",
		"type F = import('../f').F;",
		"import g = require('../g');",
		"const h = require('h');",
	].join('\n');
	expect(specifiers(text)).toEqual(['../a', '../b', '../c', '../d', '../e', '../f', '../g', 'h']);
	const [[, modelAllows], , , [, backendsAllow], [, actionsAllow]] = rules;
	expect(modelAllows('backends/errors')).toBe(false);
	expect(modelAllows('n8n-workflow')).toBe(false);
	expect(modelAllows('zod')).toBe(true);
	expect(backendsAllow('n8n-workflow/dist/Interfaces')).toBe(false);
	expect(actionsAllow('backends/docker/exec')).toBe(false);
	expect(actionsAllow('backends/Backend')).toBe(true);
});

test('no source file passes 300 lines: a longer one holds more than one thing', () => {
	const long = ['model', 'output', 'descriptions', 'backends', 'actions']
		.flatMap(sources)
		.map((file) => [file, readFileSync(join(NODE, file), 'utf8').split('\n').length] as const)
		.filter(([, lines]) => lines > 300);
	expect(long).toEqual([]);
});

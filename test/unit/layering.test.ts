import { existsSync, readdirSync, readFileSync } from 'fs';
import { dirname, join, relative, resolve } from 'path';

/**
 * The layers of nodes/CodeInterpreter (docs/architecture.md), checked on every import: model/ imports nothing of
 * ours; output/ only model/; backends/ never n8n-workflow, actions/ or output/; actions/ never a backend's own
 * folder (docker, e2b, jupyter), only the Backend interface and its shared types.
 */
const NODE = resolve(__dirname, '../../nodes/CodeInterpreter');

function sources(folder: string): string[] {
	return readdirSync(join(NODE, folder), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.ts'))
		.map((file) => join(folder, file));
}

/** What a file imports: package names as they are, our own files as paths relative to nodes/CodeInterpreter. */
function imports(file: string): string[] {
	const text = readFileSync(join(NODE, file), 'utf8');
	return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map(([, spec]) =>
		spec.startsWith('.') ? relative(NODE, resolve(dirname(join(NODE, file)), spec)) : spec,
	);
}

const rules: Array<[folder: string, allowed: (target: string) => boolean]> = [
	['model', (target) => target.startsWith('model/') || !isOurs(target)],
	['output', (target) => target.startsWith('model/') || target.startsWith('output/') || !isOurs(target)],
	['backends', (target) => target !== 'n8n-workflow' && !/^(actions|output|descriptions)\//.test(target)],
	['actions', (target) => !/^backends\/(docker|e2b|jupyter|common)\//.test(target)],
];

/** One of this package's files (a path from the import's resolution), not a library. */
function isOurs(target: string): boolean {
	return target.startsWith('..') || existsSync(join(NODE, `${target}.ts`)) || existsSync(join(NODE, target, 'index.ts'));
}

test.each(rules)('%s/ imports only what its layer may', (folder, allowed) => {
	const files = sources(folder);
	expect(files.length).toBeGreaterThan(0);
	const broken = files.flatMap((file) => imports(file).filter((target) => !allowed(target)).map((target) => `${file} imports ${target}`));
	expect(broken).toEqual([]);
});

test('the check sees a broken rule', () => {
	const [, modelAllows] = rules[0];
	expect(modelAllows('backends/errors')).toBe(false);
	expect(modelAllows('zod')).toBe(true);
	const [, actionsAllow] = rules[3];
	expect(actionsAllow('backends/docker/exec')).toBe(false);
	expect(actionsAllow('backends/Backend')).toBe(true);
});

/**
 * Three suites: unit (our own logic, no Docker), integration (real containers), e2e (a real n8n running workflows).
 * e2b's CommonJS build requires chalk 5, which is ESM only: Node loads it natively, Jest's module loader cannot,
 * so Jest compiles that one package to CommonJS.
 */
const esmOnly = ['chalk'];
const project = (name) => ({
	displayName: name,
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	setupFiles: ['<rootDir>/test/setup/quietJupyterClient.ts'],
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { warnOnly: false } }],
		[`/node_modules/(.+/)?(${esmOnly.join('|')})/.+\\.js$`]: ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs' }, diagnostics: false }],
	},
	transformIgnorePatterns: [`/node_modules/(?!(.+/)?(${esmOnly.join('|')})/)`],
});

module.exports = {
	projects: [project('unit'), project('integration'), project('e2e')],
	// Real containers and a real n8n: a workflow run takes seconds, not milliseconds.
	testTimeout: 120_000,
};

/** Three suites: unit (our own logic, no Docker), integration (real containers), e2e (a real n8n running workflows). */
const project = (name) => ({
	displayName: name,
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	setupFiles: ['<rootDir>/test/setup/quietJupyterClient.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { warnOnly: false } }] },
});

module.exports = {
	projects: [project('unit'), project('integration'), project('e2e')],
	// Real containers and a real n8n: a workflow run takes seconds, not milliseconds.
	testTimeout: 120_000,
};

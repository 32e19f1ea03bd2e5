/** Three suites: unit (our own logic, no Docker), integration (real containers), e2e (a real n8n running workflows). */
const project = (name, timeout) => ({
	displayName: name,
	preset: 'ts-jest',
	testEnvironment: 'node',
	testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: { warnOnly: false } }] },
	...(timeout ? { testTimeout: timeout } : {}),
});

module.exports = {
	projects: [project('unit'), project('integration'), project('e2e')],
	testTimeout: 120_000,
};

// @ts-check
const { defineConfig, globalIgnores } = require('eslint/config');
const tseslint = require('typescript-eslint');
const n8nNodesBase = require('eslint-plugin-n8n-nodes-base');
// This plugin is ESM-only; loading it with require() needs Node >= 20.19 / 22.12 (require(esm)
// unflagged). Its named export `n8nCommunityNodesPlugin` carries `configs.recommended`.
const { n8nCommunityNodesPlugin } = require('@n8n/eslint-plugin-community-nodes');

const communityRecommended = n8nCommunityNodesPlugin.configs.recommended;

module.exports = defineConfig([
	// Build output, dependencies, coverage reports and the sandbox image sources are not ours to lint.
	// The plain CommonJS tooling files (build/test/config scripts) are not part of the node package
	// that n8n loads, so neither the TypeScript nor the n8n community-node rules apply to them.
	globalIgnores([
		'dist/',
		'node_modules/',
		'coverage/',
		'template/',
		'scripts/*.js',
		'gulpfile.js',
		'index.js',
		'jest.config.js',
		'eslint.config.js',
	]),

	// TypeScript sources: typescript-eslint's recommended rules.
	{
		files: ['**/*.ts'],
		extends: [tseslint.configs.recommended],
	},

	// eslint-plugin-n8n-nodes-base ships eslintrc-style configs (env/parserOptions/plugins as strings),
	// so only their `rules` are taken and the plugin is registered the flat-config way.
	{
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{
		// package.json is parsed by the TypeScript parser, which reads .json files as a single
		// object expression — the shape the package.json rules of both n8n plugins expect.
		files: ['package.json'],
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
		rules: { ...n8nNodesBase.configs.community.rules },
	},
	{
		files: ['credentials/**/*.ts'],
		rules: { ...n8nNodesBase.configs.credentials.rules },
	},
	{
		files: ['nodes/**/*.ts'],
		rules: { ...n8nNodesBase.configs.nodes.rules },
	},

	// @n8n/eslint-plugin-community-nodes' recommended config (all of its rules), on what n8n loads:
	// the node, the credentials and package.json (tests and benchmarks drive n8n and Docker from outside).
	{
		...communityRecommended,
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
	},
	{
		files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'],
		rules: {
			// This is an unverified community package (self-hosted only, not n8n Cloud): it manages Docker
			// containers and Jupyter kernels, so it legitimately ships runtime dependencies (dockerode,
			// @jupyterlab/services, ws, zod), imports Node built-ins (fs, path, crypto, stream) and uses
			// timers/process globals (setTimeout, clearTimeout, ...). These three rules exist only to
			// enforce n8n Cloud's "no dependencies, no Node APIs" restrictions, so they are turned off;
			// every other rule stays on.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-restricted-globals': 'off',
			// These two contradict rules of the other plugin (documentationUrl must be a URL; outputs must use
			// NodeConnectionTypes); n8n's own @n8n/node-cli turns them off too.
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// The package has no published maintainer address yet; set one before publishing to npm.
			'@n8n/community-nodes/valid-author': 'off',
			// The client key is a secret and must stay masked (cred-class-field-type-options-password-missing asks for it).
			'@n8n/community-nodes/credential-unnecessary-password': 'off',
			// n8n asks verified packages for "n8n-workflow": "*". This one does not load before n8n-workflow 1.83 (the
			// connection types its node declares arrived there), so it says so: ">=1.83.0", checked by the e2e smoke test
			// on n8n 1.x and 2.x (test/e2e/n8nVersions.e2e.test.ts).
			'@n8n/community-nodes/valid-peer-dependencies': 'off',
		},
	},
	{
		// Backends know nothing of n8n (one of them may serve other callers): they throw SandboxError, and the
		// node's router turns every error into a NodeOperationError with the item index and description.
		files: ['nodes/**/backends/**/*.ts'],
		rules: { '@n8n/community-nodes/require-node-api-error': 'off' },
	},
]);

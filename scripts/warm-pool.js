'use strict';
/** Fills the Docker backend's warm pool for the local socket's default credential (npm start runs it). */
const { createBackend } = require('../dist/nodes/CodeInterpreter/backends');

const started = Date.now();
const backend = createBackend('docker', {});
backend.pool
	.refill()
	.then(() => console.log(`Warm pool ready (${Date.now() - started} ms)`))
	.catch((error) => {
		console.error(`Could not fill the warm pool: ${error.message}`);
		process.exitCode = 1;
	});

'use strict';
/**
 * Run as its own process by warmPool.test.ts: makes `count` Create Sandbox calls at once through the built package
 * (dist/) with the Docker credential given as JSON, prints what it got as one JSON line, and exits at once
 * (the pool's background refill is left to the test to clean up).
 */
const { createBackend } = require('../../dist/nodes/CodeInterpreter/backends');

const [credential, count] = [JSON.parse(process.argv[2]), Number(process.argv[3])];
console.log = () => undefined; // @jupyterlab/services logs each WebSocket it opens
const backend = createBackend('docker', credential);
Promise.all(
	Array.from({ length: count }, async () => {
		const started = Date.now();
		const { sandboxId } = await backend.create({ timeoutSeconds: 300 });
		return { sandboxId, ms: Date.now() - started };
	}),
).then(
	(claims) => {
		process.stdout.write(`${JSON.stringify(claims)}\n`);
		process.exit(0);
	},
	(error) => {
		process.stderr.write(`${error.stack}\n`);
		process.exit(1);
	},
);

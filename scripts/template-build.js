#!/usr/bin/env node
// Builds the sandbox image from template/ with the same code the node uses when the Docker engine lacks the image
// (nodes/CodeInterpreter/backends/docker/image/), tagged with the package version. When the Dockerfile's base image
// cannot be pulled (no Docker Hub), it is made from Debian packages (template/base-image.sh).
// Usage: node scripts/template-build.js [--if-stale]
//   --if-stale: build only when no image of this version exists or it was built from other template sources.
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const Docker = require('dockerode');

const DIST = path.join(__dirname, '..', 'dist', 'nodes', 'CodeInterpreter');
const STEP = 'build the sandbox image';

async function main() {
	if (!fs.existsSync(DIST)) throw new Error('the package is not built: run "npm run build" first');
	const { DEFAULT_IMAGE } = require(path.join(DIST, 'packageInfo.js'));
	const { buildTemplateImage, builtFrom, BUILD_TIMEOUT_MS } = require(path.join(DIST, 'backends/docker/image/build.js'));
	const { lockHeldSince } = require(path.join(DIST, 'backends/docker/image/buildLock.js'));
	const { TEMPLATE_DIR, templateHash } = require(path.join(DIST, 'backends/docker/image/template.js'));
	const docker = new Docker();
	const upToDate = async () => process.argv.includes('--if-stale') && (await builtFrom(docker, DEFAULT_IMAGE)) === templateHash();
	if (await upToDate()) return console.log(`${DEFAULT_IMAGE} is up to date`);

	const makeBaseImage = (base) => run('bash', [path.join(TEMPLATE_DIR, 'base-image.sh'), base]);
	// A remote engine (DOCKER_HOST) resolves the package mirrors itself.
	const pinMirrors = !process.env.DOCKER_HOST;
	const outcome = await buildTemplateImage(docker, DEFAULT_IMAGE, { log: console.log, makeBaseImage, upToDate, pinMirrors });
	if (outcome.state === 'upToDate') return console.log(`${DEFAULT_IMAGE} was built meanwhile by another process`);
	if (outcome.state === 'building') {
		console.log(`Another process has been building ${DEFAULT_IMAGE} since ${outcome.heldSince.toISOString()}; waiting for it ...`);
		const deadline = Date.now() + BUILD_TIMEOUT_MS;
		while (await lockHeldSince(docker, DEFAULT_IMAGE)) {
			if (Date.now() > deadline) throw new Error(`the other build of ${DEFAULT_IMAGE} did not end within ${BUILD_TIMEOUT_MS / 60_000} minutes`);
			await new Promise((resolve) => setTimeout(resolve, 2000));
		}
		if ((await builtFrom(docker, DEFAULT_IMAGE)) !== templateHash()) throw new Error(`the other build of ${DEFAULT_IMAGE} did not finish it; run this again`);
		console.log(`${DEFAULT_IMAGE} was built by the other process`);
	}
}

function run(command, args) {
	return new Promise((resolve, reject) => {
		spawn(command, args, { stdio: 'inherit' })
			.on('error', reject)
			.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit status ${code}`}; its output is above)`))));
	});
}

main().catch((error) => {
	console.error(`Set-up failed at the step "${STEP}" (node scripts/template-build.js): ${error.message}${error.description ? `\n${error.description}` : ''}`);
	process.exit(1);
});

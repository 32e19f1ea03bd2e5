'use strict';
/**
 * Run as its own process by imageBuild.test.ts, through the built package (dist/): acts as one n8n process that
 * needs the package image `tag` on the local Docker engine.
 *   first-use TAG [COUNT]  asks for COUNT sandboxes at once (PackageImage.whenMissing; 1 by default), then waits
 *                   until no build of TAG runs anywhere, and asks again; prints { first, firsts, second, test, log }
 *                   as one JSON line (`first`: the first answer, `firsts`: them all, `test`: what the credential's
 *                   Test says then).
 *   hold-lock TAG   takes TAG's build lock, prints "held", and keeps it until killed.
 */
const Docker = require('dockerode');
const { PackageImage } = require('../../dist/nodes/CodeInterpreter/backends/docker/image/packageImage');
const { tryBuildLock } = require('../../dist/nodes/CodeInterpreter/backends/docker/image/buildLock');
const { baseImage } = require('../../dist/nodes/CodeInterpreter/backends/docker/image/template');

const [action, tag, count = '1'] = process.argv.slice(2);
const docker = new Docker();

async function firstUse() {
	const log = [];
	const image = new PackageImage(docker, tag, { info: (line) => log.push(line), error: (line) => log.push(`ERROR ${line}`) }, true);
	const ask = () => image.whenMissing().catch((error) => error.message);
	const firsts = await Promise.all(Array.from({ length: Number(count) }, ask));
	const deadline = Date.now() + 15 * 60_000;
	while ((await image.state()).state === 'building' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
	const second = await ask();
	return { first: firsts[0], firsts, second, test: image.describe(await image.state()), log };
}

async function holdLock() {
	const attempt = await tryBuildLock(docker, tag, baseImage(), 600_000);
	if (!('lock' in attempt)) throw new Error(`the lock is held since ${attempt.heldSince.toISOString()}`);
	process.stdout.write('held\n');
	await new Promise(() => undefined);
}

(action === 'hold-lock' ? holdLock() : firstUse()).then(
	(result) => {
		process.stdout.write(`${JSON.stringify(result)}\n`);
		process.exit(0);
	},
	(error) => {
		process.stderr.write(`${error.stack}\n`);
		process.exit(1);
	},
);

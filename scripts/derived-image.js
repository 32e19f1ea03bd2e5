#!/usr/bin/env node
// Builds a sandbox image on top of this package's with the extra Python, Debian and R libraries a file lists
// (format: nodes/CodeInterpreter/model/libraries.ts; README "Add libraries"), tagged by the list and the base image,
// so a changed list makes a new tag. Prints the tag last: put it in the Docker credential's Image.
// Usage: node scripts/derived-image.js LIBRARIES_FILE [--network NAME]
//   --network: the Docker network the build's steps run on (e.g. one where a package mirror is reachable).
const fs = require('fs');
const path = require('path');
const Docker = require('dockerode');

const DIST = path.join(__dirname, '..', 'dist', 'nodes', 'CodeInterpreter');
const STEP = 'build the derived sandbox image';

async function main() {
	const [file, ...rest] = process.argv.slice(2);
	if (!file) throw new Error('give the libraries file: node scripts/derived-image.js libraries.txt [--network NAME]');
	if (!fs.existsSync(DIST)) throw new Error('the package is not built: run "npm run build" first');
	const networkAt = rest.indexOf('--network');
	const networkMode = networkAt >= 0 ? rest[networkAt + 1] : undefined;
	if (networkAt >= 0 && !networkMode) throw new Error('--network needs the name of a Docker network');
	const { DEFAULT_IMAGE } = require(path.join(DIST, 'packageInfo.js'));
	const { parseLibraries } = require(path.join(DIST, 'model/libraries.js'));
	const { buildDerivedImage } = require(path.join(DIST, 'backends/docker/image/derived.js'));
	let libraries;
	try {
		libraries = parseLibraries(fs.readFileSync(file, 'utf8'));
	} catch (error) {
		throw new Error(`${file}: ${error.message}`);
	}
	// Progress goes to stderr, so that stdout is the tag alone.
	const log = (line) => console.error(line);
	const { tag, built } = await buildDerivedImage(new Docker(), DEFAULT_IMAGE, libraries, { log, pinMirrors: !process.env.DOCKER_HOST, networkMode });
	if (!built) log(`${tag} is up to date`);
	console.log(tag);
}

main().catch((error) => {
	console.error(`Set-up failed at the step "${STEP}" (node scripts/derived-image.js): ${error.message}${error.description ? `\n${error.description}` : ''}`);
	process.exit(1);
});

#!/usr/bin/env node
// Builds the sandbox image from template/ with dockerode, tagged with the package version.
// When the Dockerfile's base image cannot be pulled (no Docker Hub), it is made from Debian packages (template/base-image.sh).
// Usage: node scripts/template-build.js [--if-stale]
//   --if-stale: build only when no image of this version exists or it was built from other template sources.
const { execFileSync } = require('child_process');
const crypto = require('crypto');
const dns = require('dns');
const fs = require('fs');
const os = require('os');
const path = require('path');
const Docker = require('dockerode');

const ROOT = path.join(__dirname, '..');
const TEMPLATE = path.join(ROOT, 'template');
const manifest = require(path.join(ROOT, 'package.json'));
const DEFAULT_IMAGE = `${manifest.codeInterpreter.imageRepository}:${manifest.version}`;
const DENO_VERSION = '2.9.6';
const PULL_TIMEOUT_MS = 120_000;
const SOURCE_LABEL = 'io.n8n.code-interpreter.template-sha256';

const docker = new Docker();

async function main() {
	const sourceHash = templateHash();
	if (process.argv.includes('--if-stale') && (await builtFrom(DEFAULT_IMAGE)) === sourceHash) {
		console.log(`${DEFAULT_IMAGE} is up to date`);
		return;
	}
	const started = Date.now();
	const base = /^FROM\s+(\S+)/m.exec(fs.readFileSync(path.join(TEMPLATE, 'Dockerfile'), 'utf8'))[1];
	await ensureBaseImage(base);

	const context = fs.mkdtempSync(path.join(os.tmpdir(), 'code-interpreter-template-'));
	try {
		fs.cpSync(TEMPLATE, context, { recursive: true });
		fs.mkdirSync(path.join(context, 'downloads'));
		await packDeno(path.join(context, 'downloads'));
		await build(context, DEFAULT_IMAGE, sourceHash);
	} finally {
		fs.rmSync(context, { recursive: true, force: true });
	}
	console.log(`Built ${DEFAULT_IMAGE} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/** A digest of everything the image is built from, stored as a label so a stale image is noticed. */
function templateHash() {
	const hash = crypto.createHash('sha256').update(`deno ${DENO_VERSION}\n`);
	for (const file of fs.readdirSync(TEMPLATE, { recursive: true }).sort()) {
		const full = path.join(TEMPLATE, file);
		if (fs.statSync(full).isFile()) hash.update(`${file}\n`).update(fs.readFileSync(full));
	}
	return hash.digest('hex');
}

async function builtFrom(name) {
	return docker
		.getImage(name)
		.inspect()
		.then((image) => image.Config?.Labels?.[SOURCE_LABEL], () => undefined);
}

async function imageExists(name) {
	return docker
		.getImage(name)
		.inspect()
		.then(() => true, () => false);
}

async function ensureBaseImage(base) {
	if (await imageExists(base)) return;
	console.log(`Pulling ${base} ...`);
	const pulled = await withTimeout(pull(base), PULL_TIMEOUT_MS).then(
		() => true,
		(error) => (console.log(`Cannot pull ${base} (${error.message}); making it from Debian packages instead.`), false),
	);
	if (!pulled) execFileSync('bash', [path.join(TEMPLATE, 'base-image.sh'), base], { stdio: 'inherit' });
}

function pull(image) {
	return new Promise((resolve, reject) => {
		docker.pull(image, (error, stream) => {
			if (error) return reject(error);
			docker.modem.followProgress(stream, (err) => (err ? reject(err) : resolve()));
		});
	});
}

/** The Deno binary for the Docker engine's architecture, from the npm registry this machine's npm uses. */
async function packDeno(destination) {
	const arch = (await docker.info()).Architecture;
	const platform = { x86_64: 'linux-x64-glibc', aarch64: 'linux-arm64-glibc' }[arch];
	if (!platform) throw new Error(`No Deno build for the Docker engine's architecture ${arch}`);
	execFileSync('npm', ['pack', `@deno/${platform}@${DENO_VERSION}`, '--pack-destination', destination, '--silent'], {
		stdio: ['ignore', 'ignore', 'inherit'],
	});
}

/**
 * A build container may not reach this machine's resolver (e.g. a local stub). Resolve the package mirrors the
 * build uses (read from apt's sources) here and pass them on, so `apt-get install` works inside the build too.
 */
async function extraHosts() {
	const sources = ['/etc/apt/sources.list', ...listDir('/etc/apt/sources.list.d')]
		.filter((file) => /(\.list|\.sources)$/.test(file) && fs.existsSync(file))
		.map((file) => fs.readFileSync(file, 'utf8'))
		.join('\n');
	const names = new Set([...sources.matchAll(/^[^#\n]*?https?:\/\/([^/\s:]+)/gm)].map((match) => match[1]));
	const entries = [];
	for (const name of names) {
		const address = await dns.promises.lookup(name, { family: 4 }).then((r) => r.address, () => undefined);
		if (address) entries.push(`${name}:${address}`);
	}
	return entries;
}

function listDir(dir) {
	return fs.existsSync(dir) ? fs.readdirSync(dir).map((file) => path.join(dir, file)) : [];
}

async function build(context, tag, sourceHash) {
	const src = fs.readdirSync(context, { recursive: true }).filter((file) => fs.statSync(path.join(context, file)).isFile());
	const hosts = await extraHosts();
	console.log(`Building ${tag}${hosts.length ? ` (extra hosts: ${hosts.join(', ')})` : ''} ...`);
	const stream = await docker.buildImage({ context, src }, { t: tag, rm: true, forcerm: true, labels: JSON.stringify({ [SOURCE_LABEL]: sourceHash }), ...(hosts.length ? { extrahosts: hosts.join(',') } : {}) });
	await new Promise((resolve, reject) => {
		docker.modem.followProgress(
			stream,
			(error, events) => {
				const failed = error ?? events.find((event) => event.error)?.error;
				failed ? reject(new Error(`Building ${tag} failed: ${failed.message ?? failed}`)) : resolve();
			},
			(event) => event.stream && process.stdout.write(event.stream),
		);
	});
}

function withTimeout(promise, ms) {
	let timer;
	return Promise.race([
		promise,
		new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms))),
	]).finally(() => clearTimeout(timer));
}

main().catch((error) => {
	console.error(`Set-up failed at the step "build the sandbox image" (node scripts/template-build.js): ${error.message}`);
	process.exit(1);
});

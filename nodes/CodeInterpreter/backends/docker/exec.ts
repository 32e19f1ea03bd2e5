import type Docker from 'dockerode';
import { PassThrough } from 'stream';

import { SandboxError } from '../errors';

const EXEC_TIMEOUT_MS = 15_000;

/** Runs a command in a container and returns its output; fails on a non-zero exit or after a bounded wait. */
export async function execInContainer(container: Docker.Container, command: string[], user = 'root'): Promise<string> {
	const exec = await container.exec({ Cmd: command, User: user, AttachStdout: true, AttachStderr: true });
	const stream = await exec.start({ hijack: true, stdin: false });
	const stdout: Buffer[] = [];
	const stderr: Buffer[] = [];
	const out = new PassThrough().on('data', (chunk: Buffer) => stdout.push(chunk));
	const err = new PassThrough().on('data', (chunk: Buffer) => stderr.push(chunk));
	container.modem.demuxStream(stream, out, err);

	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(() => {
			stream.destroy();
			reject(new SandboxError(`A command in the sandbox did not finish within ${EXEC_TIMEOUT_MS / 1000} s`));
		}, EXEC_TIMEOUT_MS);
		stream.on('end', () => (clearTimeout(timer), resolve()));
		stream.on('error', (error) => (clearTimeout(timer), reject(error)));
	});

	const { ExitCode } = await exec.inspect();
	if (ExitCode !== 0) {
		throw new SandboxError(`A command in the sandbox failed (exit code ${ExitCode}): ${Buffer.concat(stderr).toString().trim()}`);
	}
	return Buffer.concat(stdout).toString();
}

import type Docker from 'dockerode';
import type { Socket } from 'net';
import { Transform, type Readable, type TransformCallback } from 'stream';
import { pipeline } from 'stream/promises';

import { SandboxError } from '../../model/errors';

/** How long a short command (exec) may take, and how long a stream may stay silent. */
const EXEC_TIMEOUT_MS = 15_000;

export interface ExecOptions {
	user: string;
	/** Sent to the command's standard input, which is closed at its end. */
	stdin?: Readable;
	/** How long the command may stay silent (15 s by default). */
	silentMs?: number;
}

export interface RunningExec {
	/** The command's standard output, with backpressure: reading it slowly slows the command down. */
	stdout: Readable;
	/** Resolves when the command ends: its exit code and standard error. */
	finished: Promise<{ exitCode: number; stderr: string }>;
}

/** Starts a command in a container with its standard output as a stream (files in and out of a sandbox). */
export async function execStream(container: Docker.Container, command: string[], options: ExecOptions): Promise<RunningExec> {
	const exec = await container.exec({
		Cmd: command,
		User: options.user,
		AttachStdin: Boolean(options.stdin),
		AttachStdout: true,
		AttachStderr: true,
	});
	// The hijacked HTTP connection: a socket, so that an idle limit can apply.
	const socket = (await exec.start({ hijack: true, stdin: Boolean(options.stdin) })) as unknown as Socket;
	const silentMs = options.silentMs ?? EXEC_TIMEOUT_MS;
	socket.setTimeout(silentMs, () => socket.destroy(new SandboxError(`A command in the sandbox stayed silent for ${silentMs / 1000} s`)));
	const demuxer = new DockerStreamDemuxer();
	const sent = options.stdin ? pipeline(options.stdin, socket, { end: false }).then(() => socket.end()) : Promise.resolve();
	const received = pipeline(socket, demuxer).catch((error: unknown) => {
		demuxer.destroy(error as Error);
		throw error;
	});
	const finished = Promise.all([sent, received, new Promise((resolve) => demuxer.once('end', resolve))]).then(async () => {
		const { ExitCode } = await exec.inspect();
		return { exitCode: ExitCode ?? -1, stderr: demuxer.stderr() };
	});
	finished.catch(() => undefined);
	return { stdout: demuxer, finished };
}

/** Runs a short command in a container and returns its output; fails on a non-zero exit or after a bounded wait. */
export async function execInContainer(container: Docker.Container, command: string[], user = 'root'): Promise<string> {
	const { stdout, finished } = await execStream(container, command, { user });
	const chunks: Buffer[] = [];
	stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
	const { exitCode, stderr } = await finished;
	if (exitCode !== 0) throw new SandboxError(`A command in the sandbox failed (exit code ${exitCode}): ${stderr.trim()}`);
	return Buffer.concat(chunks).toString();
}

/**
 * Splits Docker's multiplexed exec stream (8-byte frame headers: stream type, payload size) into stdout, passed on,
 * and stderr, kept for the error message (the first 64 KB).
 */
class DockerStreamDemuxer extends Transform {
	private buffered: Buffer = Buffer.alloc(0);
	private readonly errors: Buffer[] = [];
	private errorBytes = 0;

	_transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
		this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
		while (this.buffered.length >= 8) {
			const size = this.buffered.readUInt32BE(4);
			if (this.buffered.length < 8 + size) break;
			const payload = this.buffered.subarray(8, 8 + size);
			if (this.buffered[0] === 2) this.keepError(payload);
			else this.push(payload);
			this.buffered = this.buffered.subarray(8 + size);
		}
		callback();
	}

	stderr(): string {
		return Buffer.concat(this.errors).toString();
	}

	private keepError(payload: Buffer): void {
		if (this.errorBytes >= 65_536) return;
		this.errors.push(payload);
		this.errorBytes += payload.length;
	}
}

/** A container's logs as text: Docker sends those of a container without a TTY in frames with 8-byte headers. */
export function withoutFrames(logs: Buffer): string {
	const chunks: Buffer[] = [];
	let at = 0;
	while (at + 8 <= logs.length && logs[at] <= 2 && logs.readUIntBE(at + 1, 3) === 0) {
		const size = logs.readUInt32BE(at + 4);
		chunks.push(logs.subarray(at + 8, at + 8 + size));
		at += 8 + size;
	}
	return at === 0 ? logs.toString() : Buffer.concat(chunks).toString();
}

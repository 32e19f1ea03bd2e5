import type Docker from 'dockerode';
import { z } from 'zod';

import type { LanguageState } from '../Backend';
import { SandboxError } from '../../model/errors';
import { execStream } from './exec';
import type { LiveSandbox } from './labels';

/**
 * A paused Docker sandbox is its stopped container: the watchdog exits with this status once sandbox-pause put the
 * kernels' state and the user's files into the container's store volume (template/bin/sandbox-watchdog).
 */
export const PAUSED_STATUS = 75;
/** How long a paused sandbox is kept: the first sweep after that removes it (as E2B once kept paused sandboxes). */
export const PAUSED_LIFETIME_DAYS = 30;
/** The store: an anonymous volume of each sandbox container, which only root in it writes (template/bin/sandbox-init). */
export const STORE_DIR = '/run/sandbox/store';
/** kill or pause: what the watchdog does at the deadline (rewritten at a pool claim). */
export const ON_TIMEOUT_FILE = '/run/sandbox/on-timeout';
/** The kernels' restore's report after a resume, where only root writes (template/bin/sandbox-init). */
const RESTORED_FILE = '/run/sandbox/restored.json';
/** sandbox-pause's exit statuses: another pause is under way; it failed after the sandbox's code was ended. */
const BUSY_STATUS = 3;
const ENDED_STATUS = 4;

/** Saving 2 GB of variables and archiving them: well within this on the machines measured (see bench/pause.js). */
const PAUSE_WITHIN_MS = 15 * 60_000;
const STOP_WITHIN_MS = 30_000;
/** Loading the saved state into fresh kernels. */
const RESTORE_WITHIN_MS = 10 * 60_000;
/** The restore's report: a few names per variable. */
const MAX_REPORT_BYTES = 1 << 20;

const languageState: z.ZodType<LanguageState> = z
	.object({
		saved: z.array(z.string()).optional(),
		notSaved: z.record(z.string()).optional(),
		restored: z.array(z.string()).optional(),
		notRestored: z.record(z.string()).optional(),
		lost: z.string().optional(),
		interrupted: z.boolean().optional(),
	})
	.strict();
const pauseReport = z.object({ languages: z.record(languageState) });
const restoreReport = z.union([z.object({ languages: z.record(languageState) }), z.object({ error: z.string() })]);

/**
 * Pauses a running sandbox: sandbox-pause saves the kernels' state and archives the files into the store, then the
 * watchdog (SIGUSR1, forwarded by tini) stops the container with PAUSED_STATUS. Resolves with what each language
 * kept; a SandboxError says why when the pause failed (the sandbox then runs on).
 */
export async function pauseContainer(container: Docker.Container): Promise<Record<string, LanguageState> | undefined> {
	const { stdout, exitCode, stderr } = await runToEnd(container, ['/opt/sandbox/bin/sandbox-pause'], 'root', PAUSE_WITHIN_MS);
	const reason = stderr.trim() || `sandbox-pause ended with status ${exitCode}`;
	if (exitCode === BUSY_STATUS) {
		// Another n8n process is pausing it: the sandbox is paused when that pause is done.
		await stopped(container, PAUSE_WITHIN_MS);
		return undefined;
	}
	if (exitCode === ENDED_STATUS) {
		await container.remove({ force: true, v: true }).catch(() => undefined);
		throw new SandboxError('Pausing the sandbox failed after its code was stopped, so the sandbox was removed', { description: reason });
	}
	if (exitCode !== 0) throw new SandboxError('Pausing the sandbox failed; it is still running', { description: reason });
	const report = parseReport(pauseReport, stdout, 'pause');
	await container.kill({ signal: 'SIGUSR1' });
	await stopped(container, STOP_WITHIN_MS);
	return report.languages;
}

/** Waits for the container to stop, and resolves when it stopped paused. */
async function stopped(container: Docker.Container, withinMs: number): Promise<void> {
	const { StatusCode } = (await withinLimit(container.wait({ condition: 'not-running' }), withinMs, 'stop after its pause')) as { StatusCode: number };
	if (StatusCode !== PAUSED_STATUS) throw new SandboxError(`The sandbox stopped with status ${StatusCode} instead of pausing`);
}

/**
 * What the kernels' restore reported after a resume (the container started again: its files are back, and the
 * kernels load their state in the background). Waits for the report for up to RESTORE_WITHIN_MS.
 */
export async function restoredLanguages(container: Docker.Container): Promise<Record<string, LanguageState>> {
	const tries = RESTORE_WITHIN_MS / 200;
	const wait = `i=0; while [ ! -f ${RESTORED_FILE} ]; do i=$((i+1)); [ $i -le ${tries} ] || exit 3; sleep 0.2; done; head -c ${MAX_REPORT_BYTES} ${RESTORED_FILE}`;
	const { stdout, exitCode } = await runToEnd(container, ['sh', '-c', wait], 'root', RESTORE_WITHIN_MS + 10_000);
	if (exitCode !== 0) throw new SandboxError(`The sandbox resumed, but its kernels did not load their state within ${RESTORE_WITHIN_MS / 60_000} minutes`);
	const report = parseReport(restoreReport, stdout, 'resume');
	if ('error' in report) throw new SandboxError('The sandbox resumed with its files, but its kernels\' state could not be loaded', { description: report.error });
	return report.languages;
}

/** A paused sandbox: its stopped container, and when it paused. */
export interface PausedSandbox extends LiveSandbox {
	pausedAt: Date;
}

/** When a stopped container paused; undefined when it stopped otherwise (or is gone). */
export async function pausedSince(container: Docker.Container): Promise<Date | undefined> {
	const state = await container.inspect().then(
		(info) => info.State,
		() => undefined,
	);
	return state && !state.Running && state.ExitCode === PAUSED_STATUS ? new Date(state.FinishedAt) : undefined;
}

/** When a paused sandbox is deleted: PAUSED_LIFETIME_DAYS after it paused (its container's FinishedAt). */
export function pausedUntil(pausedAt: Date): Date {
	return new Date(pausedAt.getTime() + PAUSED_LIFETIME_DAYS * 24 * 3600_000);
}

async function runToEnd(container: Docker.Container, command: string[], user: string, withinMs: number): Promise<{ stdout: string; stderr: string; exitCode: number }> {
	const { stdout, finished } = await execStream(container, command, { user, silentMs: withinMs });
	let text = '';
	stdout.on('data', (chunk: Buffer) => {
		if (text.length < MAX_REPORT_BYTES) text += chunk.toString();
	});
	const { exitCode, stderr } = await withinLimit(finished, withinMs, 'answer');
	return { stdout: text, stderr, exitCode };
}

function parseReport<T>(schema: z.ZodType<T>, text: string, step: string): T {
	try {
		return schema.parse(JSON.parse(text.trim().split('\n').at(-1) ?? ''));
	} catch (error) {
		throw new SandboxError(`The sandbox's ${step} report could not be read`, { description: `${(error as Error).message.slice(0, 500)}\nIt said: ${text.slice(0, 500)}` });
	}
}

async function withinLimit<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const late = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new SandboxError(`The sandbox did not ${what} within ${Math.round(ms / 1000)} s`)), ms);
	});
	return await Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

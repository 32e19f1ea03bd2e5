import type Docker from 'dockerode';
import { z } from 'zod';

/** Container labels are how any process finds this package's sandboxes again: Docker itself holds the state. */
const PREFIX = 'io.n8n.code-interpreter';

export const LABELS = {
	sandboxId: `${PREFIX}.sandbox-id`,
	token: `${PREFIX}.jupyter-token`,
	createdAt: `${PREFIX}.created-at`,
	expiresAt: `${PREFIX}.expires-at`,
	version: `${PREFIX}.version`,
	/** Warm-pool sandboxes only: which pool (image and limits) they belong to. */
	pool: `${PREFIX}.pool`,
} as const;

export interface SandboxLabels {
	sandboxId: string;
	token: string;
	createdAt: string;
	/** The deadline given at creation; Set Timeout moves the live one, kept inside the sandbox. */
	expiresAt: string;
	version: string;
	pool?: string;
}

const labelsSchema = z.object({
	[LABELS.sandboxId]: z.string().min(1),
	[LABELS.token]: z.string().min(1),
	[LABELS.createdAt]: z.string(),
	[LABELS.expiresAt]: z.string(),
	[LABELS.version]: z.string(),
});

/** A running sandbox container of this package, with what its labels say. */
export interface LiveSandbox {
	container: Docker.ContainerInfo;
	labels: SandboxLabels;
}

export function toLabels(values: SandboxLabels): Record<string, string> {
	return {
		[LABELS.sandboxId]: values.sandboxId,
		[LABELS.token]: values.token,
		[LABELS.createdAt]: values.createdAt,
		[LABELS.expiresAt]: values.expiresAt,
		[LABELS.version]: values.version,
		...(values.pool ? { [LABELS.pool]: values.pool } : {}),
	};
}

/** Reads a container's labels; undefined when it is not one of our sandboxes (or its labels are damaged). */
export function fromLabels(labels: Record<string, string> | undefined): SandboxLabels | undefined {
	const parsed = labelsSchema.safeParse(labels ?? {});
	if (!parsed.success) return undefined;
	const l = parsed.data;
	return {
		sandboxId: l[LABELS.sandboxId],
		token: l[LABELS.token],
		createdAt: l[LABELS.createdAt],
		expiresAt: l[LABELS.expiresAt],
		version: l[LABELS.version],
	};
}

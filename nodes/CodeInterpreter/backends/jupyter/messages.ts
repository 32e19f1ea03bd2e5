import { z } from 'zod';

import { jsonObject } from '../../model/validation';

/** The content of the Jupyter iopub and shell messages an execution is built from (messaging protocol 5.x). */
const mimeBundle = jsonObject;

export const streamContent = z.object({ name: z.enum(['stdout', 'stderr']), text: z.string() });

export const displayContent = z.object({ data: mimeBundle, metadata: jsonObject.optional() });

export const executeResultContent = displayContent.extend({ execution_count: z.number().int().nullable().optional() });

export const errorContent = z.object({
	ename: z.string(),
	evalue: z.string(),
	traceback: z.array(z.string()).default([]),
});

export const executeInputContent = z.object({ execution_count: z.number().int().nullable().optional() });

/** `status` is ok, error or aborted; some kernels (IRkernel after an interrupt) send other words, taken as not ok. */
export const executeReplyContent = z.object({
	status: z.string(),
	execution_count: z.number().int().nullable().optional(),
	ename: z.string().optional(),
	evalue: z.string().optional(),
	traceback: z.array(z.string()).optional(),
});

export const statusContent = z.object({ execution_state: z.string() });

/** What the Jupyter server answers for a kernel (`GET /api/kernels`). */
export const kernelModel = z.object({
	id: z.string().min(1),
	name: z.string(),
	execution_state: z.string().optional(),
});

export type KernelModel = z.infer<typeof kernelModel>;

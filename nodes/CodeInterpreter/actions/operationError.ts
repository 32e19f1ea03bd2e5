import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * A NodeOperationError that keeps its message. n8n replaces any message that names an error code (ENOENT,
 * ECONNREFUSED, EACCES, …) with a generic sentence, e.g. "The file or directory does not exist" for
 * "Cannot reach the Docker engine at socket /var/run/docker.sock to create a sandbox (ENOENT)".
 */
export function operationError(
	node: INode,
	message: string,
	options: { itemIndex: number; description?: string },
): NodeOperationError {
	const error = new NodeOperationError(node, message, options);
	error.message = message;
	return error;
}

import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { operationError } from '../../../nodes/CodeInterpreter/actions/operationError';

const node: INode = { id: '1', name: 'Code Interpreter', type: 'n8n-nodes-code-interpreter.codeInterpreter', typeVersion: 1, position: [0, 0], parameters: {} };
const message = 'Cannot reach the Docker engine at socket /var/run/docker.sock to create a sandbox (ENOENT)';

test('n8n would replace a message naming an error code with a generic sentence', () => {
	expect(new NodeOperationError(node, message, { itemIndex: 0 }).message).toBe('The file or directory does not exist');
});

test('operationError keeps the message, the description and the item', () => {
	const error = operationError(node, message, { itemIndex: 2, description: 'Check that Docker is running.' });
	expect(error).toBeInstanceOf(NodeOperationError);
	expect(error.message).toBe(message);
	expect(error.description).toBe('Check that Docker is running.');
	expect(error.context.itemIndex).toBe(2);
});

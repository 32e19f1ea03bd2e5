import Docker from 'dockerode';

import { namedSandboxKey } from '../../nodes/CodeInterpreter/backends/common/namedSandbox';

const docker = new Docker();

/**
 * The Docker sandboxes of an AI Agent's conversations in a workflow (containers named after the conversation's
 * key and then the credential's scope, see DockerBackend.openNamed), running or paused, in the order of the session
 * IDs; undefined for a conversation without one.
 */
export async function conversationSandboxes(workflowId: string, sessionIds: string[]): Promise<Array<Docker.ContainerInfo | undefined>> {
	const prefixes = sessionIds.map((session) => `/named-${namedSandboxKey(`${workflowId}/${session}`)}--`);
	const containers = await docker.listContainers({ all: true, filters: { name: prefixes.map((prefix) => `^${prefix}`) } });
	return prefixes.map((prefix) => containers.find((container) => container.Names.some((name) => name.startsWith(prefix))));
}

/** Removes the conversations' sandboxes (they would pause on their own only after the idle timeout), store volumes too. */
export async function removeConversationSandboxes(workflowId: string, sessionIds: string[]): Promise<void> {
	for (const container of await conversationSandboxes(workflowId, sessionIds)) {
		if (container) await docker.getContainer(container.Id).remove({ force: true, v: true });
	}
}

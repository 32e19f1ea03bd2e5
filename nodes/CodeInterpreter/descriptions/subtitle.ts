import type { INodeProperties } from 'n8n-workflow';

/**
 * The node's subtitle on the canvas: the chosen operation's action ("Run code", "Create sandbox"), looked up in a
 * flat map built from the operations' own options, so the two never differ. Flat, because a nested object literal
 * would end in "}}", which closes an n8n expression.
 */
export function actionSubtitle(properties: INodeProperties[]): string {
	const actions: Record<string, string> = {};
	for (const property of properties) {
		const resources = property.displayOptions?.show?.resource;
		if (property.name !== 'operation' || !resources) continue;
		for (const option of property.options ?? []) {
			if ('action' in option && option.action) actions[`${String(resources[0])}:${String(option.value)}`] = option.action;
		}
	}
	return `={{ ${JSON.stringify(actions)}[$parameter["resource"] + ":" + $parameter["operation"]] }}`;
}

import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_TOOL_ANSWER_CHARS } from '../output/toolResponse';
import { codeProperty, languageProperty } from './common';

/**
 * Parameters as an AI Agent's tool: n8n names the node type `…Tool` there, which `@tool` in displayOptions
 * matches. The model writes the code (and may pick the language); everything else has defaults that suit an agent.
 */
const asTool = { '@tool': [true] };

const TOOL_DESCRIPTION = [
	'Runs code in a sandboxed Jupyter kernel and returns what it printed and produced.',
	'State persists between calls in this conversation: variables, imports and files defined in one call are there in the next, so build on earlier results instead of repeating work.',
	'Languages: python (default), javascript, typescript (Deno), r, bash, java (JShell).',
	'Python has numpy, pandas, scipy, scikit-learn, matplotlib, seaborn, plotly and openpyxl installed; pip install works only when the sandbox has internet access, which is off by default.',
	'The working directory is /home/user; files given to you are there. To hand a file to the user, write it under /home/user/output/.',
	'Plots are captured automatically: create a matplotlib figure (or end with plt.show()) and the tool returns a short description of each chart, not the image; the image itself goes to the user.',
	'The value of the last expression comes back as "result", print() output as "stdout". If the code fails you get "error" and "traceback": fix the code and call the tool again.',
].join(' ');

/** Replaces the description n8n would make from the operation ("Run code in Code Interpreter"). */
export const toolDescriptionProperty: INodeProperties = {
	displayName: 'Description',
	name: 'toolDescription',
	type: 'string',
	typeOptions: { rows: 6 },
	default: TOOL_DESCRIPTION,
	description: 'What the AI Agent is told about this tool. Name the data it will find, or the files to write, to help it.',
	displayOptions: { show: asTool },
};

export const conversationProperties: INodeProperties[] = [
	{
		displayName: 'Conversation ID',
		name: 'conversationId',
		type: 'string',
		default: '={{ $json.sessionId }}',
		description:
			'Tool calls with the same conversation ID share one sandbox and its state, in any n8n process. The Chat Trigger\'s session ID by default; when empty, the calls of one workflow execution share a sandbox.',
		hint: 'Used when Sandbox ID is empty',
		displayOptions: { show: { ...asTool, resource: ['code', 'chart'] } },
	},
	{
		displayName: 'Conversation Idle Timeout (Minutes)',
		name: 'conversationIdleMinutes',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 15,
		description: 'The conversation\'s sandbox pauses (or stops, as When Idle says) this long after its last tool call',
		displayOptions: { show: { ...asTool, resource: ['code', 'chart'] } },
	},
	{
		displayName: 'When Idle',
		name: 'conversationOnIdle',
		type: 'options',
		options: [
			{
				name: 'Pause',
				value: 'pause',
				description: 'The sandbox keeps the conversation\'s variables and files, using no CPU or memory; the next tool call resumes it',
			},
			{ name: 'Kill', value: 'kill', description: 'The sandbox and the conversation\'s state are removed' },
		],
		default: 'pause',
		description: 'What happens to the conversation\'s sandbox after its idle timeout',
		displayOptions: { show: { ...asTool, resource: ['code', 'chart'] } },
	},
	{
		displayName: 'Max Answer Length (Characters)',
		name: 'maxAnswerLength',
		type: 'number',
		typeOptions: { minValue: 1000 },
		default: DEFAULT_TOOL_ANSWER_CHARS,
		description:
			'The longest answer the AI Agent reads back from one call, in characters of its JSON. What does not fit is left out, and the answer says what.',
		displayOptions: { show: { ...asTool, resource: ['code'] } },
	},
];

/** The Run Code parameters whose tool defaults differ: the model supplies them. */
export const toolCodeProperty: INodeProperties = {
	...codeProperty,
	default: "={{ $fromAI('code', 'The code to run. Its last expression is returned as the result.', 'string') }}",
};

export const toolLanguageProperty: INodeProperties = {
	...languageProperty,
	default: "={{ $fromAI('language', 'The language of the code: python, javascript, typescript, r, bash or java', 'string', 'python') }}",
};

type DisplayOptions = { show: Record<string, string[]> };

/** The display options that show a property only outside tool mode. */
export function outsideTool(displayOptions: DisplayOptions): DisplayOptions & { hide: typeof asTool } {
	return { ...displayOptions, hide: asTool };
}

/** A property shown only in tool mode. */
export function toolOnly(toolVariant: INodeProperties, displayOptions: DisplayOptions): INodeProperties {
	return { ...toolVariant, displayOptions: { show: { ...displayOptions.show, ...asTool } } };
}

/** Shows a property only outside tool mode, and its tool variant only in it. */
export function withToolVariant(property: INodeProperties, toolVariant: INodeProperties, displayOptions: DisplayOptions): INodeProperties[] {
	return [{ ...property, displayOptions: outsideTool(displayOptions) }, toolOnly(toolVariant, displayOptions)];
}

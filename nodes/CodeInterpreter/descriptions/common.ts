import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { fieldRead } from '../model/fieldReads';
import { LANGUAGES, type Language } from '../model/languages';

/** Parameters shared by several operations; each operation adds its own displayOptions. */

export const sandboxIdProperty: INodeProperties = {
	displayName: 'Sandbox ID',
	name: 'sandboxId',
	type: 'string',
	default: '={{ $json.sandboxId }}',
	required: true,
	description: 'The sandbox to use, as returned by Create Sandbox',
};

export const optionalSandboxIdProperty: INodeProperties = {
	...sandboxIdProperty,
	required: false,
	description:
		'The sandbox to run in, as returned by Create Sandbox. Leave empty to run in a temporary sandbox that is killed after each item.',
};

export const languageProperty: INodeProperties = {
	displayName: 'Language',
	name: 'language',
	type: 'options',
	options: [
		{ name: 'Bash', value: 'bash' },
		{ name: 'Java', value: 'java' },
		{ name: 'JavaScript', value: 'javascript' },
		{ name: 'Python', value: 'python' },
		{ name: 'R', value: 'r' },
		{ name: 'TypeScript', value: 'typescript' },
	],
	default: 'python',
	description: 'The language of the code. Each language has its own kernel in the sandbox, which keeps its state between runs.',
};

export const codeProperty: INodeProperties = {
	displayName: 'Code',
	name: 'code',
	type: 'string',
	typeOptions: { rows: 10 },
	default: '',
	required: true,
	placeholder: "import pandas as pd\ndf = pd.DataFrame({'x': [1, 2, 3]})\ndf.describe()",
	description:
		'The code to run. The value of the last expression becomes "text" and "results"; plots are captured as images.',
};

/**
 * n8n's code editors a node of a community package can name: its Python editor (shown highlighted, edited full-size
 * on click) and its JavaScript editor (edited in place). R and Bash read best with Python's (# comments, quoting),
 * Java with JavaScript's (braces, // comments).
 */
const CODE_EDITORS: Record<Language, INodeProperties['typeOptions']> = {
	python: { editor: 'codeNodeEditor', editorLanguage: 'python' },
	r: { editor: 'codeNodeEditor', editorLanguage: 'python' },
	bash: { editor: 'codeNodeEditor', editorLanguage: 'python' },
	javascript: { editor: 'jsEditor' },
	typescript: { editor: 'jsEditor' },
	java: { editor: 'jsEditor' },
};

/**
 * The Code parameter once per language, each with its editor and a hint of how a dropped field is read
 * (actions/codeRuns/codeToRun.ts), and once more for a language the editor cannot tell (an expression it cannot
 * compute without input data): one name, so the code stays when the language changes.
 */
export function codeProperties(property: INodeProperties, displayOptions: IDisplayOptions & { show: Record<string, string[]> }): INodeProperties[] {
	const perLanguage = LANGUAGES.map((language) => ({
		...property,
		typeOptions: { ...property.typeOptions, ...CODE_EDITORS[language] },
		hint: `Drag a field here from the input panel: the code reads it as ${readHint(language)}`,
		displayOptions: { ...displayOptions, show: { ...displayOptions.show, language: [language] } },
	}));
	const languageUnknown = {
		...property,
		typeOptions: { ...property.typeOptions, ...CODE_EDITORS.python },
		hint: `A field dragged here from the input panel is read as the language reads it, e.g. ${readHint('python')} in Python`,
		displayOptions: { ...displayOptions, hide: { ...displayOptions.hide, language: [...LANGUAGES] } },
	};
	return [...perLanguage, languageUnknown];
}

/** n8n shows a hint as HTML. */
function readHint(language: Language): string {
	const code = (variable: 'item' | 'items', path: Array<string | number>) => `<code>${escapeHtml(fieldRead(language, variable, path))}</code>`;
	return `${code('item', ['customer', 'name'])} (with Run Once for All Items, ${code('items', [0, 'customer', 'name'])})`;
}

function escapeHtml(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export const sandboxTimeoutProperty: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 300,
	description: 'How long the sandbox lives before it stops and removes itself, counted from now',
};

export const RUN_MODES = ['runOnceForEachItem', 'runOnceForAllItems'] as const;

export const modeProperty: INodeProperties = {
	displayName: 'Mode',
	name: 'mode',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Run Once for Each Item',
			value: 'runOnceForEachItem',
			description: 'Run the code once per input item; the item\'s JSON is the variable "item"',
		},
		{
			name: 'Run Once for All Items',
			value: 'runOnceForAllItems',
			description: 'Run the code once; the JSON of all input items is the list "items" (pd.DataFrame(items) works)',
		},
	],
	default: 'runOnceForEachItem',
};

/** Options of every operation that runs code (Run Code, Get Chart). */
export const outputLimitOptions: INodeProperties[] = [
	{
		displayName: 'Max Log Size (MB)',
		name: 'maxLogSizeMb',
		type: 'number',
		typeOptions: { minValue: 0.001 },
		default: 5,
		description: 'Stdout and stderr are each cut at this size, with a note in "truncated", so a runaway print cannot exhaust n8n\'s memory',
	},
	{
		displayName: 'Max Result Size (MB)',
		name: 'maxResultSizeMb',
		type: 'number',
		typeOptions: { minValue: 0.001 },
		default: 50,
		description: 'A result (image, table, HTML) bigger than this keeps only its text, with a note in "truncated"',
	},
];

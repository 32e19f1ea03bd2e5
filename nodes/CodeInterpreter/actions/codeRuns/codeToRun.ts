import type { IExecuteFunctions } from 'n8n-workflow';
import { ExpressionParser } from 'n8n-workflow';
import type { z } from 'zod';

import { type FieldPath, fieldRead } from '../../model/fieldReads';
import type { Language } from '../../model/languages';
import { getParameters, validateParameters } from '../parameters';

/** What the code is read for: its language, and whether it runs once per item (`item`) or once for all (`items`). */
export interface CodeUse {
	language: Language;
	perItem: boolean;
}

type ExpressionChunk = ReturnType<typeof ExpressionParser.splitExpression>[number];

/**
 * The Code parameter as the code to run (the `code` parameter, validated by `schema`).
 *
 * Dropping a field of the input panel into the Code field makes n8n turn the whole field into an expression with the
 * field appended, `print(f"{{n}} items") {{ $json.customer.name }}`, and evaluating that would also evaluate every
 * `{{ }}` of the code itself (Python's f"{{n}}" among them). So in an expression that mixes code with `{{ }}`:
 * - a `{{ }}` naming a field of the input item (`$json…` or `$input.item.json…`, as n8n writes a dropped field) becomes
 *   the language's read of it (model/fieldReads.ts); with Run Once for All Items, the first item's, as n8n's `$json`;
 * - any other `{{ }}` that uses n8n's `$` (`$('Webhook').item.json.x`, `$fromAI(…)`, `$now`) is computed by n8n and
 *   its value put in the code, as n8n does;
 * - a `{{ }}` without `$` is the code's own text, kept as written.
 * An expression that is one `{{ … }}` alone is code n8n computes (code an AI model wrote in an earlier node).
 */
export function codeToRun(ctx: IExecuteFunctions, itemIndex: number, use: CodeUse, schema: z.ZodType<string, z.ZodTypeDef, unknown>): string {
	const raw: unknown = ctx.getNodeParameter('code', itemIndex, '', { rawExpressions: true });
	const chunks = typeof raw === 'string' && raw.startsWith('=') ? ExpressionParser.splitExpression(raw.slice(1)) : [];
	const expressions = chunks.filter((chunk) => chunk.type === 'code').length;
	const computed = expressions === 1 && chunks.every((chunk) => chunk.type === 'code' || chunk.text.trim() === '');
	if (expressions === 0 || computed) return getParameters(ctx, itemIndex, { code: schema }).code;
	const code = chunks.map((chunk) => (chunk.type === 'text' ? chunk.text : asCode(ctx, itemIndex, chunk, use))).join('');
	return validateParameters(ctx, itemIndex, { code: schema }, { code }).code;
}

function asCode(ctx: IExecuteFunctions, itemIndex: number, chunk: Extract<ExpressionChunk, { type: 'code' }>, use: CodeUse): string {
	const closing = chunk.hasClosingBrackets ? '}}' : '';
	// A `{{` of the code before a dropped field (`s = "{{"` … `{{ $json.a }}`) opens n8n's chunk early: the `{{ }}`
	// is what follows the last `{{`.
	const inner = chunk.text.lastIndexOf('{{');
	const before = inner < 0 ? '' : `{{${chunk.text.slice(0, inner)}`;
	const text = inner < 0 ? chunk.text : chunk.text.slice(inner + 2);
	if (!chunk.hasClosingBrackets || !text.includes('$')) return `${before}{{${text}${closing}`;
	const path = inputFieldPath(text);
	if (path) return before + (use.perItem ? fieldRead(use.language, 'item', path) : fieldRead(use.language, 'items', [0, ...path]));
	const value = ctx.evaluateExpression(`{{${text}}}`, itemIndex);
	return before + (typeof value === 'string' ? value : JSON.stringify(value) ?? '');
}

const INPUT_ITEM_JSON = /^\s*\$(?:json|input\.item\.json)/;
const ACCESSOR = /^(?:\.([A-Za-z_$][\w$]*)|\[\s*(\d+)\s*\]|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\])/;

/** The path of `$json.customer.name`, `$json["a b"][0]` and the like (as n8n writes a dropped field); undefined for anything else. */
export function inputFieldPath(expression: string): FieldPath | undefined {
	const root = INPUT_ITEM_JSON.exec(expression);
	if (!root) return undefined;
	const path: FieldPath = [];
	let rest = expression.slice(root[0].length);
	while (rest.trim() !== '') {
		const match = ACCESSOR.exec(rest);
		if (!match) return undefined;
		const [accessor, name, index, singleQuoted, doubleQuoted] = match;
		path.push(name ?? (index !== undefined ? Number(index) : unescapeKey(singleQuoted ?? doubleQuoted)));
		rest = rest.slice(accessor.length);
	}
	return path;
}

function unescapeKey(key: string): string {
	return key.replace(/\\(.)/g, '$1');
}

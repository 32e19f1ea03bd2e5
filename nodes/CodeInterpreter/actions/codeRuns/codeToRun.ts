import type { IExecuteFunctions } from 'n8n-workflow';
import { ExpressionParser } from 'n8n-workflow';
import type { z } from 'zod';

import { type FieldPath, fieldRead } from '../../model/fieldReads';
import type { Language } from '../../model/languages';
import { getParameters, validateParameters } from '../parameters';

/** What the code is read for: its language, and whether it runs once per item (`item`) or once for all (`items`). */
export interface CodeRun {
	language: Language;
	perItem: boolean;
}

type ExpressionChunk = ReturnType<typeof ExpressionParser.splitExpression>[number];

/**
 * The Code parameter as the code to run (the `code` parameter, validated by `schema`).
 *
 * Dropping a field of the input panel into the Code field makes n8n turn the whole field into an expression with the
 * field appended, `print(f"{{n}} items") {{ $json.customer.name }}`, and evaluating that would also evaluate every
 * `{{ }}` of the code itself (Python's f"{{n}}" among them). So an expression that mixes code with `{{ }}` is run as
 * written, except that each `{{ }}` naming a field of the input item (`$json…` or `$input.item.json…`) becomes the
 * language's read of it (model/fieldReads.ts); with Run Once for All Items, the first item's, as n8n's `$json` is there.
 * An expression that is one `{{ … }}` alone is code n8n computes (code an AI model wrote in an earlier node).
 */
export function codeToRun(ctx: IExecuteFunctions, itemIndex: number, run: CodeRun, schema: z.ZodType<string, z.ZodTypeDef, unknown>): string {
	const raw: unknown = ctx.getNodeParameter('code', itemIndex, '', { rawExpressions: true });
	const chunks = typeof raw === 'string' && raw.startsWith('=') ? ExpressionParser.splitExpression(raw.slice(1)) : [];
	const expressions = chunks.filter((chunk) => chunk.type === 'code').length;
	const computed = expressions === 1 && chunks.every((chunk) => chunk.type === 'code' || chunk.text.trim() === '');
	if (expressions === 0 || computed) return getParameters(ctx, itemIndex, { code: schema }).code;
	const code = chunks.map((chunk) => (chunk.type === 'text' ? chunk.text : asCode(chunk, run))).join('');
	return validateParameters(ctx, itemIndex, { code: schema }, { code }).code;
}

function asCode(chunk: Extract<ExpressionChunk, { type: 'code' }>, { language, perItem }: CodeRun): string {
	const path = inputFieldPath(chunk.text);
	if (path) return perItem ? fieldRead(language, 'item', path) : fieldRead(language, 'items', [0, ...path]);
	return `{{${chunk.text}${chunk.hasClosingBrackets ? '}}' : ''}`;
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

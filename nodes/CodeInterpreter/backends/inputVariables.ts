import type { Language } from '../model/languages';
import { SandboxError } from './errors';

/** A variable for the code (`item`, `items`): its JSON travels as a file the kernel reads, never inside the code. */
export interface InputFile {
	name: string;
	/** Absolute path of the JSON file in the sandbox; the loading code deletes it. */
	path: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/**
 * Code that defines each variable from its JSON file and deletes the file: Python and JavaScript get the parsed
 * value, R a list (jsonlite, without simplification), Bash the JSON text. Only our own names and paths are in it.
 */
export function inputVariablesCode(language: Language, files: InputFile[]): string {
	return files
		.map(({ name, path }) => {
			if (!IDENTIFIER.test(name)) throw new Error(`Not a variable name: ${name}`);
			const file = JSON.stringify(path);
			switch (language) {
				case 'python':
					return `${name} = __import__("json").load(open(${file}, encoding="utf-8")); __import__("os").remove(${file})`;
				case 'javascript':
				case 'typescript':
					return `(globalThis as any).${name} = JSON.parse(Deno.readTextFileSync(${file})); Deno.removeSync(${file});`;
				case 'r':
					return `${name} <- jsonlite::fromJSON(${file}, simplifyVector = FALSE); invisible(file.remove(${file}))`;
				case 'bash':
					return `${name}="$(cat ${file})"; rm -f ${file}`;
				case 'java':
					throw new Error('Java has no input variables');
			}
		})
		.join('\n');
}

/** The code that defines the input variables failed: the user's code did not run. */
export function inputNotLoadedError(reason: string): SandboxError {
	return new SandboxError(`The sandbox could not load the code's input: ${reason}`, {
		description: 'The code did not run. Check that the input items are plain JSON, then try again.',
	});
}

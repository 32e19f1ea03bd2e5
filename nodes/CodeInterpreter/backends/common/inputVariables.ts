import type { Language } from '../../model/languages';
import { SandboxError } from '../../model/errors';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** Java's input variables are Jackson's JSON trees: `item.get("customer").get("name").asText()`. */
const JSON_NODE = 'com.fasterxml.jackson.databind.JsonNode';

/**
 * Input variables (`item`, `items`) travel as a JSON Lines file the kernel reads, never inside the code: one line
 * per run that uses the variable, so the runs of many items sent together share one file. The first of those runs
 * loads the lines into a hidden variable and deletes the file; each run then takes its own line.
 * Only our own names and paths are in this code.
 */
export function loadInputCode(language: Language, name: string, path: string): string {
	const lines = hiddenName(language, name);
	const file = JSON.stringify(path);
	switch (language) {
		case 'python':
			return `${lines} = [__import__("json").loads(line) for line in open(${file}, encoding="utf-8")]; __import__("os").remove(${file})`;
		case 'javascript':
		case 'typescript':
			return `(globalThis as any).${lines} = Deno.readTextFileSync(${file}).split("\\n").slice(0, -1).map((line: string) => JSON.parse(line)); Deno.removeSync(${file});`;
		case 'r':
			return `${lines} <- lapply(readLines(${file}, encoding = "UTF-8", warn = FALSE), jsonlite::fromJSON, simplifyVector = FALSE); invisible(file.remove(${file}))`;
		case 'bash':
			return `mapfile -t ${lines} < ${file}; rm -f ${file}`;
		case 'java':
			// Jackson is on the class path of the template's Java kernel (template/java/KernelServer.java).
			return `java.util.List<${JSON_NODE}> ${lines} = new java.util.ArrayList<>(); for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of(${file}))) ${lines}.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line)); java.nio.file.Files.delete(java.nio.file.Path.of(${file}));`;
	}
}

/** Defines the variable from line `position` (0-based) of what `loadInputCode` loaded; the last one frees the lines. */
export function takeInputCode(language: Language, name: string, position: number, last: boolean): string {
	const lines = hiddenName(language, name);
	switch (language) {
		case 'python':
			return `${name} = ${lines}[${position}]${last ? `; del ${lines}` : ''}`;
		case 'javascript':
		case 'typescript':
			return `(globalThis as any).${name} = (globalThis as any).${lines}[${position}];${last ? ` delete (globalThis as any).${lines};` : ''}`;
		case 'r':
			return `${name} <- ${lines}[[${position + 1}]]${last ? `; rm(${lines})` : ''}`;
		case 'bash':
			return `${name}="\${${lines}[${position}]}"${last ? `; unset ${lines}` : ''}`;
		case 'java':
			return `${JSON_NODE} ${name} = ${lines}.get(${position});${last ? ` ${lines} = null;` : ''}`;
	}
}

function hiddenName(language: Language, name: string): string {
	if (!IDENTIFIER.test(name)) throw new Error(`Not a variable name: ${name}`);
	return language === 'r' ? `.n8n_input_${name}` : `__n8n_input_${name}`;
}

/** The code that defines the input variables failed: the user's code did not run. */
export function inputNotLoadedError(reason: string): SandboxError {
	return new SandboxError(`The sandbox could not load the code's input: ${reason}`, {
		description: 'The code did not run. Check that the input items are plain JSON, then try again.',
	});
}

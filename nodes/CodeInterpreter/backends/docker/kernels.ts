import type { Language } from '../../model/languages';
import { SandboxError } from '../../model/errors';

/** The Jupyter kernel that runs each language in the template image (see template/kernels and the Dockerfile). */
const KERNEL_NAMES: Record<Language, string | undefined> = {
	python: 'python3',
	javascript: 'deno',
	typescript: 'deno',
	r: 'ir',
	bash: 'bash',
	java: undefined,
};

export function kernelNameFor(language: Language): string {
	const name = KERNEL_NAMES[language];
	if (!name) {
		throw new SandboxError(`The Docker sandbox image has no ${language} kernel yet`, {
			description: 'Choose Python, JavaScript, TypeScript, R or Bash.',
		});
	}
	return name;
}

import type { Language } from '../../model/languages';

/** The Jupyter kernel that runs each language in the template image (see template/kernels and the Dockerfile). */
const KERNEL_NAMES: Record<Language, string> = {
	python: 'python3',
	javascript: 'deno',
	typescript: 'deno',
	r: 'ir',
	bash: 'bash',
	java: 'java',
};

export function kernelNameFor(language: Language): string {
	return KERNEL_NAMES[language];
}

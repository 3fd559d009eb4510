// Design operations: designs from content or a prompt (jobs), copy and variants (calls).
import type { SiviOperation } from '../types';
import { createFromContent } from './createFromContent.operation';
import { createFromPrompt } from './createFromPrompt.operation';
import { generateCopy } from './generateCopy.operation';
import { getVariants } from './getVariants.operation';

export const designOperations: SiviOperation[] = [
	createFromContent,
	createFromPrompt,
	generateCopy,
	getVariants,
];

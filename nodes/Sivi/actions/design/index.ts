// Design operations: designs from content or a prompt (jobs), copy and variants (calls).
import type { SiviOperation } from '../types';
import { createFromContent } from './createFromContent.operation';
import { createFromPrompt } from './createFromPrompt.operation';

export const designOperations: SiviOperation[] = [createFromContent, createFromPrompt];

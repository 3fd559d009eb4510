// Media operations: Generate (a job) and the media library (media/*).
import type { SiviOperation } from '../types';
import { generateMedia } from './generate.operation';

export const mediaOperations: SiviOperation[] = [generateMedia];

// Font operations (font/*).
import type { SiviOperation } from '../types';

export const fontOperations: SiviOperation[] = [];

// Brand operations (brand/*).
import type { SiviOperation } from '../types';

export const brandOperations: SiviOperation[] = [];

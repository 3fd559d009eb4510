// Font operations (font/*).
import type { SiviOperation } from '../types';
import { getManyFonts } from './getMany.operation';
import { uploadFont } from './upload.operation';

export const fontOperations: SiviOperation[] = [getManyFonts, uploadFont];

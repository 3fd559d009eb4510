// Media operations: Generate (a job) and the media library (media/*).
import type { SiviOperation } from '../types';
import { deleteMedia } from './delete.operation';
import { generateMedia } from './generate.operation';
import { getManyMedia } from './getMany.operation';
import { updateMedia } from './update.operation';
import { uploadMedia } from './upload.operation';

export const mediaOperations: SiviOperation[] = [
	generateMedia,
	getManyMedia,
	uploadMedia,
	updateMedia,
	deleteMedia,
];

// Brand operations (brand/*): lists and lookups, create, extract from a website (a job),
// update, set default, archive.
import type { SiviOperation } from '../types';
import { archiveBrand } from './archive.operation';
import { createBrand } from './create.operation';
import { extractBrand } from './extract.operation';
import { getBrand } from './get.operation';
import { getDefaultBrand } from './getDefault.operation';
import { getManyBrands } from './getMany.operation';
import { setDefaultBrand } from './setDefault.operation';
import { updateBrand } from './update.operation';

export const brandOperations: SiviOperation[] = [
	getManyBrands,
	getBrand,
	getDefaultBrand,
	createBrand,
	extractBrand,
	updateBrand,
	setDefaultBrand,
	archiveBrand,
];

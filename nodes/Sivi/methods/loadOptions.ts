// Dependent dropdowns, computed from the catalog (no request needed).
import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { findDesignType, findImageModel, imageModels, imageSizes } from '../catalog';

export async function getImageSizes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const modelValue = String(this.getCurrentNodeParameter('model') ?? 'auto');
	const sizes = findImageModel(modelValue)?.sizes ?? imageModels[0].sizes;
	return sizes.map((key) => {
		const size = imageSizes[key];
		return { name: `${size.width}×${size.height} (${size.label})`, value: key };
	});
}

export async function getDesignSubtypes(
	this: ILoadOptionsFunctions,
): Promise<INodePropertyOptions[]> {
	const typeValue = String(this.getCurrentNodeParameter('designType') ?? '');
	const type = findDesignType(typeValue);
	if (!type) return [];
	return type.subtypes.map((subtype) => ({
		name: subtype.width ? `${subtype.name} — ${subtype.width}×${subtype.height}` : subtype.name,
		value: subtype.value,
	}));
}

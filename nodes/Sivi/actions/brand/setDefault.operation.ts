// Brand → Set Default: POST general/brand/set-default. The previous default stays a normal
// brand (Sivi does not archive it here, unlike Create).
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { brandByIdSchema } from '../../validation/brandSchemas';
import { validBody } from '../common/prepare';
import type { CallOperation } from '../types';
import { brandIdField, brandRequest, endUserOnlyFields, forBrand } from './brandFields';

export const properties: INodeProperties[] = [
	brandIdField('The brand Sivi should use when no brand is chosen'),
	endUserOnlyFields,
];

export const setDefaultBrand: CallOperation<IDataObject> = {
	kind: 'call',
	resource: 'brand',
	operation: 'setDefault',
	name: 'Set Default',
	action: 'Set the default brand',
	description: 'Make a brand the default of the workspace (the previous default stays as it is)',
	properties,
	prepare: (context, itemIndex) =>
		validBody(context, itemIndex, { properties, schema: brandByIdSchema }),
	async execute(context, body, itemIndex) {
		const bId = String(body.bId);
		const answer = await forBrand(
			context,
			itemIndex,
			bId,
			async () => await brandRequest(context, 'brand/set-default', body),
		);
		return { bId, isDefault: true, message: answer.message ?? 'Default brand updated' };
	},
};

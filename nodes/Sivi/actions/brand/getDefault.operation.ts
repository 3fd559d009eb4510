// Brand → Get Default: POST general/brand/get with isDefault true.
import { NodeOperationError, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { LIST_ENDPOINTS } from '../../shared/listEndpoints';
import { brandListSchema } from '../../validation/brandSchemas';
import { validBody } from '../common/prepare';
import type { CallOperation } from '../types';
import { brandRequest } from './brandCall';
import { endUserOnlyFields } from './brandFields';

const BRANDS = LIST_ENDPOINTS.brands;

export const properties: INodeProperties[] = [endUserOnlyFields];

export const getDefaultBrand: CallOperation<IDataObject> = {
	kind: 'call',
	resource: 'brand',
	operation: 'getDefault',
	name: 'Get Default',
	action: 'Get the default brand',
	description: 'Get the brand Sivi uses when no brand is chosen',
	properties,
	prepare: (context, itemIndex) => ({
		isDefault: true,
		...validBody(context, itemIndex, { properties, schema: brandListSchema }),
	}),
	async execute(context, body, itemIndex) {
		const answer = await brandRequest(context, BRANDS.path, body);
		const [brand] = BRANDS.records(answer, body);
		if (!brand) {
			throw new NodeOperationError(context.getNode(), 'The workspace has no default brand', {
				itemIndex,
				description:
					'Set one with Brand → Set Default, or create a brand (it becomes the default).',
			});
		}
		return brand;
	},
};

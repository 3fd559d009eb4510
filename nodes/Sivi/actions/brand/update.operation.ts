// Brand → Update: POST general/brand/update. Only the fields given change; the image and text
// model preferences live here too. An update that changes nothing is refused before sending.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { UPDATE_NON_CHANGES, brandUpdateSchema } from '../../validation/brandSchemas';
import { refuse, validBody } from '../common/prepare';
import type { CallOperation } from '../types';
import { brandIdCall } from './brandCall';
import {
	brandDescriptionField,
	brandIdField,
	brandNameField,
	byDisplayName,
	endUserOnlyFields,
	identityOptions,
	modelPreferenceOptions,
} from './brandFields';

export const properties: INodeProperties[] = [
	brandIdField('The brand to change'),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: byDisplayName([
			brandNameField(false),
			brandDescriptionField(false),
			...identityOptions,
			...modelPreferenceOptions,
		]),
	},
	endUserOnlyFields,
];

export const updateBrand: CallOperation<IDataObject> = {
	kind: 'call',
	resource: 'brand',
	operation: 'update',
	name: 'Update',
	action: 'Update a brand',
	description: "Change a brand's details or its image and text model",
	properties,
	prepare(context, itemIndex) {
		const body = validBody(context, itemIndex, { properties, schema: brandUpdateSchema });
		if (Object.keys(body).every((key) => UPDATE_NON_CHANGES.includes(key)))
			throw refuse(context, itemIndex, ['Update Fields must hold at least one field to change']);
		return body;
	},
	execute: brandIdCall('brand/update', (answer, bId) => ({ bId, ...answer })),
};

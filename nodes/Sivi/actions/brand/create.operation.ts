// Brand → Create: POST general/brand/create. Sivi makes the new brand the workspace's default
// and archives the previous default brand (documented on Sivi's Create Brand page).
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { brandCreateSchema } from '../../validation/brandSchemas';
import { abstractUserIdField } from '../common/abstractUser';
import { validBody } from '../common/prepare';
import type { CallOperation } from '../types';
import { brandRequest } from './brandCall';
import {
	CREATE_ARCHIVES_DEFAULT,
	brandDescriptionField,
	brandNameField,
	byDisplayName,
	identityOptions,
} from './brandFields';
import { additionalFields } from '../common/fields';

export const properties: INodeProperties[] = [
	{
		displayName: CREATE_ARCHIVES_DEFAULT,
		name: 'createNotice',
		type: 'notice',
		default: '',
	},
	brandNameField(true),
	brandDescriptionField(true),
	additionalFields(byDisplayName([...identityOptions, abstractUserIdField])),
];

export const createBrand: CallOperation<IDataObject> = {
	kind: 'call',
	resource: 'brand',
	operation: 'create',
	name: 'Create',
	action: 'Create a brand',
	description: `Create a brand from its name, colors, logo and persona. ${CREATE_ARCHIVES_DEFAULT}`,
	properties,
	prepare: (context, itemIndex) =>
		validBody(context, itemIndex, { properties, schema: brandCreateSchema }),
	async execute(context, body) {
		const answer = await brandRequest(context, 'brand/create', body);
		const details = Array.isArray(answer.brandDetails)
			? (answer.brandDetails as IDataObject[])
			: answer.brandDetails && typeof answer.brandDetails === 'object'
				? [answer.brandDetails as IDataObject]
				: [];
		const bId = details.find((brand) => typeof brand.bId === 'string')?.bId;
		return { ...(bId ? { bId } : {}), ...answer };
	},
};

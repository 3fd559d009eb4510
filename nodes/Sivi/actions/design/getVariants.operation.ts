// Design → Get Variants: POST general/get-design-variants by design ID, Return All / Limit over
// Sivi's cursor. One output item per variant, shaped like the variants of a finished design job,
// plus the design ID.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { bodyField } from '../../shared/bodyFields';
import { LIST_ENDPOINTS, shapedRecords } from '../../shared/listEndpoints';
import { designVariantsSchema } from '../../validation/requestSchemas';
import { endUserOnlyFields } from '../common/abstractUser';
import { listFields, listOperation, type ListRequest } from '../common/pagedList';
import type { CallOperation } from '../types';

export const properties: INodeProperties[] = [
	bodyField('designId', {
		displayName: 'Design ID',
		name: 'designId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 97026520-1f1b-11f0-ada0-01392001fe46',
		description:
			'The designId of a design, e.g. mapped from the output of Create From Content or Create From Prompt',
	}),
	bodyField('type', {
		displayName: 'Variant Type',
		name: 'variantType',
		type: 'options',
		default: 'all',
		options: [
			{ name: 'All', value: 'all', description: 'Generated and edited variants' },
			{ name: 'Edited', value: 'edited', description: "Variants edited in Sivi's editor" },
			{ name: 'Generated', value: 'generated', description: 'Variants as Sivi generated them' },
		],
		description: 'Which variants of the design to return',
	}),
	...listFields(),
	endUserOnlyFields,
];

/** A variant as design jobs give them: id, imageUrl, editLink, width, height, type. */
function variantJson(raw: IDataObject): IDataObject {
	const variant: IDataObject = {
		id: raw.variantId,
		imageUrl: raw.variantImageUrl,
		editLink: raw.variantEditLink,
		width: raw.variantWidth,
		height: raw.variantHeight,
		type: raw.variantType,
	};
	if (Array.isArray(raw.options) && raw.options.length)
		variant.options = (raw.options as IDataObject[]).map(variantJson);
	return variant;
}

export const getVariants: CallOperation<ListRequest> = {
	kind: 'call',
	resource: 'design',
	operation: 'getVariants',
	name: 'Get Variants',
	action: 'Get variants of a design',
	description: 'List the generated and edited variants of a design, one item per variant',
	properties,
	...listOperation(
		shapedRecords(LIST_ENDPOINTS.designVariants, (variation, answer, body) => ({
			designId: answer.designId ?? body.designId,
			...variantJson(variation),
		})),
		{ properties, schema: designVariantsSchema },
	),
};

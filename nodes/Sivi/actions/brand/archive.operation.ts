// Brand → Archive: POST general/brand/archive, exactly one request per item. Archived brands
// disappear from Get Many; Sivi keeps them (it is not a delete).
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { CallOperation } from '../types';
import { brandIdBody, brandIdCall } from './brandCall';
import { brandIdField, endUserOnlyFields } from './brandFields';

export const properties: INodeProperties[] = [
	{
		displayName:
			'Archived brands disappear from Get Many and can no longer be used. If you archive the default brand, set a new default with Set Default.',
		name: 'archiveNotice',
		type: 'notice',
		default: '',
	},
	brandIdField('The brand to archive'),
	endUserOnlyFields,
];

export const archiveBrand: CallOperation<IDataObject> = {
	kind: 'call',
	resource: 'brand',
	operation: 'archive',
	name: 'Archive',
	action: 'Archive a brand',
	description: 'Archive a brand: it is hidden from lists and can no longer be used',
	properties,
	prepare: brandIdBody(properties),
	execute: brandIdCall('brand/archive', (answer, bId) => ({
		bId,
		archived: true,
		message: answer.message ?? 'Brand archived',
	})),
};

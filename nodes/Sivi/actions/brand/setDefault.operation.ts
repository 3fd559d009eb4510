// Brand → Set Default: POST general/brand/set-default. The previous default stays a normal
// brand (Sivi does not archive it here, unlike Create).
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import type { CallOperation } from '../types';
import { brandIdBody, brandIdCall } from './brandCall';
import { brandIdField, endUserOnlyFields } from './brandFields';

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
	prepare: brandIdBody(properties),
	execute: brandIdCall('brand/set-default', (answer, bId) => ({
		bId,
		isDefault: true,
		message: answer.message ?? 'Default brand updated',
	})),
};

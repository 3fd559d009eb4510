// Brand → Get: POST general/brand/get with the brand's ID. Sivi answers an unknown or archived
// brand with 404 "Brand not found in workspace" or with an empty list; both fail the item with
// an error naming the ID.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { LIST_ENDPOINTS } from '../../shared/listEndpoints';
import type { CallOperation } from '../types';
import { brandIdBody, brandIdCall, brandNotFound } from './brandCall';
import { brandIdField, endUserOnlyFields } from './brandFields';

const BRANDS = LIST_ENDPOINTS.brands;

export const properties: INodeProperties[] = [brandIdField('The brand to get'), endUserOnlyFields];

export const getBrand: CallOperation<IDataObject> = {
	kind: 'call',
	resource: 'brand',
	operation: 'get',
	name: 'Get',
	action: 'Get a brand',
	description: 'Get one brand by its ID',
	properties,
	prepare: brandIdBody(properties),
	execute: brandIdCall(BRANDS.path, (answer, bId, context, itemIndex) => {
		const brand = BRANDS.records(answer, { bId }).find((entry) => entry.bId === bId);
		if (!brand) throw brandNotFound(context, itemIndex, bId);
		return brand;
	}),
};

// Brand → Get Many: POST general/brand/get, Return All / Limit over Sivi's cursor. One output
// item per brand; archived brands are not listed (Sivi leaves them out).
import type { INodeProperties } from 'n8n-workflow';

import { brandListSchema } from '../../validation/brandSchemas';
import { limitField, listOperation, returnAllField, type ListRequest } from '../common/pagedList';
import type { CallOperation } from '../types';
import { brandsOf } from './brandCall';
import { endUserOnlyFields } from './brandFields';

/** Sivi's largest brand/get page. */
const PAGE_SIZE = 50;

export const properties: INodeProperties[] = [returnAllField, limitField(), endUserOnlyFields];

export const getManyBrands: CallOperation<ListRequest> = {
	kind: 'call',
	resource: 'brand',
	operation: 'getMany',
	name: 'Get Many',
	action: 'Get many brands',
	description: 'List the brands of the workspace, one item per brand',
	properties,
	...listOperation(
		{
			path: 'brand/get',
			pageSize: PAGE_SIZE,
			records: brandsOf,
			cursor: (answer) => answer.cursor,
		},
		{ properties, schema: brandListSchema },
	),
};

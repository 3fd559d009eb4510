// Brand → Get Many: POST general/brand/get, Return All / Limit over Sivi's cursor. One output
// item per brand; archived brands are not listed (Sivi leaves them out).
import type { INodeProperties } from 'n8n-workflow';

import { brandListSchema } from '../../validation/brandSchemas';
import {
	fetchList,
	limitField,
	readListWanted,
	returnAllField,
	type ListWanted,
} from '../common/pagedList';
import { validBody } from '../common/prepare';
import type { CallOperation } from '../types';
import { brandsOf, endUserOnlyFields } from './brandFields';

/** Sivi's largest brand/get page. */
const PAGE_SIZE = 50;

export const properties: INodeProperties[] = [returnAllField, limitField(), endUserOnlyFields];

interface Prepared {
	body: ReturnType<typeof validBody>;
	wanted: ListWanted;
}

export const getManyBrands: CallOperation<Prepared> = {
	kind: 'call',
	resource: 'brand',
	operation: 'getMany',
	name: 'Get Many',
	action: 'Get many brands',
	description: 'List the brands of the workspace, one item per brand',
	properties,
	prepare: (context, itemIndex) => ({
		body: validBody(context, itemIndex, { properties, schema: brandListSchema }),
		wanted: readListWanted(context, itemIndex),
	}),
	execute: async (context, { body, wanted }) =>
		await fetchList(
			context,
			{
				path: 'brand/get',
				pageSize: PAGE_SIZE,
				records: brandsOf,
				cursor: (answer) => answer.cursor,
			},
			body,
			wanted,
		),
};

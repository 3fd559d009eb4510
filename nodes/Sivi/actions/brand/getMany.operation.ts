// Brand → Get Many: POST general/brand/get, Return All / Limit over Sivi's cursor. One output
// item per brand; archived brands are not listed (Sivi leaves them out).
import type { INodeProperties } from 'n8n-workflow';

import { LIST_ENDPOINTS } from '../../shared/listEndpoints';
import { brandListSchema } from '../../validation/brandSchemas';
import { listFields, listOperation, type ListRequest } from '../common/pagedList';
import type { CallOperation } from '../types';
import { endUserOnlyFields } from './brandFields';

export const properties: INodeProperties[] = [...listFields(), endUserOnlyFields];

export const getManyBrands: CallOperation<ListRequest> = {
	kind: 'call',
	resource: 'brand',
	operation: 'getMany',
	name: 'Get Many',
	action: 'Get many brands',
	description: 'List the brands of the workspace, one item per brand',
	properties,
	...listOperation(LIST_ENDPOINTS.brands, { properties, schema: brandListSchema }),
};

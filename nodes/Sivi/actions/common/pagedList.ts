// Return All / Limit over Sivi's cursor-paginated lists (brand/get, media/get, font/get,
// get-design-variants): one paced request per page, pages as large as Sivi allows.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { pacedRequest } from '../../engine/accounts';

export const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

export function limitField(maxValue?: number): INodeProperties {
	return {
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1, ...(maxValue ? { maxValue } : {}) },
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	};
}

export interface ListWanted {
	returnAll: boolean;
	limit: number;
}

/** Return All and Limit of item `itemIndex`. */
export function readListWanted(context: IExecuteFunctions, itemIndex: number): ListWanted {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? Infinity : Number(context.getNodeParameter('limit', itemIndex, 50));
	return { returnAll, limit };
}

export interface ListEndpoint {
	path: string;
	/** Largest page Sivi accepts. */
	pageSize: number;
	/** The records of one page's answer. */
	records(answer: IDataObject): IDataObject[];
	/** The next page's cursor, or nothing at the end. */
	cursor(answer: IDataObject): unknown;
}

/** Pages until `wanted` is met or the list ends. */
export async function fetchList(
	context: IExecuteFunctions,
	endpoint: ListEndpoint,
	body: IDataObject,
	wanted: ListWanted,
): Promise<IDataObject[]> {
	const found: IDataObject[] = [];
	let cursor: unknown;
	do {
		const limit = Math.min(endpoint.pageSize, wanted.limit - found.length);
		const answer = await pacedRequest(context, {
			method: 'POST',
			path: endpoint.path,
			body: { ...body, limit, ...(cursor ? { cursor } : {}) },
		});
		const page = endpoint.records(answer);
		found.push(...page.slice(0, wanted.limit - found.length));
		cursor = endpoint.cursor(answer);
		// A page without records ends the list whatever the cursor says.
		if (!page.length) break;
	} while (cursor && found.length < wanted.limit);
	return found;
}

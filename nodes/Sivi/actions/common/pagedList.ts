// Return All / Limit over Sivi's cursor-paginated lists (brand/get, media/get, font/get,
// get-design-variants): one paced request per page, pages as large as Sivi allows.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { pacedRequest } from '../../engine/accounts';
import type { CallOperation } from '../types';
import { refuse, validBody, type BodyRecipe } from './prepare';

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

/** Return All and Limit of item `itemIndex`; a Limit an expression made nonsense is refused. */
export function readListWanted(context: IExecuteFunctions, itemIndex: number): ListWanted {
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) === true;
	if (returnAll) return { returnAll, limit: Infinity };
	const given: unknown = context.getNodeParameter('limit', itemIndex, 50);
	const limit = typeof given === 'string' && given.trim() === '' ? NaN : Number(given);
	if (!Number.isInteger(limit) || limit < 1)
		throw refuse(context, itemIndex, [
			`Limit must be a whole number of at least 1 (got ${JSON.stringify(given)})`,
		]);
	return { returnAll, limit };
}

export interface ListEndpoint {
	path: string;
	/** Largest page Sivi accepts. */
	pageSize: number;
	/** The records of one page's answer to the request `body`. */
	records(answer: IDataObject, body: IDataObject): IDataObject[];
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
	const seen = new Set<string>();
	let cursor: unknown;
	do {
		const limit = Math.min(endpoint.pageSize, wanted.limit - found.length);
		const answer = await pacedRequest(context, {
			method: 'POST',
			path: endpoint.path,
			body: { ...body, limit, ...(cursor ? { cursor } : {}) },
		});
		const page = endpoint.records(answer, body);
		found.push(...page.slice(0, wanted.limit - found.length));
		cursor = endpoint.cursor(answer);
		// A page without records, or a cursor seen before, ends the list whatever the cursor says.
		if (!page.length || seen.has(JSON.stringify(cursor))) break;
		seen.add(JSON.stringify(cursor));
	} while (cursor && found.length < wanted.limit);
	return found;
}

/** records() for answers that hold the page's records in a list at `key`. */
export const recordsAt =
	(key: string) =>
	(answer: IDataObject): IDataObject[] =>
		Array.isArray(answer[key]) ? (answer[key] as IDataObject[]) : [];

/** What a Get Many item asks for: its validated body, and Return All / Limit. */
export interface ListRequest {
	body: IDataObject;
	wanted: ListWanted;
}

/** prepare() and execute() of a Get Many over `endpoint`, its body built by `recipe`. */
export function listOperation(
	endpoint: ListEndpoint,
	recipe: BodyRecipe,
): Pick<CallOperation<ListRequest>, 'prepare' | 'execute'> {
	return {
		prepare: (context, itemIndex) => ({
			body: validBody(context, itemIndex, recipe),
			wanted: readListWanted(context, itemIndex),
		}),
		execute: async (context, { body, wanted }) => await fetchList(context, endpoint, body, wanted),
	};
}

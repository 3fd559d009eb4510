// Return All / Limit over Sivi's cursor-paginated lists (shared/listEndpoints.ts): one paced
// request per page, pages as large as Sivi allows; lookups stop at a match or after a few pages.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { pacedRequest } from '../../engine/accounts';
import type { ListEndpoint } from '../../shared/listEndpoints';
import type { CallOperation } from '../types';
import { refuse, validBody, type BodyRecipe } from './prepare';

const returnAllField: INodeProperties = {
	displayName: 'Return All',
	name: 'returnAll',
	type: 'boolean',
	default: false,
	description: 'Whether to return all results or only up to a given limit',
};

function limitField(maxValue?: number): INodeProperties {
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

/** Return All and Limit, in this order, for a list operation's properties. */
export function listFields(maxLimit?: number): [INodeProperties, INodeProperties] {
	return [returnAllField, limitField(maxLimit)];
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

export interface ListOptions {
	/** Stop at the first record this accepts (a lookup): it is the answer's `match`. */
	until?: (record: IDataObject) => boolean;
	/** Request at most this many pages (a lookup that must not eat the plan's requests). */
	maxPages?: number;
}

export interface ListFound {
	/** The records paged through, up to `wanted` (with `until`: up to and with the match). */
	records: IDataObject[];
	match?: IDataObject;
}

/** Pages until `wanted` is met, a record is accepted by `until`, `maxPages` or the list ends. */
export async function fetchList(
	context: IExecuteFunctions,
	endpoint: ListEndpoint,
	body: IDataObject,
	wanted: ListWanted,
	{ until, maxPages = Infinity }: ListOptions = {},
): Promise<ListFound> {
	const records: IDataObject[] = [];
	const seen = new Set<string>();
	let cursor: unknown;
	for (let pages = 1; ; pages++) {
		const limit = Math.min(endpoint.pageSize, wanted.limit - records.length);
		const answer = await pacedRequest(context, {
			method: endpoint.method,
			path: endpoint.path,
			body: { ...body, limit, ...(cursor ? { cursor } : {}) },
		});
		const page = endpoint.records(answer, body);
		const kept = page.slice(0, wanted.limit - records.length);
		const at = until ? kept.findIndex(until) : -1;
		if (at >= 0) {
			records.push(...kept.slice(0, at + 1));
			return { records, match: kept[at] };
		}
		records.push(...kept);
		cursor = endpoint.cursor(answer);
		// A page without records, or a cursor seen before, ends the list whatever the cursor says.
		if (!page.length || seen.has(JSON.stringify(cursor))) break;
		seen.add(JSON.stringify(cursor));
		if (!cursor || records.length >= wanted.limit || pages >= maxPages) break;
	}
	return { records };
}

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
		execute: async (context, { body, wanted }) =>
			(await fetchList(context, endpoint, body, wanted)).records,
	};
}

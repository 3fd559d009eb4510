// Sivi's cursor-paginated lists (REFERENCE §6–§8): where each is, its largest page, and where an
// answer holds the page's records and the next cursor. The only place that knows these shapes:
// Get Many operations, Get Variants, the editor's searches and the lookups all read it.
import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

export interface ListEndpoint {
	path: string;
	method: IHttpRequestMethods;
	/** Largest page Sivi accepts (`limit`). */
	pageSize: number;
	/** The records of one page's answer to the request `body`. */
	records(answer: IDataObject, body: IDataObject): IDataObject[];
	/** The next page's cursor, or nothing at the end. */
	cursor(answer: IDataObject): unknown;
}

/** records() for answers that hold the page's records in a list at `key`. */
const recordsAt =
	(key: string) =>
	(answer: IDataObject): IDataObject[] =>
		Array.isArray(answer[key]) ? (answer[key] as IDataObject[]) : [];

type ListName = 'brands' | 'media' | 'fonts' | 'designVariants';

export const LIST_ENDPOINTS: Record<ListName, ListEndpoint> = {
	/** `{ brands: [...], cursor }`; limit 1–50. */
	brands: {
		path: 'brand/get',
		method: 'POST',
		pageSize: 50,
		records: recordsAt('brands'),
		cursor: (answer) => answer.cursor,
	},
	/** `{ media: [...], cursor }`; limit 1–50. */
	media: {
		path: 'media/get',
		method: 'POST',
		pageSize: 50,
		records: recordsAt('media'),
		cursor: (answer) => answer.cursor,
	},
	/** `{ data: [...], meta: { cursor } }`; limit 1–100. */
	fonts: {
		path: 'font/get',
		method: 'POST',
		pageSize: 100,
		records: recordsAt('data'),
		cursor: (answer) => (answer.meta as IDataObject | undefined)?.cursor,
	},
	/** `{ designId, variations: [...], cursor }`; limit 1–100. */
	designVariants: {
		path: 'get-design-variants',
		method: 'POST',
		pageSize: 100,
		records: recordsAt('variations'),
		// The docs' response field is `cursor`; their usage note calls it `nextCursor`.
		cursor: (answer) => answer.cursor ?? answer.nextCursor,
	},
};

/** `endpoint` whose records are turned into output records by `shape` (the page's answer at hand). */
export function shapedRecords(
	endpoint: ListEndpoint,
	shape: (record: IDataObject, answer: IDataObject, body: IDataObject) => IDataObject,
): ListEndpoint {
	return {
		...endpoint,
		records: (answer, body) =>
			endpoint.records(answer, body).map((record) => shape(record, answer, body)),
	};
}

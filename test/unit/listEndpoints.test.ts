// Sivi's paged lists in one table (shared/listEndpoints.ts) and fetchList over them: a lookup
// stops at its match or after maxPages, a repeated cursor ends the list; listFields() is the
// Return All + Limit pair every list operation shows.
import type { IDataObject } from 'n8n-workflow';

import { fetchList, listFields } from '../../nodes/Sivi/actions/common/pagedList';
import { LIST_ENDPOINTS, type ListEndpoint } from '../../nodes/Sivi/shared/listEndpoints';
import { properties as brandGetMany } from '../../nodes/Sivi/actions/brand/getMany.operation';
import { properties as mediaGetMany } from '../../nodes/Sivi/actions/media/getMany.operation';
import { properties as fontGetMany } from '../../nodes/Sivi/actions/font/getMany.operation';
import { properties as getVariants } from '../../nodes/Sivi/actions/design/getVariants.operation';
import { inNodeContext, type RecordedRequest } from '../helpers/n8nEngine';
import { bodiesTo, nodeOn, useSimulator } from '../helpers/simulatorCalls';

const sim = useSimulator({ rateLimit: { limit: 10_000, windowMs: 60_000 } }, 'all');
const node = nodeOn(sim);

const ALL = { returnAll: true, limit: Infinity };
// font/get in pages of 10 over the 35 seeded Google fonts: 4 pages.
const TENS: ListEndpoint = { ...LIST_ENDPOINTS.fonts, pageSize: 10 };
const SYSTEM = { source: 'system' };

/** fetchList in the node's execute context; returns what it found and the font/get bodies. */
async function list(
	endpoint: ListEndpoint,
	wanted: { returnAll: boolean; limit: number },
	options?: Parameters<typeof fetchList>[4],
) {
	const requests: RecordedRequest[] = [];
	const found = await inNodeContext(
		{
			...node({ resource: 'font', operation: 'getMany' }),
			intercept: (request) => void requests.push(request),
		},
		async (context) => await fetchList(context, endpoint, SYSTEM, wanted, options),
	);
	return { ...found, bodies: bodiesTo(requests, 'font/get') as IDataObject[] };
}

describe('fetchList', () => {
	it('pages to the end of the list, or to the Limit', async () => {
		const all = await list(TENS, ALL);
		expect(all.records).toHaveLength(35);
		expect(all.match).toBeUndefined();
		expect(all.bodies.map((body) => body.limit)).toEqual([10, 10, 10, 10]);
		const some = await list(TENS, { returnAll: false, limit: 13 });
		expect(some.records).toHaveLength(13);
		expect(some.bodies.map((body) => body.limit)).toEqual([10, 3]);
	});

	it('with until, stops at the first match and returns it', async () => {
		// Lato is the 13th seeded font: on the second page.
		const found = await list(TENS, ALL, { until: (font) => font.name === 'Lato' });
		expect(found.match).toMatchObject({ name: 'Lato' });
		expect(found.records).toHaveLength(13);
		expect(found.records[12]).toBe(found.match);
		expect(found.bodies).toHaveLength(2);
		expect(found.bodies[1]).toEqual({ ...SYSTEM, limit: 10, cursor: expect.any(String) });
	});

	it('with maxPages, asks for no more pages than that', async () => {
		const none = await list(TENS, ALL, { until: () => false, maxPages: 2 });
		expect(none.match).toBeUndefined();
		expect(none.records).toHaveLength(20);
		expect(none.bodies).toHaveLength(2);
		// A match on a page past the cap is not found.
		const late = await list(TENS, ALL, {
			until: (font) => font.name === 'Work Sans',
			maxPages: 3,
		});
		expect(late.match).toBeUndefined();
		expect(late.bodies).toHaveLength(3);
	});

	it('ends the list at a cursor it has seen before, with until and maxPages too', async () => {
		let first: unknown;
		const stuck: ListEndpoint = {
			...TENS,
			// Sivi answering every page with the first page's cursor.
			cursor: (answer) => (first ??= TENS.cursor(answer)),
		};
		const found = await list(stuck, ALL, { until: () => false, maxPages: 50 });
		expect(found.bodies).toHaveLength(2);
		expect(found.records).toHaveLength(20);
	});
});

describe('LIST_ENDPOINTS', () => {
	it("knows each list's path, largest page, records and cursor", () => {
		const shapes = Object.fromEntries(
			Object.entries(LIST_ENDPOINTS).map(([name, endpoint]) => [
				name,
				[endpoint.method, endpoint.path, endpoint.pageSize],
			]),
		);
		expect(shapes).toEqual({
			brands: ['POST', 'brand/get', 50],
			media: ['POST', 'media/get', 50],
			fonts: ['POST', 'font/get', 100],
			designVariants: ['POST', 'get-design-variants', 100],
		});
		const record = { id: 'x' };
		const { brands, media, fonts, designVariants } = LIST_ENDPOINTS;
		expect(brands.records({ brands: [record] }, {})).toEqual([record]);
		expect(brands.cursor({ cursor: 'c' })).toBe('c');
		expect(media.records({ media: [record] }, {})).toEqual([record]);
		expect(fonts.records({ data: [record] }, {})).toEqual([record]);
		expect(fonts.cursor({ data: [], meta: { cursor: 'c' } })).toBe('c');
		expect(designVariants.records({ variations: [record] }, {})).toEqual([record]);
		expect(designVariants.cursor({ nextCursor: 'n' })).toBe('n');
		// An answer without the list has no records.
		expect(fonts.records({ data: null }, {})).toEqual([]);
	});
});

describe('listFields', () => {
	it('is Return All then Limit, in every list operation', () => {
		const [returnAll, limit] = listFields();
		expect(returnAll).toEqual({
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		});
		expect(limit).toEqual({
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			displayOptions: { show: { returnAll: [false] } },
			description: 'Max number of results to return',
		});
		expect(listFields(20)[1].typeOptions).toEqual({ minValue: 1, maxValue: 20 });
		for (const properties of [brandGetMany, mediaGetMany, fontGetMany, getVariants])
			expect(properties).toEqual(expect.arrayContaining(listFields()));
	});
});

// Dynamic dropdowns: brand and media lists from Sivi (pagination, search, empty, 401) and the
// catalog-driven dependent options (sizes per model, subtypes per type).
import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { getDesignSubtypes, getImageSizes } from '../../nodes/Sivi/methods/loadOptions';
import { searchBrands, searchFonts, searchMedia } from '../../nodes/Sivi/methods/listSearch';
import { designTypes, imageModels } from '../../nodes/Sivi/catalog';
import { startSimulator, type Simulator } from '../simulator';
import { loadOptionsContext, type NodeParams } from '../helpers/n8nEngine';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({
		brands: 73,
		media: 12,
		rateLimit: { limit: 10_000, windowMs: 60_000 },
	});
});
afterAll(async () => await sim.close());

/** n8n's load-options context for a Sivi node with these parameters (the plain key by default). */
function loadContext(params: NodeParams = {}, apiKey = sim.apiKey): ILoadOptionsFunctions {
	return loadOptionsContext({ baseUrl: sim.baseUrl, apiKey, params });
}

const media = (model: string) => ({ resource: 'media', operation: 'generate', model });
const design = (designType: string) => ({
	resource: 'design',
	operation: 'createFromContent',
	designType,
});

describe('searchBrands', () => {
	it('pages through every brand with the cursor', async () => {
		const context = loadContext();
		const seen: string[] = [];
		let token: string | undefined;
		let pages = 0;
		do {
			const page = await searchBrands.call(context, undefined, token);
			seen.push(...page.results.map((result) => String(result.value)));
			token = page.paginationToken as string | undefined;
			pages++;
		} while (token && pages < 10);
		expect(pages).toBe(2); // 73 brands, 50 per page
		expect(new Set(seen).size).toBe(73);
		expect(seen).toContain('b_default0001');
	});

	it('shows the brand name with its ID and filters by search text', async () => {
		const context = loadContext();
		const first = await searchBrands.call(context);
		const name = String(first.results[0].name);
		expect(name).toMatch(/\(b_[^)]+\)$/);
		const word = name.split(' ')[0];
		const filtered = await searchBrands.call(context, word.toLowerCase());
		expect(filtered.results.length).toBeGreaterThan(0);
		for (const result of filtered.results)
			expect(String(result.name).toLowerCase()).toContain(word.toLowerCase());
		const none = await searchBrands.call(context, 'no brand is called like this');
		expect(none.results).toEqual([]);
	});

	it('fails with a clear message on a wrong API key', async () => {
		const context = loadContext({}, 'wrong-key');
		await expect(searchBrands.call(context)).rejects.toMatchObject({
			name: 'NodeApiError',
			message: 'Sivi rejected the API key',
			description: 'Check the API key in the Sivi API credential.',
			httpCode: '401',
		});
	});
});

describe('searchMedia', () => {
	it('lists workspace photos by media ID and ends pagination', async () => {
		const page = await searchMedia.call(loadContext());
		expect(page.results.length).toBeGreaterThan(0);
		for (const result of page.results) expect(result.value).toBe(result.name);
		expect(page.paginationToken).toBeUndefined();
	});

	it('lists photos only for Generate, every media type for Update and Delete', async () => {
		const forGenerate = await searchMedia.call(loadContext(media('auto')));
		const forDelete = await searchMedia.call(
			loadContext({ resource: 'media', operation: 'delete' }),
		);
		const types = (results: typeof forDelete.results) =>
			new Set(results.map((result) => String(result.value).replace(/^.*----([a-z]+)_.*$/, '$1')));
		expect([...types(forGenerate.results)]).toEqual(['photo']);
		expect(types(forDelete.results).size).toBeGreaterThan(1);
		expect(forDelete.results.length).toBeGreaterThan(forGenerate.results.length);
		expect(forDelete.results.every((result) => typeof result.description === 'string')).toBe(true);
	});

	it('returns an empty list when nothing matches', async () => {
		const page = await searchMedia.call(loadContext(), 'zzz-nothing-like-this');
		expect(page.results).toEqual([]);
	});
});

describe('searchFonts', () => {
	it('lists fonts by name with their ID and classification, one page of 100', async () => {
		const page = await searchFonts.call(loadContext());
		expect(page.results.length).toBeGreaterThan(10);
		expect(page.results).toContainEqual({
			name: 'Roboto',
			value: 'f_sys0028',
			description: 'sans-serif',
		});
		expect(page.paginationToken).toBeUndefined();
	});

	it("searches with Sivi's own name filter and follows its cursor", async () => {
		const context = loadContext();
		const roboto = await searchFonts.call(context, 'robo');
		expect(roboto.results.map((result) => result.name)).toEqual([
			'Roboto',
			'Roboto Mono',
			'Roboto Slab',
		]);
		const none = await searchFonts.call(context, 'no font is called like this');
		expect(none.results).toEqual([]);
		// A cursor of Sivi's (here: after the first 30 fonts) gives the next page.
		const next = await searchFonts.call(
			context,
			undefined,
			Buffer.from('sim:30').toString('base64url'),
		);
		expect(next.results[0]).toMatchObject({ value: 'f_sys0031' });
	});

	it('fails with a clear message on a wrong API key', async () => {
		await expect(searchFonts.call(loadContext({}, 'wrong-key'))).rejects.toMatchObject({
			name: 'NodeApiError',
			message: 'Sivi rejected the API key',
			httpCode: '401',
		});
	});
});

describe('dependent options from the catalog', () => {
	it('offers exactly the sizes the chosen model supports', async () => {
		for (const model of imageModels) {
			const options = await getImageSizes.call(loadContext(media(model.value)));
			expect(options.map((option) => option.value)).toEqual(model.sizes);
		}
		const flux = await getImageSizes.call(loadContext(media('flux-schnell')));
		expect(flux.map((option) => option.value)).not.toContain('1548x672');
		expect(String(flux[0].name)).toMatch(/^\d+×\d+ \(/);
	});

	it('offers the subtypes of the chosen type with their pixel size', async () => {
		const instagram = await getDesignSubtypes.call(loadContext(design('instagram')));
		expect(instagram).toContainEqual({
			name: 'Instagram Post — 1080×1080',
			value: 'instagram-post',
		});
		for (const type of designTypes) {
			const options = await getDesignSubtypes.call(loadContext(design(type.value)));
			expect(options.map((option) => option.value)).toEqual(
				type.subtypes.map((subtype) => subtype.value),
			);
		}
		expect(await getDesignSubtypes.call(loadContext(design('nope')))).toEqual([]);
	});
});

// The simulator's design calls: content-from-prompt (strict like designs-from-prompt minus
// numOfVariants, the envelope shapes Sivi's explorer reads) and get-design-variants (variants of
// a completed design job, type filter, cursor, 404 for an unknown design), plus the fontGroups
// rules of the design endpoints (REFERENCE §7.8).
import { SUMMER_COPY_FIRST as FIRST, SUMMER_COPY_SECOND as SECOND } from '../helpers/copyFixtures';
import { callApi, expectError, useSimulator, waitForJob, type Json } from '../helpers/simulatorApi';

jest.setTimeout(20000);

const sim = useSimulator({ rateLimit: { limit: 100000, windowMs: 60000 }, jobDurationMs: 60 });
const api = (endpoint: string, body: Json) => callApi(sim, 'POST', endpoint, body);

const copyBody = (over: Json = {}): Json => ({
	type: 'displayAds',
	subtype: 'displayAds-half-page-ad',
	prompt: 'summer campaign for my t-shirt shop with 20% off',
	language: 'english',
	...over,
});

describe('content-from-prompt', () => {
	it('answers the documented shape as the envelope body by default', async () => {
		const r = await api('content-from-prompt', copyBody());
		expect(r.status).toBe(200);
		expect(r.json.status).toBe(200);
		expect(r.json.body).toEqual({
			contentSuggestions: [FIRST, SECOND],
			assetSuggestions: { images: [{ url: `${sim.origin}/files/media-0001.jpg` }] },
		});
		const image = await fetch(r.json.body.assetSuggestions.images[0].url);
		expect(image.status).toBe(200);
	});

	it.each([
		['result.contentSuggestions', (body: Json) => body.result.contentSuggestions],
		['content', (body: Json) => body.content],
		['result.content', (body: Json) => [body.result.content]],
	])('moves the suggestions to body.%s on request', async (shape, read) => {
		const r = await api(
			'content-from-prompt',
			copyBody({ prompt: `${copyBody().prompt} [sim:copy=${shape}]` }),
		);
		expect(r.status).toBe(200);
		expect(r.json.body.contentSuggestions).toBeUndefined();
		const suggestions = read(r.json.body);
		expect(suggestions[0]).toEqual(FIRST);
		expect(suggestions).toHaveLength(shape === 'result.content' ? 1 : 2);
	});

	it('adds an undocumented block with [sim:copy-extra]', async () => {
		const r = await api(
			'content-from-prompt',
			copyBody({ prompt: 'beach towels [sim:copy-extra]' }),
		);
		expect(r.json.body.contentSuggestions[0]).toMatchObject({
			title: 'Beach towels',
			hashtag: '#summer',
		});
	});

	it('takes a custom size and an abstractUserId', async () => {
		const r = await api(
			'content-from-prompt',
			copyBody({
				type: 'custom',
				subtype: 'custom',
				dimension: { width: 1200, height: 300 },
				abstractUserId: 'customer-1',
			}),
		);
		expect(r.status).toBe(200);
	});

	it.each<[string, Json, number, string | RegExp]>([
		[
			'numOfVariants (not a field here)',
			{ numOfVariants: 1 },
			422,
			"Unknown field 'numOfVariants'",
		],
		['name', { name: 'x' }, 422, "Unknown field 'name'"],
		['no prompt', { prompt: undefined }, 422, 'Prompt is required and must be a string.'],
		['blank prompt', { prompt: '  ' }, 422, 'Prompt is required and must be a string.'],
		[
			'unknown type',
			{ type: 'tiktok', subtype: 'tiktok-post' },
			422,
			'Invalid type and subType combination',
		],
		[
			'subtype of another type',
			{ subtype: 'instagram-post' },
			422,
			'Invalid type and subType combination',
		],
		[
			'custom without dimension',
			{ type: 'custom', subtype: 'custom' },
			422,
			'dimension is required for type custom',
		],
		[
			'custom too small',
			{ type: 'custom', subtype: 'custom', dimension: { width: 100, height: 300 } },
			422,
			/between 150 and 2000/,
		],
		['unknown language', { language: 'klingon' }, 422, "Language 'klingon' is not supported."],
		['abstractUserId not text', { abstractUserId: 7 }, 422, 'abstractUserId must be a string'],
	])('refuses %s', async (_name, over, status, message) => {
		expectError(await api('content-from-prompt', copyBody(over)), status, message);
	});

	it('needs the API key', async () => {
		const res = await fetch(`${sim.baseUrl}/general/content-from-prompt`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(copyBody()),
		});
		expect(res.status).toBe(401);
	});
});

async function completedDesign(numOfVariants: number, over: Json = {}): Promise<string> {
	const submit = await api('designs-from-prompt', {
		type: 'instagram',
		subtype: 'instagram-post',
		prompt: 'Variants test',
		numOfVariants,
		...over,
	});
	expect(submit.status).toBe(200);
	const { requestId, designId } = submit.json.body;
	await waitForJob(sim, requestId, (status) => status === 'completed' || status === 'failed');
	return designId;
}

describe('get-design-variants', () => {
	it("lists a completed design's variants, then its option, flat", async () => {
		const designId = await completedDesign(3);
		const r = await api('get-design-variants', { designId });
		expect(r.status).toBe(200);
		const { variations, cursor } = r.json.body;
		expect(r.json.body.designId).toBe(designId);
		expect(cursor).toBeNull();
		expect(variations).toHaveLength(4);
		const ids = variations.map((variant: Json) => variant.variantId);
		expect(ids[1]).toBe(`${ids[0]}_1`);
		for (const variant of variations) {
			expect(Object.keys(variant).sort()).toEqual([
				'variantEditLink',
				'variantHeight',
				'variantId',
				'variantImageUrl',
				'variantType',
				'variantWidth',
			]);
			expect(variant).toMatchObject({
				variantWidth: 1080,
				variantHeight: 1080,
				variantType: 'GENERATED',
			});
			expect((await fetch(variant.variantImageUrl)).status).toBe(200);
		}
	});

	it('pages with limit and cursor', async () => {
		const designId = await completedDesign(4);
		const first = await api('get-design-variants', { designId, limit: 2 });
		expect(first.json.body.variations).toHaveLength(2);
		expect(typeof first.json.body.cursor).toBe('string');
		const second = await api('get-design-variants', {
			designId,
			limit: 2,
			cursor: first.json.body.cursor,
		});
		const third = await api('get-design-variants', {
			designId,
			limit: 2,
			cursor: second.json.body.cursor,
		});
		expect(third.json.body.variations).toHaveLength(1);
		expect(third.json.body.cursor).toBeNull();
		const ids = [first, second, third].flatMap((page) =>
			page.json.body.variations.map((variant: Json) => variant.variantId),
		);
		expect(new Set(ids).size).toBe(5);
	});

	it('filters by type: every simulated variant is generated, none edited', async () => {
		const designId = await completedDesign(1);
		expect(
			(await api('get-design-variants', { designId, type: 'generated' })).json.body.variations,
		).toHaveLength(2);
		expect(
			(await api('get-design-variants', { designId, type: 'edited' })).json.body.variations,
		).toEqual([]);
	});

	it('has no variants before the design job completes, nor for a failed one', async () => {
		sim.setOptions({ jobDurationMs: 60_000 });
		const submit = await api('designs-from-prompt', {
			type: 'instagram',
			subtype: 'instagram-post',
			prompt: 'Still running',
			numOfVariants: 1,
		});
		const running = await api('get-design-variants', { designId: submit.json.body.designId });
		expect(running.status).toBe(200);
		expect(running.json.body.variations).toEqual([]);
		sim.setOptions({ jobDurationMs: 60 });
		const failed = await completedDesign(1, { prompt: 'Broken [sim:fail]' });
		expect((await api('get-design-variants', { designId: failed })).json.body.variations).toEqual(
			[],
		);
	});

	it('answers 404 for an unknown design (the harsh reading of the docs)', async () => {
		expectError(
			await api('get-design-variants', { designId: 'no-such-design' }),
			404,
			'Design not found',
		);
	});

	it.each<[string, Json, string | RegExp]>([
		['no ID at all', {}, 'Invalid input'],
		['a blank designId', { designId: '  ' }, 'Invalid input'],
		['an unknown field', { designId: 'x', page: 1 }, "Unknown field 'page'"],
		[
			'an unknown type',
			{ designId: 'x', type: 'draft' },
			'type must be one of all, generated, edited',
		],
		['limit 0', { designId: 'x', limit: 0 }, 'limit must be an integer between 1 and 100'],
		['limit 101', { designId: 'x', limit: 101 }, 'limit must be an integer between 1 and 100'],
		['a made-up cursor', { designId: 'x', cursor: 'abc' }, 'Invalid cursor'],
		['a designId that is a number', { designId: 5 }, 'designId must be a string'],
	])('refuses %s with 422', async (_name, body, message) => {
		expectError(await api('get-design-variants', body), 422, message);
	});

	it('lists every design of the workspace for a workspaceId', async () => {
		await completedDesign(1);
		await completedDesign(2);
		const r = await api('get-design-variants', { workspaceId: 'w_sim' });
		expect(r.json.body.variations).toHaveLength(5);
	});
});

describe('fontGroups on the design endpoints (§7.8)', () => {
	const font = (type: string, over: Json = {}) => ({
		id: `f_${type}`,
		name: 'Roboto',
		type,
		status: 'enabled',
		addedBy: 'system',
		...over,
	});
	const body = (fontGroups: unknown) => ({
		name: 'Fonts test',
		type: 'instagram',
		subtype: 'instagram-post',
		numOfVariants: 1,
		content: { title: 'Hello' },
		settings: { mode: 'custom', fontGroups },
	});

	it('accepts exactly one font each for heading, subHeading and body', async () => {
		const r = await api(
			'designs-from-content',
			body([font('heading'), font('subHeading'), font('body')]),
		);
		expect(r.status).toBe(200);
	});

	it.each<[string, unknown, RegExp]>([
		['two entries', [font('heading'), font('body')], /exactly 3 entries/],
		[
			'a type twice',
			[font('heading'), font('heading'), font('body')],
			/one each of heading, subHeading and body/,
		],
		[
			'no name',
			[font('heading', { name: '' }), font('subHeading'), font('body')],
			/name is required/,
		],
		[
			'no status',
			[font('heading', { status: undefined }), font('subHeading'), font('body')],
			/status must be enabled or disabled/,
		],
		[
			'no addedBy',
			[font('heading'), font('subHeading', { addedBy: undefined }), font('body')],
			/addedBy must be system or user/,
		],
		[
			'an unknown key',
			[font('heading', { weight: 700 }), font('subHeading'), font('body')],
			/Unknown field 'settings.fontGroups\[0\]\.weight'/,
		],
	])('refuses %s', async (_name, fontGroups, message) => {
		expectError(await api('designs-from-content', body(fontGroups)), 422, message);
	});
});

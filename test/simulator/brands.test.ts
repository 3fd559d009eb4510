// The simulator's brand endpoints (routes/brands.js and brand/get in server.js), held to Sivi's
// Brand pages: strict 422s, documented 404/401 messages, create archiving the previous default,
// archived brands gone from brand/get, brand/extract as a job with result.brandDetails.
import brandCatalog from '../../nodes/Sivi/catalog/brand.json';
import { callApi, expectError, useSimulator, waitForJob, type Json } from '../helpers/simulatorApi';

jest.setTimeout(20000);

const sim = useSimulator({ jobDurationMs: 50, rateLimit: { limit: 100000, windowMs: 60000 } });

const post = (endpoint: string, body: Json, key: string | null = sim.apiKey) =>
	callApi(sim, 'POST', endpoint, body, key);

/** Polls until the job has ended. */
const finished = (requestId: string) =>
	waitForJob(sim, requestId, (status) => !['pending', 'processing'].includes(status));

const ids = async (body: Json = { limit: 50 }) =>
	((await post('brand/get', body)).json.body.brands as Json[]).map((brand) => brand.bId);

/** Expects Sivi's error envelope with this status and message. */
async function refused(endpoint: string, body: Json, code: number, message: string | RegExp) {
	expectError(await post(endpoint, body), code, message);
}

const created = { brandName: 'Corner Cafe', brandDescription: 'Coffee and cake' };

describe('seeded workspace', () => {
	it('has 23 brands with b_default0001 as the default', async () => {
		expect(await ids()).toHaveLength(23);
		expect(await ids({ isDefault: true })).toEqual(['b_default0001']);
	});
});

describe('brand/create', () => {
	it("answers like Sivi's example and the new brand replaces the default, which is archived", async () => {
		const { status: http, json } = await post('brand/create', {
			brandName: 'Sivi',
			brandDescription: 'AI design generator',
			brandUrl: 'https://sivi.ai',
			brandLogo: 'https://sivi.ai/sivi-logo.png',
			brandColors: ['#5662EC', '#EF9AB2'],
			brandFonts: [],
			brandPersona: {
				emotions: ['happy'],
				industry: 'games',
				audience: ['working mom'],
				designTags: ['minimal'],
			},
		});
		expect(http).toBe(200);
		expect(json.body.message).toBe('Successfully set the brand details');
		expect(json.body.brandDetails).toHaveLength(1);
		const [brand] = json.body.brandDetails;
		expect(brand).toMatchObject({
			bId: 'b_new00000001',
			brandName: 'Sivi',
			brandUrl: 'https://sivi.ai',
			brandColors: [
				{ color: '#5662EC', addedBy: 'user', primary: false },
				{ color: '#EF9AB2', addedBy: 'user', primary: false },
			],
			brandFonts: [],
			brandPersona: {
				emotions: ['happy'],
				industry: 'games',
				audience: ['working mom'],
				designTags: ['minimal'],
			},
			brandImages: [],
		});
		expect(brand.brandLogos).toHaveLength(1);
		expect((await fetch(brand.brandLogos[0])).status).toBe(200);

		expect(await ids({ isDefault: true })).toEqual(['b_new00000001']);
		const all = await ids();
		expect(all).toHaveLength(23);
		expect(all).not.toContain('b_default0001');
		expect(all[all.length - 1]).toBe('b_new00000001');
		// The archived default is gone for every brand endpoint.
		await refused('brand/get', { bId: 'b_default0001' }, 404, 'Brand not found in workspace');
		await refused(
			'brand/set-default',
			{ bId: 'b_default0001' },
			404,
			'Brand not found in workspace',
		);
	});

	it('numbers new brands deterministically', async () => {
		expect((await post('brand/create', created)).json.body.brandDetails[0].bId).toBe(
			'b_new00000001',
		);
		expect((await post('brand/create', created)).json.body.brandDetails[0].bId).toBe(
			'b_new00000002',
		);
		expect(await ids({ isDefault: true })).toEqual(['b_new00000002']);
	});

	it.each([
		['no brandName', { brandDescription: 'x' }, 'brandName is required'],
		['no brandDescription', { brandName: 'x' }, 'brandDescription is required'],
		['an unknown field', { ...created, brandColor: '#fff' }, "Unknown field 'brandColor'"],
		['a colour that is not hex', { ...created, brandColors: ['red'] }, /Invalid color 'red'/],
		['colours as a string', { ...created, brandColors: '#fff' }, /brandColors must be an array/],
		[
			'a website without a scheme',
			{ ...created, brandUrl: 'sivi.ai' },
			/brandUrl must be a valid HTTP\/HTTPS URL/,
		],
		[
			'a logo that is no URL',
			{ ...created, brandLogo: 'logo.png' },
			/brandLogo must be a valid HTTP\/HTTPS URL/,
		],
		[
			'an unknown industry',
			{ ...created, brandPersona: { industry: 'gaming' } },
			/Invalid industry 'gaming'/,
		],
		[
			'an unknown emotion',
			{ ...created, brandPersona: { emotions: ['innovative'] } },
			/Invalid emotion 'innovative'/,
		],
		[
			'an unknown persona field',
			{ ...created, brandPersona: { tones: ['playful'] } },
			"Unknown field 'brandPersona.tones'",
		],
		[
			'audience as a string',
			{ ...created, brandPersona: { audience: 'moms' } },
			/audience must be an array of strings/,
		],
	])('refuses %s with 422 and keeps the default', async (_name, body, message) => {
		await refused('brand/create', body, 422, message);
		expect(await ids({ isDefault: true })).toEqual(['b_default0001']);
	});

	it('accepts every documented industry and emotion', async () => {
		const { status: http } = await post('brand/create', {
			...created,
			brandPersona: {
				industry: brandCatalog.industries[brandCatalog.industries.length - 1].value,
				emotions: brandCatalog.emotions.map((emotion) => emotion.value),
			},
		});
		expect(http).toBe(200);
		expect(brandCatalog.industries).toHaveLength(66);
		expect(brandCatalog.emotions).toHaveLength(17);
	});

	it('needs the API key', async () => {
		const { status: http, json } = await post('brand/create', created, null);
		expect(http).toBe(401);
		expect(json.body.message).toBe(
			'Failed to authenticate request. Please add sivi-api-key header in request',
		);
	});
});

describe('brand/set-default and brand/archive', () => {
	it('set-default moves the default and keeps the previous default listed', async () => {
		const { json } = await post('brand/set-default', { bId: 'b_sim00000005' });
		expect(json).toEqual({
			status: 200,
			body: { message: 'Default brand updated successfully', bId: 'b_sim00000005' },
		});
		expect(await ids({ isDefault: true })).toEqual(['b_sim00000005']);
		expect(await ids()).toHaveLength(23);
	});

	it('archive hides the brand from brand/get and answers it 404 afterwards', async () => {
		const { json } = await post('brand/archive', { bId: 'b_sim00000005' });
		expect(json).toEqual({
			status: 200,
			body: { message: 'Brand archived successfully', bId: 'b_sim00000005' },
		});
		const all = await ids();
		expect(all).toHaveLength(22);
		expect(all).not.toContain('b_sim00000005');
		await refused('brand/archive', { bId: 'b_sim00000005' }, 404, 'Brand not found in workspace');
		await refused('brand/get', { bId: 'b_sim00000005' }, 404, 'Brand not found in workspace');
	});

	it('archiving the default leaves the workspace without one until set-default', async () => {
		await post('brand/archive', { bId: 'b_default0001' });
		expect(await ids({ isDefault: true })).toEqual([]);
		await post('brand/set-default', { bId: 'b_sim00000002' });
		expect(await ids({ isDefault: true })).toEqual(['b_sim00000002']);
	});

	it.each(['brand/set-default', 'brand/archive'])('%s validates strictly', async (endpoint) => {
		await refused(endpoint, {}, 422, 'bId is required');
		await refused(endpoint, { bId: 42 }, 422, 'bId must be a string');
		await refused(
			endpoint,
			{ bId: 'b_sim00000002', isDefault: true },
			422,
			"Unknown field 'isDefault'",
		);
		await refused(endpoint, { bId: 'b_unknown' }, 404, 'Brand not found in workspace');
		expect(await ids()).toHaveLength(23);
	});
});

describe('brand/update', () => {
	it('changes only the fields given and answers message, bId and brandDetail', async () => {
		const { json } = await post('brand/update', {
			bId: 'b_sim00000003',
			brandName: 'Sivi AI',
			brandColors: ['#5662EC'],
			brandPersona: { emotions: ['excited'] },
			imageGenPreference: { model: 'nano-banana:1k' },
			textGenPreference: { model: 'gemini-3-flash-preview' },
		});
		expect(json.body.message).toBe('Brand updated successfully');
		expect(json.body.bId).toBe('b_sim00000003');
		const detail = json.body.brandDetail;
		expect(detail).toMatchObject({
			bId: 'b_sim00000003',
			brandName: 'Sivi AI',
			brandDescription: 'Brand number 3 of the Sivi simulator workspace.',
			brandColors: [{ color: '#5662EC', addedBy: 'user', primary: false }],
			imageGenPreference: { model: 'nano-banana:1k' },
			textGenPreference: { model: 'gemini-3-flash-preview' },
		});
		// Persona keys are merged: industry and audience stay.
		expect(detail.brandPersona).toEqual({
			industry: 'fashion',
			emotions: ['excited'],
			audience: ['small business owners'],
			designTags: ['modern', 'clean'],
		});
		const [listed] = (await post('brand/get', { bId: 'b_sim00000003' })).json.body.brands;
		expect(listed.brandName).toBe('Sivi AI');
	});

	it.each([
		['no bId', { brandName: 'x' }, 422, 'bId is required'],
		['nothing to change', { bId: 'b_sim00000003' }, 422, 'Invalid input'],
		[
			'an unknown field',
			{ bId: 'b_sim00000003', genModePreference: {} },
			422,
			"Unknown field 'genModePreference'",
		],
		[
			'an unknown image model',
			{ bId: 'b_sim00000003', imageGenPreference: { model: 'flux-1.1-pro' } },
			422,
			/^imageGenPreference model 'flux-1.1-pro' is not supported\. Allowed: auto, flux-schnell/,
		],
		[
			'an unknown text model',
			{ bId: 'b_sim00000003', textGenPreference: { model: 'gpt-4o' } },
			422,
			/^textGenPreference model 'gpt-4o' is not supported\. Allowed: auto, gemini-3-flash-preview/,
		],
		[
			'a preference that is not an object',
			{ bId: 'b_sim00000003', imageGenPreference: 'auto' },
			422,
			'imageGenPreference must be an object',
		],
		['an unknown brand', { bId: 'b_unknown', brandName: 'x' }, 404, 'Brand not found in workspace'],
		[
			'an invalid colour (before the 404)',
			{ bId: 'b_unknown', brandColors: ['blue'] },
			422,
			/Invalid color 'blue'/,
		],
	])('refuses %s', async (_name, body, code, message) => {
		await refused('brand/update', body, code, message);
	});

	it('answers an archived brand 404', async () => {
		await post('brand/archive', { bId: 'b_sim00000004' });
		await refused(
			'brand/update',
			{ bId: 'b_sim00000004', brandName: 'x' },
			404,
			'Brand not found in workspace',
		);
	});
});

describe('brand/extract (a job)', () => {
	it('answers only a requestId, then completes with result.brandDetails read from the site', async () => {
		const { status: http, json } = await post('brand/extract', {
			brandUrl: 'https://www.acme.com/',
		});
		expect(http).toBe(200);
		expect(Object.keys(json.body)).toEqual(['requestId']);
		const answer = await finished(json.body.requestId);
		expect(answer.body.status).toBe('completed');
		expect(answer.body.requestId).toBe(json.body.requestId);
		expect(answer.body.designId).toBeUndefined();
		const details = answer.body.result.brandDetails;
		expect(details).toMatchObject({
			brandName: 'Acme',
			brandUrl: 'https://www.acme.com/',
			brandFonts: [],
		});
		expect(details.brandColors).toHaveLength(2);
		for (const color of details.brandColors) expect(color).toMatch(/^#[0-9a-f]{6}$/);
		expect(brandCatalog.industries.map((entry) => entry.value)).toContain(
			details.brandPersona.industry,
		);
		expect((await fetch(details.brandLogo)).status).toBe(200);
		// Same site, same answer; extracting creates no brand.
		const again = await finished(
			(await post('brand/extract', { brandUrl: 'https://www.acme.com/' })).json.body.requestId,
		);
		expect(again.body.result.brandDetails).toEqual(details);
		expect(await ids()).toHaveLength(23);
		expect(sim.jobs().map((job) => [job.kind, job.endpoint, job.payload])).toEqual([
			['brand', 'brand/extract', { brandUrl: 'https://www.acme.com/' }],
			['brand', 'brand/extract', { brandUrl: 'https://www.acme.com/' }],
		]);
	});

	it.each([
		['no brandUrl', {}, 'brandUrl is required'],
		[
			'a brandUrl without a scheme',
			{ brandUrl: 'acme.com' },
			'brandUrl must be a valid HTTP/HTTPS URL',
		],
		[
			'an unknown field',
			{ brandUrl: 'https://acme.com', brandName: 'x' },
			"Unknown field 'brandName'",
		],
	])('refuses %s with 422 and creates no job', async (_name, body, message) => {
		await refused('brand/extract', body, 422, message);
		expect(sim.jobs()).toEqual([]);
		expect(sim.counters().submits).toBe(0);
	});

	it('fails the job on a [sim:fail] marker like other jobs', async () => {
		const { json } = await post('brand/extract', { brandUrl: 'https://acme.com/?[sim:fail]' });
		const answer = await finished(json.body.requestId);
		expect(answer.body.status).toBe('failed');
		expect(answer.body.result).toBeNull();
	});
});

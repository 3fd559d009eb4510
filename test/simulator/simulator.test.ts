import { createHash } from 'crypto';
import { sleep } from 'n8n-workflow';

import designTypes from '../../nodes/Sivi/catalog/designTypes.json';
import designModels from '../../nodes/Sivi/catalog/designModels.json';
import imageModels from '../../nodes/Sivi/catalog/imageModels.json';
import imageSizes from '../../nodes/Sivi/catalog/imageSizes.json';
import languages from '../../nodes/Sivi/catalog/languages.json';
import contentBlocks from '../../nodes/Sivi/catalog/contentBlocks.json';
import designSettings from '../../nodes/Sivi/catalog/designSettings.json';
import limits from '../../nodes/Sivi/catalog/limits.json';
import { DEFAULT_OPTIONS, signals, startSimulator, startWebhookReceiver } from './index';
import type { Simulator, SimulatorOptions } from './index';

jest.setTimeout(20000);

// Loose JSON access keeps the many shape assertions readable.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

interface ApiResult {
	status: number;
	json: Json;
	headers: Headers;
}

const BRAND = 'b_default0001';
const RELAXED: SimulatorOptions = {
	rateLimit: { limit: 100000, windowMs: 60000 },
	jobDurationMs: 200,
};

const mediaBody = (over: Json = {}): Json => ({
	prompt: 'Flat-lay of a ceramic mug on linen',
	model: 'flux-schnell',
	dimensions: { width: 1024, height: 1024 },
	bId: BRAND,
	...over,
});

const contentBody = (over: Json = {}): Json => ({
	name: 'Spring sale banner',
	type: 'instagram',
	subtype: 'instagram-post',
	numOfVariants: 2,
	content: { title: 'Fresh styles for spring', offer: 'Save 25%', bulletlist: ['Free returns'] },
	...over,
});

const promptBody = (over: Json = {}): Json => ({
	type: 'displayAds',
	subtype: 'displayAds-inline-rectangle',
	prompt: 'Autumn coffee promo',
	numOfVariants: 1,
	...over,
});

/** Call an API endpoint under `${baseUrl}/general/`. GET sends `queryParams`. */
async function api(
	sim: Simulator,
	method: 'GET' | 'POST',
	endpoint: string,
	body?: Json,
	opts: {
		key?: string | null;
		headers?: Record<string, string>;
		rawBody?: string;
		signal?: AbortSignal;
	} = {},
): Promise<ApiResult> {
	const headers: Record<string, string> = { ...(opts.headers ?? {}) };
	const key = opts.key === undefined ? sim.apiKey : opts.key;
	if (key !== null) headers['sivi-api-key'] = key;
	let url = `${sim.baseUrl}/general/${endpoint}`;
	let payload: string | undefined;
	if (method === 'GET') {
		if (body !== undefined) url += `?queryParams=${encodeURIComponent(JSON.stringify(body))}`;
	} else {
		if (!('content-type' in headers)) headers['content-type'] = 'application/json';
		payload = opts.rawBody ?? JSON.stringify(body ?? {});
	}
	const res = await fetch(url, { method, headers, body: payload, signal: opts.signal });
	const json = (await res.json()) as Json;
	return { status: res.status, json, headers: res.headers };
}

const poll = async (sim: Simulator, requestId: string) =>
	await api(sim, 'GET', 'get-request-status', { requestId });

async function waitForStatus(
	sim: Simulator,
	requestId: string,
	wanted: string[],
	timeoutMs = 5000,
): Promise<Json> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const r = await poll(sim, requestId);
		if (wanted.includes(r.json.body.status)) return r.json.body;
		if (Date.now() > deadline)
			throw new Error(`timeout waiting for ${wanted.join('|')}; last ${JSON.stringify(r.json)}`);
		await sleep(25);
	}
}

function expectError(r: ApiResult, status: number, message: string | RegExp) {
	expect(r.status).toBe(status);
	expect(r.json.status).toBe(status);
	if (typeof message === 'string') expect(r.json.body).toEqual({ message });
	else expect(r.json.body.message).toMatch(message);
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Width/height from a JPEG's SOF0 segment (and checks SOI/EOI). */
function jpegSize(bytes: Uint8Array): { width: number; height: number } {
	expect(bytes[0]).toBe(0xff);
	expect(bytes[1]).toBe(0xd8);
	expect(bytes[bytes.length - 2]).toBe(0xff);
	expect(bytes[bytes.length - 1]).toBe(0xd9);
	let i = 2;
	while (i < bytes.length) {
		expect(bytes[i]).toBe(0xff);
		const marker = bytes[i + 1];
		const len = (bytes[i + 2] << 8) | bytes[i + 3];
		if (marker === 0xc0) {
			return {
				height: (bytes[i + 5] << 8) | bytes[i + 6],
				width: (bytes[i + 7] << 8) | bytes[i + 8],
			};
		}
		i += 2 + len;
	}
	throw new Error('no SOF0');
}

async function download(
	url: string,
): Promise<{ status: number; type: string | null; bytes: Uint8Array }> {
	const res = await fetch(url);
	return {
		status: res.status,
		type: res.headers.get('content-type'),
		bytes: new Uint8Array(await res.arrayBuffer()),
	};
}

let sim: Simulator;
const open: Simulator[] = [];
async function start(options: SimulatorOptions = {}): Promise<Simulator> {
	const s = await startSimulator({ ...RELAXED, ...options });
	open.push(s);
	return s;
}
afterEach(async () => {
	while (open.length) await open.pop()!.close();
});

// ------------------------------------------------------------------ catalog

describe('catalog JSON', () => {
	it('matches the reference tables', () => {
		expect(imageModels.map((m) => m.value)).toEqual([
			'auto',
			'flux-schnell',
			'flux-klein-4b',
			'flux-klein-9b',
			'flux-dev',
			'twinflow-z-image-turbo',
			'z-image-turbo',
			'nano-banana:1k',
			'nano-banana-2:1k',
			'nano-banana-pro:1k',
		]);
		expect(imageModels.filter((m) => m.canEnhance).map((m) => m.value)).toEqual([
			'auto',
			'flux-klein-9b',
			'nano-banana:1k',
			'nano-banana-2:1k',
			'nano-banana-pro:1k',
		]);
		expect(imageModels.filter((m) => m.premium).map((m) => m.value)).toEqual([
			'flux-dev',
			'nano-banana:1k',
			'nano-banana-2:1k',
			'nano-banana-pro:1k',
		]);
		for (const m of imageModels) {
			expect(new Set(m.sizes).size).toBe(m.sizes.length);
			for (const s of m.sizes) expect(imageSizes).toHaveProperty([s]);
			expect(m.sizes).toContain('1024x1024');
		}
		expect(imageModels.find((m) => m.value === 'flux-dev')!.sizes).toHaveLength(5);
		expect(imageModels.find((m) => m.value === 'nano-banana-pro:1k')!.sizes).toHaveLength(14);
		expect(Object.keys(imageSizes)).toHaveLength(14);
		expect(designModels).toHaveLength(13);
		expect(designModels[0].value).toBe('auto');
		expect(languages).toHaveLength(90);
		expect(new Set(languages).size).toBe(90);
		expect(languages[0]).toBe('english');
		expect(languages).toContain('scottish gaelic');
		expect(contentBlocks.text).toHaveLength(22);
		expect(Object.keys(contentBlocks.names)).toHaveLength(24);
		expect(designTypes.map((t) => t.value)).toEqual([
			'instagram',
			'facebook',
			'twitter',
			'linkedin',
			'pinterest',
			'whatsapp',
			'youtube',
			'snapchat',
			'reddit',
			'displayAds',
			'amazon',
			'website',
			'email',
			'podcast',
			'twitch',
			'custom',
		]);
		expect(designTypes.reduce((n, t) => n + t.subtypes.length, 0)).toBe(95);
		const linkedin = designTypes.find((t) => t.value === 'linkedin')!;
		expect(linkedin.subtypes.find((s) => s.value === 'linkedIn-banner')).toEqual({
			value: 'linkedIn-banner',
			name: 'LinkedIn Banner',
			width: 1584,
			height: 396,
		});
		expect(designTypes.find((t) => t.value === 'custom')!.subtypes).toEqual([
			{ value: 'custom', name: 'Custom Size' },
		]);
		expect(designSettings.imageStyle).toHaveLength(10);
		expect(designSettings.mediaTypes.screenshot.subTypes[0]).toBe('iphone');
		expect(limits.numOfVariants).toEqual({ min: 1, max: 4 });
	});
});

// ------------------------------------------------------------------ auth, routing, envelope

describe('auth and routing', () => {
	beforeEach(async () => {
		sim = await start();
	});

	it('401 without or with a wrong sivi-api-key header', async () => {
		const msg = 'Failed to authenticate request. Please add sivi-api-key header in request';
		expectError(await api(sim, 'POST', 'media/generate', mediaBody(), { key: null }), 401, msg);
		expectError(await api(sim, 'POST', 'brand/get', {}, { key: 'wrong' }), 401, msg);
		expectError(
			await api(sim, 'GET', 'get-request-status', { requestId: 'x' }, { key: '' }),
			401,
			msg,
		);
		expect(sim.counters().submits).toBe(0);
	});

	it('answers the envelope with a JSON content type', async () => {
		const res = await fetch(`${sim.baseUrl}/general/brand/get`, {
			method: 'POST',
			headers: { 'sivi-api-key': sim.apiKey, 'content-type': 'application/json' },
			body: '{}',
		});
		expect(res.headers.get('content-type')).toMatch(/^application\/json/);
		const json = (await res.json()) as Json;
		expect(json.status).toBe(200);
		expect(Object.keys(json)).toEqual(['status', 'body']);
	});

	it('404 Not found for unknown paths and wrong methods', async () => {
		expectError(await api(sim, 'POST', 'nothing-here', {}), 404, 'Not found');
		expectError(await api(sim, 'GET', 'media/generate', mediaBody()), 404, 'Not found');
		expectError(await api(sim, 'POST', 'get-request-status', { requestId: 'x' }), 404, 'Not found');
		const res = await fetch(`${sim.origin}/api/prod/v2/media/generate`, {
			method: 'POST',
			headers: { 'sivi-api-key': sim.apiKey },
		});
		expect(res.status).toBe(404);
	});

	it('422 for malformed JSON, non-JSON content type and missing queryParams', async () => {
		expectError(
			await api(sim, 'POST', 'media/generate', undefined, { rawBody: '{nope' }),
			422,
			'Invalid input',
		);
		expectError(
			await api(sim, 'POST', 'media/generate', undefined, { rawBody: '[1]' }),
			422,
			'Invalid input',
		);
		expectError(
			await api(sim, 'POST', 'media/generate', undefined, {
				rawBody: JSON.stringify(mediaBody()),
				headers: { 'content-type': 'text/plain' },
			}),
			422,
			/Invalid input/,
		);
		expectError(await api(sim, 'GET', 'get-request-status'), 422, 'Invalid input');
		expectError(await api(sim, 'GET', 'get-request-status', {}), 422, 'requestId is required');
		expectError(
			await api(sim, 'GET', 'get-request-status', { requestId: 'x', extra: 1 }),
			422,
			"Unknown field 'extra'",
		);
		expectError(
			await api(sim, 'GET', 'get-request-status', { requestId: 'missing' }),
			404,
			'Request not found',
		);
	});
});

// ------------------------------------------------------------------ media/generate validation

describe('media/generate validation', () => {
	beforeEach(async () => {
		sim = await start();
	});

	const cases: Array<[string, Json, number, string | RegExp]> = [
		[
			'singular dimension',
			{ dimension: { width: 1024, height: 1024 } },
			422,
			"Unknown field 'dimension'",
		],
		['missing prompt', { prompt: undefined }, 422, 'Prompt is required and must be a string.'],
		['empty prompt', { prompt: '  ' }, 422, 'Prompt is required and must be a string.'],
		['numeric prompt', { prompt: 42 }, 422, 'Prompt is required and must be a string.'],
		['unknown model', { model: 'invalid-model' }, 422, "Model 'invalid-model' is not supported."],
		['missing model', { model: undefined }, 422, /model is required/],
		['missing dimensions', { dimensions: undefined }, 422, /dimensions/],
		['negative width', { dimensions: { width: -1024, height: 1024 } }, 422, /positive/],
		['string width', { dimensions: { width: '1024', height: 1024 } }, 422, /positive/],
		[
			'extra key in dimensions',
			{ dimensions: { width: 1024, height: 1024, depth: 1 } },
			422,
			"Unknown field 'dimensions.depth'",
		],
		[
			'unsupported size',
			{ dimensions: { width: 1000, height: 1000 } },
			422,
			/1000x1000 are not supported/,
		],
		[
			'nano size on flux',
			{ dimensions: { width: 1264, height: 848 } },
			422,
			/not supported by model 'flux-schnell'/,
		],
		['missing bId', { bId: undefined }, 422, 'bId is required'],
		['unknown bId', { bId: 'b_nope' }, 404, 'Brand not found in workspace'],
		[
			'unknown siviAsset',
			{ model: 'nano-banana:1k', siviAssets: [{ mId: 'w_nope' }] },
			404,
			'Media not found: w_nope',
		],
		[
			'siviAssets not array',
			{ model: 'nano-banana:1k', siviAssets: { mId: 'x' } },
			422,
			/siviAssets/,
		],
		[
			'asset url not http',
			{ model: 'nano-banana:1k', assets: { photo: [{ url: 'ftp://x/y.jpg' }] } },
			422,
			/url/,
		],
		[
			'unknown asset group',
			{ model: 'nano-banana:1k', assets: { video: [{ url: 'https://x/y.mp4' }] } },
			422,
			"Unknown field 'assets.video'",
		],
		[
			'five assets',
			{
				model: 'nano-banana:1k',
				assets: { photo: [1, 2, 3, 4, 5].map((i) => ({ url: `https://example.com/${i}.jpg` })) },
			},
			422,
			/At most 4/,
		],
		[
			'enhance with generate-only model',
			{ assets: { photo: [{ url: 'https://example.com/a.jpg' }] } },
			422,
			/does not support image enhancement/,
		],
		['negativePrompt not a string', { negativePrompt: ['text'] }, 422, /negativePrompt/],
	];

	it.each(cases)('rejects %s', async (_name, over, status, message) => {
		expectError(await api(sim, 'POST', 'media/generate', mediaBody(over)), status, message);
		expect(sim.counters().submits).toBe(0);
		expect(sim.jobs()).toHaveLength(0);
	});

	it('accepts a generation and answers only requestId', async () => {
		const r = await api(
			sim,
			'POST',
			'media/generate',
			mediaBody({ negativePrompt: 'text, watermark' }),
		);
		expect(r.status).toBe(200);
		expect(Object.keys(r.json.body)).toEqual(['requestId']);
		expect(r.json.body.requestId).toMatch(/^[A-Za-z0-9]{11}$/);
	});

	it('accepts an enhancement within 4 assets on a model that can enhance, with nano sizes', async () => {
		const media = (await api(sim, 'POST', 'media/get', { limit: 1 })).json.body.media;
		const r = await api(
			sim,
			'POST',
			'media/generate',
			mediaBody({
				model: 'nano-banana:1k',
				dimensions: { width: 1548, height: 672 },
				siviAssets: [{ mId: media[0].mId }],
				assets: { photo: [1, 2, 3].map((i) => ({ url: `https://example.com/${i}.jpg` })) },
			}),
		);
		expect(r.status).toBe(200);
		expect(sim.jobs()[0]).toMatchObject({ kind: 'media', width: 1548, height: 672 });
	});
});

// ------------------------------------------------------------------ design validation

describe('design validation', () => {
	beforeEach(async () => {
		sim = await start();
	});

	const contentCases: Array<[string, Json, number, string | RegExp]> = [
		[
			'numOfVariants 5',
			{ numOfVariants: 5 },
			422,
			/numOfVariants must be an integer between 1 and 4/,
		],
		['numOfVariants 0', { numOfVariants: 0 }, 422, /numOfVariants/],
		['numOfVariants 2.5', { numOfVariants: 2.5 }, 422, /numOfVariants/],
		['numOfVariants "2"', { numOfVariants: '2' }, 422, /numOfVariants/],
		['missing numOfVariants', { numOfVariants: undefined }, 422, 'numOfVariants is required'],
		[
			'plural dimensions',
			{ dimensions: { width: 500, height: 500 } },
			422,
			"Unknown field 'dimensions'",
		],
		['prompt on content endpoint', { prompt: 'x' }, 422, "Unknown field 'prompt'"],
		['missing name', { name: undefined }, 422, /name is required/],
		['missing type', { type: undefined }, 422, 'type is required'],
		['missing subtype', { subtype: undefined }, 422, 'subtype is required'],
		['mismatched subtype', { subtype: 'facebook-ad' }, 422, 'Invalid type and subType combination'],
		[
			'wrong case subtype',
			{ type: 'linkedin', subtype: 'linkedin-ad' },
			422,
			'Invalid type and subType combination',
		],
		[
			'unknown type',
			{ type: 'socialMedia', subtype: 'instagram' },
			422,
			'Invalid type and subType combination',
		],
		[
			'custom without dimension',
			{ type: 'custom', subtype: 'custom' },
			422,
			/dimension is required/,
		],
		[
			'custom too small',
			{ type: 'custom', subtype: 'custom', dimension: { width: 149, height: 500 } },
			422,
			/between 150 and 2000/,
		],
		[
			'custom too large',
			{ type: 'custom', subtype: 'custom', dimension: { width: 500, height: 2001 } },
			422,
			/between 150 and 2000/,
		],
		[
			'dimension extra key',
			{ dimension: { width: 500, height: 500, unit: 'px' } },
			422,
			"Unknown field 'dimension.unit'",
		],
		['missing content', { content: undefined }, 422, 'content is required'],
		[
			'unknown content block',
			{ content: { title: 'x', headline: 'y' } },
			422,
			"Unknown content block 'headline'",
		],
		[
			'string block not string',
			{ content: { title: 5 } },
			422,
			"Content block 'title' must be a string",
		],
		[
			'list block not array',
			{ content: { title: 'x', bulletlist: 'a, b' } },
			422,
			"Content block 'bulletlist' must be an array of strings",
		],
		[
			'no primary text',
			{ content: { button: 'Buy', title: '' } },
			422,
			/at least one non-empty text block/,
		],
		['unknown asset group', { assets: { videos: [] } }, 422, "Unknown field 'assets.videos'"],
		[
			'image url not http',
			{ assets: { images: [{ url: 'data:image/png;base64,AA' }] } },
			422,
			/url must be an http\(s\) URL/,
		],
		[
			'imagePreference not bool',
			{ assets: { images: [{ url: 'https://e.com/a.jpg', imagePreference: { crop: 'yes' } }] } },
			422,
			/crop/,
		],
		[
			'imagePreference unknown key',
			{ assets: { images: [{ url: 'https://e.com/a.jpg', imagePreference: { zoom: true } }] } },
			422,
			/zoom/,
		],
		[
			'bad logo style',
			{ assets: { logos: [{ url: 'https://e.com/l.png', logoStyles: ['shiny'] }] } },
			422,
			/Invalid logo style 'shiny'/,
		],
		[
			'logo with imagePreference',
			{ assets: { logos: [{ url: 'https://e.com/l.png', imagePreference: { crop: true } }] } },
			422,
			/Unknown field/,
		],
		[
			'five assets incl. inspiration',
			{
				assets: {
					images: [{ url: 'https://e.com/1.jpg' }, { url: 'https://e.com/2.jpg' }],
					logos: [{ url: 'https://e.com/l.png' }],
					icons: [{ url: 'https://e.com/i.svg' }],
					inspiration: [{ url: 'https://e.com/s.jpg' }],
				},
			},
			422,
			/At most 4 assets/,
		],
		['unknown language', { language: 'klingon' }, 422, "Language 'klingon' is not supported."],
		['bad color', { colors: ['blue'] }, 422, "Invalid color 'blue' in colors"],
		['png output', { outputFormat: ['png'] }, 422, /outputFormat/],
		['jpg+png output', { outputFormat: ['jpg', 'png'] }, 422, /outputFormat/],
		['outputFormat string', { outputFormat: 'jpg' }, 422, /outputFormat/],
		['designInstructions not array', { designInstructions: 'be bold' }, 422, /designInstructions/],
		['fontGroups of 2', { fontGroups: [{}, {}] }, 422, /exactly 3/],
		[
			'settings without mode',
			{ settings: { designModel: 'auto' } },
			422,
			'settings.mode is required',
		],
		['settings bad mode', { settings: { mode: 'fancy' } }, 422, /settings.mode/],
		[
			'brand mode without currentbId',
			{ settings: { mode: 'brand' } },
			422,
			/currentbId is required/,
		],
		[
			'brand mode unknown brand',
			{ settings: { mode: 'brand', currentbId: 'b_nope' } },
			404,
			'Brand not found in workspace',
		],
		[
			'style key not array',
			{ settings: { mode: 'custom', theme: 'light' } },
			422,
			'settings.theme must be an array',
		],
		[
			'bad style value',
			{ settings: { mode: 'custom', frameStyle: ['Plain Fill'] } },
			422,
			"Invalid value 'Plain Fill' for settings.frameStyle",
		],
		[
			'bad design model',
			{ settings: { mode: 'auto', designModel: 'sivi-gen-3' } },
			422,
			"Design model 'sivi-gen-3' is not supported.",
		],
		[
			'removed genMode key',
			{ settings: { mode: 'auto', genMode: 'compose' } },
			422,
			"Unknown field 'settings.genMode'",
		],
		[
			'bad settings color',
			{ settings: { mode: 'custom', colors: ['#12345'] } },
			422,
			/Invalid color '#12345'/,
		],
	];

	it.each(contentCases)('designs-from-content rejects %s', async (_name, over, status, message) => {
		expectError(await api(sim, 'POST', 'designs-from-content', contentBody(over)), status, message);
		expect(sim.counters().submits).toBe(0);
	});

	const promptCases: Array<[string, Json, number, string | RegExp]> = [
		['missing prompt', { prompt: undefined }, 422, 'Prompt is required and must be a string.'],
		[
			'designInstructions',
			{ designInstructions: ['x'] },
			422,
			"Unknown field 'designInstructions'",
		],
		['name', { name: 'x' }, 422, "Unknown field 'name'"],
		['content', { content: { title: 'x' } }, 422, "Unknown field 'content'"],
		['numOfVariants 5', { numOfVariants: 5 }, 422, /numOfVariants/],
	];

	it.each(promptCases)('designs-from-prompt rejects %s', async (_name, over, status, message) => {
		expectError(await api(sim, 'POST', 'designs-from-prompt', promptBody(over)), status, message);
	});

	it('accepts a full documented payload and answers the documented submit body', async () => {
		const r = await api(
			sim,
			'POST',
			'designs-from-content',
			contentBody({
				type: 'linkedin',
				subtype: 'linkedIn-ad',
				dimension: { width: 1080, height: 1080 },
				numOfVariants: 4,
				assets: {
					images: [
						{
							url: 'https://example.com/p.jpg',
							imagePreference: { crop: true, removeBg: null },
							touchPosition: { left: true },
						},
					],
					logos: [{ url: 'https://example.com/l.png', logoStyles: ['direct', 'neutral'] }],
					icons: [{ url: 'https://example.com/i.svg' }],
					inspiration: [{ url: 'https://example.com/s.jpg' }],
				},
				language: 'scottish gaelic',
				colors: ['#fff', '#A1B2C3', 'rgba(0, 0, 0, 0.5)', 'rgb(10,20,30)'],
				outputFormat: ['jpg'],
				designInstructions: ['Keep it minimal'],
				settings: {
					mode: 'brand',
					currentbId: BRAND,
					designModel: 'sivi-gen-3h-preview',
					theme: ['light', 'dark'],
					frameStyle: ['bar-accent'],
					backdropStyle: ['minimalist'],
					focus: ['text'],
					imageStyle: ['cutout-with-vectors'],
					fontGroups: [
						{ id: 'f1', name: 'Inter', type: 'heading', status: 'enabled', addedBy: 'system' },
						{ id: 'f2', name: 'Inter', type: 'subHeading', status: 'enabled', addedBy: 'system' },
						{ id: 'f3', name: 'Inter', type: 'body', status: 'enabled', addedBy: 'user' },
					],
				},
			}),
		);
		expect(r.status).toBe(200);
		const b = r.json.body;
		expect(Object.keys(b)).toEqual(['queueWaitTime', 'requestId', 'designId', 'link', 'shareLink']);
		expect(b.queueWaitTime).toBe(0);
		expect(b.link).toBe(`https://instant.sivi.ai/#/design/${b.designId}`);
		expect(b.shareLink).toBe(`https://instant.sivi.ai/#/results/${b.designId}`);
		expect(sim.jobs()[0]).toMatchObject({
			kind: 'design',
			numOfVariants: 4,
			width: 1080,
			height: 1080,
		});
		// Sivi Gen-3H Preview is "2+" credits a design: at least 2 × 4, and the docs set no maximum.
		expect(sim.jobs()[0].cost).toBeGreaterThanOrEqual(8);
	});

	it('accepts custom sizes at the limits and uses them', async () => {
		const r = await api(
			sim,
			'POST',
			'designs-from-prompt',
			promptBody({ type: 'custom', subtype: 'custom', dimension: { width: 150, height: 2000 } }),
		);
		expect(r.status).toBe(200);
		expect(sim.jobs()[0]).toMatchObject({ width: 150, height: 2000 });
	});

	it('supports the GET form with queryParams for both design endpoints', async () => {
		expect((await api(sim, 'GET', 'designs-from-prompt', promptBody())).status).toBe(200);
		expect((await api(sim, 'GET', 'designs-from-content', contentBody())).status).toBe(200);
		expectError(
			await api(sim, 'GET', 'designs-from-content', contentBody({ numOfVariants: 7 })),
			422,
			/numOfVariants/,
		);
		expectError(await api(sim, 'GET', 'designs-from-prompt'), 422, 'Invalid input');
		expect(sim.counters().submits).toBe(2);
	});
});

// ------------------------------------------------------------------ lifecycle

describe('job lifecycle', () => {
	it('goes pending -> processing (progress) -> completed with the documented design shape', async () => {
		sim = await start({ jobDurationMs: 400, concurrency: 1 });
		const a = (
			await api(
				sim,
				'POST',
				'designs-from-content',
				contentBody({ type: 'facebook', subtype: 'facebook-ad', numOfVariants: 3 }),
			)
		).json.body;
		const b = (await api(sim, 'POST', 'designs-from-content', contentBody())).json.body;
		expect(b.queueWaitTime).toBeGreaterThan(300);

		const pb = (await poll(sim, b.requestId)).json.body;
		expect(pb).toMatchObject({
			status: 'pending',
			requestId: b.requestId,
			designId: b.designId,
			result: null,
		});
		expect(pb.link).toBe(b.link);
		expect(pb.shareLink).toBe(b.shareLink);
		expect(pb).not.toHaveProperty('progress');

		const pa1 = (await poll(sim, a.requestId)).json.body;
		expect(pa1.status).toBe('processing');
		expect(pa1.result).toBeNull();
		expect(Number.isInteger(pa1.progress)).toBe(true);
		await sleep(200);
		const pa2 = (await poll(sim, a.requestId)).json.body;
		expect(pa2.status).toBe('processing');
		expect(pa2.progress).toBeGreaterThan(pa1.progress);
		expect(pa2.progress).toBeLessThanOrEqual(100);

		const done = await waitForStatus(sim, a.requestId, ['completed']);
		expect(Object.keys(done)).toEqual([
			'queueWaitTime',
			'status',
			'requestId',
			'designId',
			'link',
			'shareLink',
			'result',
		]);
		const vars = done.result.variations;
		expect(vars).toHaveLength(3);
		for (const v of vars) {
			expect(v).toMatchObject({ variantWidth: 1200, variantHeight: 628, variantType: 'GENERATED' });
			expect(v.variantImageUrl).toBe(`${sim.origin}/files/${a.requestId}-${v.variantId}.jpg`);
			expect(v.variantEditLink).toBe(
				`https://instant.sivi.ai/#/variant/${v.variantId}/independent-design-editor?type=edited`,
			);
		}
		expect(vars[0].options).toHaveLength(1);
		expect(vars[0].options[0]).toMatchObject({
			variantId: `${vars[0].variantId}_1`,
			variantWidth: 1200,
			variantType: 'GENERATED',
		});
		expect(vars[1]).not.toHaveProperty('options');
		expect(new Set(vars.map((v: Json) => v.variantId)).size).toBe(3);

		// b started the moment a ended
		const jobs = sim.jobs();
		expect(jobs[1].startAt).toBe(jobs[0].endAt);
		expect((await poll(sim, b.requestId)).json.body.status).toBe('processing');
	});

	it('fails with a reason and suspends via content triggers', async () => {
		sim = await start({ jobDurationMs: 50 });
		const f = (
			await api(sim, 'POST', 'designs-from-prompt', promptBody({ prompt: 'x [sim:fail]' }))
		).json.body;
		const s = (
			await api(sim, 'POST', 'designs-from-content', contentBody({ name: 'n [sim:suspend]' }))
		).json.body;
		const m = (await api(sim, 'POST', 'media/generate', mediaBody({ prompt: 'y [sim:fail]' }))).json
			.body;
		const fb = await waitForStatus(sim, f.requestId, ['failed', 'completed']);
		expect(fb.status).toBe('failed');
		expect(fb.result).toBeNull();
		expect(fb.reason).toBe('Image url invalid');
		const sb = await waitForStatus(sim, s.requestId, ['suspended', 'completed']);
		expect(sb.status).toBe('suspended');
		expect(sb.result).toBeNull();
		const mb = await waitForStatus(sim, m.requestId, ['failed', 'completed']);
		expect(mb).toMatchObject({ status: 'failed', result: null });
		expect(typeof mb.reason).toBe('string');
	});

	it('fails / suspends / slows jobs by rate', async () => {
		sim = await start({ jobDurationMs: 50, faults: { failJobRate: 1 } });
		const a = (await api(sim, 'POST', 'media/generate', mediaBody())).json.body;
		expect((await waitForStatus(sim, a.requestId, ['failed', 'completed'])).status).toBe('failed');
		sim.setFaults({ failJobRate: 0, suspendJobRate: 1 });
		const b = (await api(sim, 'POST', 'media/generate', mediaBody())).json.body;
		expect((await waitForStatus(sim, b.requestId, ['suspended', 'completed'])).status).toBe(
			'suspended',
		);
		sim.setFaults({ suspendJobRate: 0, slowJobRate: 1, slowFactor: 8 });
		const c = (await api(sim, 'POST', 'media/generate', mediaBody())).json.body;
		const job = sim.jobs().find((j) => j.requestId === c.requestId)!;
		expect(job.slow).toBe(true);
		expect(job.endAt - job.startAt).toBe(400);
	});

	it('[sim:slow] multiplies the duration by slowFactor', async () => {
		sim = await start({ jobDurationMs: 100 });
		const r = (
			await api(sim, 'POST', 'designs-from-prompt', promptBody({ prompt: 'p [sim:slow]' }))
		).json.body;
		await sleep(200);
		expect((await poll(sim, r.requestId)).json.body.status).toBe('processing');
		const job = sim.jobs()[0];
		expect(job.endAt - job.startAt).toBe(500);
	});

	it("uses the 'complete' spelling when configured", async () => {
		sim = await start({ jobDurationMs: 30, completedSpelling: 'complete' });
		const r = (await api(sim, 'POST', 'designs-from-prompt', promptBody())).json.body;
		const body = await waitForStatus(sim, r.requestId, ['complete', 'completed']);
		expect(body.status).toBe('complete');
		expect(body.result.variations).toHaveLength(1);
		sim.setOptions({ completedSpelling: 'completed' });
		expect((await poll(sim, r.requestId)).json.body.status).toBe('completed');
	});

	it.each([
		[
			'images',
			(r: Json) => r.images[0].remoteUrl,
			(r: Json) => expect(r.images[0].mId).toMatch(/^w_sim----/),
		],
		['media', (r: Json) => r.media.url, (r: Json) => expect(r.media.mId).toMatch(/^w_sim----/)],
		[
			'variations',
			(r: Json) => r.variations[0].variantImageUrl,
			(r: Json) => expect(r.variations[0].variantWidth).toBe(1344),
		],
		[
			'raw',
			(r: Json) => r.output.file,
			(r: Json) => expect(Object.keys(r)).not.toEqual(expect.arrayContaining(['images'])),
		],
	] as Array<['images' | 'media' | 'variations' | 'raw', (r: Json) => string, (r: Json) => void]>)(
		'media result shape %s',
		async (shape, urlOf, extra) => {
			sim = await start({ jobDurationMs: 30, mediaResultShape: shape });
			const r = (
				await api(
					sim,
					'POST',
					'media/generate',
					mediaBody({ dimensions: { width: 1344, height: 768 } }),
				)
			).json.body;
			const body = await waitForStatus(sim, r.requestId, ['completed']);
			expect(Object.keys(body)).toEqual(['queueWaitTime', 'status', 'requestId', 'result']);
			const keys = Object.keys(body.result);
			expect(keys).toEqual(shape === 'raw' ? ['output'] : [shape]);
			extra(body.result);
			const url = urlOf(body.result);
			expect(url).toBe(`${sim.origin}/files/${r.requestId}-img1.jpg`);
			const file = await download(url);
			expect(file.status).toBe(200);
			expect(jpegSize(file.bytes)).toEqual({ width: 1344, height: 768 });
		},
	);
});

describe('timing signals: the friendly reading by default, the harsh ones on request', () => {
	it('maps a wait and a time share the way each option says', () => {
		expect(signals.QUEUE_WAIT_MEANINGS.map((m) => signals.queueWaitTime(m, 1500))).toEqual([
			1500, 0, 2, 3000,
		]);
		expect(signals.PROGRESS_CURVES.map((c) => signals.progress(c, 0.25))).toEqual([
			25,
			50,
			6,
			undefined,
		]);
		expect(signals.progress('ahead', 0.999)).toBe(99);
		expect(DEFAULT_OPTIONS).toMatchObject({
			queueWaitMeaning: 'remaining',
			progressCurve: 'linear',
		});
		expect(parseArgs(['--queue-wait', 'zero', '--progress', 'none'])).toEqual({
			queueWaitMeaning: 'zero',
			progressCurve: 'none',
		});
	});

	it('rejects an unknown meaning or curve', async () => {
		await expect(
			startSimulator({ queueWaitMeaning: 'minutes' as SimulatorOptions['queueWaitMeaning'] }),
		).rejects.toThrow(/queueWaitMeaning must be one of remaining, zero, seconds, overstated/);
		await expect(
			startSimulator({ progressCurve: 'random' as SimulatorOptions['progressCurve'] }),
		).rejects.toThrow(/progressCurve must be one of linear, ahead, behind, none/);
	});

	it('zero and none: a queued job says 0, a running one no progress', async () => {
		sim = await start({
			jobDurationMs: 2000,
			concurrency: 1,
			queueWaitMeaning: 'zero',
			progressCurve: 'none',
		});
		const a = (await api(sim, 'POST', 'designs-from-content', contentBody())).json.body;
		const b = (await api(sim, 'POST', 'designs-from-content', contentBody())).json.body;
		expect(b.queueWaitTime).toBe(0);
		const pending = (await poll(sim, b.requestId)).json.body;
		expect(pending).toMatchObject({ status: 'pending', queueWaitTime: 0 });
		const running = (await poll(sim, a.requestId)).json.body;
		expect(running.status).toBe('processing');
		expect(running).not.toHaveProperty('progress');
	});

	it('overstated: a job queued behind one 2 s job is said to wait more than 2 s', async () => {
		sim = await start({ jobDurationMs: 2000, concurrency: 1, queueWaitMeaning: 'overstated' });
		await api(sim, 'POST', 'designs-from-content', contentBody());
		const b = (await api(sim, 'POST', 'designs-from-content', contentBody())).json.body;
		expect(b.queueWaitTime).toBeGreaterThan(2000);
		sim.setOptions({ queueWaitMeaning: 'seconds' });
		const pending = (await poll(sim, b.requestId)).json.body;
		expect(pending.status).toBe('pending');
		expect(pending.queueWaitTime).toBeLessThanOrEqual(2);
	});
});

// ------------------------------------------------------------------ concurrency and queue

describe('concurrency and queue', () => {
	it('runs at most `concurrency` jobs, queues up to queueSize, then answers 429 queue full', async () => {
		sim = await start({ jobDurationMs: 400, concurrency: 2, queueSize: 2 });
		const ids: string[] = [];
		for (let i = 0; i < 4; i++) {
			const r = await api(sim, 'POST', 'media/generate', mediaBody());
			expect(r.status).toBe(200);
			ids.push(r.json.body.requestId);
		}
		const full = await api(sim, 'POST', 'media/generate', mediaBody());
		expectError(full, 429, 'Queue limit exceeded. Please try again later.');
		const ra = Number(full.headers.get('retry-after'));
		expect(ra).toBeGreaterThan(0);
		expect(ra).toBeLessThanOrEqual(0.4);
		const design = await api(sim, 'POST', 'designs-from-prompt', promptBody());
		expectError(design, 429, 'Queue limit exceeded. Please try again later.');

		const statuses = async () =>
			await Promise.all(ids.map(async (id) => (await poll(sim, id)).json.body.status as string));
		expect(await statuses()).toEqual(['processing', 'processing', 'pending', 'pending']);
		expect(sim.counters().submits).toBe(4);
		expect(sim.counters().submitAttempts).toBe(6);

		await waitForStatus(sim, ids[1], ['completed']);
		const now = await statuses();
		expect(now.slice(0, 2)).toEqual(['completed', 'completed']);
		expect(now.slice(2)).toEqual(['processing', 'processing']);
		const jobs = sim.jobs();
		expect(jobs[2].startAt).toBe(jobs[0].endAt);
		expect(jobs[3].startAt).toBe(jobs[1].endAt);
		// a queue place is free again
		expect((await api(sim, 'POST', 'media/generate', mediaBody())).status).toBe(200);
	});

	it('never overlaps more than `concurrency` jobs', async () => {
		sim = await start({ jobDurationMs: 100, concurrency: 3, queueSize: 20 });
		for (let i = 0; i < 10; i++)
			expect((await api(sim, 'POST', 'media/generate', mediaBody())).status).toBe(200);
		const jobs = sim.jobs();
		const events = jobs.flatMap((j) => [
			{ t: j.startAt, d: 1 },
			{ t: j.endAt, d: -1 },
		]);
		events.sort((x, y) => x.t - y.t || x.d - y.d);
		let running = 0;
		let peak = 0;
		for (const e of events) {
			running += e.d;
			peak = Math.max(peak, running);
		}
		expect(peak).toBe(3);
		// FIFO: start times are non-decreasing in submission order
		for (let i = 1; i < jobs.length; i++)
			expect(jobs[i].startAt).toBeGreaterThanOrEqual(jobs[i - 1].startAt);
	});
});

// ------------------------------------------------------------------ rate limit

describe('rate limit', () => {
	it('answers 429 with a fractional Retry-After past the window limit, not counting rejected requests', async () => {
		sim = await start({ rateLimit: { limit: 5, windowMs: 600 } });
		for (let i = 0; i < 5; i++) expect((await api(sim, 'POST', 'brand/get', {})).status).toBe(200);
		const r = await api(sim, 'POST', 'brand/get', {});
		expectError(r, 429, 'Rate limit exceeded. Please try again later.');
		const ra = r.headers.get('retry-after')!;
		expect(ra).toMatch(/^\d+(\.\d+)?$/);
		expect(Number(ra)).toBeGreaterThan(0);
		expect(Number(ra)).toBeLessThanOrEqual(0.6);
		// more rejected requests do not extend the window
		expect((await api(sim, 'GET', 'get-request-status', { requestId: 'x' })).status).toBe(429);
		expect((await api(sim, 'POST', 'media/generate', mediaBody())).status).toBe(429);
		await sleep(Number(ra) * 1000 + 30);
		expect((await api(sim, 'POST', 'brand/get', {})).status).toBe(200);
		const c = sim.counters();
		expect(c.rateLimited).toBe(3);
		expect(c.byStatus['429']).toBe(3);
		expect(c.submits).toBe(0);
		expect(c.log.map((e) => e.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429, 200]);
	});

	it('does not count image downloads or upload PUTs', async () => {
		sim = await start({ rateLimit: { limit: 2, windowMs: 60000 } });
		const media = (await api(sim, 'POST', 'media/get', { limit: 1 })).json.body.media;
		for (let i = 0; i < 5; i++) expect((await download(media[0].url)).status).toBe(200);
		expect((await api(sim, 'POST', 'brand/get', {})).status).toBe(200);
		expect((await api(sim, 'POST', 'brand/get', {})).status).toBe(429);
	});
});

// ------------------------------------------------------------------ harsh rate-limit knobs

interface RateLimiterLike {
	take(key: string, now: number): { ok: true } | { ok: false; retryAfterMs: number };
}
interface CountersLike {
	record(e: {
		t: number;
		method: string;
		path: string;
		status: number;
		headers: Record<string, string>;
		api?: boolean;
		rateLimited?: boolean;
	}): void;
	busiestWindow(o: { windowMs: number; since?: number }): {
		requests: number;
		accepted: number;
		refused: number;
		start: number | null;
	};
}
/* eslint-disable @typescript-eslint/no-require-imports */
const { RateLimiter } = require('./rateLimit') as {
	RateLimiter: new (o: {
		limit?: number;
		windowMs?: number;
		countRefused?: boolean;
	}) => RateLimiterLike;
};
const { Counters } = require('./counters') as { Counters: new () => CountersLike };
const { parseArgs, USAGE } = require('./cli') as {
	parseArgs: (argv: string[]) => Json;
	USAGE: string;
};
/* eslint-enable @typescript-eslint/no-require-imports */

const RATE_MESSAGE = 'Rate limit exceeded. Please try again later.';
const QUEUE_MESSAGE = 'Queue limit exceeded. Please try again later.';

describe('harsh rate-limit knobs', () => {
	it('defaults keep Retry-After on and refused requests uncounted; bad values are rejected', async () => {
		expect(DEFAULT_OPTIONS.rateLimit).toEqual({
			limit: 50,
			windowMs: 60000,
			retryAfterHeader: true,
			countRefused: false,
			mode: 'window',
			burst: 1,
		});
		await expect(
			startSimulator({ rateLimit: { countRefused: 'yes' as unknown as boolean } }),
		).rejects.toThrow(/countRefused must be a boolean/);
		sim = await start();
		expect(() =>
			sim.setOptions({ rateLimit: { retryAfterHeader: 0 as unknown as boolean } }),
		).toThrow(/retryAfterHeader must be a boolean/);
	});

	describe.each([true, false])('retryAfterHeader %s', (retryAfterHeader) => {
		it('rate-limit 429s carry a Retry-After header only when on', async () => {
			sim = await start({ rateLimit: { limit: 2, windowMs: 60000, retryAfterHeader } });
			for (let i = 0; i < 2; i++)
				expect((await api(sim, 'POST', 'brand/get', {})).status).toBe(200);
			for (let i = 0; i < 3; i++) {
				const r = await api(sim, 'POST', 'brand/get', {});
				expectError(r, 429, RATE_MESSAGE);
				expect(r.headers.has('retry-after')).toBe(retryAfterHeader);
			}
			expect(sim.counters().rateLimited).toBe(3);
		});

		it('queue-full 429s carry a Retry-After header only when on', async () => {
			sim = await start({
				jobDurationMs: 5000,
				concurrency: 1,
				queueSize: 1,
				rateLimit: { limit: 100000, windowMs: 60000, retryAfterHeader },
			});
			for (let i = 0; i < 2; i++)
				expect((await api(sim, 'POST', 'media/generate', mediaBody())).status).toBe(200);
			const full = await api(sim, 'POST', 'media/generate', mediaBody());
			expectError(full, 429, QUEUE_MESSAGE);
			expect(full.headers.has('retry-after')).toBe(retryAfterHeader);
			const design = await api(sim, 'POST', 'designs-from-prompt', promptBody());
			expectError(design, 429, QUEUE_MESSAGE);
			expect(design.headers.has('retry-after')).toBe(retryAfterHeader);
		});

		it('poll429Burst and 429-rate / 429-queue submit faults follow it too', async () => {
			sim = await start({ rateLimit: { limit: 100000, windowMs: 60000, retryAfterHeader } });
			const id = (await api(sim, 'POST', 'media/generate', mediaBody())).json.body.requestId;
			sim.setFaults({ poll429Burst: { count: 1, retryAfterSec: 3 } });
			const burst = await poll(sim, id);
			expectError(burst, 429, RATE_MESSAGE);
			expect(burst.headers.get('retry-after')).toBe(retryAfterHeader ? '3' : null);
			sim.setFaults({ submitFault: { kind: '429-rate', count: 1 } });
			const rate = await api(sim, 'POST', 'media/generate', mediaBody());
			expectError(rate, 429, RATE_MESSAGE);
			expect(rate.headers.has('retry-after')).toBe(retryAfterHeader);
			sim.setFaults({ submitFault: { kind: '429-queue', count: 1 } });
			const queue = await api(sim, 'POST', 'media/generate', mediaBody());
			expectError(queue, 429, QUEUE_MESSAGE);
			expect(queue.headers.has('retry-after')).toBe(retryAfterHeader);
			expect((await poll(sim, id)).status).toBe(200);
		});
	});

	it('setOptions toggles retryAfterHeader and keeps the other rateLimit settings', async () => {
		sim = await start({ rateLimit: { limit: 2, windowMs: 60000 } });
		sim.setOptions({ rateLimit: { retryAfterHeader: false } });
		for (let i = 0; i < 2; i++) expect((await api(sim, 'POST', 'brand/get', {})).status).toBe(200);
		const off = await api(sim, 'POST', 'brand/get', {});
		expectError(off, 429, RATE_MESSAGE);
		expect(off.headers.has('retry-after')).toBe(false);
		sim.setOptions({ rateLimit: { retryAfterHeader: true } });
		const on = await api(sim, 'POST', 'brand/get', {});
		expectError(on, 429, RATE_MESSAGE);
		expect(Number(on.headers.get('retry-after'))).toBeGreaterThan(0);
	});

	it('RateLimiter records a refused hit as one more hit only with countRefused', () => {
		const run = (countRefused: boolean) => {
			const rl = new RateLimiter({ limit: 3, windowMs: 300, countRefused });
			const out: Array<boolean | number> = [];
			for (const t of [0, 10, 20]) out.push(rl.take('k', t).ok);
			for (const t of [50, 100, 150, 200, 250, 320, 560]) {
				const r = rl.take('k', t);
				out.push(r.ok ? true : r.retryAfterMs);
			}
			return out;
		};
		// Without: the window holds the 3 accepted hits only; 0 expires at 300.
		expect(run(false)).toEqual([true, true, true, 250, 200, 150, 100, 50, true, true]);
		// With: every refused hit is one more timestamp in the window (e.g. at 100
		// the hits are 0,10,20,50,100, so the key is free once 20 expires: 220 ms).
		// At 320 the hits 50..250 (+320) keep it locked until 200 expires at 500;
		// at 560 only 320 is left.
		expect(run(true)).toEqual([true, true, true, 260, 220, 200, 200, 200, 180, true]);
	});

	describe.each([
		['at start', false],
		['at start', true],
		['via setOptions', false],
		['via setOptions', true],
	] as const)('countRefused set %s to %s', (how, countRefused) => {
		it('decides whether hammering a limited key extends the lockout', async () => {
			// Wide enough that one slow request on a busy 2-core machine stays inside the margins.
			const W = 2000;
			const rateLimit = { limit: 3, windowMs: W };
			if (how === 'at start') sim = await start({ rateLimit: { ...rateLimit, countRefused } });
			else {
				sim = await start({ rateLimit: { ...rateLimit, countRefused: !countRefused } });
				sim.setOptions({ rateLimit: { countRefused } });
			}
			for (let i = 0; i < 3; i++)
				expect((await api(sim, 'POST', 'brand/get', {})).status).toBe(200);
			const t1 = sim.counters().log[0].t;
			// Hammer while the first accepted hit is surely still in the window.
			const hammered: number[] = [];
			while (Date.now() < t1 + W - 700) {
				hammered.push((await api(sim, 'POST', 'brand/get', {})).status);
				await sleep(50);
			}
			expect(hammered.length).toBeGreaterThanOrEqual(3);
			expect(hammered.every((s) => s === 429)).toBe(true);
			// The first accepted hit has left the window now.
			await sleep(t1 + W + 50 - Date.now());
			const probe = await api(sim, 'POST', 'brand/get', {});
			expect(probe.status).toBe(countRefused ? 429 : 200);
			// Still a sliding window: once every recorded hit is older than W, the key is admitted.
			const log = sim.counters().log;
			await sleep(log[log.length - 1].t + W + 50 - Date.now());
			expect((await api(sim, 'POST', 'brand/get', {})).status).toBe(200);
			expect(sim.counters().rateLimited).toBe(hammered.length + (countRefused ? 1 : 0));
		});
	});

	it('busiestWindow: exact counts over a known sequence, downloads and upload PUTs excluded', async () => {
		const WB = 2500;
		sim = await start({ rateLimit: { limit: 5, windowMs: 60000 } });
		expect(sim.busiestWindow()).toEqual({ requests: 0, accepted: 0, refused: 0, start: null });
		// Phase A: 2 API requests (1 accepted, 1 queue-full 429 that is not a rate refusal).
		const tA = Date.now();
		const media = (await api(sim, 'POST', 'media/get', { limit: 1 })).json.body.media;
		sim.setFaults({ submitFault: { kind: '429-queue', count: 1 } });
		expectError(await api(sim, 'POST', 'media/generate', mediaBody()), 429, QUEUE_MESSAGE);
		// A gap no window of WB spans; phase B itself only has to fit in WB, which a busy 2-core
		// machine manages with room to spare.
		await sleep(3000);
		// Phase B: 7 API requests (2 accepted, 1 unanswered, 3 refused, 1 unauthorised)
		// plus a download and an upload PUT that must not count.
		const tB = Date.now();
		expect((await download(media[0].url)).status).toBe(200);
		const put = await fetch(`${sim.origin}/upload/no-such-token`, {
			method: 'PUT',
			headers: { 'content-type': 'image/png' },
			body: 'x',
		});
		expect(put.status).toBe(403);
		for (let i = 0; i < 2; i++) expect((await api(sim, 'POST', 'brand/get', {})).status).toBe(200);
		sim.setFaults({ pollResetRate: 1 });
		await expect(poll(sim, 'req-x')).rejects.toThrow();
		sim.setFaults({ pollResetRate: 0 });
		for (let i = 0; i < 3; i++)
			expectError(await api(sim, 'POST', 'brand/get', {}), 429, RATE_MESSAGE);
		expectError(
			await api(sim, 'POST', 'brand/get', {}, { key: 'bad' }),
			401,
			/Failed to authenticate/,
		);

		const log = sim.counters().log;
		expect(log).toHaveLength(11);
		expect(
			log.filter((e) => e.path.startsWith('/files/') || e.path.startsWith('/upload/')),
		).toHaveLength(2);
		const firstApi = (since: number) =>
			log.find((e) => e.path.startsWith('general/') && e.t >= since)!.t;
		expect(log[log.length - 1].t - firstApi(tB)).toBeLessThan(WB);

		// Default window = the limiter's 60 s: everything.
		expect(sim.busiestWindow()).toEqual({
			requests: 9,
			accepted: 3,
			refused: 3,
			start: firstApi(tA),
		});
		// A WB window cannot span the 3 s gap: phase B is the busiest.
		const phaseB = { requests: 7, accepted: 2, refused: 3, start: firstApi(tB) };
		expect(sim.busiestWindow({ windowMs: WB })).toEqual(phaseB);
		expect(sim.busiestWindow({ since: tB })).toEqual(phaseB);
		expect(sim.busiestWindow({ since: Date.now() + 1000 })).toMatchObject({ requests: 0 });
		// The default follows the limiter's current windowMs.
		sim.setOptions({ rateLimit: { windowMs: WB } });
		expect(sim.busiestWindow()).toEqual(phaseB);
		sim.resetCounters();
		expect(sim.busiestWindow()).toEqual({ requests: 0, accepted: 0, refused: 0, start: null });
	});

	it('busiestWindow uses half-open windows [start, start + windowMs), sorts by t, breaks ties early', () => {
		const c = new Counters();
		const rec = (t: number, status: number, o: { api?: boolean; rate?: boolean } = {}) =>
			c.record({
				t,
				method: 'POST',
				path: o.api === false ? '/files/a.jpg' : 'general/brand/get',
				status,
				headers: {},
				api: o.api !== false,
				rateLimited: o.rate === true,
			});
		// recorded out of arrival order on purpose
		rec(900, 200);
		rec(0, 200);
		rec(100, 429, { rate: true });
		rec(150, 200, { api: false });
		rec(151, 200, { api: false });
		rec(200, 200);
		rec(250, 0);
		rec(950, 429, { rate: true });
		rec(1000, 200);
		rec(1050, 429);
		// 4 in [0, 300) and 4 in [900, 1200): the earliest wins.
		expect(c.busiestWindow({ windowMs: 300 })).toEqual({
			requests: 4,
			accepted: 2,
			refused: 1,
			start: 0,
		});
		// [0, 250) excludes 250, so [900, 1150) with 4 wins.
		expect(c.busiestWindow({ windowMs: 250 })).toEqual({
			requests: 4,
			accepted: 2,
			refused: 1,
			start: 900,
		});
		expect(c.busiestWindow({ windowMs: 150 })).toEqual({
			requests: 3,
			accepted: 2,
			refused: 1,
			start: 900,
		});
		expect(c.busiestWindow({ windowMs: 300, since: 101 })).toEqual({
			requests: 4,
			accepted: 2,
			refused: 1,
			start: 900,
		});
		expect(c.busiestWindow({ windowMs: 1 })).toEqual({
			requests: 1,
			accepted: 1,
			refused: 0,
			start: 0,
		});
		expect(() => c.busiestWindow({ windowMs: 0 })).toThrow(/windowMs/);
	});

	it('busiestWindow matches a brute-force count on random logs', () => {
		let seed = 7;
		const rnd = () => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return seed / 2147483648;
		};
		for (let round = 0; round < 20; round++) {
			const c = new Counters();
			const rows: Array<{ t: number; status: number; api: boolean; rate: boolean }> = [];
			for (let k = 0; k < 150; k++) {
				const status = [200, 200, 429, 422, 0][Math.floor(rnd() * 5)];
				const row = {
					t: Math.floor(rnd() * 5000),
					status,
					api: rnd() < 0.85,
					rate: status === 429 && rnd() < 0.7,
				};
				rows.push(row);
				c.record({
					t: row.t,
					method: 'GET',
					path: row.api ? 'general/x' : '/files/x',
					status: row.status,
					headers: {},
					api: row.api,
					rateLimited: row.rate,
				});
			}
			const windowMs = 1 + Math.floor(rnd() * 800);
			const since = round % 2 ? Math.floor(rnd() * 2000) : undefined;
			const api = rows.filter((r) => r.api && (since === undefined || r.t >= since));
			let best = { requests: -1, accepted: 0, refused: 0, start: 0 };
			for (const s of [...new Set(api.map((r) => r.t))].sort((a, b) => a - b)) {
				const inWin = api.filter((r) => r.t >= s && r.t < s + windowMs);
				if (inWin.length > best.requests)
					best = {
						requests: inWin.length,
						accepted: inWin.filter((r) => r.status === 200).length,
						refused: inWin.filter((r) => r.rate).length,
						start: s,
					};
			}
			expect(c.busiestWindow({ windowMs, since })).toEqual(best);
		}
	});

	it('cli parses the harsh flags into simulator options', () => {
		expect(
			parseArgs([
				'--no-retry-after',
				'--count-refused',
				'--rpm',
				'10',
				'--window-ms',
				'500',
				'--concurrency',
				'2',
				'--queue',
				'3',
				'--port',
				'5999',
			]),
		).toEqual({
			port: 5999,
			concurrency: 2,
			queueSize: 3,
			rateLimit: { limit: 10, windowMs: 500, retryAfterHeader: false, countRefused: true },
		});
		expect(parseArgs([])).toEqual({});
		expect(() => parseArgs(['--rpm', 'ten'])).toThrow(/--rpm/);
		expect(() => parseArgs(['--queue'])).toThrow(/Missing value/);
		for (const flag of [
			'--no-retry-after',
			'--count-refused',
			'--rpm',
			'--window-ms',
			'--concurrency',
			'--queue',
		])
			expect(USAGE).toContain(flag);
	});
});

// ------------------------------------------------------------------ credits

describe('credits', () => {
	it('402 for designs and 429 for media once credits are exhausted', async () => {
		// Sivi Gen-2.7 costs 1 credit a design, Flux Schnell 0.03 an image (REFERENCE §7.2).
		const gen27 = { settings: { mode: 'auto', designModel: 'sivi-gen-27' } };
		sim = await start({ credits: 2.03 });
		expect(
			(await api(sim, 'POST', 'designs-from-prompt', promptBody({ numOfVariants: 2, ...gen27 })))
				.status,
		).toBe(200);
		expect(sim.credits()).toBeCloseTo(0.03);
		expectError(
			await api(sim, 'POST', 'designs-from-prompt', promptBody(gen27)),
			402,
			'Not enough credits to complete the transaction',
		);
		expect((await api(sim, 'POST', 'media/generate', mediaBody())).status).toBe(200);
		expectError(
			await api(sim, 'POST', 'media/generate', mediaBody()),
			429,
			'Insufficient credit limit',
		);
		expect(sim.credits()).toBe(0);
		expect(sim.counters().submits).toBe(2);
		expect(sim.counters().rateLimited).toBe(0);
		sim.setOptions({ credits: 3 });
		expectError(
			await api(sim, 'POST', 'designs-from-content', contentBody({ numOfVariants: 4, ...gen27 })),
			402,
			'Not enough credits to complete the transaction',
		);
		expect(
			(await api(sim, 'POST', 'designs-from-content', contentBody({ numOfVariants: 3, ...gen27 })))
				.status,
		).toBe(200);
	});
});

// ------------------------------------------------------------------ submit faults

describe('submit faults', () => {
	beforeEach(async () => {
		sim = await start();
	});

	it.each([
		['500-before-accept', 500, 'Server internal error'],
		['429-credit', 429, 'Insufficient credit limit'],
		['402', 402, 'Not enough credits to complete the transaction'],
		['429-queue', 429, 'Queue limit exceeded. Please try again later.'],
		['429-rate', 429, 'Rate limit exceeded. Please try again later.'],
	] as const)('%s answers %i without creating a job', async (kind, status, message) => {
		sim.setFaults({ submitFault: { kind, count: 2 } });
		for (let i = 0; i < 2; i++) {
			const r = await api(sim, 'POST', 'media/generate', mediaBody());
			expectError(r, status, message);
			if (kind === '429-queue' || kind === '429-rate')
				expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
			else expect(r.headers.get('retry-after')).toBeNull();
		}
		expect(sim.jobs()).toHaveLength(0);
		expect((await api(sim, 'POST', 'media/generate', mediaBody())).status).toBe(200);
		expect(sim.counters()).toMatchObject({
			submits: 1,
			submitAttempts: 3,
			rateLimited: kind === '429-rate' ? 2 : 0,
		});
	});

	it('500-after-accept creates the job, then answers 500', async () => {
		sim.setFaults({ submitFault: { kind: '500-after-accept', count: 1 } });
		expectError(
			await api(sim, 'POST', 'designs-from-prompt', promptBody()),
			500,
			'Server internal error',
		);
		expect(sim.jobs()).toHaveLength(1);
		expect(sim.jobs()[0].submitFault).toBe('500-after-accept');
		expect(sim.counters().submits).toBe(1);
		expect((await api(sim, 'POST', 'designs-from-prompt', promptBody())).status).toBe(200);
	});

	it('reset-after-accept creates the job, then destroys the socket', async () => {
		sim.setFaults({ submitFault: { kind: 'reset-after-accept' } });
		await expect(api(sim, 'POST', 'media/generate', mediaBody())).rejects.toThrow();
		expect(sim.jobs()).toHaveLength(1);
		expect(sim.counters().byStatus['0']).toBe(1);
		expect((await api(sim, 'POST', 'media/generate', mediaBody())).status).toBe(200);
	});

	it('timeout-after-accept creates the job and never answers', async () => {
		sim.setFaults({ submitFault: { kind: 'timeout-after-accept' } });
		const t0 = Date.now();
		await expect(
			api(sim, 'POST', 'media/generate', mediaBody(), { signal: AbortSignal.timeout(300) }),
		).rejects.toThrow();
		expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
		expect(sim.jobs()).toHaveLength(1);
		expect((await api(sim, 'POST', 'media/generate', mediaBody())).status).toBe(200);
	});

	it('after-accept faults do not hit invalid submits', async () => {
		sim.setFaults({ submitFault: { kind: '500-after-accept' } });
		expectError(
			await api(sim, 'POST', 'media/generate', mediaBody({ prompt: '' })),
			422,
			'Prompt is required and must be a string.',
		);
		expect((await api(sim, 'POST', 'media/generate', mediaBody())).status).toBe(500);
	});
});

// ------------------------------------------------------------------ poll faults

describe('poll faults', () => {
	let requestId: string;
	beforeEach(async () => {
		sim = await start({ jobDurationMs: 30 });
		requestId = (await api(sim, 'POST', 'media/generate', mediaBody())).json.body.requestId;
	});

	it('poll429Burst answers the next N polls with 429 and Retry-After', async () => {
		sim.setFaults({ poll429Burst: { count: 2, retryAfterSec: 3 } });
		for (let i = 0; i < 2; i++) {
			const r = await poll(sim, requestId);
			expectError(r, 429, 'Rate limit exceeded. Please try again later.');
			expect(r.headers.get('retry-after')).toBe('3');
		}
		expect((await poll(sim, requestId)).status).toBe(200);
		expect(sim.counters()).toMatchObject({ polls: 3, rateLimited: 2 });
	});

	it('pollServerErrorRate 1 answers 500', async () => {
		sim.setFaults({ pollServerErrorRate: 1 });
		expectError(await poll(sim, requestId), 500, 'Server internal error');
		sim.setFaults({ pollServerErrorRate: 0 });
		expect((await poll(sim, requestId)).status).toBe(200);
	});

	it('pollResetRate 1 destroys the socket', async () => {
		sim.setFaults({ pollResetRate: 1 });
		await expect(poll(sim, requestId)).rejects.toThrow();
		sim.setFaults({ pollResetRate: 0 });
		expect((await poll(sim, requestId)).status).toBe(200);
	});

	it('probabilistic faults are reproducible for a seed', async () => {
		const run = async (seed: number) => {
			const s = await start({ seed, faults: { pollServerErrorRate: 0.5 } });
			const id = (await api(s, 'POST', 'media/generate', mediaBody())).json.body.requestId;
			const out: number[] = [];
			for (let i = 0; i < 16; i++) out.push((await poll(s, id)).status);
			return out;
		};
		const a = await run(42);
		const b = await run(42);
		expect(a).toEqual(b);
		expect(a).toContain(500);
		expect(a).toContain(200);
	});
});

// ------------------------------------------------------------------ counters

describe('counters', () => {
	it('counts routes, statuses, submits, polls and logs requests with headers', async () => {
		sim = await start();
		await api(sim, 'POST', 'media/generate', mediaBody());
		await api(sim, 'POST', 'media/generate', mediaBody({ model: 'nope' }));
		const id = sim.jobs()[0].requestId;
		await poll(sim, id);
		await poll(sim, id);
		await api(sim, 'GET', 'designs-from-prompt', promptBody());
		await api(sim, 'POST', 'brand/get', {}, { key: 'bad' });
		const c = sim.counters();
		expect(c.byRoute).toEqual({
			'POST general/media/generate': 2,
			'GET general/get-request-status': 2,
			'GET general/designs-from-prompt': 1,
			'POST general/brand/get': 1,
		});
		expect(c.byStatus).toEqual({ '200': 4, '422': 1, '401': 1 });
		expect(c).toMatchObject({
			requests: 6,
			submits: 2,
			submitAttempts: 3,
			polls: 2,
			rateLimited: 0,
		});
		expect(c.log).toHaveLength(6);
		expect(c.log[0]).toMatchObject({ method: 'POST', path: 'general/media/generate', status: 200 });
		expect(c.log[0].headers['sivi-api-key']).toBe(sim.apiKey);
		expect(c.log[5].headers['sivi-api-key']).toBe('bad');
		expect(c.log.every((e) => typeof e.t === 'number' && e.t <= Date.now())).toBe(true);
		sim.resetCounters();
		expect(sim.counters()).toMatchObject({
			requests: 0,
			submits: 0,
			polls: 0,
			log: [],
			byRoute: {},
		});
	});
});

// ------------------------------------------------------------------ brands and media lists

describe('brand/get and media/get', () => {
	beforeEach(async () => {
		sim = await start();
	});

	it('paginates brand/get with cursors and returns documented brand objects', async () => {
		const seen: string[] = [];
		let cursor: string | null | undefined;
		const pages: number[] = [];
		do {
			const r = await api(sim, 'POST', 'brand/get', cursor ? { limit: 10, cursor } : { limit: 10 });
			expect(r.status).toBe(200);
			expect(Object.keys(r.json.body)).toEqual(['brands', 'cursor']);
			pages.push(r.json.body.brands.length);
			seen.push(...r.json.body.brands.map((b: Json) => b.bId));
			cursor = r.json.body.cursor;
		} while (cursor);
		expect(pages).toEqual([10, 10, 3]);
		expect(new Set(seen).size).toBe(23);
		expect(seen[0]).toBe(BRAND);
		const first = (await api(sim, 'POST', 'brand/get', {})).json.body;
		expect(first.brands).toHaveLength(10);
		expect(Object.keys(first.brands[0]).sort()).toEqual(
			[
				'bId',
				'brandName',
				'brandDescription',
				'brandUrl',
				'brandColors',
				'brandFonts',
				'brandPersona',
				'brandLogos',
				'brandImages',
			].sort(),
		);
		const def = (await api(sim, 'POST', 'brand/get', { isDefault: true })).json.body;
		expect(def.brands.map((b: Json) => b.bId)).toEqual([BRAND]);
		expect(def.cursor).toBeNull();
		const one = (await api(sim, 'POST', 'brand/get', { bId: seen[5] })).json.body;
		expect(one.brands.map((b: Json) => b.bId)).toEqual([seen[5]]);
	});

	it('validates brand/get', async () => {
		expectError(
			await api(sim, 'POST', 'brand/get', { bId: 'b_nope' }),
			404,
			'Brand not found in workspace',
		);
		expectError(await api(sim, 'POST', 'brand/get', { limit: 51 }), 422, /limit/);
		expectError(await api(sim, 'POST', 'brand/get', { limit: 0 }), 422, /limit/);
		expectError(await api(sim, 'POST', 'brand/get', { cursor: 'garbage' }), 422, 'Invalid cursor');
		expectError(
			await api(sim, 'POST', 'brand/get', { default: true }),
			422,
			"Unknown field 'default'",
		);
		expectError(await api(sim, 'POST', 'brand/get', { isDefault: 'yes' }), 422, /isDefault/);
	});

	it('paginates, filters and sorts media/get', async () => {
		const pages: number[] = [];
		const all: Json[] = [];
		let cursor: string | null = null;
		do {
			const body: Json = (
				await api(sim, 'POST', 'media/get', cursor ? { limit: 5, cursor } : { limit: 5 })
			).json.body;
			pages.push(body.media.length);
			all.push(...body.media);
			cursor = body.cursor;
		} while (cursor);
		expect(pages).toEqual([5, 5, 2]);
		expect(new Set(all.map((m) => m.mId)).size).toBe(12);
		for (const m of all) {
			expect(Object.keys(m)).toEqual([
				'mId',
				'bId',
				'type',
				'subType',
				'system',
				'url',
				'createdOn',
				'meta',
			]);
			expect(m.system).toBe('USER');
			expect(m.mId).toMatch(/^w_sim----[a-z]+_\d{4}\.jpeg$/);
		}
		const created = all.map((m) => m.createdOn);
		expect(created).toEqual([...created].sort((a, b) => b - a));
		const asc = (
			await api(sim, 'POST', 'media/get', { limit: 50, sort: 'ASC' })
		).json.body.media.map((m: Json) => m.mId);
		expect(asc).toEqual(all.map((m) => m.mId).reverse());
		const photos = (
			await api(sim, 'POST', 'media/get', { type: 'photo', subType: 'photograph', limit: 50 })
		).json.body.media;
		expect(photos.length).toBeGreaterThan(0);
		expect(photos.every((m: Json) => m.type === 'photo')).toBe(true);
		const byId = (await api(sim, 'POST', 'media/get', { mId: all[3].mId })).json.body.media;
		expect(byId.map((m: Json) => m.mId)).toEqual([all[3].mId]);
		const byBrand = (await api(sim, 'POST', 'media/get', { bId: BRAND, limit: 50 })).json.body
			.media;
		expect(byBrand.length).toBeGreaterThan(0);
		expect(byBrand.every((m: Json) => m.bId === BRAND)).toBe(true);
	});

	it('validates media/get', async () => {
		expectError(
			await api(sim, 'POST', 'media/get', { type: 'photo', subType: 'logo' }),
			422,
			'Invalid type and subType combination',
		);
		expectError(await api(sim, 'POST', 'media/get', { type: 'video' }), 422, /Invalid media type/);
		expectError(await api(sim, 'POST', 'media/get', { sort: 'desc' }), 422, /sort/);
		expectError(await api(sim, 'POST', 'media/get', { limit: 100 }), 422, /limit/);
		expectError(
			await api(sim, 'POST', 'media/get', { subtype: 'logo' }),
			422,
			"Unknown field 'subtype'",
		);
	});
});

// ------------------------------------------------------------------ presigned upload

describe('presigned upload flow', () => {
	beforeEach(async () => {
		sim = await start();
	});

	it('presigns, stores PUT bytes and creates media keeping the sha256', async () => {
		const p = await api(sim, 'POST', 'files/get-presigned-url', {
			type: 'photo',
			extension: 'png',
			contentType: 'image/png',
			bId: BRAND,
			expiresIn: 600,
		});
		expect(p.status).toBe(200);
		const b = p.json.body;
		expect(Object.keys(b)).toEqual(['uploadUrl', 'method', 'headers', 'expiresIn', 'fileName']);
		expect(b.uploadUrl.startsWith(`${sim.origin}/upload/`)).toBe(true);
		expect(b).toMatchObject({
			method: 'PUT',
			headers: { 'Content-Type': 'image/png' },
			expiresIn: 600,
		});
		expect(b.fileName).toMatch(/\.png$/);

		expectError(
			await api(sim, 'POST', 'media/create', { type: 'photo', uploadUrl: b.uploadUrl }),
			400,
			'Uploaded file not found in S3. Please upload the file before creating media.',
		);

		const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5]);
		const wrongType = await fetch(b.uploadUrl, {
			method: 'PUT',
			headers: { 'Content-Type': 'image/jpeg' },
			body: bytes,
		});
		expect(wrongType.status).toBe(403);
		const empty = await fetch(b.uploadUrl, {
			method: 'PUT',
			headers: { 'Content-Type': 'image/png' },
			body: new Uint8Array(0),
		});
		expect(empty.status).toBe(400);
		const put = await fetch(b.uploadUrl, {
			method: 'PUT',
			headers: { 'Content-Type': 'image/png' },
			body: bytes,
		});
		expect(put.status).toBe(200);

		const c = await api(sim, 'POST', 'media/create', {
			type: 'photo',
			uploadUrl: b.uploadUrl,
			bId: BRAND,
			imagePreference: { crop: true, removeBg: false, enhancement: null },
		});
		expect(c.status).toBe(200);
		const media = c.json.body.media;
		expect(media.mId).toMatch(/^w_sim----photo_\d{4}\.png$/);
		expect(media).toMatchObject({
			type: 'photo',
			subType: 'photograph',
			bId: BRAND,
			system: 'USER',
		});
		const rec = sim.mediaRecords().find((m) => m.mId === media.mId)!;
		expect(rec.sha256).toBe(sha(bytes));
		const served = await download(media.url);
		expect(served.type).toBe('image/png');
		expect(sha(served.bytes)).toBe(sha(bytes));
		const listed = (await api(sim, 'POST', 'media/get', { mId: media.mId })).json.body.media;
		expect(listed).toHaveLength(1);
	});

	it('validates presign and media/create', async () => {
		expectError(await api(sim, 'POST', 'files/get-presigned-url', {}), 422, 'type is required');
		expectError(
			await api(sim, 'POST', 'files/get-presigned-url', { type: 'icon' }),
			422,
			"Invalid type 'icon'",
		);
		expectError(
			await api(sim, 'POST', 'files/get-presigned-url', { type: 'photo', extension: 'exe' }),
			422,
			"Invalid extension 'exe'",
		);
		expectError(
			await api(sim, 'POST', 'files/get-presigned-url', { type: 'photo', extension: 'ttf' }),
			422,
			/not supported for type 'photo'/,
		);
		expectError(
			await api(sim, 'POST', 'files/get-presigned-url', { type: 'photo', expiresIn: 30 }),
			422,
			/expiresIn/,
		);
		expectError(
			await api(sim, 'POST', 'files/get-presigned-url', { type: 'photo', expiresIn: 3601 }),
			422,
			/expiresIn/,
		);
		const def = (await api(sim, 'POST', 'files/get-presigned-url', { type: 'logo' })).json.body;
		expect(def.headers).toEqual({ 'Content-Type': 'image/jpeg' });
		expect(def.fileName).toMatch(/\.jpeg$/);

		expectError(
			await api(sim, 'POST', 'media/create', { type: 'photo' }),
			422,
			'Either url or uploadUrl is required',
		);
		expectError(
			await api(sim, 'POST', 'media/create', {
				type: 'photo',
				url: 'https://e.com/a.jpg',
				uploadUrl: def.uploadUrl,
			}),
			422,
			/either url or uploadUrl/,
		);
		expectError(
			await api(sim, 'POST', 'media/create', { url: 'https://e.com/a.jpg' }),
			422,
			'type is required',
		);
		expectError(
			await api(sim, 'POST', 'media/create', {
				type: 'photo',
				subType: 'iphone',
				url: 'https://e.com/a.jpg',
			}),
			422,
			'Invalid type and subType combination',
		);
		expectError(
			await api(sim, 'POST', 'media/create', { type: 'photo', url: 'not a url' }),
			422,
			/url/,
		);
		expectError(
			await api(sim, 'POST', 'media/create', {
				type: 'photo',
				uploadUrl: 'https://elsewhere.example/x',
			}),
			422,
			'Invalid uploadUrl format',
		);
		expectError(
			await api(sim, 'POST', 'media/create', {
				type: 'photo',
				url: 'https://e.com/a.jpg',
				bId: 'b_nope',
			}),
			404,
			'Brand not found in workspace',
		);
		const ok = await api(sim, 'POST', 'media/create', {
			type: 'screenshot',
			url: 'https://e.com/a.webp',
		});
		expect(ok.status).toBe(200);
		expect(ok.json.body.media).toMatchObject({ type: 'screenshot', subType: 'iphone', bId: null });
		expect(ok.json.body.media.mId).toMatch(/^w_sim----screenshot_\d{4}\.webp$/);
	});
});

// ------------------------------------------------------------------ served images

describe('served images', () => {
	it('serves deterministic, distinct, valid JPEGs of the variant size only once completed', async () => {
		sim = await start({ jobDurationMs: 150 });
		const r = (
			await api(
				sim,
				'POST',
				'designs-from-content',
				contentBody({ type: 'youtube', subtype: 'youtube-thumbnail-small', numOfVariants: 2 }),
			)
		).json.body;
		const early = `${sim.origin}/files/${r.requestId}-${r.requestId}V1.jpg`;
		expect((await download(early)).status).toBe(404);
		expect(sim.servedImageSha256(early)).toBeNull();
		const body = await waitForStatus(sim, r.requestId, ['completed']);
		const urls: string[] = [
			...body.result.variations.map((v: Json) => v.variantImageUrl),
			body.result.variations[0].options[0].variantImageUrl,
		];
		expect(urls[0]).toBe(early);
		const hashes = new Set<string>();
		for (const url of urls) {
			const f = await download(url);
			expect(f.status).toBe(200);
			expect(f.type).toBe('image/jpeg');
			expect(jpegSize(f.bytes)).toEqual({ width: 640, height: 360 });
			expect(sha(f.bytes)).toBe(sim.servedImageSha256(url));
			const again = await download(url);
			expect(sha(again.bytes)).toBe(sha(f.bytes));
			hashes.add(sha(f.bytes));
		}
		expect(hashes.size).toBe(3);
		expect((await download(`${sim.origin}/files/nope.jpg`)).status).toBe(404);
		expect(sim.servedImageSha256(`${sim.origin}/files/nope.jpg`)).toBeNull();
		expect(sim.servedImageSha256('https://resources.hellosivi.com/x.jpg')).toBeNull();
		// downloads need no key and are not API requests
		expect(sim.counters().byRoute[`GET /files/${r.requestId}-${r.requestId}V1.jpg`]).toBe(3);
	});
});

// ------------------------------------------------------------------ webhooks

describe('webhooks', () => {
	type Received = { t: number; path: string; query: Record<string, string>; body: Json };

	async function receiver(status = 200) {
		const got: Received[] = [];
		const r = await startWebhookReceiver(async (req) => {
			got.push({ t: Date.now(), path: req.path, query: req.query, body: req.body as Json });
			return { status, body: { ok: true } };
		});
		receivers.push(r);
		return { ...r, got };
	}
	const receivers: Array<{ close(): Promise<void> }> = [];
	afterEach(async () => {
		while (receivers.length) await receivers.pop()!.close();
	});

	async function until(what: string, test: () => boolean, timeoutMs = 5000) {
		const deadline = Date.now() + timeoutMs;
		while (!test()) {
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await sleep(10);
		}
	}

	it('update-webhook sets one URL per key, replaces it, and cannot clear it', async () => {
		sim = await start();
		expect(sim.webhookUrl()).toBeNull();
		const ok = await api(sim, 'POST', 'update-webhook', {
			webhookUrl: 'https://a.example/hook?secret=1',
		});
		expect(ok.status).toBe(200);
		expect(ok.json).toEqual({
			status: 200,
			body: { message: 'Successfully updated the webhook URL' },
		});
		await api(sim, 'POST', 'update-webhook', { webhookUrl: 'http://127.0.0.1:9/other' });
		expect(sim.webhookUrl()).toBe('http://127.0.0.1:9/other');
		expect(sim.webhookRegistrations().map((r) => r.url)).toEqual([
			'https://a.example/hook?secret=1',
			'http://127.0.0.1:9/other',
		]);
		for (const body of [
			{},
			{ webhookUrl: '' },
			{ webhookUrl: null },
			{ webhookUrl: 'not a url' },
			{ webhookUrl: 'ftp://x/y' },
		])
			expectError(await api(sim, 'POST', 'update-webhook', body), 422, 'Invalid input');
		expectError(
			await api(sim, 'POST', 'update-webhook', { webhookUrl: 'https://a.example', extra: 1 }),
			422,
			"Unknown field 'extra'",
		);
		expectError(
			await api(sim, 'POST', 'update-webhook', { webhookUrl: 'https://a.example' }, { key: null }),
			401,
			'Failed to authenticate request. Please add sivi-api-key header in request',
		);
		expectError(
			await api(sim, 'GET', 'update-webhook', { webhookUrl: 'https://a.example' }),
			404,
			'Not found',
		);
		expect(sim.webhookUrl()).toBe('http://127.0.0.1:9/other');
		expect(sim.counters().byRoute['POST general/update-webhook']).toBe(9);
	});

	it('with no URL set, nothing is scheduled or sent', async () => {
		sim = await start({ jobDurationMs: 50 });
		const id = (await api(sim, 'POST', 'media/generate', mediaBody())).json.body.requestId;
		expect(sim.webhookPending()).toBe(0);
		await waitForStatus(sim, id, ['completed']);
		await sleep(30);
		expect(sim.webhookDeliveries()).toEqual([]);
	});

	it('POSTs the status envelope of each job at its end to the URL set then', async () => {
		sim = await start({ jobDurationMs: 150, completedSpelling: 'complete' });
		const rx = await receiver();
		await api(sim, 'POST', 'update-webhook', { webhookUrl: `${rx.origin}/hook?secret=s1` });
		const media = (await api(sim, 'POST', 'media/generate', mediaBody())).json.body.requestId;
		const design = (await api(sim, 'POST', 'designs-from-prompt', promptBody({ numOfVariants: 2 })))
			.json.body.requestId;
		const failed = (await api(sim, 'POST', 'media/generate', mediaBody({ prompt: 'x [sim:fail]' })))
			.json.body.requestId;
		expect(sim.webhookPending()).toBe(3);
		await until('3 deliveries', () => rx.got.length === 3 && sim.webhookPending() === 0);
		for (const id of [media, design, failed]) {
			const got = rx.got.find((g) => g.body.body.requestId === id)!;
			expect(got.path).toBe('/hook');
			expect(got.query).toEqual({ secret: 's1' });
			const job = sim.jobs().find((j) => j.requestId === id)!;
			expect(got.t).toBeGreaterThanOrEqual(job.endAt);
			// The same envelope get-request-status answers for the finished job.
			expect(got.body).toEqual((await poll(sim, id)).json);
		}
		expect(rx.got.find((g) => g.body.body.requestId === media)!.body.body.status).toBe('complete');
		expect(rx.got.find((g) => g.body.body.requestId === failed)!.body.body).toMatchObject({
			status: 'failed',
			reason: 'Image url invalid',
			result: null,
		});
		expect(sim.webhookDeliveries().map((d) => [d.kind, d.status])).toEqual([
			['event', 200],
			['event', 200],
			['event', 200],
		]);
	});

	it('schedules jobs already running when a URL is first set, and follows a replaced URL', async () => {
		sim = await start({ jobDurationMs: 200 });
		const a = await receiver();
		const b = await receiver();
		const id = (await api(sim, 'POST', 'media/generate', mediaBody())).json.body.requestId;
		await api(sim, 'POST', 'update-webhook', { webhookUrl: `${a.origin}/a` });
		await api(sim, 'POST', 'update-webhook', { webhookUrl: `${b.origin}/b` });
		await until('delivery', () => b.got.length === 1);
		expect(a.got).toHaveLength(0);
		expect(b.got[0].body.body.requestId).toBe(id);
	});

	it('knobs: lost, duplicated and spoofed deliveries; processing events; delay', async () => {
		sim = await start({ jobDurationMs: 100, faults: { webhook: { duplicate: 1 } } });
		const rx = await receiver();
		await api(sim, 'POST', 'update-webhook', { webhookUrl: `${rx.origin}/h` });
		sim.setFaults({ webhook: { lose: 1, spoof: 1 } });
		expect(sim.webhookFaults()).toEqual({
			lose: 1,
			duplicate: 1,
			spoof: 1,
			statusEvents: false,
			delayMs: 0,
		});
		const first = (await api(sim, 'POST', 'media/generate', mediaBody())).json.body.requestId;
		await until('first', () => sim.webhookPending() === 0 && sim.webhookDeliveries().length === 2);
		// Lost (not sent), but the spoof went out: a made-up requestId claiming a finished job.
		expect(sim.webhookDeliveries().map((d) => d.kind)).toEqual(['lost', 'spoof']);
		expect(rx.got).toHaveLength(1);
		const spoofed = rx.got[0].body.body;
		expect(spoofed.status).toBe('completed');
		expect(spoofed.requestId).not.toBe(first);
		expectError(await poll(sim, spoofed.requestId), 404, 'Request not found');

		const second = (await api(sim, 'POST', 'media/generate', mediaBody())).json.body.requestId;
		await until('second', () => rx.got.length === 3 && sim.webhookPending() === 0);
		expect(rx.got.slice(1).map((g) => g.body.body.requestId)).toEqual([second, second]);
		expect(
			sim
				.webhookDeliveries()
				.slice(2)
				.map((d) => d.kind)
				.sort(),
		).toEqual(['duplicate', 'event']);
		expect(sim.webhookFaults()).toMatchObject({ lose: 0, duplicate: 0, spoof: 0 });

		sim.setOptions({ faults: { webhook: { statusEvents: true, delayMs: 100 } }, queueSize: 10 });
		await api(sim, 'POST', 'media/generate', mediaBody());
		const third = (await api(sim, 'POST', 'media/generate', mediaBody())).json.body.requestId;
		await until('third', () =>
			rx.got.some((g) => g.body.body.requestId === third && g.body.body.status === 'completed'),
		);
		const events = rx.got
			.filter((g) => g.body.body.requestId === third)
			.map((g) => g.body.body.status);
		expect(events).toEqual(['processing', 'completed']);
		const job = sim.jobs().find((j) => j.requestId === third)!;
		expect(
			rx.got.find((g) => g.body.body.requestId === third && g.body.body.status === 'completed')!.t,
		).toBeGreaterThanOrEqual(job.endAt + 100);
		expect(() => sim.setFaults({ webhook: { lose: -1 } })).toThrow(
			'webhook.lose must be a whole number >= 0',
		);
		expect(() => sim.setFaults({ webhook: { nope: 1 } as never })).toThrow(
			"Unknown webhook fault 'nope'",
		);
	});

	it('sendWebhook POSTs anything to the registered or a given loopback URL, and records the answer', async () => {
		sim = await start();
		const rx = await receiver(401);
		await expect(sim.sendWebhook({})).rejects.toThrow('no webhook URL');
		await api(sim, 'POST', 'update-webhook', { webhookUrl: `${rx.origin}/h?secret=x` });
		expect(
			await sim.sendWebhook({ status: 200, body: { requestId: 'R', status: 'completed' } }),
		).toEqual({
			status: 401,
			body: { ok: true },
		});
		await sim.sendWebhook(undefined, { url: `${rx.origin}/raw`, rawBody: 'not json' });
		expect(rx.got.map((g) => g.path)).toEqual(['/h', '/raw']);
		expect(await sim.sendWebhook({}, { url: 'https://example.com/x' })).toEqual({
			status: -1,
			body: null,
		});
		expect(sim.webhookDeliveries().map((d) => [d.kind, d.status])).toEqual([
			['manual', 401],
			['manual', 401],
			['manual', -1],
		]);
	});

	it('close() clears pending deliveries', async () => {
		sim = await start({ jobDurationMs: 60000 });
		const rx = await receiver();
		await api(sim, 'POST', 'update-webhook', { webhookUrl: `${rx.origin}/h` });
		await api(sim, 'POST', 'media/generate', mediaBody());
		expect(sim.webhookPending()).toBe(1);
		await sim.close();
		expect(sim.webhookPending()).toBe(0);
		open.splice(open.indexOf(sim), 1);
	});
});

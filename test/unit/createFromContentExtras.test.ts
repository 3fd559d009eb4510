// Create From Content beyond field values, through n8n-core against the simulator: content blocks
// as one object (Content (JSON)), binary images and logos (uploaded, then placed), the three fonts
// (resolved from font/get), catalog values given by ID (shape checked here, Sivi's 422 decides),
// and the End-User ID on every design and media operation that takes it.
import { createHash } from 'crypto';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	contentParams,
	executeNode,
	mediaParams,
	promptParams,
	runNode,
	type NodeParams,
	type RecordedRequest,
} from '../helpers/n8nEngine';
import { callsTo, nodeOn, rl as byId, useSimulator } from '../helpers/simulatorCalls';

const sim = useSimulator(
	{ jobDurationMs: 80, rateLimit: { limit: 100_000, windowMs: 60_000 } },
	'all',
);
const node = nodeOn(sim);

const submitOf = (requests: RecordedRequest[]) =>
	callsTo(requests, 'designs-from-content')[0]?.body as IDataObject | undefined;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Content blocks of Create From Content from the JSON field only. */
const fromJson = (contentJson: unknown, overrides: NodeParams = {}) =>
	contentParams({
		title: '',
		content: {},
		contentJson,
		numOfVariants: 1,
		waitForCompletion: false,
		...overrides,
	});

async function expectRefused(params: NodeParams, message: RegExp, item?: INodeExecutionData) {
	const run = await executeNode(node(params, { items: [item ?? { json: {} }] }));
	expect(run.status).toBe('error');
	expect(run.error).toMatchObject({ name: 'NodeOperationError', context: { itemIndex: 0 } });
	expect(run.error?.message).toMatch(message);
	expect(run.requests).toHaveLength(0);
	expect(sim.counters().requests).toBe(0);
}

// ------------------------------------------------------------------------ Content (JSON)

describe('Content (JSON)', () => {
	it('takes the blocks of an object; Title and the Content fields override them', async () => {
		const { requests } = await executeNode(
			node(
				contentParams({
					contentJson: '={{ $json.copy }}',
					title: 'Field title',
					content: { button: 'Go' },
					numOfVariants: 1,
					waitForCompletion: false,
				}),
				{
					items: [
						{
							json: {
								copy: {
									title: 'JSON title',
									offer: 'JSON offer',
									button: 'JSON button',
									bulletlist: ['One', 'Two'],
									phone: 5551234,
									caption: null,
								},
							},
						},
					],
				},
			),
		);
		expect(submitOf(requests)!.content).toEqual({
			title: 'Field title',
			offer: 'JSON offer',
			button: 'Go',
			bulletlist: ['One', 'Two'],
			phone: '5551234',
		});
	});

	it('takes JSON text, and a list block written as lines', async () => {
		const { requests } = await executeNode(
			node(fromJson(JSON.stringify({ title: 'Fresh styles', numberedlist: 'First\nSecond\n' }))),
		);
		expect(submitOf(requests)!.content).toEqual({
			title: 'Fresh styles',
			numberedlist: ['First', 'Second'],
		});
	});

	it.each<[string, unknown, RegExp]>([
		[
			'an unknown block',
			'={{ { title: "Hi", headline: "Big" } }}',
			/Content \(JSON\) has an unknown content block "headline" \(known blocks: title, supertext/,
		],
		[
			'a text block that is a list',
			'={{ { title: ["a", "b"] } }}',
			/Content \(JSON\) → title must be text \(got a list\)/,
		],
		[
			'a list block of objects',
			'={{ { title: "Hi", bulletlist: [{ text: "a" }] } }}',
			/Content \(JSON\) → bulletlist must be a list of text lines/,
		],
		[
			'a list instead of an object',
			'={{ ["Hi"] }}',
			/Content \(JSON\) must be an object of content blocks.*\(got a list\)/,
		],
		['text that is no JSON', '{ title: Hi', /Content \(JSON\) is not valid JSON/],
		[
			'a block of 20 000 characters',
			`={{ { title: "${'x'.repeat(20_000)}" } }}`,
			/Content \(JSON\) → title must be at most 5000 characters/,
		],
		[
			'only blocks that are no main text',
			'={{ { offer: "Save 25%" } }}',
			/^Content needs at least one of Title/,
		],
	])('refuses %s, naming the field, before any request', async (_name, contentJson, message) => {
		await expectRefused(fromJson(contentJson), message);
	});

	it('names every bad block at once', async () => {
		const run = await executeNode(node(fromJson('={{ { title: 1, headline: "x", quote: "y" } }}')));
		const problems = run.error!.message.split('; ');
		expect(problems).toHaveLength(2);
		expect(problems[0]).toMatch(/^Content \(JSON\) has an unknown content block "headline"/);
		expect(problems[1]).toMatch(/^Content \(JSON\) has an unknown content block "quote"/);
		expect(run.error?.description).toMatch(/Nothing was sent to Sivi.*2 problems/);
		expect(run.requests).toHaveLength(0);
	});
});

// ------------------------------------------------------------------------ binary images and logos

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
const binaryFile = (bytes: Buffer, mimeType: string, fileName: string) => ({
	data: bytes.toString('base64'),
	mimeType,
	fileName,
});
const withFiles = (files: IDataObject): INodeExecutionData => ({
	json: {},
	binary: files as INodeExecutionData['binary'],
});

describe('binary images and logos', () => {
	it('uploads them (photo, logo), then places them by their media URLs', async () => {
		const item = withFiles({
			photo: binaryFile(PNG, 'image/png', 'product.png'),
			logo: binaryFile(SVG, 'image/svg+xml', 'logo.svg'),
		});
		const run = await executeNode(
			node(
				contentParams({
					numOfVariants: 1,
					assets: { images: [{ url: 'https://example.com/hero.jpg' }] },
					imageBinaryFields: 'photo',
					logoBinaryFields: 'logo',
				}),
				{ items: [item] },
			),
		);
		expect(run.status).toBe('success');
		expect(run.output[0].json.status).toBe('completed');
		const paths = run.requests.map(
			(request) => `${request.method} ${new URL(request.url).pathname}`,
		);
		expect(paths.slice(0, 7)).toEqual([
			'POST /api/prod/v2/general/files/get-presigned-url',
			expect.stringMatching(/^PUT \/upload\//),
			'POST /api/prod/v2/general/media/create',
			'POST /api/prod/v2/general/files/get-presigned-url',
			expect.stringMatching(/^PUT \/upload\//),
			'POST /api/prod/v2/general/media/create',
			'POST /api/prod/v2/general/designs-from-content',
		]);
		const presigns = callsTo(run.requests, 'files/get-presigned-url').map(
			(request) => request.body,
		);
		expect(presigns).toEqual([
			{ type: 'photo', extension: 'png', contentType: 'image/png' },
			{ type: 'logo', extension: 'svg', contentType: 'image/svg+xml' },
		]);
		const creates = callsTo(run.requests, 'media/create').map(
			(request) => request.body as IDataObject,
		);
		expect(creates.map(({ type }) => type)).toEqual(['photo', 'logo']);
		const records = sim.mediaRecords();
		const photo = records.find((record) => record.sha256 === sha256(PNG))!;
		const logo = records.find((record) => record.sha256 === sha256(SVG))!;
		expect([photo.type, logo.type]).toEqual(['photo', 'logo']);
		expect(submitOf(run.requests)!.assets).toEqual({
			images: [{ url: 'https://example.com/hero.jpg' }, { url: photo.url }],
			logos: [{ url: logo.url }],
		});
		expect(submitOf(run.requests)!.siviAssets).toBeUndefined();
	});

	it('uploads into the design brand and for the End-User ID', async () => {
		const run = await executeNode(
			node(
				contentParams({
					numOfVariants: 1,
					designMode: 'brand',
					brandId: { __rl: true, mode: 'id', value: 'b_sim00000002' },
					imageBinaryFields: 'data',
					additionalFields: { abstractUserId: 'customer-4711' },
					waitForCompletion: false,
				}),
				{ items: [withFiles({ data: binaryFile(PNG, 'image/png', 'a.png') })] },
			),
		);
		expect(callsTo(run.requests, 'files/get-presigned-url')[0].body).toEqual({
			type: 'photo',
			extension: 'png',
			contentType: 'image/png',
			bId: 'b_sim00000002',
			abstractUserId: 'customer-4711',
		});
		expect(callsTo(run.requests, 'media/create')[0].body).toMatchObject({
			type: 'photo',
			bId: 'b_sim00000002',
			abstractUserId: 'customer-4711',
		});
		expect(submitOf(run.requests)).toMatchObject({ abstractUserId: 'customer-4711' });
	});

	it.each<[string, NodeParams, INodeExecutionData, RegExp]>([
		[
			'an image field the item does not have',
			{ imageBinaryFields: 'photo, hero' },
			withFiles({ photo: binaryFile(PNG, 'image/png', 'a.png') }),
			/^Image Binary Fields: the item has no binary field "hero"/,
		],
		[
			'an SVG as image',
			{ imageBinaryFields: 'photo' },
			withFiles({ photo: binaryFile(SVG, 'image/svg+xml', 'a.svg') }),
			/^Image Binary Fields: "photo" is image\/svg\+xml, a\.svg; Sivi accepts jpg, jpeg, png, webp files as images/,
		],
		[
			'a PDF as logo',
			{ logoBinaryFields: 'logo' },
			withFiles({ logo: binaryFile(PNG, 'application/pdf', 'brochure.pdf') }),
			/^Logo Binary Fields: "logo" is application\/pdf, brochure\.pdf; Sivi accepts jpeg, png, svg, webp files as logos/,
		],
		[
			'five assets with the binary ones',
			{
				assets: {
					images: [1, 2, 3].map((n) => ({ url: `https://example.com/${n}.jpg` })),
				},
				imageBinaryFields: 'a',
				logoBinaryFields: 'b',
			},
			withFiles({
				a: binaryFile(PNG, 'image/png', 'a.png'),
				b: binaryFile(PNG, 'image/png', 'b.png'),
			}),
			/^Assets must hold at most 4 assets in total/,
		],
	])('refuses %s before any request or upload', async (_name, overrides, item, message) => {
		await expectRefused(contentParams({ numOfVariants: 1, ...overrides }), message, item);
	});
});

// ------------------------------------------------------------------------ fonts

async function simApi(path: string, body: IDataObject): Promise<IDataObject> {
	const res = await fetch(`${sim.baseUrl}/general/${path}`, {
		method: 'POST',
		headers: { 'sivi-api-key': sim.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	return ((await res.json()) as { body: IDataObject }).body;
}

/** Uploads a font straight to the simulator (as Font → Upload would) and returns it. */
async function uploadedFont(): Promise<{ id: string; name: string }> {
	const presigned = await simApi('files/get-presigned-url', { type: 'font', extension: 'ttf' });
	await fetch(String(presigned.uploadUrl), {
		method: 'PUT',
		headers: presigned.headers as Record<string, string>,
		body: Buffer.from([0, 1, 0, 0, 1, 2, 3, 4]),
	});
	const { requestId } = await simApi('font/create', { uploadedURL: presigned.uploadUrl });
	for (let i = 0; i < 200; i++) {
		const res = await fetch(
			`${sim.baseUrl}/general/get-request-status?queryParams=${encodeURIComponent(JSON.stringify({ requestId }))}`,
			{ headers: { 'sivi-api-key': sim.apiKey } },
		);
		const status = ((await res.json()) as { body: IDataObject }).body;
		if (status.status === 'completed') {
			const [font] = (status.result as { data: Array<{ id: string; name: string }> }).data;
			return font;
		}
		await sleep(20);
	}
	throw new Error('font upload did not finish');
}

const fromList = (value: string, cachedResultName: string) => ({
	__rl: true,
	mode: 'list',
	value,
	cachedResultName,
});

describe('Fonts', () => {
	let userFont: { id: string; name: string };
	beforeAll(async () => {
		userFont = await uploadedFont();
	});

	const withFonts = (fonts: IDataObject, overrides: NodeParams = {}) =>
		contentParams({
			numOfVariants: 1,
			designMode: 'custom',
			fonts: { fonts },
			waitForCompletion: false,
			...overrides,
		});

	it('sends Sivi the three font groups with names and sources looked up in font/get', async () => {
		const run = await executeNode(
			node(
				withFonts({
					headingFont: fromList('f_sys0028', 'Roboto'),
					subHeadingFont: byId('f_sys0026'),
					bodyFont: byId(userFont.id),
				}),
			),
		);
		expect(run.status).toBe('success');
		expect(submitOf(run.requests)!.settings).toEqual({
			mode: 'custom',
			designModel: 'auto',
			fontGroups: [
				{ id: 'f_sys0028', name: 'Roboto', type: 'heading', status: 'enabled', addedBy: 'system' },
				{
					id: 'f_sys0026',
					name: 'Raleway',
					type: 'subHeading',
					status: 'enabled',
					addedBy: 'system',
				},
				{ id: userFont.id, name: userFont.name, type: 'body', status: 'enabled', addedBy: 'user' },
			],
		});
		// Roboto by its listed name (user, then system); the others page through each source.
		expect(callsTo(run.requests, 'font/get').map((request) => request.body)).toEqual([
			{ source: 'user', name: 'Roboto', limit: 100 },
			{ source: 'system', name: 'Roboto', limit: 100 },
			{ source: 'user', limit: 100 },
			{ source: 'system', limit: 100 },
			{ source: 'user', limit: 100 },
		]);
		expect(sim.counters().submits).toBe(1);
	});

	it('looks each font up once for all items of a run (and the next run)', async () => {
		const fonts = {
			headingFont: fromList('f_sys0028', 'Roboto'),
			subHeadingFont: fromList('f_sys0017', 'Merriweather'),
			bodyFont: fromList('f_sys0013', 'Lato'),
		};
		const items = [{ json: {} }, { json: {} }, { json: {} }];
		const first = await executeNode(node(withFonts(fonts), { items }));
		expect(callsTo(first.requests, 'font/get')).toHaveLength(6);
		expect(sim.counters().submits).toBe(3);
		const second = await executeNode(node(withFonts(fonts)));
		expect(callsTo(second.requests, 'font/get')).toHaveLength(0);
		expect((submitOf(second.requests)!.settings as IDataObject).fontGroups).toEqual([
			{ id: 'f_sys0028', name: 'Roboto', type: 'heading', status: 'enabled', addedBy: 'system' },
			{
				id: 'f_sys0017',
				name: 'Merriweather',
				type: 'subHeading',
				status: 'enabled',
				addedBy: 'system',
			},
			{ id: 'f_sys0013', name: 'Lato', type: 'body', status: 'enabled', addedBy: 'system' },
		]);
	});

	it("finds a font whose listed name is out of date by its ID, with Sivi's name", async () => {
		const run = await executeNode(
			node(
				withFonts({
					headingFont: fromList('f_sys0018', 'Merriweather'),
					subHeadingFont: fromList('f_sys0018', 'Merriweather'),
					bodyFont: fromList('f_sys0018', 'Merriweather'),
				}),
			),
		);
		const groups = (submitOf(run.requests)!.settings as IDataObject).fontGroups as IDataObject[];
		expect(groups.map((group) => [group.id, group.name, group.addedBy])).toEqual([
			['f_sys0018', 'Montserrat', 'system'],
			['f_sys0018', 'Montserrat', 'system'],
			['f_sys0018', 'Montserrat', 'system'],
		]);
	});

	it('carries the End-User ID into the font lookups', async () => {
		const run = await executeNode(
			node(
				withFonts(
					{
						headingFont: fromList('f_sys0028', 'Roboto'),
						subHeadingFont: fromList('f_sys0028', 'Roboto'),
						bodyFont: fromList('f_sys0028', 'Roboto'),
					},
					{ additionalFields: { abstractUserId: 'customer-4711' } },
				),
			),
		);
		const lookups = callsTo(run.requests, 'font/get').map((request) => request.body);
		expect(lookups.length).toBeGreaterThan(0);
		for (const body of lookups) expect(body).toMatchObject({ abstractUserId: 'customer-4711' });
	});

	it.each<[string, IDataObject, RegExp]>([
		[
			'only two fonts',
			{ headingFont: byId('f_sys0028'), subHeadingFont: byId('f_sys0026') },
			/^Fonts need all three fonts, Heading Font, Subheading Font and Body Font, or none \(missing: Body Font\)/,
		],
		[
			'one font, the others left empty',
			{ headingFont: byId('f_sys0028'), subHeadingFont: byId(''), bodyFont: fromList('', '') },
			/\(missing: Subheading Font, Body Font\)/,
		],
	])('refuses %s before any request', async (_name, fonts, message) => {
		await expectRefused(withFonts(fonts), message);
	});

	it('sends no fonts when none is chosen', async () => {
		const run = await executeNode(node(withFonts({ headingFont: byId('') })));
		expect((submitOf(run.requests)!.settings as IDataObject).fontGroups).toBeUndefined();
		expect(callsTo(run.requests, 'font/get')).toHaveLength(0);
	});

	it('fails the item, submitting nothing, for a font Sivi does not have', async () => {
		const run = await executeNode(
			node(
				withFonts({
					headingFont: byId('f_nope'),
					subHeadingFont: byId('f_sys0026'),
					bodyFont: byId('f_sys0026'),
				}),
				{ continueOnFail: true },
			),
		);
		expect(run.output[0].json.error).toBe('Heading Font: Sivi has no font with ID "f_nope"');
		expect(sim.counters().submitAttempts).toBe(0);
		expect(callsTo(run.requests, 'font/get').length).toBeGreaterThan(0);
	});
});

// ------------------------------------------------------------------------ catalog values by ID

describe('catalog values given by ID', () => {
	it.each<[string, NodeParams, string, IDataObject]>([
		[
			'Create From Content: design type and size',
			contentParams({
				designType: '={{ "tiktok" }}',
				subtype: '={{ "tiktok-post" }}',
				numOfVariants: 1,
			}),
			'Invalid type and subType combination',
			{ type: 'tiktok', subtype: 'tiktok-post' },
		],
		[
			'Create From Content: language',
			contentParams({ language: '={{ "klingon" }}', numOfVariants: 1 }),
			"Language 'klingon' is not supported.",
			{ language: 'klingon' },
		],
		[
			'Create From Prompt: design model',
			promptParams({ designModel: '={{ "sivi-gen-4-preview" }}' }),
			"Design model 'sivi-gen-4-preview' is not supported.",
			{ settings: { mode: 'auto', designModel: 'sivi-gen-4-preview' } },
		],
		[
			'Generate Media: model',
			mediaParams({ model: '={{ "flux-3:2k" }}' }),
			"Model 'flux-3:2k' is not supported.",
			{ model: 'flux-3:2k' },
		],
		[
			'Generate Media: a size the model lacks',
			mediaParams({ model: 'flux-schnell', dimensions: '={{ "2048x2048" }}' }),
			"Dimensions 2048x2048 are not supported by model 'flux-schnell'.",
			{ dimensions: { width: 2048, height: 2048 } },
		],
	])(
		'%s: sent as given; Sivi refuses it with a 422 that costs nothing',
		async (_n, params, said, sent) => {
			const credits = sim.credits();
			const run = await executeNode(node(params, { continueOnFail: true }));
			const submit = run.requests.find((request) =>
				/\/general\/(designs-from-(content|prompt)|media\/generate)$/.test(request.url),
			)!;
			expect(submit.body).toMatchObject(sent);
			expect(run.output[0].json.error).toBe(`Sivi refused the input: ${said}`);
			expect(run.output[0].json.httpCode).toBe('422');
			expect(sim.counters().submits).toBe(0);
			expect(sim.credits()).toBe(credits);
		},
	);

	it('a listed value given by ID works like the list', async () => {
		const [item] = await runNode(
			node(
				promptParams({
					designType: '={{ "instagram" }}',
					subtype: '={{ "instagram-post" }}',
					language: '={{ "scottish gaelic" }}',
					designModel: '={{ "sivi-gen-27" }}',
				}),
			),
		);
		expect(item.json.status).toBe('completed');
		expect(sim.jobs().pop()!.payload).toMatchObject({
			type: 'instagram',
			subtype: 'instagram-post',
			language: 'scottish gaelic',
			settings: { designModel: 'sivi-gen-27' },
		});
	});
});

// ------------------------------------------------------------------------ End-User ID

describe('End-User ID (abstractUserId)', () => {
	it.each([
		['Create From Content', contentParams({ numOfVariants: 1 }), 'designs-from-content'],
		['Create From Prompt', promptParams(), 'designs-from-prompt'],
	])('%s sends it and checks the status as that end user', async (_name, params, path) => {
		const run = await executeNode(
			node({ ...params, additionalFields: { abstractUserId: 'customer-4711' } }),
		);
		expect(run.output[0].json.status).toBe('completed');
		expect(callsTo(run.requests, path)[0].body).toMatchObject({ abstractUserId: 'customer-4711' });
		const polls = callsTo(run.requests, 'get-request-status');
		expect(polls.length).toBeGreaterThan(0);
		for (const poll of polls)
			expect(JSON.parse(new URL(poll.url).searchParams.get('queryParams')!)).toMatchObject({
				abstractUserId: 'customer-4711',
			});
	});

	it("Generate Media looks up that end user's default brand, uploads as them, and keeps their brand apart", async () => {
		const unbranded = {
			brandId: { __rl: true, mode: 'list', value: '' },
			waitForCompletion: false,
		};
		const run = await executeNode(
			node(
				mediaParams({
					...unbranded,
					model: 'nano-banana:1k',
					dimensions: '1024x1024',
					binaryInputFields: 'photo',
					additionalFields: { abstractUserId: 'customer-4711' },
				}),
				{ items: [withFiles({ photo: binaryFile(PNG, 'image/png', 'p.png') })] },
			),
		);
		expect(callsTo(run.requests, 'brand/get').map((request) => request.body)).toEqual([
			{ isDefault: true, limit: 1, abstractUserId: 'customer-4711' },
		]);
		expect(callsTo(run.requests, 'files/get-presigned-url')[0].body).toMatchObject({
			abstractUserId: 'customer-4711',
		});
		expect(callsTo(run.requests, 'media/create')[0].body).toMatchObject({
			abstractUserId: 'customer-4711',
		});
		expect(callsTo(run.requests, 'media/generate')[0].body).toMatchObject({
			abstractUserId: 'customer-4711',
			bId: 'b_default0001',
		});
		// The account's default brand and another end user's are looked up on their own…
		for (const abstractUserId of [undefined, 'customer-9', 'customer-4711']) {
			await runNode(
				node(
					mediaParams({
						...unbranded,
						...(abstractUserId ? { additionalFields: { abstractUserId } } : {}),
					}),
				),
			);
		}
		// …once each: customer-4711's lookup was remembered from the first run.
		const lookups = sim.counters().log.filter((entry) => entry.path === 'general/brand/get').length;
		expect(lookups).toBe(3);
	});
});

// The bad-input matrix: every invalid input of the three submit operations and Get Status is
// refused before anything is sent to Sivi, with an error that names the UI field and the rule.
// Each case is checked three ways: (a) it throws a NodeOperationError naming the field,
// (b) the simulator saw no request at all, (c) with Continue On Fail it becomes an error item
// with pairedItem, and a valid item in the same run still completes.
import type { INodeExecutionData, INodeProperties, INodePropertyCollection } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../simulator';
import {
	contentParams,
	executeNode,
	mediaParams,
	perItemParams,
	promptParams,
	runNode,
	type NodeParams,
	type NodeRunOptions,
} from '../helpers/n8nEngine';
import { operations } from '../../nodes/Sivi/actions/operations';

type Op = 'media' | 'content' | 'prompt' | 'status';

interface BadCase {
	name: string;
	op: Op;
	/** Parameters of the bad item (a full, otherwise valid set with the bad part changed). */
	params: NodeParams;
	/** The bad item itself, when the case needs binary data or maps a value from the item. */
	item?: INodeExecutionData;
	/**
	 * The valid item next to it in the mixed runs, when not validParams(op): the items of one node
	 * share its list entries (n8n varies values per item, not entries), so the valid item has the
	 * same entries with good values. null: no valid item can share this bad item's entries.
	 */
	validNextTo?: NodeParams | null;
	/** Internal name of the UI field the message must name (its displayName is looked up). */
	field: string;
	/** The rule the message must state. */
	rule: RegExp;
}

const OPERATION_NAMES: Record<Op, string> = {
	media: 'generate',
	content: 'createFromContent',
	prompt: 'createFromPrompt',
	status: 'getStatus',
};

/** displayName of a field of one operation, searched through collections and fixedCollections. */
function uiLabel(op: Op, field: string): string {
	const operation = operations.find((entry) => entry.operation === OPERATION_NAMES[op]);
	if (!operation) throw new Error(`unknown operation ${op}`);
	const search = (properties: Array<INodeProperties | INodePropertyCollection>): string | null => {
		for (const property of properties) {
			if (property.name === field && 'type' in property) return property.displayName;
			const nested =
				'values' in property && Array.isArray(property.values)
					? property.values
					: 'options' in property && Array.isArray(property.options)
						? (property.options as Array<INodeProperties | INodePropertyCollection>).filter(
								(option) => typeof option === 'object' && 'name' in option,
							)
						: [];
			const found = search(nested);
			if (found) return found;
		}
		return null;
	};
	const label = search(operation.properties);
	if (!label) throw new Error(`operation ${op} has no field ${field}`);
	return label;
}

const HUGE = 'Autumn coffee promo. '.repeat(1000).slice(0, 20_000);
const binaryItem = (name: string, mimeType: string, fileName: string): INodeExecutionData => ({
	json: {},
	binary: {
		[name]: { data: Buffer.from('not really an image').toString('base64'), mimeType, fileName },
	},
});
const rl = (value: string, mode = 'id') => ({ __rl: true, mode, value });
/** A value mapped from the item, as workflows do; the cases' items hold it in json.value. */
const FROM_ITEM = '={{ $json.value }}';
const NOT_A_URL = /must be a public http or https URL/;
const NOT_A_COLOR = /must be a hex color/;

let knownRequestId = '';

// Media IDs are never looked up: validation refuses these items before any request.
const m1 = 'w_demo----photo_001.jpeg';
const m2 = 'w_demo----photo_002.jpeg';

function cases(): BadCase[] {
	const custom = { designType: 'custom', subtype: 'custom', customWidth: 1200, customHeight: 600 };
	return [
		// ---- Generate Media ------------------------------------------------------------------
		{
			name: 'media: prompt mapped from an item that has none',
			op: 'media',
			params: mediaParams({ prompt: FROM_ITEM }),
			field: 'prompt',
			rule: /is required/,
		},
		{
			name: 'media: prompt blank',
			op: 'media',
			params: mediaParams({ prompt: '   \n ' }),
			field: 'prompt',
			rule: /is required/,
		},
		{
			name: 'media: prompt from an expression that evaluated to an object',
			op: 'media',
			params: mediaParams({ prompt: FROM_ITEM }),
			item: { json: { value: { text: 'a mug' } } },
			field: 'prompt',
			rule: /must be text/,
		},
		{
			name: 'media: prompt of 20 000 characters',
			op: 'media',
			params: mediaParams({ prompt: HUGE }),
			field: 'prompt',
			rule: /at most \d+ characters/,
		},
		// Catalog values chosen from the list are checked against the catalog. In a mixed run the
		// values that differ per item are expressions, i.e. given by ID: those are checked for their
		// shape only (Sivi's own 422 decides; see the by-ID cases below), so no valid item can share
		// these bad items' fields (validNextTo: null).
		{
			name: 'media: unknown model',
			op: 'media',
			params: mediaParams({ model: 'dall-e-3' }),
			validNextTo: null,
			field: 'model',
			rule: /must be a known image model/,
		},
		{
			name: 'media: size the model does not support (flux-schnell 1548x672)',
			op: 'media',
			params: mediaParams({ model: 'flux-schnell', dimensions: '1548x672' }),
			validNextTo: null,
			field: 'dimensions',
			rule: /1548x672 is not a size Flux Schnell supports/,
		},
		{
			name: 'media: model by ID that is no model ID',
			op: 'media',
			params: mediaParams({ model: '={{ "DALL·E 3" }}' }),
			field: 'model',
			rule: /must be an image model ID such as nano-banana:1k/,
		},
		{
			name: 'media: size by ID that is not a size',
			op: 'media',
			params: mediaParams({ dimensions: '={{ "big" }}' }),
			field: 'dimensions',
			rule: /must be a size such as 1024x1024/,
		},
		{
			name: 'media: size that is not a size',
			op: 'media',
			params: mediaParams({ dimensions: 'big' }),
			field: 'dimensions',
			rule: /must be a size such as 1024x1024/,
		},
		{
			name: 'media: image URL with a generate-only model',
			op: 'media',
			params: mediaParams({ model: 'flux-schnell', imageUrls: 'https://example.com/a.jpg' }),
			// The same model, chosen from the list, for both items.
			validNextTo: mediaParams({ model: 'flux-schnell' }),
			field: 'model',
			rule: /cannot enhance input images/,
		},
		{
			name: 'media: Sivi media with a generate-only model',
			op: 'media',
			params: mediaParams({ siviMedia: { media: [{ mediaId: rl(m1, 'list') }] } }),
			field: 'model',
			rule: /cannot enhance input images/,
		},
		{
			name: 'media: binary input with a generate-only model',
			op: 'media',
			params: mediaParams({
				model: 'flux-dev',
				dimensions: '1024x1024',
				binaryInputFields: 'photo',
			}),
			validNextTo: mediaParams({ model: 'flux-dev', dimensions: '1024x1024' }),
			item: binaryItem('photo', 'image/png', 'photo.png'),
			field: 'model',
			rule: /cannot enhance input images/,
		},
		{
			name: 'media: 5 input images (2 media IDs + 3 URLs)',
			op: 'media',
			params: mediaParams({
				model: 'nano-banana:1k',
				dimensions: '1024x1024',
				siviMedia: { media: [{ mediaId: rl(m1) }, { mediaId: rl(m2) }] },
				imageUrls: 'https://example.com/1.jpg, https://example.com/2.jpg,https://example.com/3.jpg',
			}),
			field: 'imageUrls',
			rule: /at most 4 input images in total.*\(got 5\)/,
		},
		{
			name: 'media: image URL without a scheme ("photo.jpg")',
			op: 'media',
			params: mediaParams({ model: 'nano-banana:1k', imageUrls: 'photo.jpg' }),
			field: 'imageUrls',
			rule: NOT_A_URL,
		},
		{
			name: 'media: ftp image URL',
			op: 'media',
			params: mediaParams({ model: 'nano-banana:1k', imageUrls: 'ftp://x/y.png' }),
			field: 'imageUrls',
			rule: NOT_A_URL,
		},
		{
			name: 'media: javascript: image URL',
			op: 'media',
			params: mediaParams({ model: 'auto', imageUrls: 'javascript:alert(1)' }),
			field: 'imageUrls',
			rule: NOT_A_URL,
		},
		{
			name: 'media: binary input field that does not exist on the item',
			op: 'media',
			params: mediaParams({ model: 'nano-banana:1k', binaryInputFields: 'photo' }),
			item: { json: {} },
			field: 'binaryInputFields',
			rule: /photo/,
		},
		{
			name: 'media: binary input that is a PDF',
			op: 'media',
			params: mediaParams({ model: 'nano-banana:1k', binaryInputFields: 'photo' }),
			item: binaryItem('photo', 'application/pdf', 'brochure.pdf'),
			field: 'binaryInputFields',
			rule: /application\/pdf.*accepts jpg/,
		},
		{
			name: 'media: negative prompt of 20 000 characters',
			op: 'media',
			params: mediaParams({ additionalFields: { negativePrompt: HUGE } }),
			field: 'negativePrompt',
			rule: /at most \d+ characters/,
		},

		// ---- Designs from Content -------------------------------------------------------------
		...([0, 5, -1] as const).map(
			(numOfVariants): BadCase => ({
				name: `content: numOfVariants ${numOfVariants}`,
				op: 'content',
				params: contentParams({ numOfVariants }),
				field: 'numOfVariants',
				rule: /must be between 1 and 4/,
			}),
		),
		{
			name: 'content: numOfVariants 2.5',
			op: 'content',
			params: contentParams({ numOfVariants: 2.5 }),
			field: 'numOfVariants',
			rule: /must be a whole number/,
		},
		{
			name: 'content: numOfVariants "abc"',
			op: 'content',
			params: contentParams({ numOfVariants: 'abc' }),
			field: 'numOfVariants',
			rule: /must be a number/,
		},
		{
			name: 'content: design name blank',
			op: 'content',
			params: contentParams({ name: '  ' }),
			field: 'name',
			rule: /is required/,
		},
		{
			name: 'content: empty content (no block at all)',
			op: 'content',
			params: contentParams({ title: '', content: {} }),
			field: 'content',
			rule: /required|at least one of Title/,
		},
		{
			name: 'content: only a button block',
			op: 'content',
			params: contentParams({ title: '', content: { button: 'Shop now' } }),
			field: 'content',
			rule: /needs at least one of Title, Supertext, Subtext, Text or Caption/,
		},
		{
			name: 'content: only blank text blocks',
			op: 'content',
			params: contentParams({ title: '   ', content: { offer: 'Save 25%' } }),
			field: 'content',
			rule: /needs at least one of Title/,
		},
		{
			name: 'content: a block that is an object from an expression',
			op: 'content',
			params: contentParams({ title: FROM_ITEM, content: {} }),
			item: { json: { value: { en: 'Fresh styles' } } },
			field: 'title',
			rule: /must be text/,
		},
		{
			name: 'content: a text block that is an array from an expression',
			op: 'content',
			params: contentParams({ title: 'Sale', content: { subtext: FROM_ITEM } }),
			item: { json: { value: ['a', 'b'] } },
			field: 'subtext',
			rule: /must be text/,
		},
		{
			name: 'content: title of 20 000 characters',
			op: 'content',
			params: contentParams({ title: HUGE, content: {} }),
			field: 'title',
			rule: /at most \d+ characters/,
		},
		{
			name: 'content: unknown design type',
			op: 'content',
			params: contentParams({ designType: 'tiktok', subtype: 'tiktok-post' }),
			validNextTo: null,
			field: 'designType',
			rule: /must be a known design type/,
		},
		{
			name: 'content: subtype of another design type',
			op: 'content',
			params: contentParams({ designType: 'facebook', subtype: 'instagram-story' }),
			validNextTo: null,
			field: 'subtype',
			rule: /"instagram-story" is not a size of design type "facebook"/,
		},
		{
			name: 'content: design type by ID with a space',
			op: 'content',
			params: contentParams({ designType: '={{ "tik tok" }}', subtype: 'tiktok-post' }),
			field: 'designType',
			rule: /must be a design type ID such as instagram or displayAds/,
		},
		{
			name: 'content: size by ID with a space',
			op: 'content',
			params: contentParams({ subtype: '={{ "instagram post" }}' }),
			field: 'subtype',
			rule: /must be a size ID such as instagram-post/,
		},
		...(
			[
				['customWidth', 149],
				['customWidth', 2001],
				['customHeight', 149],
				['customHeight', 2001],
			] as const
		).map(
			([field, value]): BadCase => ({
				name: `content: custom ${field} ${value}`,
				op: 'content',
				params: contentParams({ ...custom, [field]: value }),
				field,
				rule: /must be between 150 and 2000 pixels/,
			}),
		),
		{
			name: 'content: 5 assets (2 images, 2 logos, 1 icon)',
			op: 'content',
			params: contentParams({
				assets: {
					images: [{ url: 'https://example.com/1.jpg' }, { url: 'https://example.com/2.jpg' }],
					logos: [{ url: 'https://example.com/l1.png' }, { url: 'https://example.com/l2.png' }],
					icons: [{ url: 'https://example.com/i.svg' }],
				},
			}),
			validNextTo: null,
			field: 'assets',
			rule: /at most 4 assets in total/,
		},
		{
			name: 'content: image asset "photo.jpg"',
			op: 'content',
			params: contentParams({ assets: { images: [{ url: 'photo.jpg', crop: 'auto' }] } }),
			validNextTo: contentParams({
				numOfVariants: 1,
				assets: { images: [{ url: 'https://example.com/photo.jpg', crop: 'auto' }] },
			}),
			field: 'assets',
			rule: NOT_A_URL,
		},
		{
			name: 'content: logo asset "ftp://x/y.png"',
			op: 'content',
			params: contentParams({ assets: { logos: [{ url: 'ftp://x/y.png' }] } }),
			validNextTo: contentParams({
				numOfVariants: 1,
				assets: { logos: [{ url: 'https://example.com/y.png' }] },
			}),
			field: 'assets',
			rule: NOT_A_URL,
		},
		{
			name: 'content: icon asset "javascript:alert(1)"',
			op: 'content',
			params: contentParams({ assets: { icons: [{ url: 'javascript:alert(1)' }] } }),
			validNextTo: contentParams({
				numOfVariants: 1,
				assets: { icons: [{ url: 'https://example.com/i.svg' }] },
			}),
			field: 'assets',
			rule: NOT_A_URL,
		},
		{
			name: 'content: unknown logo style',
			op: 'content',
			params: contentParams({
				assets: { logos: [{ url: 'https://example.com/l.png', logoStyles: ['sparkly'] }] },
			}),
			validNextTo: contentParams({
				numOfVariants: 1,
				assets: { logos: [{ url: 'https://example.com/l.png', logoStyles: ['direct'] }] },
			}),
			field: 'assets',
			rule: /must be a known logo style/,
		},
		...['red', '#12345', 'rgb(1,2)'].map(
			(palette): BadCase => ({
				name: `content: color ${JSON.stringify(palette)}`,
				op: 'content',
				params: contentParams({ additionalFields: { palette: `#FF5733, ${palette}` } }),
				field: 'palette',
				rule: NOT_A_COLOR,
			}),
		),
		{
			name: 'content: custom color "red" in Design Settings',
			op: 'content',
			params: contentParams({ designMode: 'custom', designSettings: { customPalette: 'red' } }),
			// A Design Mode that differs per item would show the Brand field, which is required.
			validNextTo: contentParams({
				numOfVariants: 1,
				designMode: 'custom',
				designSettings: { customPalette: '#FF5733' },
			}),
			field: 'customPalette',
			rule: NOT_A_COLOR,
		},
		{
			name: 'content: unknown language',
			op: 'content',
			params: contentParams({ language: 'klingon' }),
			validNextTo: null,
			field: 'language',
			rule: /must be a known language/,
		},
		{
			name: 'content: language by ID in capitals',
			op: 'content',
			params: contentParams({ language: '={{ "Klingon" }}' }),
			field: 'language',
			rule: /must be a language ID: its lowercase English name/,
		},
		{
			name: 'content: Design Mode Brand without a brand',
			op: 'content',
			// An empty Brand field stops n8n before the node runs; a mapped one that is empty does not.
			params: contentParams({ designMode: 'brand', brandId: rl(FROM_ITEM) }),
			field: 'brandId',
			rule: /is required when Mode is Brand/,
		},
		{
			name: 'content: unknown design model',
			op: 'content',
			params: contentParams({ designModel: 'sivi-gen-99' }),
			validNextTo: null,
			field: 'designModel',
			rule: /must be a known design model/,
		},
		{
			name: 'content: unknown output format',
			op: 'content',
			params: contentParams({ additionalFields: { outputFormat: 'png' } }),
			field: 'outputFormat',
			rule: /must be a known output format/,
		},

		// ---- Designs from Prompt --------------------------------------------------------------
		{
			name: 'prompt: prompt mapped from an item that has none',
			op: 'prompt',
			params: promptParams({ prompt: FROM_ITEM }),
			field: 'prompt',
			rule: /is required/,
		},
		{
			name: 'prompt: prompt from an expression that evaluated to an object',
			op: 'prompt',
			params: promptParams({ prompt: FROM_ITEM }),
			item: { json: { value: { text: 'cafe promo' } } },
			field: 'prompt',
			rule: /must be text/,
		},
		{
			name: 'prompt: prompt of 20 000 characters',
			op: 'prompt',
			params: promptParams({ prompt: HUGE }),
			field: 'prompt',
			rule: /at most \d+ characters/,
		},
		{
			name: 'prompt: numOfVariants 5',
			op: 'prompt',
			params: promptParams({ numOfVariants: 5 }),
			field: 'numOfVariants',
			rule: /must be between 1 and 4/,
		},
		{
			name: 'prompt: numOfVariants "abc"',
			op: 'prompt',
			params: promptParams({ numOfVariants: 'abc' }),
			field: 'numOfVariants',
			rule: /must be a number/,
		},
		{
			name: 'prompt: custom size without width and height',
			op: 'prompt',
			params: promptParams({ ...custom, customWidth: '', customHeight: '' }),
			field: 'customWidth',
			rule: /must be set for custom designs/,
		},
		{
			name: 'prompt: custom width 2001',
			op: 'prompt',
			params: promptParams({ ...custom, customWidth: 2001 }),
			field: 'customWidth',
			rule: /must be between 150 and 2000 pixels/,
		},
		{
			name: 'prompt: 5 assets (3 images, 1 logo, 1 icon)',
			op: 'prompt',
			params: promptParams({
				assets: {
					images: [1, 2, 3].map((n) => ({ url: `https://example.com/${n}.jpg` })),
					logos: [{ url: 'https://example.com/l.png' }],
					icons: [{ url: 'https://example.com/i.svg' }],
				},
			}),
			validNextTo: null,
			field: 'assets',
			rule: /at most 4 assets in total/,
		},
		{
			name: 'prompt: color "rgb(1,2)"',
			op: 'prompt',
			params: promptParams({ additionalFields: { palette: 'rgb(1,2)' } }),
			field: 'palette',
			rule: NOT_A_COLOR,
		},
		{
			name: 'prompt: unknown language',
			op: 'prompt',
			params: promptParams({ language: 'elvish' }),
			validNextTo: null,
			field: 'language',
			rule: /must be a known language/,
		},
		{
			name: 'prompt: Design Mode Brand without a brand',
			op: 'prompt',
			params: promptParams({ designMode: 'brand', brandId: rl('  ') }),
			field: 'brandId',
			rule: /is required when Mode is Brand/,
		},
		{
			name: 'prompt: unknown design model',
			op: 'prompt',
			params: promptParams({ designModel: 'gpt-image' }),
			validNextTo: null,
			field: 'designModel',
			rule: /must be a known design model/,
		},
		{
			name: 'prompt: design model by ID with spaces',
			op: 'prompt',
			params: promptParams({ designModel: '={{ "Sivi Gen 4" }}' }),
			field: 'designModel',
			rule: /must be a design model ID such as sivi-gen-3h-preview/,
		},
		{
			name: 'prompt: unknown theme in Design Settings',
			op: 'prompt',
			params: promptParams({ designMode: 'custom', designSettings: { theme: ['neon'] } }),
			validNextTo: promptParams({ designMode: 'custom', designSettings: { theme: ['dark'] } }),
			field: 'theme',
			rule: /must be a known theme/,
		},

		// ---- Get Status -----------------------------------------------------------------------
		{
			name: 'status: blank request ID',
			op: 'status',
			params: statusParams({ requestId: '   ' }),
			field: 'requestId',
			rule: /is required/,
		},
		{
			name: 'status: request ID mapped from an item that has none',
			op: 'status',
			params: statusParams({ requestId: FROM_ITEM }),
			field: 'requestId',
			rule: /is required/,
		},
		{
			name: 'status: request ID from an expression that evaluated to an object',
			op: 'status',
			params: statusParams({ requestId: FROM_ITEM }),
			item: { json: { value: { requestId: 'abc' } } },
			field: 'requestId',
			rule: /must be text/,
		},
	];
}

function statusParams(overrides: NodeParams = {}): NodeParams {
	return {
		resource: 'request',
		operation: 'getStatus',
		requestId: knownRequestId,
		waitForCompletion: false,
		options: { pollInterval: 0.05 },
		...overrides,
	};
}

function validParams(op: Op): NodeParams {
	switch (op) {
		case 'media':
			return mediaParams();
		case 'content':
			return contentParams({ numOfVariants: 1 });
		case 'prompt':
			return promptParams();
		case 'status':
			return statusParams();
	}
}

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({
		jobDurationMs: 40,
		rateLimit: { limit: 100_000, windowMs: 60_000 },
	});
	const [submitted] = await runNode({
		params: promptParams({ waitForCompletion: false }),
		baseUrl: sim.baseUrl,
		apiKey: sim.apiKey,
	});
	knownRequestId = String(submitted.json.requestId);
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.setFaults({});
	sim.resetCounters();
});

// The bad Get Status cases replace or drop the request ID; the valid item of a mixed run reads
// knownRequestId when it runs (validParams is called inside the test).
const table = cases().map((entry) => [entry.name, entry] as const);

const node = (params: NodeParams, extra: Partial<NodeRunOptions> = {}): NodeRunOptions => ({
	params,
	baseUrl: sim.baseUrl,
	apiKey: sim.apiKey,
	...extra,
});

/** The valid item of a mixed run completed and was the only one that reached Sivi. */
function expectValidItemCompleted(op: Op, valid: INodeExecutionData, itemIndex: number) {
	expect(valid.pairedItem).toEqual({ item: itemIndex });
	expect(valid.error).toBeUndefined();
	expect(valid.json.status).toBe('completed');
	// Only the valid item reached Sivi: one status check for Get Status, one submit otherwise.
	const { submitAttempts, submits, polls } = sim.counters();
	expect({ submitAttempts, submits }).toEqual(
		op === 'status' ? { submitAttempts: 0, submits: 0 } : { submitAttempts: 1, submits: 1 },
	);
	if (op === 'status') expect(polls).toBe(1);
}

describe('the matrix', () => {
	it('has at least 35 cases covering all four operations', () => {
		expect(table.length).toBeGreaterThanOrEqual(35);
		expect(new Set(table.map(([, entry]) => entry.op))).toEqual(
			new Set(['media', 'content', 'prompt', 'status']),
		);
	});

	it('the valid base parameters of every operation do reach Sivi (control)', async () => {
		for (const op of ['media', 'content', 'prompt', 'status'] as const) {
			sim.resetCounters();
			const [item] = await runNode(node(validParams(op)));
			expect(item.error).toBeUndefined();
			expect(item.json.status).toBe('completed');
			expect(sim.counters().requests).toBeGreaterThan(0);
		}
	});
});

describe('(a, b) bad input fails the run, names the field and sends nothing', () => {
	it.each(table)('%s', async (_name, entry) => {
		const label = uiLabel(entry.op, entry.field);
		const run = await executeNode(node(entry.params, { items: [entry.item ?? { json: {} }] }));
		expect(run.status).toBe('error');
		expect(run.error).toMatchObject({ name: 'NodeOperationError', context: { itemIndex: 0 } });
		expect(run.error?.message).toContain(label);
		expect(run.error?.message).toMatch(entry.rule);
		expect(sim.counters().requests).toBe(0);
		expect(run.requests).toHaveLength(0);
	});
});

describe('(c) with Continue On Fail a bad item becomes an error item and sends nothing', () => {
	it.each(table)('%s', async (_name, entry) => {
		const label = uiLabel(entry.op, entry.field);
		const alone = await executeNode(
			node(entry.params, { items: [entry.item ?? { json: {} }], continueOnFail: true }),
		);
		const { output } = alone;
		expect(output).toHaveLength(1);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].error).toBeUndefined(); // the message is in json.error (see errorItem)
		expect(output[0].json.error).toContain(label);
		expect(output[0].json.error).toMatch(entry.rule);
		expect(sim.counters().requests).toBe(0);
		expect(alone.requests).toHaveLength(0);
	});
});

describe('(c) a bad item next to a valid one: the valid one still completes', () => {
	const validNextTo = (entry: BadCase) => entry.validNextTo ?? validParams(entry.op);
	const mixable = table.filter(([, entry]) => entry.validNextTo !== null);

	it.each(mixable)('%s', async (_name, entry) => {
		const label = uiLabel(entry.op, entry.field);
		const { params, items } = perItemParams(
			[entry.params, validNextTo(entry)],
			[entry.item ?? { json: {} }, { json: {} }],
		);
		const output = await runNode(node(params, { items, continueOnFail: true }));
		expect(output).toHaveLength(2);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].error).toBeUndefined(); // the message is in json.error (see errorItem)
		expect(output[0].json.error).toContain(label);
		expect(output[0].json.error).toMatch(entry.rule);
		expectValidItemCompleted(entry.op, output[1], 1);
	});

	// One case per operation with the bad item last: it must not be dropped from the output.
	const lastOfEach = (['media', 'content', 'prompt', 'status'] as const).map(
		(op) => mixable.find(([, entry]) => entry.op === op)!,
	);
	it.each(lastOfEach)('bad item after the valid one: %s', async (_name, entry) => {
		const { params, items } = perItemParams(
			[validNextTo(entry), entry.params],
			[{ json: {} }, entry.item ?? { json: {} }],
		);
		const output = await runNode(node(params, { items, continueOnFail: true }));
		expect(output).toHaveLength(2);
		expectValidItemCompleted(entry.op, output[0], 0);
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[1].error).toBeUndefined(); // the message is in json.error (see errorItem)
		expect(output[1].json.error).toContain(uiLabel(entry.op, entry.field));
	});
});

// The bad-input matrix: every invalid input of the three submit operations and Get Status is
// refused before anything is sent to Sivi, with an error that names the UI field and the rule.
// Each case is checked three ways: (a) it throws a NodeOperationError naming the field,
// (b) the simulator saw no request at all, (c) with Continue On Fail it becomes an error item
// with pairedItem, and a valid item in the same run still completes.
import {
	NodeOperationError,
	type INodeExecutionData,
	type INodeProperties,
	type INodePropertyCollection,
} from 'n8n-workflow';

import { startSimulator, type Simulator } from '../simulator';
import {
	contentParams,
	createContext,
	mediaParams,
	promptParams,
	runNode,
	type ContextOptions,
	type ParamValue,
} from '../helpers/executeContext';
import { operations } from '../../nodes/Sivi/actions/operations';

type Op = 'media' | 'content' | 'prompt' | 'status';

interface BadCase {
	name: string;
	op: Op;
	/** Parameters of the bad item (a full, otherwise valid set with the bad part changed). */
	params: Record<string, ParamValue>;
	/** The bad item itself, when the case needs binary data. */
	item?: INodeExecutionData;
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

const without = (params: Record<string, ParamValue>, ...keys: string[]) =>
	Object.fromEntries(Object.entries(params).filter(([key]) => !keys.includes(key)));

const HUGE = 'Autumn coffee promo. '.repeat(1000).slice(0, 20_000);
const binaryItem = (name: string, mimeType: string, fileName: string): INodeExecutionData => ({
	json: {},
	binary: {
		[name]: { data: Buffer.from('not really an image').toString('base64'), mimeType, fileName },
	},
});
const rl = (value: string, mode = 'id') => ({ __rl: true, mode, value });
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
			name: 'media: prompt missing',
			op: 'media',
			params: without(mediaParams(), 'prompt'),
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
			params: mediaParams({ prompt: { text: 'a mug' } }),
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
		{
			name: 'media: unknown model',
			op: 'media',
			params: mediaParams({ model: 'dall-e-3' }),
			field: 'model',
			rule: /must be a known image model/,
		},
		{
			name: 'media: size the model does not support (flux-schnell 1548x672)',
			op: 'media',
			params: mediaParams({ model: 'flux-schnell', dimensions: '1548x672' }),
			field: 'dimensions',
			rule: /1548x672 is not a size Flux Schnell supports/,
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
			params: contentParams({ title: { en: 'Fresh styles' }, content: {} }),
			field: 'title',
			rule: /must be text/,
		},
		{
			name: 'content: a text block that is an array from an expression',
			op: 'content',
			params: contentParams({ title: 'Sale', content: { subtext: ['a', 'b'] } }),
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
			field: 'designType',
			rule: /must be a known design type/,
		},
		{
			name: 'content: subtype of another design type',
			op: 'content',
			params: contentParams({ designType: 'facebook', subtype: 'instagram-story' }),
			field: 'subtype',
			rule: /"instagram-story" is not a size of design type "facebook"/,
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
			field: 'assets',
			rule: /at most 4 assets in total/,
		},
		{
			name: 'content: image asset "photo.jpg"',
			op: 'content',
			params: contentParams({ assets: { images: [{ url: 'photo.jpg', crop: 'auto' }] } }),
			field: 'assets',
			rule: NOT_A_URL,
		},
		{
			name: 'content: logo asset "ftp://x/y.png"',
			op: 'content',
			params: contentParams({ assets: { logos: [{ url: 'ftp://x/y.png' }] } }),
			field: 'assets',
			rule: NOT_A_URL,
		},
		{
			name: 'content: icon asset "javascript:alert(1)"',
			op: 'content',
			params: contentParams({ assets: { icons: [{ url: 'javascript:alert(1)' }] } }),
			field: 'assets',
			rule: NOT_A_URL,
		},
		{
			name: 'content: unknown logo style',
			op: 'content',
			params: contentParams({
				assets: { logos: [{ url: 'https://example.com/l.png', logoStyles: ['sparkly'] }] },
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
			field: 'customPalette',
			rule: NOT_A_COLOR,
		},
		{
			name: 'content: unknown language',
			op: 'content',
			params: contentParams({ language: 'klingon' }),
			field: 'language',
			rule: /must be a known language/,
		},
		{
			name: 'content: Design Mode Brand without a brand',
			op: 'content',
			params: contentParams({ designMode: 'brand', brandId: rl('', 'list') }),
			field: 'brandId',
			rule: /is required when Mode is Brand/,
		},
		{
			name: 'content: unknown design model',
			op: 'content',
			params: contentParams({ designModel: 'sivi-gen-99' }),
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
			name: 'prompt: prompt missing',
			op: 'prompt',
			params: without(promptParams(), 'prompt'),
			field: 'prompt',
			rule: /is required/,
		},
		{
			name: 'prompt: prompt from an expression that evaluated to an object',
			op: 'prompt',
			params: promptParams({ prompt: { text: 'cafe promo' } }),
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
			field: 'designModel',
			rule: /must be a known design model/,
		},
		{
			name: 'prompt: unknown theme in Design Settings',
			op: 'prompt',
			params: promptParams({ designMode: 'custom', designSettings: { theme: ['neon'] } }),
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
			name: 'status: request ID missing',
			op: 'status',
			params: without(statusParams(), 'requestId'),
			field: 'requestId',
			rule: /is required/,
		},
		{
			name: 'status: request ID from an expression that evaluated to an object',
			op: 'status',
			params: statusParams({ requestId: { requestId: 'abc' } }),
			field: 'requestId',
			rule: /must be text/,
		},
	];
}

function statusParams(overrides: Record<string, ParamValue> = {}): Record<string, ParamValue> {
	return {
		resource: 'request',
		operation: 'getStatus',
		requestId: knownRequestId,
		waitForCompletion: false,
		options: { pollInterval: 0.05 },
		...overrides,
	};
}

function validParams(op: Op): Record<string, ParamValue> {
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

/** Item i reads the parameters perItem[i]. */
function perItemParams(...perItem: Array<Record<string, ParamValue>>) {
	const merged: Record<string, ParamValue> = {};
	for (const key of new Set(perItem.flatMap((params) => Object.keys(params)))) {
		merged[key] = (itemIndex: number) => perItem[itemIndex][key];
	}
	return merged;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
	try {
		await promise;
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to throw, but it returned output');
}

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({
		jobDurationMs: 40,
		rateLimit: { limit: 100_000, windowMs: 60_000 },
	});
	const { context } = createContext({
		params: promptParams({ waitForCompletion: false }),
		baseUrl: sim.baseUrl,
		apiKey: sim.apiKey,
	});
	const [submitted] = await runNode(context);
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

const run = (params: Record<string, ParamValue>, extra: Partial<ContextOptions> = {}) =>
	createContext({ params, baseUrl: sim.baseUrl, apiKey: sim.apiKey, ...extra });

/** The valid item of a mixed run completed and was the only one that reached Sivi. */
function expectValidItemCompleted(op: Op, valid: INodeExecutionData, itemIndex: number) {
	expect(valid.pairedItem).toEqual({ item: itemIndex });
	expect(valid.error).toBeUndefined();
	expect(valid.json.status).toBe('completed');
	const counters = sim.counters();
	if (op === 'status') {
		expect(counters.submitAttempts).toBe(0);
		expect(counters.polls).toBe(1);
		expect(valid.json.requestId).toBe(knownRequestId);
	} else {
		expect(counters.submitAttempts).toBe(1);
		expect(counters.submits).toBe(1);
	}
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
			const [item] = await runNode(run(validParams(op)).context);
			expect(item.error).toBeUndefined();
			expect(item.json.status).toBe('completed');
			expect(sim.counters().requests).toBeGreaterThan(0);
		}
	});
});

describe('(a, b) bad input fails the run, names the field and sends nothing', () => {
	it.each(table)('%s', async (_name, entry) => {
		const label = uiLabel(entry.op, entry.field);
		const failing = run(entry.params, { items: [entry.item ?? { json: {} }] });
		const error = await rejection(runNode(failing.context));
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toContain(label);
		expect(error.message).toMatch(entry.rule);
		expect(sim.counters().requests).toBe(0);
		expect(failing.requests).toHaveLength(0);
	});
});

describe('(c) with Continue On Fail a bad item becomes an error item and sends nothing', () => {
	it.each(table)('%s', async (_name, entry) => {
		const label = uiLabel(entry.op, entry.field);
		const alone = run(entry.params, { items: [entry.item ?? { json: {} }], continueOnFail: true });
		const output = await runNode(alone.context);
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
	it.each(table)('%s', async (_name, entry) => {
		const label = uiLabel(entry.op, entry.field);
		const mixed = run(perItemParams(entry.params, validParams(entry.op)), {
			items: [entry.item ?? { json: {} }, { json: {} }],
			continueOnFail: true,
		});
		const output = await runNode(mixed.context);
		expect(output).toHaveLength(2);
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].error).toBeUndefined(); // the message is in json.error (see errorItem)
		expect(output[0].json.error).toContain(label);
		expect(output[0].json.error).toMatch(entry.rule);
		expectValidItemCompleted(entry.op, output[1], 1);
	});

	// One case per operation with the bad item last: it must not be dropped from the output.
	const lastOfEach = (['media', 'content', 'prompt', 'status'] as const).map(
		(op) => table.find(([, entry]) => entry.op === op)!,
	);
	it.each(lastOfEach)('bad item after the valid one: %s', async (_name, entry) => {
		const mixed = run(perItemParams(validParams(entry.op), entry.params), {
			items: [{ json: {} }, entry.item ?? { json: {} }],
			continueOnFail: true,
		});
		const output = await runNode(mixed.context);
		expect(output).toHaveLength(2);
		expectValidItemCompleted(entry.op, output[0], 0);
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[1].error).toBeUndefined(); // the message is in json.error (see errorItem)
		expect(output[1].json.error).toContain(uiLabel(entry.op, entry.field));
	});
});

// Design → Generate Copy (content-from-prompt) and Design → Get Variants (get-design-variants)
// through n8n-core against the simulator: exact request bodies, one item per suggestion or
// variant, every envelope shape Sivi may answer with, Generate Copy → Create From Content in one
// expression, and bad input refused before any request.
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import {
	contentParams,
	executeNode,
	promptParams,
	runNode,
	type NodeParams,
} from '../helpers/n8nEngine';
import { SUMMER_COPY_FIRST as FIRST, SUMMER_COPY_SECOND as SECOND } from '../helpers/copyFixtures';
import { callsTo, nodeOn, useSimulator } from '../helpers/simulatorCalls';

const sim = useSimulator(
	{ jobDurationMs: 80, rateLimit: { limit: 100_000, windowMs: 60_000 } },
	'all',
);
const node = nodeOn(sim);

const PROMPT = 'summer campaign for my t-shirt shop with 20% off';

function copyParams(overrides: NodeParams = {}): NodeParams {
	return {
		resource: 'design',
		operation: 'generateCopy',
		prompt: PROMPT,
		designType: 'displayAds',
		subtype: 'displayAds-half-page-ad',
		language: 'english',
		...overrides,
	};
}

describe('Generate Copy', () => {
	it("sends the docs' example body and returns one item per suggestion", async () => {
		const run = await executeNode(
			node(copyParams({ additionalFields: { abstractUserId: 'customer-4711' } })),
		);
		expect(run.status).toBe('success');
		const [request] = callsTo(run.requests, 'content-from-prompt');
		expect(request.method).toBe('POST');
		expect(request.body).toEqual({
			prompt: PROMPT,
			type: 'displayAds',
			subtype: 'displayAds-half-page-ad',
			language: 'english',
			abstractUserId: 'customer-4711',
		});
		expect(run.requests).toHaveLength(1);
		const assetSuggestions = { images: [{ url: `${sim.origin}/files/media-0001.jpg` }] };
		expect(run.output.map((item) => item.json)).toEqual([
			{
				content: FIRST,
				suggestionIndex: 0,
				suggestionCount: 2,
				prompt: PROMPT,
				type: 'displayAds',
				subtype: 'displayAds-half-page-ad',
				assetSuggestions,
				credits: { min: null, max: null, basis: 'Sivi publishes no price for copy suggestions' },
			},
			{
				content: SECOND,
				suggestionIndex: 1,
				suggestionCount: 2,
				prompt: PROMPT,
				type: 'displayAds',
				subtype: 'displayAds-half-page-ad',
				assetSuggestions,
				credits: { min: null, max: null, basis: 'Sivi publishes no price for copy suggestions' },
			},
		]);
		expect(run.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }]);
	});

	it.each([
		['contentSuggestions', 2],
		['result.contentSuggestions', 2],
		['content', 2],
		['result.content', 1],
	])('reads the suggestions from body.%s', async (shape, count) => {
		const prompt = `${PROMPT} [sim:copy=${shape}]`;
		const output = await runNode(node(copyParams({ prompt })));
		expect(output).toHaveLength(count);
		expect(output[0].json.content).toEqual(FIRST);
		expect(output[0].json.assetSuggestions).toEqual({
			images: [{ url: `${sim.origin}/files/media-0001.jpg` }],
		});
	});

	it('keeps blocks Create From Content does not take apart, in otherContent', async () => {
		const [first] = await runNode(node(copyParams({ prompt: 'beach towels [sim:copy-extra]' })));
		expect(first.json.content).toEqual({ ...FIRST, title: 'Beach towels' });
		expect(first.json.otherContent).toEqual({ hashtag: '#summer' });
	});

	it('sends the custom dimension (singular) for custom formats', async () => {
		const run = await executeNode(
			node(
				copyParams({
					designType: 'custom',
					subtype: 'custom',
					customWidth: 1200,
					customHeight: 300,
				}),
			),
		);
		expect(callsTo(run.requests, 'content-from-prompt')[0].body).toEqual({
			prompt: PROMPT,
			type: 'custom',
			subtype: 'custom',
			dimension: { width: 1200, height: 300 },
			language: 'english',
		});
	});

	it('feeds Create From Content in one expression: {{ $json.content }}', async () => {
		const copy = await runNode(node(copyParams()));
		const items: INodeExecutionData[] = copy.map((item) => ({ json: item.json }));
		const before = sim.jobs().length;
		const designs = await runNode(
			node(
				contentParams({
					name: '={{ "Copy " + $json.suggestionIndex }}',
					designType: 'displayAds',
					subtype: 'displayAds-half-page-ad',
					numOfVariants: 1,
					title: '',
					content: {},
					contentJson: '={{ $json.content }}',
				}),
				{ items },
			),
		);
		expect(designs.map((item) => item.json.status)).toEqual(['completed', 'completed']);
		const jobs = sim.jobs().slice(before);
		expect(jobs.map((job) => job.payload)).toEqual([
			{
				name: 'Copy 0',
				type: 'displayAds',
				subtype: 'displayAds-half-page-ad',
				numOfVariants: 1,
				content: FIRST,
				language: 'english',
				settings: { mode: 'auto', designModel: 'auto' },
			},
			{
				name: 'Copy 1',
				type: 'displayAds',
				subtype: 'displayAds-half-page-ad',
				numOfVariants: 1,
				content: SECOND,
				language: 'english',
				settings: { mode: 'auto', designModel: 'auto' },
			},
		]);
	});

	it.each<[string, NodeParams, RegExp]>([
		['a blank prompt', { prompt: '  ' }, /^Prompt is required/],
		[
			'an unknown design type from the list',
			{ designType: 'tiktok' },
			/^Design Type must be a known design type/,
		],
		[
			'a size of another design type',
			{ subtype: 'instagram-post' },
			/^Size Name or ID "instagram-post" is not a size of design type "displayAds"/,
		],
		[
			'a language by ID that is no language ID',
			{ language: '={{ "Klingon!" }}' },
			/^Language must be a language ID/,
		],
		[
			'a custom format without a valid width',
			{ designType: 'custom', subtype: 'custom', customWidth: 20, customHeight: 300 },
			/^Width \(Px\) must be between 150 and 2000 pixels/,
		],
		['a prompt that is an object', { prompt: '={{ { a: 1 } }}' }, /^Prompt must be text/],
	])('refuses %s before any request', async (_name, overrides, message) => {
		const run = await executeNode(node(copyParams(overrides)));
		expect(run.status).toBe('error');
		expect(run.error).toMatchObject({ name: 'NodeOperationError', context: { itemIndex: 0 } });
		expect(run.error?.message).toMatch(message);
		expect(run.error?.description).toMatch(/Nothing was sent to Sivi/);
		expect(run.requests).toHaveLength(0);
		expect(sim.counters().requests).toBe(0);
	});

	it('passes a language given by ID to Sivi, whose 422 decides (no design, no credits)', async () => {
		const credits = sim.credits();
		const run = await executeNode(
			node(copyParams({ language: '={{ "klingon" }}' }), { continueOnFail: true }),
		);
		expect(callsTo(run.requests, 'content-from-prompt')[0].body).toMatchObject({
			language: 'klingon',
		});
		expect(run.output).toHaveLength(1);
		expect(run.output[0].json.error).toBe(
			"Sivi refused the input: Language 'klingon' is not supported.",
		);
		expect(sim.credits()).toBe(credits);
	});
});

describe('Get Variants', () => {
	let designId = '';
	let variantIds: string[] = [];

	beforeAll(async () => {
		const [design] = await runNode(node(promptParams({ numOfVariants: 2 })));
		designId = String(design.json.designId);
		const variants = design.json.variants as IDataObject[];
		variantIds = variants.flatMap((variant) => [
			String(variant.id),
			...((variant.options as IDataObject[] | undefined) ?? []).map((option) => String(option.id)),
		]);
		expect(variantIds).toHaveLength(3);
	});

	const variantsParams = (overrides: NodeParams = {}): NodeParams => ({
		resource: 'design',
		operation: 'getVariants',
		designId: '={{ $json.designId }}',
		...overrides,
	});

	it('lists every variant of the design, one item each, shaped like a design job variant', async () => {
		const run = await executeNode(
			node(variantsParams({ returnAll: true }), { items: [{ json: { designId } }] }),
		);
		expect(callsTo(run.requests, 'get-design-variants').map((request) => request.body)).toEqual([
			{ designId, type: 'all', limit: 100 },
		]);
		expect(run.output.map((item) => item.json.id)).toEqual([
			variantIds[0],
			variantIds[1],
			variantIds[2],
		]);
		for (const item of run.output) {
			expect(Object.keys(item.json).sort()).toEqual(
				['designId', 'editLink', 'height', 'id', 'imageUrl', 'type', 'width'].sort(),
			);
			expect(item.json).toMatchObject({ designId, width: 300, height: 250, type: 'GENERATED' });
			expect(item.json.imageUrl).toMatch(new RegExp(`^${sim.origin}/files/`));
			expect(item.json.editLink).toMatch(/^https:\/\/instant\.sivi\.ai\/#\/variant\//);
			expect(item.pairedItem).toEqual({ item: 0 });
		}
	});

	it('stops at Limit, asking Sivi for no more than that', async () => {
		const run = await executeNode(
			node(variantsParams({ returnAll: false, limit: 2 }), { items: [{ json: { designId } }] }),
		);
		expect(callsTo(run.requests, 'get-design-variants').map((request) => request.body)).toEqual([
			{ designId, type: 'all', limit: 2 },
		]);
		expect(run.output.map((item) => item.json.id)).toEqual(variantIds.slice(0, 2));
	});

	it('filters by Variant Type and sends the End-User ID', async () => {
		const edited = await executeNode(
			node(
				variantsParams({
					variantType: 'edited',
					additionalFields: { abstractUserId: 'customer-4711' },
				}),
				{ items: [{ json: { designId } }] },
			),
		);
		expect(callsTo(edited.requests, 'get-design-variants')[0].body).toEqual({
			designId,
			type: 'edited',
			abstractUserId: 'customer-4711',
			limit: 50,
		});
		expect(edited.status).toBe('success');
		expect(edited.output).toEqual([]);
		const generated = await runNode(
			node(variantsParams({ variantType: 'generated' }), { items: [{ json: { designId } }] }),
		);
		expect(generated).toHaveLength(3);
	});

	it("fails with Sivi's 404 for an unknown design, per item with Continue On Fail", async () => {
		const items = [{ json: { designId: 'no-such-design' } }, { json: { designId } }];
		const stopped = await executeNode(node(variantsParams(), { items: [items[0]] }));
		expect(stopped.error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
		expect(stopped.error?.message).toBe('Sivi could not find it: Design not found');
		const output = await runNode(node(variantsParams(), { items, continueOnFail: true }));
		expect(output[0].json.error).toBe('Sivi could not find it: Design not found');
		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output.slice(1).map((item) => [item.json.id, item.pairedItem])).toEqual(
			variantIds.map((id) => [id, { item: 1 }]),
		);
	});

	it.each<[string, NodeParams, IDataObject, RegExp]>([
		['a missing design ID', {}, {}, /^Design ID is required/],
		['a design ID that is an object', {}, { designId: { id: 'x' } }, /^Design ID must be text/],
		[
			'a Limit of 0',
			{ limit: '={{ 0 }}' },
			{ designId: 'x' },
			/^Limit must be a whole number of at least 1/,
		],
	])('refuses %s before any request', async (_name, overrides, json, message) => {
		const run = await executeNode(node(variantsParams(overrides), { items: [{ json }] }));
		expect(run.status).toBe('error');
		expect(run.error?.message).toMatch(message);
		expect(run.requests).toHaveLength(0);
		expect(sim.counters().requests).toBe(0);
	});
});

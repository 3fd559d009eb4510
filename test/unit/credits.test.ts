// Credits you can see: every job item carries its estimate from Sivi's published prices, and it
// matches what the simulator (which charges by the same published prices) took; the run's total
// is a hint; Dry Run sends nothing that creates or costs anything and shows the bodies a real run
// sends; Max Credits per Run refuses a run before any request.
import type { INodeExecutionData } from 'n8n-workflow';

import { designModels, imageModels, priceOf } from '../../nodes/Sivi/catalog';
import {
	contentParams,
	executeNode,
	mediaParams,
	promptParams,
	type NodeParams,
} from '../helpers/n8nEngine';
import { apiCalls, nodeOn, rl, useSimulator } from '../helpers/simulatorCalls';

const sim = useSimulator({ jobDurationMs: 60, rateLimit: { limit: 100_000, windowMs: 60_000 } });
const node = nodeOn(sim);

const NO_WAIT = { waitForCompletion: false };
const fixed = (credits: string) => {
	const price = priceOf(credits);
	return price.min === price.max;
};

/** Runs `params` on `items` and pairs each output item's estimate with its job's charge. */
async function estimatesAndCharges(
	params: NodeParams,
	items: INodeExecutionData[] = [{ json: {} }],
) {
	const run = await executeNode(node(params, { items }));
	expect(run.nodeFailed).toBe(false);
	const jobs = sim.jobs();
	return run.output.map((item) => ({
		credits: item.json.credits as { min: number; max: number | null; basis: string },
		cost: jobs.find((job) => job.requestId === item.json.requestId)!.cost as number,
	}));
}

describe('the estimate on every job item', () => {
	it.each(imageModels.filter((model) => fixed(model.credits)).map((model) => [model.name, model]))(
		'equals what Sivi charged for image model %s',
		async (_name, model) => {
			const [{ credits, cost }] = await estimatesAndCharges(
				mediaParams({ model: model.value, dimensions: model.sizes[0], ...NO_WAIT }),
			);
			expect(credits).toEqual({
				min: cost,
				max: cost,
				basis: `${model.name} (${model.value}), 1 image`,
			});
			expect(cost).toBe(Number(model.credits));
		},
	);

	it.each(designModels.filter((model) => fixed(model.credits)).map((model) => [model.name, model]))(
		'equals what Sivi charged for design model %s (3 designs)',
		async (_name, model) => {
			const [{ credits, cost }] = await estimatesAndCharges(
				promptParams({ designModel: model.value, numOfVariants: 3, ...NO_WAIT }),
			);
			expect(credits).toEqual({
				min: cost,
				max: cost,
				basis: `${model.name} (${model.value}), 3 designs`,
			});
			expect(cost).toBeCloseTo(Number(model.credits) * 3);
		},
	);

	// Auto models and "+" prices: the charge is Sivi's to pick; the estimate's range holds it.
	const ranged = [
		...imageModels
			.filter((model) => !fixed(model.credits))
			.map((model) => ({
				name: model.name,
				params: mediaParams({ model: model.value, dimensions: model.sizes[0], ...NO_WAIT }),
			})),
		...designModels
			.filter((model) => !fixed(model.credits))
			.map((model) => ({
				name: model.name,
				params: contentParams({ designModel: model.value, numOfVariants: 2, ...NO_WAIT }),
			})),
	];
	it.each(ranged.map((entry) => [entry.name, entry]))(
		'%s: the range contains what Sivi charged (eight different requests)',
		async (_name, { params }) => {
			const items = Array.from({ length: 8 }, (_, i) => ({ json: { i } }));
			const prompt = 'prompt' in params ? '={{ "Mug " + $json.i }}' : undefined;
			const title = 'title' in params ? '={{ "Sale " + $json.i }}' : undefined;
			const pairs = await estimatesAndCharges(
				{ ...params, ...(prompt ? { prompt } : {}), ...(title ? { title } : {}) },
				items,
			);
			expect(pairs).toHaveLength(8);
			for (const { credits, cost } of pairs) {
				expect(cost).toBeGreaterThanOrEqual(credits.min);
				expect(cost).toBeLessThanOrEqual(credits.max ?? Infinity);
			}
			expect(pairs.map(({ credits }) => credits.max === null)).toEqual(
				pairs.map(({ credits }) => credits.basis.includes('at least')),
			);
		},
	);

	it('says so where Sivi publishes no price (brand extraction)', async () => {
		const run = await executeNode(
			node({
				resource: 'brand',
				operation: 'extract',
				brandUrl: 'https://example.com',
				...NO_WAIT,
			}),
		);
		expect(run.output[0].json.credits).toEqual({
			min: null,
			max: null,
			basis: 'Sivi publishes no price for brand extractions',
		});
	});

	it('names the run total in a hint', async () => {
		const items = [{ json: {} }, { json: {} }, { json: {} }];
		const run = await executeNode(
			node(promptParams({ designModel: 'sivi-gen-27', numOfVariants: 2, ...NO_WAIT }), { items }),
		);
		expect(run.hints.map((hint) => hint.message)).toContain(
			"Sivi jobs of this run: 6 designs, about 6 credits (estimated from Sivi's published prices)",
		);
		const auto = await executeNode(node(promptParams({ numOfVariants: 1, ...NO_WAIT }), { items }));
		expect(auto.hints.map((hint) => hint.message)).toContain(
			"Sivi jobs of this run: 3 designs, about 3–9 credits (estimated from Sivi's published prices)",
		);
	});
});

describe('Dry Run', () => {
	const items = Array.from({ length: 4 }, (_, i) => ({ json: { i } }));
	const runs = [
		[
			'Generate (default brand looked up)',
			mediaParams({
				prompt: '={{ "Mug " + $json.i }}',
				brandId: rl('', 'list'),
			}),
		],
		['Create From Content', contentParams({ title: '={{ "Sale " + $json.i }}' })],
		['Create From Prompt', promptParams({ prompt: '={{ "Cafe " + $json.i }}' })],
	] as const;

	it.each(runs)(
		'%s: submits nothing, and shows the bodies a real run sends',
		async (_name, params) => {
			const dry = await executeNode(
				node({ ...params, options: { ...(params.options as object), dryRun: true } }, { items }),
			);
			expect(dry.nodeFailed).toBe(false);
			expect(sim.counters().submits).toBe(0);
			// Reads only: the default brand's lookup, nothing that creates or costs anything.
			expect(apiCalls(dry.requests).map((call) => call.path)).toEqual(
				params.operation === 'generate' ? ['brand/get'] : [],
			);
			expect(dry.hints.map((hint) => hint.message)).toEqual([
				expect.stringMatching(
					/^Dry run: nothing was submitted\. A real run would submit \d+ (images|designs), about /,
				),
			]);
			const real = await executeNode(node(params, { items }));
			expect(real.nodeFailed).toBe(false);
			const sent = sim.jobs().map((job) => job.payload);
			expect(dry.output.map((item) => item.json.body)).toEqual(sent);
			expect(dry.output.map((item) => item.json.credits)).toEqual(
				real.output.map((item) => item.json.credits),
			);
			expect(
				dry.output.map((item) => [item.json.dryRun, item.json.endpoint, item.pairedItem]),
			).toEqual(sim.jobs().map((job, i) => [true, `general/${job.endpoint}`, { item: i }]));
		},
	);

	it('shows uploads as what they would become, and uploads nothing', async () => {
		const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
		const photo = { data: PNG.toString('base64'), mimeType: 'image/png', fileName: 'mug.png' };
		const run = await executeNode(
			node(contentParams({ imageBinaryFields: 'photo', options: { dryRun: true } }), {
				items: [{ json: {}, binary: { photo } }],
			}),
		);
		expect(run.nodeFailed).toBe(false);
		expect(run.requests).toHaveLength(0);
		expect(run.output[0].json.body).toMatchObject({
			assets: { images: [{ url: '(upload of binary field "photo")' }] },
		});
	});

	it('refuses bad items as a real run does, before any request', async () => {
		const run = await executeNode(
			node(promptParams({ numOfVariants: 9, options: { dryRun: true } })),
		);
		expect(run.nodeFailed).toBe(true);
		expect(run.error?.message).toMatch(/^Number of Variants must be between 1 and 4/);
		expect(run.requests).toHaveLength(0);
	});
});

describe('Max Credits per Run', () => {
	const items = Array.from({ length: 5 }, () => ({ json: {} }));
	const gen27 = (maxCredits: number) =>
		promptParams({
			designModel: 'sivi-gen-27',
			numOfVariants: 2,
			...NO_WAIT,
			options: { maxCredits },
		});

	it('refuses a run whose estimate is above it, sending nothing', async () => {
		const run = await executeNode(node(gen27(9), { items }));
		expect(run.nodeFailed).toBe(true);
		expect(run.error?.message).toBe(
			'This run would use up to 10 credits for 5 items, more than Max Credits per Run (9)',
		);
		expect(run.error?.description).toMatch(/^Nothing was sent to Sivi\./);
		expect(run.requests).toHaveLength(0);
		expect(sim.counters().requests).toBe(0);
	});

	it('lets a run at the budget go', async () => {
		const run = await executeNode(node(gen27(10), { items }));
		expect(run.nodeFailed).toBe(false);
		expect(sim.counters().submits).toBe(5);
	});

	it('counts a "+" price at its minimum, and says so', async () => {
		const run = await executeNode(
			node(
				promptParams({
					designModel: 'sivi-gen-3h-preview',
					numOfVariants: 1,
					...NO_WAIT,
					options: { maxCredits: 1 },
				}),
			),
		);
		expect(run.error?.message).toMatch(/up to 2 credits for 1 item/);
		expect(run.error?.description).toMatch(/counted at its minimum, so the run may cost more/);
		expect(run.requests).toHaveLength(0);
	});
});

describe('a credit error for an end user', () => {
	it('names the end user', async () => {
		sim.setFaults({ submitFault: { kind: '429-credit' } });
		const run = await executeNode(
			node(mediaParams({ additionalFields: { abstractUserId: 'customer-4711' }, ...NO_WAIT })),
		);
		expect(run.error?.message).toBe('Not enough Sivi credits (end user "customer-4711")');
		expect(run.error?.description).toMatch(/for end user "customer-4711": their credit limit/);
	});
});

it('offers the Auto image model the 5 standard sizes only', () => {
	const auto = imageModels.find((model) => model.value === 'auto')!;
	expect(auto.sizes).toEqual(['1024x1024', '1344x768', '1280x960', '960x1280', '768x1344']);
	expect(priceOf(auto.credits)).toEqual({ min: 0.03, max: 3 });
});

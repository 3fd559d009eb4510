// Every operation end to end against the simulator: exact request bodies (compared with the
// API reference's examples), every job end state, timeout, cancel and Get Status.
import { NodeApiError, sleep } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../simulator';
import {
	contentParams,
	createContext,
	mediaParams,
	promptParams,
	runNode,
} from '../helpers/executeContext';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ jobDurationMs: 120, rateLimit: { limit: 1000, windowMs: 60_000 } });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.resetCounters();
	sim.setFaults({});
	sim.setOptions({
		completedSpelling: 'completed',
		mediaResultShape: 'images',
		jobDurationMs: 120,
	});
});

const ctx = (
	params: Record<string, unknown>,
	extra: Partial<Parameters<typeof createContext>[0]> = {},
) => createContext({ params, baseUrl: sim.baseUrl, apiKey: sim.apiKey, ...extra });

const submittedBodies = () => sim.jobs().map((job) => job.payload);

describe('request bodies match the API reference examples', () => {
	it('Designs from Content sends the reference example body exactly', async () => {
		const { context, requests } = ctx(
			contentParams({
				title: 'Fresh styles for spring',
				content: {
					offer: 'Save 25% this week',
					button: 'Shop now',
					bulletlist: 'Free returns\nShips in 24h',
				},
				assets: {
					images: [{ url: 'https://example.com/product.jpg', crop: 'yes', removeBg: 'auto' }],
					logos: [{ url: 'https://example.com/logo.png', logoStyles: ['direct', 'neutral'] }],
				},
				designMode: 'brand',
				brandId: { __rl: true, mode: 'id', value: 'b_default0001' },
				designModel: 'auto',
				additionalFields: { outputFormat: 'jpg' },
				waitForCompletion: false,
			}),
		);
		await runNode(context);
		const submit = requests.find((request) =>
			request.url.endsWith('/general/designs-from-content'),
		)!;
		expect(submit.method).toBe('POST');
		expect(submit.body).toEqual({
			name: 'Spring sale banner',
			type: 'instagram',
			subtype: 'instagram-post',
			numOfVariants: 2,
			content: {
				title: 'Fresh styles for spring',
				offer: 'Save 25% this week',
				button: 'Shop now',
				bulletlist: ['Free returns', 'Ships in 24h'],
			},
			assets: {
				images: [
					{
						url: 'https://example.com/product.jpg',
						imagePreference: { crop: true, removeBg: null },
					},
				],
				logos: [{ url: 'https://example.com/logo.png', logoStyles: ['direct', 'neutral'] }],
			},
			language: 'english',
			outputFormat: ['jpg'],
			settings: { mode: 'brand', currentbId: 'b_default0001', designModel: 'auto' },
		});
		expect(submit.headers['sivi-api-key']).toBe(sim.apiKey);
	});

	it('Designs from Prompt sends the reference example body exactly', async () => {
		const { context, requests } = ctx(promptParams({ waitForCompletion: false }));
		await runNode(context);
		const submit = requests.find((request) =>
			request.url.endsWith('/general/designs-from-prompt'),
		)!;
		expect(submit.body).toEqual({
			type: 'displayAds',
			subtype: 'displayAds-inline-rectangle',
			prompt: 'Autumn coffee promo for a neighbourhood cafe, 2-for-1 lattes on weekdays',
			numOfVariants: 1,
			language: 'english',
			settings: { mode: 'auto', designModel: 'auto' },
		});
	});

	it('Generate Media sends the reference generation body exactly (dimensions plural)', async () => {
		const { context, requests } = ctx(
			mediaParams({
				additionalFields: { negativePrompt: 'text, watermark' },
				waitForCompletion: false,
			}),
		);
		await runNode(context);
		const submit = requests.find((request) => request.url.endsWith('/general/media/generate'))!;
		expect(submit.body).toEqual({
			prompt: 'Flat-lay of a ceramic mug on linen, soft morning light',
			dimensions: { width: 1344, height: 768 },
			bId: 'b_default0001',
			model: 'z-image-turbo',
			negativePrompt: 'text, watermark',
		});
	});

	it('Generate Media with inputs sends the reference enhancement body', async () => {
		const seeded = sim.mediaRecords()[0].mId;
		const { context, requests } = ctx(
			mediaParams({
				prompt: 'Place this product on a marble counter',
				model: 'nano-banana:1k',
				dimensions: '1024x1024',
				siviMedia: { media: [{ mediaId: { __rl: true, mode: 'list', value: seeded } }] },
				imageUrls: 'https://example.com/ref.jpg',
				waitForCompletion: false,
			}),
		);
		await runNode(context);
		const submit = requests.find((request) => request.url.endsWith('/general/media/generate'))!;
		expect(submit.body).toEqual({
			prompt: 'Place this product on a marble counter',
			dimensions: { width: 1024, height: 1024 },
			bId: 'b_default0001',
			model: 'nano-banana:1k',
			siviAssets: [{ mId: seeded }],
			assets: { photo: [{ url: 'https://example.com/ref.jpg' }] },
		});
		expect(sim.counters().submits).toBe(1);
	});

	it('leaves optional fields out when they are empty', async () => {
		const { context, requests } = ctx(
			mediaParams({
				additionalFields: { negativePrompt: '' },
				imageUrls: '',
				siviMedia: {},
				waitForCompletion: false,
			}),
		);
		await runNode(context);
		const body = requests.find((request) => request.url.endsWith('/general/media/generate'))!
			.body as object;
		expect(Object.keys(body).sort()).toEqual(['bId', 'dimensions', 'model', 'prompt']);
	});

	it('uses the default brand when Brand is empty (one brand/get call)', async () => {
		const { context, requests } = ctx(
			mediaParams({ brandId: { __rl: true, mode: 'list', value: '' }, waitForCompletion: false }),
			{ items: [{ json: {} }, { json: {} }] },
		);
		const output = await runNode(context);
		expect(output).toHaveLength(2);
		expect(requests.filter((request) => request.url.endsWith('/brand/get'))).toHaveLength(1);
		const jobs = sim.jobs().slice(-2);
		expect(jobs).toHaveLength(2);
		for (const job of jobs) expect(job.payload.bId).toBe('b_default0001');
	});

	it('sends the custom dimension (singular) for custom designs', async () => {
		const { context } = ctx(
			promptParams({
				designType: 'custom',
				subtype: 'custom',
				customWidth: 1200,
				customHeight: 300,
				waitForCompletion: false,
			}),
		);
		await runNode(context);
		expect(sim.counters().submits).toBe(1);
		expect(submittedBodies().pop()!.dimension).toEqual({ width: 1200, height: 300 });
	});
});

describe('Wait for Completion', () => {
	it('returns finished design variants with links, one item per input item, pairedItem set', async () => {
		const { context } = ctx(contentParams(), { items: [{ json: {} }, { json: {} }] });
		const output = await runNode(context);
		expect(output).toHaveLength(2);
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.status).toBe('completed');
			expect(item.json.designId).toBeTruthy();
			expect(item.json.link).toMatch(/^https:\/\/instant\.sivi\.ai\/#\/design\//);
			const variants = item.json.variants as Array<{
				imageUrl: string;
				id: string;
				width: number;
				options?: unknown[];
			}>;
			expect(variants).toHaveLength(2);
			expect(variants[0].imageUrl).toContain(`/files/${item.json.requestId}-`);
			expect(variants[0].width).toBe(1080);
			expect(variants[0].options).toHaveLength(1);
		});
		expect(sim.counters().submits).toBe(2);
	});

	it('understands the "complete" spelling', async () => {
		sim.setOptions({ completedSpelling: 'complete' });
		const [item] = await runNode(ctx(promptParams()).context);
		expect(item.json.status).toBe('completed');
		expect((item.json.variants as unknown[]).length).toBe(1);
	});

	it.each(['images', 'media', 'variations'] as const)(
		'reads media results shaped as %s',
		async (shape) => {
			sim.setOptions({ mediaResultShape: shape });
			const [item] = await runNode(ctx(mediaParams()).context);
			expect(item.json.status).toBe('completed');
			const images = item.json.images as Array<{ url: string }>;
			expect(images.length).toBeGreaterThan(0);
			expect(images[0].url).toContain(`/files/${item.json.requestId}`);
		},
	);

	it('keeps an unknown media result as raw result', async () => {
		sim.setOptions({ mediaResultShape: 'raw' });
		const [item] = await runNode(ctx(mediaParams()).context);
		expect(item.json.status).toBe('completed');
		expect(item.json.result).toBeDefined();
	});

	it('turns a failed job into an item error with the reason and requestId', async () => {
		const params = contentParams({ name: 'Broken [sim:fail]' });
		await expect(runNode(ctx(params).context)).rejects.toThrow(/failed: Image url invalid/);
		const output = await runNode(ctx(params, { continueOnFail: true }).context);
		expect(output[0].json.error).toMatch(/ended as failed/);
		expect(output[0].json.requestId).toBeTruthy();
		expect(output[0].json.reason).toBe('Image url invalid');
		expect(output[0].error).toBeUndefined(); // the message is in json.error (see errorItem)
	});

	it('shapes error items for the error output the way n8n routes them', async () => {
		const params = contentParams({ name: 'Broken [sim:fail]' });
		const output = await runNode(
			ctx(params, { continueOnFail: true, onError: 'continueErrorOutput' }).context,
		);
		// n8n sends items whose JSON has only error/message/details keys to the error output.
		expect(Object.keys(output[0].json).sort()).toEqual(['details', 'error']);
		expect(output[0].json.error).toMatch(/ended as failed: Image url invalid/);
		expect((output[0].json.details as { requestId: string }).requestId).toBeTruthy();
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	it('treats a suspended job as a failure', async () => {
		const output = await runNode(
			ctx(promptParams({ prompt: 'Cafe promo [sim:suspend]' }), { continueOnFail: true }).context,
		);
		expect(output[0].json.error).toMatch(/ended as suspended/);
		expect(output[0].json.status).toBe('suspended');
	});

	it('times out at Max Wait with the requestId and a Get Status hint, then Get Status resumes it', async () => {
		sim.setOptions({ jobDurationMs: 1500 });
		const output = await runNode(
			ctx(promptParams({ options: { pollInterval: 0.05, maxWait: 0.3 } }), { continueOnFail: true })
				.context,
		);
		const requestId = output[0].json.requestId as string;
		expect(requestId).toBeTruthy();
		expect(output[0].json.error).toMatch(/did not finish within/);
		expect(output[0].json.errorDescription).toMatch(/Get Status/);
		expect(sim.counters().submits).toBe(1);

		const resumed = await runNode(
			ctx({
				resource: 'request',
				operation: 'getStatus',
				requestId,
				waitForCompletion: true,
				options: { pollInterval: 0.1, maxWait: 10 },
			}).context,
		);
		expect(resumed[0].json.status).toBe('completed');
		expect((resumed[0].json.variants as unknown[]).length).toBe(1);
		expect(sim.counters().submits).toBe(1);
	});

	it('stops polling at once when the execution is cancelled', async () => {
		sim.setOptions({ jobDurationMs: 5000 });
		const controller = new AbortController();
		const running = runNode(
			ctx(promptParams({ options: { pollInterval: 0.05 } }), {
				signal: controller.signal,
				continueOnFail: true,
			}).context,
		);
		await sleep(300);
		controller.abort();
		const output = await running;
		const pollsAtCancel = sim.counters().polls;
		await sleep(300);
		expect(sim.counters().polls).toBe(pollsAtCancel);
		expect(output[0].json.error).toMatch(/cancelled/i);
		expect(output[0].json.requestId).toBeTruthy();
	});
});

describe('Get Status without waiting', () => {
	it('reports the current state of a running job', async () => {
		sim.setOptions({ jobDurationMs: 2000 });
		const [submitted] = await runNode(ctx(promptParams({ waitForCompletion: false })).context);
		expect(submitted.json.status).toBe('submitted');
		const [status] = await runNode(
			ctx({ resource: 'request', operation: 'getStatus', requestId: submitted.json.requestId })
				.context,
		);
		expect(['pending', 'processing']).toContain(status.json.status);
		expect(status.json.requestId).toBe(submitted.json.requestId);
	});

	it("fails with Sivi's 404 for an unknown request", async () => {
		await expect(
			runNode(ctx({ resource: 'request', operation: 'getStatus', requestId: 'nope' }).context),
		).rejects.toBeInstanceOf(NodeApiError);
	});
});

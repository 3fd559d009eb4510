// Every operation end to end against the simulator: exact request bodies (compared with the
// API reference's examples), every job end state, timeout, cancel and Get Status.
import { sleep } from 'n8n-workflow';

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

const node = (params: NodeParams, extra: Partial<NodeRunOptions> = {}): NodeRunOptions => ({
	params,
	baseUrl: sim.baseUrl,
	apiKey: sim.apiKey,
	...extra,
});

const submittedBodies = () => sim.jobs().map((job) => job.payload);

describe('request bodies match the API reference examples', () => {
	it('Designs from Content sends the reference example body exactly', async () => {
		const { requests } = await executeNode(
			node(
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
			),
		);
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
		const { requests } = await executeNode(node(promptParams({ waitForCompletion: false })));
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
		const { requests } = await executeNode(
			node(
				mediaParams({
					additionalFields: { negativePrompt: 'text, watermark' },
					waitForCompletion: false,
				}),
			),
		);
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
		const { requests } = await executeNode(
			node(
				mediaParams({
					prompt: 'Place this product on a marble counter',
					model: 'nano-banana:1k',
					dimensions: '1024x1024',
					siviMedia: { media: [{ mediaId: { __rl: true, mode: 'list', value: seeded } }] },
					imageUrls: 'https://example.com/ref.jpg',
					waitForCompletion: false,
				}),
			),
		);
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
		const { requests } = await executeNode(
			node(
				mediaParams({
					additionalFields: { negativePrompt: '' },
					imageUrls: '',
					siviMedia: {},
					waitForCompletion: false,
				}),
			),
		);
		const body = requests.find((request) => request.url.endsWith('/general/media/generate'))!
			.body as object;
		expect(Object.keys(body).sort()).toEqual(['bId', 'dimensions', 'model', 'prompt']);
	});

	it('uses the default brand when Brand is empty (one brand/get call)', async () => {
		const { output, requests } = await executeNode(
			node(
				mediaParams({ brandId: { __rl: true, mode: 'list', value: '' }, waitForCompletion: false }),
				{ items: [{ json: {} }, { json: {} }] },
			),
		);
		expect(output).toHaveLength(2);
		expect(requests.filter((request) => request.url.endsWith('/brand/get'))).toHaveLength(1);
		const jobs = sim.jobs().slice(-2);
		expect(jobs).toHaveLength(2);
		for (const job of jobs) expect(job.payload.bId).toBe('b_default0001');
	});

	it('sends the custom dimension (singular) for custom designs', async () => {
		await runNode(
			node(
				promptParams({
					designType: 'custom',
					subtype: 'custom',
					customWidth: 1200,
					customHeight: 300,
					waitForCompletion: false,
				}),
			),
		);
		expect(sim.counters().submits).toBe(1);
		expect(submittedBodies().pop()!.dimension).toEqual({ width: 1200, height: 300 });
	});
});

describe('Wait for Completion', () => {
	it('returns finished design variants with links, one item per input item, pairedItem set', async () => {
		const output = await runNode(node(contentParams(), { items: [{ json: {} }, { json: {} }] }));
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
		const [item] = await runNode(node(promptParams()));
		expect(item.json.status).toBe('completed');
		expect((item.json.variants as unknown[]).length).toBe(1);
	});

	it.each(['images', 'media', 'variations'] as const)(
		'reads media results shaped as %s',
		async (shape) => {
			sim.setOptions({ mediaResultShape: shape });
			const [item] = await runNode(node(mediaParams()));
			expect(item.json.status).toBe('completed');
			const images = item.json.images as Array<{ url: string }>;
			expect(images.length).toBeGreaterThan(0);
			expect(images[0].url).toContain(`/files/${item.json.requestId}`);
		},
	);

	it('keeps an unknown media result as raw result', async () => {
		sim.setOptions({ mediaResultShape: 'raw' });
		const [item] = await runNode(node(mediaParams()));
		expect(item.json.status).toBe('completed');
		expect(item.json.result).toBeDefined();
	});

	it('turns a failed job into an item error with the reason and requestId', async () => {
		const params = contentParams({ name: 'Broken [sim:fail]' });
		const stopped = await executeNode(node(params));
		expect(stopped.status).toBe('error');
		expect(stopped.error).toMatchObject({
			name: 'NodeOperationError',
			message: expect.stringMatching(/failed: Image url invalid/),
			description: expect.stringMatching(/^Sivi's reason: Image url invalid\. Request ID: \w+\.$/),
			context: { itemIndex: 0 },
		});
		const output = await runNode(node(params, { continueOnFail: true }));
		expect(output[0].json.error).toMatch(/ended as failed/);
		expect(output[0].json.requestId).toBeTruthy();
		expect(output[0].json.reason).toBe('Image url invalid');
		expect(output[0].error).toBeUndefined(); // the message is in json.error (see errorItem)
	});

	it('sends error items to the error output, where n8n routes them', async () => {
		const params = contentParams({ name: 'Broken [sim:fail]' });
		const run = await executeNode(
			node(params, { onError: 'continueErrorOutput', items: [{ json: { row: 7 } }] }),
		);
		expect(run.output).toEqual([]);
		expect(run.errorOutput).toHaveLength(1);
		const [item] = run.errorOutput;
		// n8n merges the input item's JSON into error items it routes to the error output.
		expect(Object.keys(item.json).sort()).toEqual(['error', 'message', 'row']);
		expect(item.json.error).toMatch(/ended as failed: Image url invalid/);
		// The shape n8n 1.x routes too; the request ID is in the message.
		expect(item.json.message).toMatch(/^Sivi's reason: Image url invalid\. Request ID: \w+\.$/);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('keeps finished items on the success output next to routed error items', async () => {
		const { params, items } = perItemParams([
			contentParams({ name: 'Broken [sim:fail]', numOfVariants: 1 }),
			contentParams({ numOfVariants: 1 }),
		]);
		const run = await executeNode(node(params, { items, onError: 'continueErrorOutput' }));
		expect(run.output.map((item) => [item.pairedItem, item.json.status])).toEqual([
			[{ item: 1 }, 'completed'],
		]);
		expect(run.errorOutput.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
	});

	it('treats a suspended job as a failure', async () => {
		const output = await runNode(
			node(promptParams({ prompt: 'Cafe promo [sim:suspend]' }), { continueOnFail: true }),
		);
		expect(output[0].json.error).toMatch(/ended as suspended/);
		expect(output[0].json.status).toBe('suspended');
	});

	it('times out at Max Wait with the requestId and a Get Status hint, then Get Status resumes it', async () => {
		sim.setOptions({ jobDurationMs: 1500 });
		const output = await runNode(
			node(promptParams({ options: { pollInterval: 0.05, maxWait: 0.3 } }), {
				continueOnFail: true,
			}),
		);
		const requestId = output[0].json.requestId as string;
		expect(requestId).toBeTruthy();
		expect(output[0].json.error).toMatch(/did not finish within/);
		expect(output[0].json.errorDescription).toMatch(/Get Status/);
		expect(sim.counters().submits).toBe(1);

		// As a workflow would: the request ID comes from the item.
		const resumed = await runNode(
			node(
				{
					resource: 'request',
					operation: 'getStatus',
					requestId: '={{ $json.requestId }}',
					waitForCompletion: true,
					options: { pollInterval: 0.1, maxWait: 10 },
				},
				{ items: [{ json: { requestId } }] },
			),
		);
		expect(resumed[0].json.status).toBe('completed');
		expect((resumed[0].json.variants as unknown[]).length).toBe(1);
		expect(sim.counters().submits).toBe(1);
	});

	it('stops polling at once when the execution is cancelled', async () => {
		sim.setOptions({ jobDurationMs: 5000 });
		const controller = new AbortController();
		const running = executeNode(
			node(promptParams({ options: { pollInterval: 0.05 } }), {
				signal: controller.signal,
				continueOnFail: true,
			}),
		);
		await sleep(300);
		controller.abort();
		const { status, output } = await running;
		const pollsAtCancel = sim.counters().polls;
		await sleep(300);
		expect(sim.counters().polls).toBe(pollsAtCancel);
		expect(status).toBe('canceled');
		expect(output[0].json.error).toMatch(/cancelled/i);
		expect(output[0].json.requestId).toBeTruthy();
	});
});

describe('Get Status without waiting', () => {
	it('reports the current state of a running job', async () => {
		sim.setOptions({ jobDurationMs: 2000 });
		const [submitted] = await runNode(node(promptParams({ waitForCompletion: false })));
		expect(submitted.json.status).toBe('submitted');
		const [status] = await runNode(
			node({ resource: 'request', operation: 'getStatus', requestId: submitted.json.requestId }),
		);
		expect(['pending', 'processing']).toContain(status.json.status);
		expect(status.json.requestId).toBe(submitted.json.requestId);
	});

	it("fails with Sivi's 404 for an unknown request", async () => {
		const run = await executeNode(
			node({ resource: 'request', operation: 'getStatus', requestId: 'nope' }),
		);
		expect(run.error).toMatchObject({ name: 'NodeApiError', httpCode: '404' });
		expect(run.error?.message).toMatch(/Sivi could not find it/);
	});
});

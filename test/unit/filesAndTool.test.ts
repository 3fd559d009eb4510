// Results as files, binary input for enhancement, and AI-agent tool mode.
import { createHash } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../simulator';
import {
	binaryBuffer,
	contentParams,
	executeNode,
	inNodeContext,
	mediaParams,
	runNode,
	sha256,
	SIVI_TOOL_NODE_TYPE,
	type NodeParams,
	type NodeRunOptions,
} from '../helpers/n8nEngine';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ jobDurationMs: 80, rateLimit: { limit: 10_000, windowMs: 60_000 } });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.resetCounters();
	sim.setFaults({});
	sim.setOptions({ mediaResultShape: 'images' });
});

const FAST = { pollInterval: 0.03, requestsPerMinute: 100_000 };

const node = (params: NodeParams, extra: Partial<NodeRunOptions> = {}): NodeRunOptions => ({
	params,
	baseUrl: sim.baseUrl,
	apiKey: sim.apiKey,
	...extra,
});

/** A small but real JPEG (SOI … EOI) carried as n8n binary data. */
function photoItem(name = 'photo'): INodeExecutionData {
	const bytes = Buffer.concat([
		Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
		Buffer.from('product photo bytes'),
		Buffer.from([0xff, 0xd9]),
	]);
	return {
		json: {},
		binary: {
			[name]: {
				data: bytes.toString('base64'),
				mimeType: 'image/jpeg',
				fileName: 'mug.jpg',
				fileExtension: 'jpg',
			},
		},
	};
}

describe('Download Images', () => {
	it('stores every media image as binary whose bytes equal what Sivi served', async () => {
		const [item] = await runNode(node(mediaParams({ options: { ...FAST, downloadImages: true } })));
		const file = item.binary!.data;
		expect(file.mimeType).toBe('image/jpeg');
		expect(file.fileName).toBe(`${item.json.requestId}-image1.jpg`);
		const url = (item.json.images as Array<{ url: string }>)[0].url;
		expect(sha256(await binaryBuffer(file))).toBe(sim.servedImageSha256(url));
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('is on by default for Generate Media and off for designs', async () => {
		const [media] = await runNode(node(mediaParams({ options: FAST })));
		expect(media.binary?.data).toBeDefined();
		const [design] = await runNode(node(contentParams({ options: FAST })));
		expect(design.binary).toBeUndefined();
		expect((design.json.variants as unknown[]).length).toBe(2);
	});

	it('puts several variants in data, data_1, … and names each file after request and variant', async () => {
		const [item] = await runNode(
			node(
				contentParams({ options: { ...FAST, downloadImages: true, binaryPropertyName: 'design' } }),
			),
		);
		const variants = item.json.variants as Array<{
			id: string;
			imageUrl: string;
			options?: Array<{ id: string; imageUrl: string }>;
		}>;
		const urls = variants.flatMap((variant) => [
			variant.imageUrl,
			...(variant.options ?? []).map((option) => option.imageUrl),
		]);
		expect(Object.keys(item.binary!)).toEqual(
			urls.map((_, index) => (index === 0 ? 'design' : `design_${index}`)),
		);
		expect(item.binary!.design.fileName).toBe(`${item.json.requestId}-${variants[0].id}.jpg`);
		const files = Object.values(item.binary!);
		const hashes = await Promise.all(files.map(async (file) => sha256(await binaryBuffer(file))));
		expect(hashes).toEqual(urls.map((url) => sim.servedImageSha256(url)));
	});

	it('with Split Into Items gives one item per image, each in data and paired with its input', async () => {
		const output = await runNode(
			node(contentParams({ options: { ...FAST, downloadImages: true, splitIntoItems: true } }), {
				items: [{ json: {} }, { json: {} }],
			}),
		);
		expect(output).toHaveLength(6); // 2 items × (2 variants + 1 option)
		expect(output.map((item) => item.pairedItem)).toEqual(
			[0, 0, 0, 1, 1, 1].map((item) => ({ item })),
		);
		for (const item of output) {
			expect(Object.keys(item.binary!)).toEqual(['data']);
			expect(item.json.imageUrl).toBeTruthy();
		}
	});

	it('refuses a file above Max Download Size with an error that keeps the URLs', async () => {
		const run = await executeNode(
			node(mediaParams({ options: { ...FAST, downloadImages: true, maxDownloadSizeMb: 0.0001 } }), {
				continueOnFail: true,
			}),
		);
		const [item] = run.output;
		expect(item.json.error).toMatch(/larger than the Max Download Size/);
		expect(item.json.errorDescription).toContain('/files/');
		expect((item.json.images as unknown[]).length).toBe(1);
		expect(item.json.requestId).toBeTruthy();
		expect(run.hints.map((hint) => hint.message)).toEqual([
			expect.stringMatching(/^1 image download\(s\) were refused/),
			expect.stringMatching(/^Sivi jobs of this run: 1 image, about/),
		]);
	});

	it('refuses URLs that are not http or https', async () => {
		const { downloadImage } = await import('../../nodes/Sivi/output/download');
		const limits = { maxBytes: 1e6, timeoutMs: 1000 };
		const refusals = await inNodeContext(node(mediaParams()), async (context) => {
			const refused: string[] = [];
			for (const url of ['file:///etc/passwd', 'ftp://example.com/a.jpg'])
				await downloadImage(context, url, 'x', limits).catch((error: Error) =>
					refused.push(error.message),
				);
			return refused;
		});
		expect(refusals).toEqual([
			'Refused to download file:///etc/passwd: only http and https URLs are fetched',
			'Refused to download ftp://example.com/a.jpg: only http and https URLs are fetched',
		]);
		expect(sim.counters().requests).toBe(0);
	});

	it('downloads without the Sivi key', async () => {
		const { requests } = await executeNode(
			node(mediaParams({ options: { ...FAST, downloadImages: true } })),
		);
		const submit = requests.find((request) => request.url.endsWith('/general/media/generate'))!;
		const download = requests.find((request) => request.url.includes('/files/'))!;
		expect(submit.headers['sivi-api-key']).toBe(sim.apiKey);
		expect(download.method).toBe('GET');
		expect(download.headers['sivi-api-key']).toBeUndefined();
	});
});

describe('Input Binary Fields (enhancement)', () => {
	it('uploads the binary to Sivi and sends it as a siviAssets mId', async () => {
		const item = photoItem();
		const { output, requests } = await executeNode(
			node(
				mediaParams({
					model: 'nano-banana:1k',
					dimensions: '1024x1024',
					binaryInputFields: 'photo',
					options: FAST,
				}),
				{ items: [item] },
			),
		);
		expect(output[0].json.status).toBe('completed');
		const job = sim.jobs().pop()!;
		const assets = job.payload.siviAssets as Array<{ mId: string }>;
		expect(assets).toHaveLength(1);
		const record = sim.mediaRecords().find((media) => media.mId === assets[0].mId)!;
		const uploaded = createHash('sha256')
			.update(Buffer.from(item.binary!.photo.data, 'base64'))
			.digest('hex');
		expect(record.sha256).toBe(uploaded);
		expect(sim.counters().byRoute['POST general/files/get-presigned-url']).toBe(1);
		expect(sim.counters().byRoute['POST general/media/create']).toBe(1);
		// The presigned URL carries its own authorization: the Sivi key is not sent there.
		const upload = requests.find((request) => request.method === 'PUT')!;
		expect(upload.headers['content-type']).toBe('image/jpeg');
		expect(upload.headers['sivi-api-key']).toBeUndefined();
	});

	it('waits out 429 refusals on the brand lookup and the upload calls instead of failing', async () => {
		sim.resetRateLimit();
		sim.setOptions({ rateLimit: { limit: 2, windowMs: 400 } });
		try {
			const [result] = await runNode(
				node(
					mediaParams({
						brandId: { __rl: true, mode: 'list', value: '' },
						model: 'nano-banana:1k',
						dimensions: '1024x1024',
						binaryInputFields: 'photo',
						options: FAST,
					}),
					{ items: [photoItem()] },
				),
			);
			expect(result.json.status).toBe('completed');
			expect(sim.counters().rateLimited).toBeGreaterThan(0);
			expect(sim.counters().submits).toBe(1);
		} finally {
			sim.setOptions({ rateLimit: { limit: 10_000, windowMs: 60_000 } });
			sim.resetRateLimit();
		}
	});

	it('counts binary inputs toward the limit of 4 images, before anything is sent', async () => {
		await expect(
			runNode(
				node(
					mediaParams({
						model: 'nano-banana:1k',
						dimensions: '1024x1024',
						imageUrls:
							'https://example.com/1.jpg, https://example.com/2.jpg, https://example.com/3.jpg',
						binaryInputFields: 'photo',
						siviMedia: {
							media: [{ mediaId: { __rl: true, mode: 'id', value: 'w_sim----photo_0001.jpeg' } }],
						},
						options: FAST,
					}),
					{ items: [photoItem()] },
				),
			),
		).rejects.toThrow(/at most 4 input images/);
		expect(sim.counters().requests).toBe(0);
	});
});

describe('AI-agent tool mode', () => {
	const COMPACT = [
		'credits',
		'designId',
		'editLinks',
		'editorLink',
		'imageUrls',
		'requestId',
		'status',
	];

	it('returns compact JSON: ids, status and links, no binary, no base64, no raw result', async () => {
		const [item] = await runNode(
			node(contentParams({ options: { ...FAST, downloadImages: true } }), {
				nodeType: SIVI_TOOL_NODE_TYPE,
			}),
		);
		expect(item.binary).toBeUndefined();
		expect(Object.keys(item.json).sort()).toEqual(COMPACT);
		expect((item.json.imageUrls as string[]).length).toBe(3);
		const text = JSON.stringify(item.json);
		expect(text).not.toMatch(/base64|"result"|\/9j\//);
		expect(text.length).toBeLessThan(2000);
	});

	it('detects the tool by its node type where the engine runs it (isToolExecution() is false)', async () => {
		// AI Agent 3.x runs the …Tool node through the workflow engine, whose execute context
		// says isToolExecution() false; the same parameters on the plain node give full items.
		const params = contentParams({ options: { ...FAST, downloadImages: true } });
		const [tool] = await runNode(node(params, { nodeType: SIVI_TOOL_NODE_TYPE }));
		const [plain] = await runNode(node(params));
		expect({ binary: tool.binary, keys: Object.keys(tool.json).sort() }).toEqual({
			binary: undefined,
			keys: COMPACT,
		});
		expect(Object.keys(plain.binary ?? {})).toEqual(['data', 'data_1', 'data_2']);
		expect(plain.json.variants).toBeDefined();
	});

	it('reports a failed job compactly with its reason', async () => {
		const [item] = await runNode(
			node(mediaParams({ prompt: 'mug [sim:fail]', options: FAST }), {
				nodeType: SIVI_TOOL_NODE_TYPE,
				continueOnFail: true,
			}),
		);
		expect(item.binary).toBeUndefined();
		expect(item.json.error).toMatch(/failed/);
		expect(item.json.requestId).toBeTruthy();
		expect(JSON.stringify(item.json as IDataObject)).not.toMatch(/"result"/);
	});
});

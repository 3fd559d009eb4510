// Results as files, binary input for enhancement, and AI-agent tool mode.
import { createHash } from 'node:crypto';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { startSimulator, type Simulator } from '../simulator';
import {
	contentParams,
	createContext,
	mediaParams,
	runNode,
	sha256,
} from '../helpers/executeContext';

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

const ctx = (
	params: Record<string, unknown>,
	extra: Partial<Parameters<typeof createContext>[0]> = {},
) => createContext({ params, baseUrl: sim.baseUrl, apiKey: sim.apiKey, ...extra });

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
		const { context, binaries } = ctx(mediaParams({ options: { ...FAST, downloadImages: true } }));
		const [item] = await runNode(context);
		const file = item.binary!.data;
		expect(file.mimeType).toBe('image/jpeg');
		expect(file.fileName).toBe(`${item.json.requestId}-image1.jpg`);
		const url = (item.json.images as Array<{ url: string }>)[0].url;
		expect(sha256(binaries.get(file.id!)!)).toBe(sim.servedImageSha256(url));
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('is on by default for Generate Media and off for designs', async () => {
		const [media] = await runNode(ctx(mediaParams({ options: FAST })).context);
		expect(media.binary?.data).toBeDefined();
		const [design] = await runNode(ctx(contentParams({ options: FAST })).context);
		expect(design.binary).toBeUndefined();
		expect((design.json.variants as unknown[]).length).toBe(2);
	});

	it('puts several variants in data, data_1, … and names each file after request and variant', async () => {
		const { context, binaries } = ctx(
			contentParams({ options: { ...FAST, downloadImages: true, binaryPropertyName: 'design' } }),
		);
		const [item] = await runNode(context);
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
		Object.values(item.binary!).forEach((file, index) => {
			expect(sha256(binaries.get(file.id!)!)).toBe(sim.servedImageSha256(urls[index]));
		});
	});

	it('with Split Into Items gives one item per image, each in data and paired with its input', async () => {
		const { context } = ctx(
			contentParams({ options: { ...FAST, downloadImages: true, splitIntoItems: true } }),
			{
				items: [{ json: {} }, { json: {} }],
			},
		);
		const output = await runNode(context);
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
		const output = await runNode(
			ctx(mediaParams({ options: { ...FAST, downloadImages: true, maxDownloadSizeMb: 0.0001 } }), {
				continueOnFail: true,
			}).context,
		);
		expect(output[0].json.error).toMatch(/larger than the Max Download Size/);
		expect(output[0].json.errorDescription).toContain('/files/');
		expect((output[0].json.images as unknown[]).length).toBe(1);
		expect(output[0].json.requestId).toBeTruthy();
	});

	it('refuses URLs that are not http or https, and downloads without the Sivi key', async () => {
		const { downloadImage } = await import('../../nodes/Sivi/output/download');
		const { context } = ctx(mediaParams());
		await expect(
			downloadImage(context, 'file:///etc/passwd', 'x', { maxBytes: 1e6, timeoutMs: 1000 }),
		).rejects.toThrow(/only http and https/);
		await expect(
			downloadImage(context, 'ftp://example.com/a.jpg', 'x', { maxBytes: 1e6, timeoutMs: 1000 }),
		).rejects.toThrow(/only http and https/);
		const { context: withDownload, requests } = ctx(
			mediaParams({ options: { ...FAST, downloadImages: true } }),
		);
		await runNode(withDownload);
		const download = requests.find((request) => request.url.includes('/files/'))!;
		expect(download.authenticated).toBe(false);
		expect(download.headers['sivi-api-key']).toBeUndefined();
	});
});

describe('Input Binary Fields (enhancement)', () => {
	it('uploads the binary to Sivi and sends it as a siviAssets mId', async () => {
		const item = photoItem();
		const { context } = ctx(
			mediaParams({
				model: 'nano-banana:1k',
				dimensions: '1024x1024',
				binaryInputFields: 'photo',
				options: FAST,
			}),
			{ items: [item] },
		);
		const [result] = await runNode(context);
		expect(result.json.status).toBe('completed');
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
	});

	it('waits out 429 refusals on the brand lookup and the upload calls instead of failing', async () => {
		sim.resetRateLimit();
		sim.setOptions({ rateLimit: { limit: 2, windowMs: 400 } });
		try {
			const { context } = ctx(
				mediaParams({
					brandId: { __rl: true, mode: 'list', value: '' },
					model: 'nano-banana:1k',
					dimensions: '1024x1024',
					binaryInputFields: 'photo',
					options: FAST,
				}),
				{ items: [photoItem()] },
			);
			const [result] = await runNode(context);
			expect(result.json.status).toBe('completed');
			expect(sim.counters().rateLimited).toBeGreaterThan(0);
			expect(sim.counters().submits).toBe(1);
		} finally {
			sim.setOptions({ rateLimit: { limit: 10_000, windowMs: 60_000 } });
			sim.resetRateLimit();
		}
	});

	it('counts binary inputs toward the limit of 4 images, before anything is sent', async () => {
		const item = photoItem();
		await expect(
			runNode(
				ctx(
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
					{ items: [item] },
				).context,
			),
		).rejects.toThrow(/at most 4 input images/);
		expect(sim.counters().requests).toBe(0);
	});
});

describe('AI-agent tool mode', () => {
	it('returns compact JSON: ids, status and links, no binary, no base64, no raw result', async () => {
		const { context } = ctx(contentParams({ options: { ...FAST, downloadImages: true } }), {
			toolExecution: true,
		});
		const [item] = await runNode(context);
		expect(item.binary).toBeUndefined();
		expect(Object.keys(item.json).sort()).toEqual([
			'designId',
			'editLinks',
			'editorLink',
			'imageUrls',
			'requestId',
			'status',
		]);
		expect((item.json.imageUrls as string[]).length).toBe(3);
		const text = JSON.stringify(item.json);
		expect(text).not.toMatch(/base64|"result"|\/9j\//);
		expect(text.length).toBeLessThan(2000);
	});

	it('detects the tool from its node type when isToolExecution() says no (AI Agent 3.x) or is missing (n8n 1.x)', async () => {
		const outputs = [];
		for (const isToolExecution of [false, undefined]) {
			const { context } = ctx(contentParams({ options: { ...FAST, downloadImages: true } }), {
				nodeType: 'n8n-nodes-sivi.siviTool',
			});
			(context as unknown as { isToolExecution?: () => boolean }).isToolExecution =
				isToolExecution === undefined ? undefined : () => isToolExecution;
			const [item] = await runNode(context);
			outputs.push({ binary: item.binary, keys: Object.keys(item.json).sort() });
		}
		const compact = ['designId', 'editLinks', 'editorLink', 'imageUrls', 'requestId', 'status'];
		expect(outputs).toEqual([
			{ binary: undefined, keys: compact },
			{ binary: undefined, keys: compact },
		]);
	});

	it('reports a failed job compactly with its reason', async () => {
		const { context } = ctx(mediaParams({ prompt: 'mug [sim:fail]', options: FAST }), {
			toolExecution: true,
			continueOnFail: true,
		});
		const [item] = await runNode(context);
		expect(item.binary).toBeUndefined();
		expect(item.json.error).toMatch(/failed/);
		expect(item.json.requestId).toBeTruthy();
		expect(JSON.stringify(item.json as IDataObject)).not.toMatch(/"result"/);
	});
});

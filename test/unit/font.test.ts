// Font operations run through n8n-core against the simulator: Get Many (filters, Return All /
// Limit over meta.cursor) and Upload (a job: .ttf binaries → presigned URLs → font/create,
// waited for), with bad input refused before any request, naming the field.
import { sleep, type INodeExecutionData } from 'n8n-workflow';

import {
	executeNode,
	perItemParams,
	runNode,
	type NodeParams,
	type NodeRunOptions,
} from '../helpers/n8nEngine';
import {
	bodiesTo,
	expectRefused as expectRefusedBy,
	nodeOn,
	useSimulator,
} from '../helpers/simulatorCalls';

const sim = useSimulator({ jobDurationMs: 100, rateLimit: { limit: 10_000, windowMs: 60_000 } });
const node = nodeOn(sim);

const TTF_REGULAR = Buffer.from([0x00, 0x01, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x80, 0x11]);
const TTF_BOLD = Buffer.from([0x00, 0x01, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x80, 0x22]);

type File = [name: string, bytes: Buffer, mimeType: string, fileName: string];
function filesItem(...files: File[]): INodeExecutionData {
	return {
		json: {},
		binary: Object.fromEntries(
			files.map(([name, bytes, mimeType, fileName]) => [
				name,
				{ data: bytes.toString('base64'), mimeType, fileName },
			]),
		),
	};
}

const expectRefused = (options: NodeRunOptions, label: string, rule: RegExp) =>
	expectRefusedBy(sim, options, label, rule);

// ------------------------------------------------------------------------------ Get Many

const getMany = (overrides: NodeParams = {}): NodeParams => ({
	resource: 'font',
	operation: 'getMany',
	...overrides,
});

/** Puts `count` uploaded fonts into the simulator's workspace, through its API. */
async function uploadFontsDirectly(count: number): Promise<void> {
	const call = async (path: string, body: unknown) => {
		const res = await fetch(`${sim.baseUrl}/general/${path}`, {
			method: path === 'get-request-status' ? 'GET' : 'POST',
			headers: { 'sivi-api-key': sim.apiKey, 'content-type': 'application/json' },
			body: JSON.stringify(body),
		});
		return ((await res.json()) as { body: Record<string, unknown> }).body;
	};
	const urls: string[] = [];
	for (let i = 0; i < count; i++) {
		const p = await call('files/get-presigned-url', { type: 'font', extension: 'ttf' });
		await fetch(String(p.uploadUrl), {
			method: 'PUT',
			headers: p.headers as Record<string, string>,
			body: TTF_REGULAR,
		});
		urls.push(String(p.uploadUrl));
	}
	const { requestId } = await call('font/create', { uploadedURL: urls });
	for (;;) {
		const res = await fetch(
			`${sim.baseUrl}/general/get-request-status?queryParams=${encodeURIComponent(JSON.stringify({ requestId }))}`,
			{ headers: { 'sivi-api-key': sim.apiKey } },
		);
		const status = ((await res.json()) as { body: { status: string } }).body.status;
		if (status === 'completed') return;
		await sleep(20);
	}
}

describe('Font → Get Many', () => {
	it('sends the filters and end user, and outputs one item per font', async () => {
		const { output, requests } = await executeNode(
			node(
				getMany({
					limit: 10,
					filters: { classification: ['monospace', 'serif'], name: 'ro', source: 'system' },
					additionalFields: { abstractUserId: 'customer-4711' },
				}),
			),
		);
		expect(bodiesTo(requests, 'font/get')).toEqual([
			{
				classification: ['monospace', 'serif'],
				name: 'ro',
				source: 'system',
				abstractUserId: 'customer-4711',
				limit: 10,
			},
		]);
		expect(output.map((item) => item.json)).toEqual([
			{ id: 'f_sys0029', name: 'Roboto Mono', classification: 'monospace' },
			{ id: 'f_sys0030', name: 'Roboto Slab', classification: 'serif' },
			{ id: 'f_sys0032', name: 'Source Code Pro', classification: 'monospace' },
		]);
		expect(output.map((item) => item.pairedItem)).toEqual(output.map(() => ({ item: 0 })));
	});

	it('Limit asks for no more than it needs, in pages of at most 100', async () => {
		const { output, requests } = await executeNode(node(getMany({ limit: 7 })));
		expect(bodiesTo(requests, 'font/get')).toEqual([{ limit: 7 }]);
		expect(output).toHaveLength(7);
	});

	it('Return All follows meta.cursor to the last page', async () => {
		await uploadFontsDirectly(70);
		const { output, requests } = await executeNode(node(getMany({ returnAll: true })));
		const bodies = bodiesTo(requests, 'font/get') as Array<Record<string, unknown>>;
		expect(bodies.map((body) => body.limit)).toEqual([100, 100]);
		expect(bodies[0].cursor).toBeUndefined();
		expect(typeof bodies[1].cursor).toBe('string');
		expect(output).toHaveLength(105);
		expect(new Set(output.map((item) => item.json.id)).size).toBe(105);
	});

	it('refuses an unknown classification or source before any request', async () => {
		await expectRefused(
			node(getMany({ filters: { classification: '={{ ["serif", "script"] }}' } })),
			'Filters → Classification (item 2)',
			/must be one of serif, sans-serif, display, handwriting, monospace/,
		);
		await expectRefused(
			node(getMany({ filters: { source: '={{ "google" }}' } })),
			'Filters → Source',
			/must be one of system, user/,
		);
	});
});

// ------------------------------------------------------------------------------ Upload

const uploadFonts = (overrides: NodeParams = {}): NodeParams => ({
	resource: 'font',
	operation: 'upload',
	options: { pollInterval: 0.05 },
	...overrides,
});

describe('Font → Upload', () => {
	it('uploads every named .ttf, submits font/create with the URLs and waits for the fonts', async () => {
		const item = filesItem(
			['regular', TTF_REGULAR, 'font/ttf', 'BrandSans-Regular.ttf'],
			['bold', TTF_BOLD, 'application/octet-stream', 'BrandSans-Bold.ttf'],
		);
		const { output, requests } = await executeNode(
			node(
				uploadFonts({
					binaryInputFields: 'regular, bold',
					additionalFields: { abstractUserId: 'customer-4711' },
				}),
				{ items: [item] },
			),
		);
		expect(bodiesTo(requests, 'files/get-presigned-url')).toEqual([
			{ type: 'font', extension: 'ttf', contentType: 'font/ttf', abstractUserId: 'customer-4711' },
			{
				type: 'font',
				extension: 'ttf',
				contentType: 'application/octet-stream',
				abstractUserId: 'customer-4711',
			},
		]);
		const puts = requests.filter((request) => request.method === 'PUT');
		expect(puts).toHaveLength(2);
		expect(puts.every((put) => put.headers['sivi-api-key'] === undefined)).toBe(true);
		expect(bodiesTo(requests, 'font/create')).toEqual([
			{ uploadedURL: [puts[0].url, puts[1].url], abstractUserId: 'customer-4711' },
		]);
		const [job] = sim.jobs();
		expect(job.payload).toEqual({
			uploadedURL: [puts[0].url, puts[1].url],
			abstractUserId: 'customer-4711',
		});
		// Status checks of an end user's job say whose it is.
		const status = requests.find((request) => request.url.includes('/general/get-request-status'))!;
		expect(JSON.parse(new URL(status.url).searchParams.get('queryParams')!)).toEqual({
			abstractUserId: 'customer-4711',
			requestId: job.requestId,
		});
		expect(output).toHaveLength(1);
		const json = output[0].json;
		expect(json).toMatchObject({ requestId: job.requestId, status: 'completed' });
		expect(json.fonts).toEqual([
			{ id: 'f_usr0001', name: expect.any(String), classification: 'display' },
			{ id: 'f_usr0002', name: expect.any(String), classification: 'display' },
		]);
		expect(json.result).toEqual({ data: json.fonts });
		expect(output[0].binary).toBeUndefined();

		const listed = await runNode(node(getMany({ filters: { source: 'user' } })));
		expect(listed.map((entry) => entry.json)).toEqual(json.fonts);
		const uploads = sim.counters().log.filter((entry) => entry.method === 'PUT');
		expect(uploads.map((entry) => entry.status)).toEqual([200, 200]);
	});

	it('sends one file as a single uploadedURL string; without waiting it returns the request ID', async () => {
		const { output, requests } = await executeNode(
			node(uploadFonts({ waitForCompletion: false }), {
				items: [filesItem(['data', TTF_REGULAR, 'font/ttf', 'Display.ttf'])],
			}),
		);
		const put = requests.find((request) => request.method === 'PUT')!;
		expect(bodiesTo(requests, 'font/create')).toEqual([{ uploadedURL: put.url }]);
		const [job] = sim.jobs();
		expect(output.map((item) => item.json)).toEqual([
			{
				requestId: job.requestId,
				status: 'submitted',
				credits: { min: null, max: null, basis: 'Sivi publishes no price for font uploads' },
			},
		]);
	});

	it('uploads per item, each item its own job', async () => {
		const items = [
			filesItem(['data', TTF_REGULAR, 'font/ttf', 'One.ttf']),
			filesItem(['data', TTF_BOLD, 'font/ttf', 'Two.ttf']),
		];
		const output = await runNode(node(uploadFonts(), { items }));
		expect(output.map((item) => [item.json.status, item.pairedItem])).toEqual([
			['completed', { item: 0 }],
			['completed', { item: 1 }],
		]);
		expect(sim.jobs()).toHaveLength(2);
		expect(output.map((item) => (item.json.fonts as unknown[]).length)).toEqual([1, 1]);
	});

	it('refuses files that are not .ttf, or missing fields, before any request', async () => {
		await expectRefused(
			node(uploadFonts(), {
				items: [filesItem(['data', Buffer.from('OTTO'), 'font/otf', 'BrandSans.otf'])],
			}),
			'Input Binary Fields',
			/"data" is font\/otf, BrandSans\.otf; Sivi takes TrueType fonts \(\.ttf\) only/,
		);
		await expectRefused(
			node(uploadFonts({ binaryInputFields: 'data, bold' }), {
				items: [filesItem(['data', TTF_REGULAR, 'font/ttf', 'Regular.ttf'])],
			}),
			'Input Binary Fields',
			/no binary field "bold" \(it has: data\)/,
		);
		await expectRefused(
			node(uploadFonts({ binaryInputFields: '={{ "" }}' }), {
				items: [filesItem(['data', TTF_REGULAR, 'font/ttf', 'Regular.ttf'])],
			}),
			'Input Binary Fields',
			/is required/,
		);
	});

	it('a bad item stops the run before any upload, or fails alone with Continue On Fail', async () => {
		const { params, items } = perItemParams(
			[uploadFonts(), uploadFonts()],
			[
				filesItem(['data', TTF_REGULAR, 'font/ttf', 'Good.ttf']),
				filesItem(['data', Buffer.from('%PDF'), 'application/pdf', 'menu.pdf']),
			],
		);
		const stopped = await executeNode(node(params, { items }));
		expect(stopped.nodeFailed).toBe(true);
		expect(stopped.error?.message).toMatch(/Input Binary Fields: "data" is application\/pdf/);
		expect(stopped.requests).toHaveLength(0);

		const output = await runNode(node(params, { items, continueOnFail: true }));
		expect(output[0].json.status).toBe('completed');
		expect(output[1].json.error).toMatch(/Sivi takes TrueType fonts/);
		expect(sim.counters().byRoute['POST general/files/get-presigned-url']).toBe(1);
		expect(sim.jobs()).toHaveLength(1);
	});
});

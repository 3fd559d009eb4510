// Brand operations through n8n-core against the simulator: exact brand/* request bodies, what
// each operation outputs, what Sivi's documented side effects do (create archives the previous
// default), and bad input refused before any request with an error naming the field.
import type { IDataObject } from 'n8n-workflow';

import {
	executeNode,
	perItemParams,
	runNode,
	type NodeParams,
	type NodeRun,
	type NodeRunOptions,
} from '../helpers/n8nEngine';
import { apiCalls, nodeOn, rl, useSimulator } from '../helpers/simulatorCalls';

jest.setTimeout(20_000);

// A fresh workspace per test: several operations change which brand is the default.
const sim = useSimulator({ jobDurationMs: 120, rateLimit: { limit: 1000, windowMs: 60_000 } });
const node = nodeOn(sim);

const brand = (operation: string, params: NodeParams = {}): NodeParams => ({
	resource: 'brand',
	operation,
	...params,
});

async function calls(params: NodeParams, extra: Partial<NodeRunOptions> = {}) {
	const run = await executeNode(node(params, extra));
	return { run, calls: apiCalls(run.requests) };
}

/** The brands brand/get lists now (straight from the simulator). */
async function listed(body: IDataObject = { limit: 50 }): Promise<IDataObject[]> {
	const response = await fetch(`${sim.baseUrl}/general/brand/get`, {
		method: 'POST',
		headers: { 'sivi-api-key': sim.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const envelope = (await response.json()) as { body: { brands?: IDataObject[] } };
	return envelope.body.brands ?? [];
}

const SIVI_EXAMPLE = {
	brandName: 'Sivi',
	brandDescription: 'AI design generator for brands and layered vector based design generation',
	brandUrl: 'https://sivi.ai',
	brandLogo: 'https://sivi.ai/sivi-logo.png',
	brandColors: ['#5662EC', '#EF9AB2'],
	brandPersona: {
		emotions: ['happy'],
		industry: 'games',
		audience: ['working mom', 'working dad'],
		designTags: ['minimal', 'time management', 'productivity', 'health'],
	},
};

/** Create parameters that produce Sivi's documented example body. */
const createParams = (overrides: NodeParams = {}): NodeParams =>
	brand('create', {
		brandName: 'Sivi',
		brandDescription: SIVI_EXAMPLE.brandDescription,
		additionalFields: {
			brandUrl: 'https://sivi.ai',
			brandLogo: 'https://sivi.ai/sivi-logo.png',
			palette: '#5662EC, #EF9AB2',
			emotions: ['happy'],
			industry: 'games',
			audience: 'working mom, working dad',
			designTags: 'minimal, time management, productivity, health',
		},
		...overrides,
	});

describe('Brand → Get Many', () => {
	it('Return All lists every brand of the workspace, one item per brand, in one 50-brand page', async () => {
		const { run, calls: sent } = await calls(brand('getMany', { returnAll: true }));
		expect(sent).toEqual([{ method: 'POST', path: 'brand/get', body: { limit: 50 } }]);
		expect(run.output).toHaveLength(23);
		expect(run.output[0].json.bId).toBe('b_default0001');
		expect(run.output[22].json.bId).toBe('b_sim00000023');
		for (const item of run.output) {
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(Object.keys(item.json)).toEqual(
				expect.arrayContaining(['bId', 'brandName', 'brandColors', 'brandPersona']),
			);
		}
	});

	it('Limit asks Sivi for no more than it needs', async () => {
		const { run, calls: sent } = await calls(brand('getMany', { returnAll: false, limit: 5 }));
		expect(sent.map((call) => call.body)).toEqual([{ limit: 5 }]);
		expect(run.output.map((item) => item.json.bId)).toEqual([
			'b_default0001',
			'b_sim00000002',
			'b_sim00000003',
			'b_sim00000004',
			'b_sim00000005',
		]);
	});

	it("follows Sivi's cursor across pages of 50 (Return All and Limit)", async () => {
		await sim.restart({ brands: 120, rateLimit: { limit: 1000, windowMs: 60_000 } });
		const all = await calls(brand('getMany', { returnAll: true }));
		expect(all.run.output).toHaveLength(120);
		expect(new Set(all.run.output.map((item) => item.json.bId)).size).toBe(120);
		const bodies = all.calls.map((call) => call.body as IDataObject);
		expect(bodies.map((body) => body.limit)).toEqual([50, 50, 50]);
		expect(bodies[0].cursor).toBeUndefined();
		expect(typeof bodies[1].cursor).toBe('string');
		expect(bodies[2].cursor).not.toBe(bodies[1].cursor);

		const some = await calls(brand('getMany', { returnAll: false, limit: 55 }));
		expect(some.run.output).toHaveLength(55);
		expect(some.calls.map((call) => (call.body as IDataObject).limit)).toEqual([50, 5]);
	});

	it('sends the End-User ID of Super and Enterprise keys', async () => {
		const { calls: sent } = await calls(
			brand('getMany', { returnAll: true, additionalFields: { abstractUserId: 'customer-4711' } }),
		);
		expect(sent.map((call) => call.body)).toEqual([{ abstractUserId: 'customer-4711', limit: 50 }]);
	});
});

describe('Brand → Get and Get Default', () => {
	it('Get sends the brand ID and returns that brand', async () => {
		const { run, calls: sent } = await calls(
			brand('get', { brandId: rl('b_sim00000005', 'list') }),
		);
		expect(sent).toEqual([{ method: 'POST', path: 'brand/get', body: { bId: 'b_sim00000005' } }]);
		expect(run.output).toHaveLength(1);
		expect(run.output[0].json).toMatchObject({
			bId: 'b_sim00000005',
			brandName: 'Simulated Brand 5',
		});
	});

	it("Get fails the item naming the ID when Sivi answers 404 'Brand not found in workspace'", async () => {
		const { run, calls: sent } = await calls(brand('get', { brandId: rl('b_nope') }));
		expect(sent).toHaveLength(1);
		expect(run.nodeFailed).toBe(true);
		expect(run.error?.message).toBe('Brand b_nope was not found in the workspace');
		expect(run.error?.description).toMatch(/Sivi said: "Brand not found in workspace"/);
	});

	it('Get Default asks for the default brand only', async () => {
		const { run, calls: sent } = await calls(brand('getDefault'));
		expect(sent).toEqual([{ method: 'POST', path: 'brand/get', body: { isDefault: true } }]);
		expect(run.output.map((item) => item.json.bId)).toEqual(['b_default0001']);
	});

	it('Get Default fails the item when the workspace has no default brand (empty list)', async () => {
		await runNode(node(brand('archive', { brandId: rl('b_default0001') })));
		const run = await executeNode(node(brand('getDefault'), { continueOnFail: true }));
		expect(run.output).toHaveLength(1);
		expect(run.output[0].json.error).toBe('The workspace has no default brand');
	});

	it('Get and Get Default send the End-User ID', async () => {
		const extra = { additionalFields: { abstractUserId: 'customer-4711' } };
		const get = await calls(brand('get', { brandId: rl('b_sim00000002'), ...extra }));
		expect(get.calls[0].body).toEqual({ bId: 'b_sim00000002', abstractUserId: 'customer-4711' });
		const byDefault = await calls(brand('getDefault', extra));
		expect(byDefault.calls[0].body).toEqual({ isDefault: true, abstractUserId: 'customer-4711' });
	});
});

describe('Brand → Create', () => {
	it("sends Sivi's documented example body and outputs Sivi's answer with the new bId on top", async () => {
		const { run, calls: sent } = await calls(createParams());
		expect(sent).toEqual([{ method: 'POST', path: 'brand/create', body: SIVI_EXAMPLE }]);
		expect(run.output).toHaveLength(1);
		const json = run.output[0].json;
		expect(json.bId).toBe('b_new00000001');
		expect(json.message).toBe('Successfully set the brand details');
		const [details] = json.brandDetails as IDataObject[];
		expect(details).toMatchObject({
			bId: 'b_new00000001',
			brandName: 'Sivi',
			brandColors: [
				{ color: '#5662EC', addedBy: 'user', primary: false },
				{ color: '#EF9AB2', addedBy: 'user', primary: false },
			],
			brandPersona: SIVI_EXAMPLE.brandPersona,
		});
	});

	it('makes the new brand the default and Sivi archives the previous default', async () => {
		await runNode(node(createParams()));
		const defaults = await listed({ isDefault: true });
		expect(defaults.map((entry) => entry.bId)).toEqual(['b_new00000001']);
		const all = await listed();
		expect(all).toHaveLength(23);
		expect(all.map((entry) => entry.bId)).not.toContain('b_default0001');
	});

	it('sends only the required fields when nothing else is set, with the End-User ID when given', async () => {
		const { calls: sent } = await calls(
			brand('create', {
				brandName: 'Corner Cafe',
				brandDescription: 'Coffee and cake',
				additionalFields: { abstractUserId: 'customer-4711' },
			}),
		);
		expect(sent[0].body).toEqual({
			brandName: 'Corner Cafe',
			brandDescription: 'Coffee and cake',
			abstractUserId: 'customer-4711',
		});
	});

	it('says in the UI that the previous default brand gets archived', async () => {
		const { createBrand } = await import('../../nodes/Sivi/actions/brand/create.operation');
		const notice = createBrand.properties.find((property) => property.type === 'notice');
		expect(notice?.displayName).toMatch(/archives the previous default brand/);
		expect(createBrand.description).toMatch(/archives the previous default brand/);
	});
});

describe('Brand → Extract From Website', () => {
	it('submits brand/extract as a job, waits, and puts brandDetails at the top as `brand`', async () => {
		const { run, calls: sent } = await calls(
			brand('extract', {
				brandUrl: 'https://sivi.ai',
				waitForCompletion: true,
				options: { pollInterval: 0.05 },
			}),
		);
		expect(sent[0]).toEqual({
			method: 'POST',
			path: 'brand/extract',
			body: { brandUrl: 'https://sivi.ai' },
		});
		expect(sent.slice(1).every((call) => call.path === 'get-request-status')).toBe(true);
		const [job] = sim.jobs();
		expect(sim.jobs()).toHaveLength(1);
		expect(job.payload).toEqual({ brandUrl: 'https://sivi.ai' });
		const json = run.output[0].json;
		expect(json.status).toBe('completed');
		expect(json.requestId).toBe(job.requestId);
		expect(json.brand).toMatchObject({ brandName: 'Sivi', brandUrl: 'https://sivi.ai' });
		expect(json.brand).toEqual((json.result as IDataObject).brandDetails);
		expect(run.output[0].binary).toBeUndefined();
	});

	it('returns the request ID at once without waiting', async () => {
		const { run, calls: sent } = await calls(
			brand('extract', { brandUrl: 'https://www.example.com/about', waitForCompletion: false }),
		);
		expect(sent).toEqual([
			{
				method: 'POST',
				path: 'brand/extract',
				body: { brandUrl: 'https://www.example.com/about' },
			},
		]);
		expect(run.output[0].json).toMatchObject({
			status: 'submitted',
			requestId: sim.jobs()[0].requestId,
		});
	});

	it('sends the End-User ID with the job and with its status checks', async () => {
		const { run, calls: sent } = await calls(
			brand('extract', {
				brandUrl: 'https://www.example.com/about',
				waitForCompletion: true,
				options: { pollInterval: 0.05 },
				additionalFields: { abstractUserId: 'customer-4711' },
			}),
		);
		expect(sent[0].body).toEqual({
			brandUrl: 'https://www.example.com/about',
			abstractUserId: 'customer-4711',
		});
		const polls = run.requests.filter((request) => request.url.includes('get-request-status'));
		expect(polls.length).toBeGreaterThan(0);
		for (const poll of polls) {
			const query = JSON.parse(new URL(poll.url).searchParams.get('queryParams') ?? '{}');
			expect(query).toEqual({
				requestId: sim.jobs()[0].requestId,
				abstractUserId: 'customer-4711',
			});
		}
		expect(run.output[0].json.brand).toMatchObject({ brandName: 'Example' });
	});

	it('a failed extraction fails the item with the request ID', async () => {
		const run = await executeNode(
			node(
				brand('extract', {
					brandUrl: 'https://broken.example.com/?x=[sim:fail]',
					waitForCompletion: true,
					options: { pollInterval: 0.05 },
				}),
				{ continueOnFail: true },
			),
		);
		expect(run.output[0].json.error).toMatch(/ended as failed/);
		expect(run.output[0].json.requestId).toBe(sim.jobs()[0].requestId);
	});
});

describe('Brand → Update', () => {
	it('sends the changed fields and the model preferences, and outputs what Sivi answered', async () => {
		const { run, calls: sent } = await calls(
			brand('update', {
				brandId: rl('b_sim00000003', 'list'),
				updateFields: {
					brandName: 'Sivi AI',
					brandDescription: 'AI-powered design generation platform',
					palette: '#5662EC,#EF9AB2,#FF6B6B',
					emotions: ['excited'],
					industry: 'technology',
					audience: 'designers\nmarketers',
					designTags: 'modern, bold',
					imageModel: 'flux-schnell',
					textModel: 'gemini-3-flash-preview',
				},
			}),
		);
		expect(sent).toEqual([
			{
				method: 'POST',
				path: 'brand/update',
				body: {
					bId: 'b_sim00000003',
					brandName: 'Sivi AI',
					brandDescription: 'AI-powered design generation platform',
					brandColors: ['#5662EC', '#EF9AB2', '#FF6B6B'],
					brandPersona: {
						emotions: ['excited'],
						industry: 'technology',
						audience: ['designers', 'marketers'],
						designTags: ['modern', 'bold'],
					},
					imageGenPreference: { model: 'flux-schnell' },
					textGenPreference: { model: 'gemini-3-flash-preview' },
				},
			},
		]);
		const json = run.output[0].json;
		expect(json.bId).toBe('b_sim00000003');
		expect(json.message).toBe('Brand updated successfully');
		expect(json.brandDetail).toMatchObject({ brandName: 'Sivi AI' });
		const [stored] = await listed({ bId: 'b_sim00000003' });
		expect(stored.brandName).toBe('Sivi AI');
		expect(stored.brandDescription).toBe('AI-powered design generation platform');
	});

	it('sends one changed field alone (other fields stay as they are)', async () => {
		const { calls: sent } = await calls(
			brand('update', {
				brandId: rl('b_sim00000004'),
				updateFields: { brandLogo: 'https://example.com/new-logo.png' },
				additionalFields: { abstractUserId: 'customer-4711' },
			}),
		);
		expect(sent[0].body).toEqual({
			bId: 'b_sim00000004',
			brandLogo: 'https://example.com/new-logo.png',
			abstractUserId: 'customer-4711',
		});
		const [stored] = await listed({ bId: 'b_sim00000004' });
		expect(stored.brandName).toBe('Simulated Brand 4');
	});

	it('an image model ID set by expression is sent as is; Sivi refuses one it does not know', async () => {
		const accepted = await calls(
			brand('update', {
				brandId: rl('b_sim00000004'),
				updateFields: { imageModel: '={{ "nano-banana-pro:1k" }}' },
			}),
		);
		expect(accepted.calls[0].body).toEqual({
			bId: 'b_sim00000004',
			imageGenPreference: { model: 'nano-banana-pro:1k' },
		});
		expect(accepted.run.nodeFailed).toBe(false);

		const refused = await calls(
			brand('update', {
				brandId: rl('b_sim00000004'),
				updateFields: { imageModel: '={{ "nano-banana-3:1k" }}' },
			}),
		);
		expect(refused.calls).toHaveLength(1);
		expect(refused.run.error?.message).toMatch(
			/Sivi refused the input: imageGenPreference model 'nano-banana-3:1k' is not supported/,
		);
	});

	it('names the ID when the brand is unknown or archived', async () => {
		await runNode(node(brand('archive', { brandId: rl('b_sim00000006') })));
		const run = await executeNode(
			node(brand('update', { brandId: rl('b_sim00000006'), updateFields: { brandName: 'X' } })),
		);
		expect(run.error?.message).toBe('Brand b_sim00000006 was not found in the workspace');
	});
});

describe('Brand → Set Default', () => {
	it('sends the brand ID, says what it did, and the previous default stays listed', async () => {
		const { run, calls: sent } = await calls(
			brand('setDefault', {
				brandId: rl('b_sim00000007'),
				additionalFields: { abstractUserId: 'customer-4711' },
			}),
		);
		expect(sent).toEqual([
			{
				method: 'POST',
				path: 'brand/set-default',
				body: { bId: 'b_sim00000007', abstractUserId: 'customer-4711' },
			},
		]);
		expect(run.output[0].json).toEqual({
			bId: 'b_sim00000007',
			isDefault: true,
			message: 'Default brand updated successfully',
		});
		expect((await listed({ isDefault: true })).map((entry) => entry.bId)).toEqual([
			'b_sim00000007',
		]);
		expect(await listed()).toHaveLength(23);
	});
});

describe('Brand → Archive', () => {
	it('sends exactly one request per item and says what it did', async () => {
		const { params, items } = perItemParams([
			brand('archive', { brandId: rl('b_sim00000008') }),
			brand('archive', { brandId: rl('b_sim00000009') }),
		]);
		const { run, calls: sent } = await calls(params, { items });
		expect(sent).toEqual([
			{ method: 'POST', path: 'brand/archive', body: { bId: 'b_sim00000008' } },
			{ method: 'POST', path: 'brand/archive', body: { bId: 'b_sim00000009' } },
		]);
		expect(run.output.map((item) => [item.json, item.pairedItem])).toEqual([
			[
				{ bId: 'b_sim00000008', archived: true, message: 'Brand archived successfully' },
				{ item: 0 },
			],
			[
				{ bId: 'b_sim00000009', archived: true, message: 'Brand archived successfully' },
				{ item: 1 },
			],
		]);
		const remaining = (await listed()).map((entry) => entry.bId);
		expect(remaining).toHaveLength(21);
		expect(remaining).not.toContain('b_sim00000008');
	});

	it('archiving a brand twice: the second run fails naming the ID and is not retried', async () => {
		await runNode(node(brand('archive', { brandId: rl('b_sim00000010') })));
		const { run, calls: sent } = await calls(brand('archive', { brandId: rl('b_sim00000010') }), {
			continueOnFail: true,
		});
		expect(sent).toHaveLength(1);
		expect(run.output[0].json.error).toBe('Brand b_sim00000010 was not found in the workspace');
	});
});

// ---- bad input: refused before any request, the error names the field -------------------------

interface BadCase {
	name: string;
	params: NodeParams;
	message: RegExp;
}

/** A value mapped from the item, as workflows do; the test items carry none. */
const FROM_ITEM = '={{ $json.value }}';

const BAD: BadCase[] = [
	{
		name: 'Get with a brand mapped from an item that has none',
		params: brand('get', { brandId: rl(FROM_ITEM) }),
		message: /^Brand is required$/,
	},
	{
		name: 'Set Default with a brand ID holding spaces',
		params: brand('setDefault', { brandId: rl('b_sim 0007') }),
		message: /^Brand must be a brand ID without spaces/,
	},
	{
		name: 'Archive with a brand mapped from an item that has none',
		params: brand('archive', { brandId: rl(FROM_ITEM) }),
		message: /^Brand is required$/,
	},
	{
		name: 'Create without a name',
		params: createParams({ brandName: '  ' }),
		message: /^Brand Name is required$/,
	},
	{
		name: 'Create with a description mapped from an item that has none',
		params: createParams({ brandDescription: FROM_ITEM }),
		message: /^Brand Description is required$/,
	},
	{
		name: 'Create with a color that is not hex',
		params: createParams({ additionalFields: { palette: '#5662EC, red' } }),
		message: /^Additional Fields → Colors \(item 2\) must be a hex color like #5662EC$/,
	},
	{
		name: 'Create with a website without a scheme',
		params: createParams({ additionalFields: { brandUrl: 'sivi.ai' } }),
		message: /^Additional Fields → Website URL must be a public http or https URL/,
	},
	{
		name: 'Create with a logo that is not a URL',
		params: createParams({ additionalFields: { brandLogo: 'logo.png' } }),
		message: /^Additional Fields → Logo URL must be a public http or https URL/,
	},
	{
		name: 'Create with an industry Sivi does not list (by expression)',
		params: createParams({ additionalFields: { industry: '={{ "gaming" }}' } }),
		message: /^Additional Fields → Industry must be a known industry/,
	},
	{
		name: 'Create with an emotion Sivi does not list (by expression)',
		params: createParams({ additionalFields: { emotions: '={{ ["happy", "innovative"] }}' } }),
		message: /^Additional Fields → Emotions \(item 2\) must be a known emotion/,
	},
	{
		name: 'Extract with a website mapped from an item that has none',
		params: brand('extract', { brandUrl: FROM_ITEM }),
		message: /^Website URL is required$/,
	},
	{
		name: 'Extract from an ftp URL',
		params: brand('extract', { brandUrl: 'ftp://sivi.ai' }),
		message: /^Website URL must be a public http or https URL/,
	},
	{
		name: 'Update with nothing to change',
		params: brand('update', { brandId: rl('b_sim00000003'), updateFields: {} }),
		message: /^Update Fields must hold at least one field to change$/,
	},
	{
		name: 'Update with only the End-User ID',
		params: brand('update', {
			brandId: rl('b_sim00000003'),
			additionalFields: { abstractUserId: 'customer-4711' },
		}),
		message: /^Update Fields must hold at least one field to change$/,
	},
	{
		name: 'Update with an image model ID that is not an ID',
		params: brand('update', {
			brandId: rl('b_sim00000003'),
			updateFields: { imageModel: '={{ "best model!" }}' },
		}),
		message: /^Update Fields → Image Model must be a model ID/,
	},
	{
		name: 'Update with a brand mapped from an item that has none',
		params: brand('update', { brandId: rl(FROM_ITEM), updateFields: { brandName: 'X' } }),
		message: /^Brand is required$/,
	},
];

describe('bad brand input is refused before any request', () => {
	it.each(BAD.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
		const run: NodeRun = await executeNode(node(entry.params));
		expect(run.nodeFailed).toBe(true);
		expect(run.error?.name).toBe('NodeOperationError');
		expect(run.error?.message).toMatch(entry.message);
		expect(run.error?.description).toMatch(/Nothing was sent to Sivi/);
		expect(run.requests).toEqual([]);
		expect(sim.counters().requests).toBe(0);
	});

	it('an empty required field is refused by n8n itself, before the node runs', async () => {
		const run = await executeNode(node(brand('archive', { brandId: rl('') })));
		expect(run.nodeFailed).toBe(true);
		expect(run.error?.name).toBe('WorkflowHasIssuesError');
		expect(run.requests).toEqual([]);
	});

	it('with Continue On Fail a bad item becomes an error item and a good one still runs', async () => {
		const { params, items } = perItemParams([
			brand('archive', { brandId: rl('={{ $json.missing }}') }),
			brand('archive', { brandId: rl('b_sim00000011') }),
		]);
		const { run, calls: sent } = await calls(params, { items, continueOnFail: true });
		expect(sent.map((call) => call.body)).toEqual([{ bId: 'b_sim00000011' }]);
		expect(run.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(run.output[0].json.error).toBe('Brand is required');
		expect(run.output[1].json).toMatchObject({ bId: 'b_sim00000011', archived: true });
	});
});

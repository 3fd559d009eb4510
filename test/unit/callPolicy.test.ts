// The router's item policy for call operations (one request, or a paginated list), through
// n8n-core against the simulator: without Continue On Fail nothing more is sent after the first
// failure; with it every item ends as a result or an error item, in order, with pairedItem; a
// Limit an expression made nonsense is refused before any request.
import { sleep } from 'n8n-workflow';

import { executeNode, perItemParams, type NodeParams } from '../helpers/n8nEngine';
import { nodeOn, rl, useSimulator } from '../helpers/simulatorCalls';

jest.setTimeout(20_000);

const sim = useSimulator({ jobDurationMs: 120, rateLimit: { limit: 1000, windowMs: 60_000 } });
const node = nodeOn(sim);

const archive = (bId: string): NodeParams => ({
	resource: 'brand',
	operation: 'archive',
	brandId: rl(bId),
});
const archiveCalls = () =>
	sim.counters().log.filter((entry) => entry.path === 'general/brand/archive').length;

describe('call operations: the item policy', () => {
	// Item 0 names an unknown brand (Sivi: 404); items 1–3 are valid.
	const batch = () =>
		perItemParams([
			archive('b_unknown0001'),
			archive('b_sim00000003'),
			archive('b_sim00000004'),
			archive('b_sim00000005'),
		]);

	it('without Continue On Fail, sends nothing after the first failure (no archive already in flight)', async () => {
		const { params, items } = batch();
		const run = await executeNode(node(params, { items }));
		expect(run.nodeFailed).toBe(true);
		expect(run.error?.message).toMatch(/Brand b_unknown0001 was not found in the workspace/);
		// Calls started alongside the failed one would still arrive after the node has failed.
		await sleep(1_500);
		expect(archiveCalls()).toBe(1);
		expect(sim.brands().filter((brand) => brand.archived)).toEqual([]);
	});

	it('with Continue On Fail, every item ends once, in order, with pairedItem', async () => {
		const { params, items } = batch();
		const run = await executeNode(node(params, { items, continueOnFail: true }));
		expect(run.nodeFailed).toBe(false);
		expect(run.output.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
			{ item: 3 },
		]);
		expect(String(run.output[0].json.error)).toMatch(
			/Brand b_unknown0001 was not found in the workspace/,
		);
		expect(run.output.slice(1).map((item) => item.json.bId)).toEqual([
			'b_sim00000003',
			'b_sim00000004',
			'b_sim00000005',
		]);
		expect(archiveCalls()).toBe(4);
	});

	it.each([
		['text', '={{ "abc" }}', '"abc"'],
		['zero', 0, '0'],
		['a negative number', -3, '-3'],
		['a fraction', 2.5, '2.5'],
	])(
		'refuses a Limit that is %s before any request, naming the field',
		async (_what, limit, shown) => {
			const run = await executeNode(
				node({ resource: 'brand', operation: 'getMany', returnAll: false, limit }, {}),
			);
			expect(run.nodeFailed).toBe(true);
			expect(run.error?.message).toBe(`Limit must be a whole number of at least 1 (got ${shown})`);
			expect(sim.counters().requests).toBe(0);
		},
	);
});

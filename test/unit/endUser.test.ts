// End User operations (super/*, Super and Enterprise keys) through n8n-core against the
// simulator: exact request bodies, what each operation outputs (the end user's tokens only with
// Include Tokens), the credit limit holding the end user's jobs, and bad input refused before any
// request with an error naming the field.
import { deleteEndUser } from '../../nodes/Sivi/actions/endUser/delete.operation';
import {
	executeNode,
	perItemParams,
	promptParams,
	runNode,
	type NodeParams,
} from '../helpers/n8nEngine';
import { apiCalls, expectRefused, nodeOn, useSimulator } from '../helpers/simulatorCalls';

jest.setTimeout(20_000);

const sim = useSimulator({ jobDurationMs: 60, rateLimit: { limit: 1000, windowMs: 60_000 } });
const node = nodeOn(sim);

const endUser = (operation: string, params: NodeParams = {}): NodeParams => ({
	resource: 'endUser',
	operation,
	...params,
});

const create = (params: NodeParams = {}) =>
	endUser('create', { abstractUserId: 'customer-4711', ...params });

/** Every token the simulator has issued, in each form a test can find it. */
const issuedTokens = () =>
	sim
		.endUsers()
		.flatMap((user) => user.tokens)
		.flatMap((token) => [token.accessToken, token.accessMarker, token.refreshToken]);

const mentionsAny = (value: unknown, needles: string[]) => {
	const text = JSON.stringify(value);
	return needles.filter((needle) => text.includes(needle));
};

describe('End User → Create', () => {
	it('sends the End-User ID and outputs the end user and workspace, without the tokens', async () => {
		const run = await executeNode(node(create()));
		expect(apiCalls(run.requests)).toEqual([
			{ method: 'POST', path: 'super/login-user', body: { abstractUserId: 'customer-4711' } },
		]);
		const [user] = sim.endUsers();
		expect(run.output.map((item) => item.json)).toEqual([
			{ abstractUserId: 'customer-4711', workspaceId: user.workspaceId },
		]);
		expect(issuedTokens()).toHaveLength(3);
		expect(mentionsAny(run.output, issuedTokens())).toEqual([]);
	});

	it('adds the access and refresh tokens only when Include Tokens is on', async () => {
		const run = await executeNode(node(create({ options: { includeTokens: true } })));
		const [user] = sim.endUsers();
		expect(run.output.map((item) => item.json)).toEqual([
			{
				abstractUserId: 'customer-4711',
				workspaceId: user.workspaceId,
				accessToken: user.tokens[0].accessToken,
				refreshToken: user.tokens[0].refreshToken,
			},
		]);
	});

	it('sends a brand for the new workspace under `brand`, with brand/create’s field shapes', async () => {
		const run = await executeNode(
			node(
				create({
					brand: {
						brandName: 'Corner Cafe',
						brandDescription: 'Coffee and cake',
						brandUrl: 'https://corner.example.com',
						palette: '#5662EC, #EF9AB2',
						industry: 'restaurant_cuisine',
					},
				}),
			),
		);
		const brand = {
			brandName: 'Corner Cafe',
			brandDescription: 'Coffee and cake',
			brandUrl: 'https://corner.example.com',
			brandColors: ['#5662EC', '#EF9AB2'],
			brandPersona: { industry: 'restaurant_cuisine' },
		};
		expect(apiCalls(run.requests)).toEqual([
			{
				method: 'POST',
				path: 'super/login-user',
				body: { abstractUserId: 'customer-4711', brand },
			},
		]);
		expect(run.nodeFailed).toBe(false);
		expect(sim.endUsers()[0].brands).toEqual([brand]);
	});

	it('logs in an existing end user: same workspace, one request per item', async () => {
		const { params, items } = perItemParams([
			create({ abstractUserId: 'a-1' }),
			create({ abstractUserId: 'a-1' }),
		]);
		const output = await runNode(node(params, { items }));
		expect(output.map((item) => item.json.abstractUserId)).toEqual(['a-1', 'a-1']);
		expect(output[0].json.workspaceId).toBe(output[1].json.workspaceId);
		expect(sim.counters().byRoute['POST super/login-user']).toBe(2);
		expect(sim.endUsers()).toHaveLength(1);
	});

	it('refuses a brand without its description before any request', async () => {
		await expectRefused(
			sim,
			node(create({ brand: { brandName: 'Corner Cafe', brandUrl: 'https://corner.example.com' } })),
			'Brand Description',
			/is required/,
		);
	});
});

describe('End User → Set Credit Limit', () => {
	it.each([5, 0, -1])('sends the limit %p and says what it set', async (creditLimit) => {
		await runNode(node(create()));
		sim.resetCounters();
		const run = await executeNode(
			node(endUser('setCreditLimit', { abstractUserId: 'customer-4711', creditLimit })),
		);
		expect(apiCalls(run.requests)).toEqual([
			{
				method: 'POST',
				path: 'super/set-user-credit-limit',
				body: { abstractUserId: 'customer-4711', creditLimit },
			},
		]);
		expect(run.output.map((item) => item.json)).toEqual([
			{ abstractUserId: 'customer-4711', creditLimit, message: 'Credit limit set successfully.' },
		]);
		expect(sim.endUsers()[0].creditLimit).toBe(creditLimit);
	});

	it('names the End-User ID when Sivi does not know the end user (400)', async () => {
		const run = await executeNode(
			node(endUser('setCreditLimit', { abstractUserId: 'nobody-1', creditLimit: 5 })),
		);
		expect(run.nodeFailed).toBe(true);
		expect(run.error?.message).toBe('End user nobody-1 does not exist in Sivi');
		expect(run.error?.description).toMatch(/User does not exist/);
	});

	it('holds the end user’s jobs: one over the limit fails as a credit problem, not retried', async () => {
		await runNode(node(create()));
		await runNode(
			node(endUser('setCreditLimit', { abstractUserId: 'customer-4711', creditLimit: 0 })),
		);
		sim.resetCounters();
		const run = await executeNode(
			node(promptParams({ additionalFields: { abstractUserId: 'customer-4711' } })),
		);
		expect(run.nodeFailed).toBe(true);
		expect(run.error?.message).toBe('Not enough Sivi credits (end user "customer-4711")');
		expect(run.error?.description).toMatch(/Insufficient credit limit/);
		expect(sim.counters().submitAttempts).toBe(1);
		expect(sim.jobs()).toEqual([]);
	});
});

describe('End User → Delete', () => {
	it('sends one request per item and says what it did', async () => {
		await runNode(node(create({ abstractUserId: 'd-1' })));
		await runNode(node(create({ abstractUserId: 'd-2' })));
		sim.resetCounters();
		const { params, items } = perItemParams([
			endUser('delete', { abstractUserId: 'd-1' }),
			endUser('delete', { abstractUserId: 'd-2' }),
		]);
		const run = await executeNode(node(params, { items }));
		expect(apiCalls(run.requests)).toEqual([
			{ method: 'POST', path: 'super/delete-user', body: { abstractUserId: 'd-1' } },
			{ method: 'POST', path: 'super/delete-user', body: { abstractUserId: 'd-2' } },
		]);
		expect(run.output.map((item) => item.json)).toEqual([
			{ abstractUserId: 'd-1', deleted: true, message: 'User deleted successfully' },
			{ abstractUserId: 'd-2', deleted: true, message: 'User deleted successfully' },
		]);
		expect(sim.endUsers().map((user) => user.deleted)).toEqual([true, true]);
	});

	it('a deleted end user’s job is refused by Sivi, and deleting again names the ID', async () => {
		await runNode(node(create()));
		await runNode(node(endUser('delete', { abstractUserId: 'customer-4711' })));
		const job = await executeNode(
			node(promptParams({ additionalFields: { abstractUserId: 'customer-4711' } })),
		);
		expect(job.error?.message).toMatch(/User does not exist/);
		expect(sim.jobs()).toEqual([]);
		const again = await executeNode(node(endUser('delete', { abstractUserId: 'customer-4711' })));
		expect(again.error?.message).toBe('End user customer-4711 does not exist in Sivi');
	});

	it('says in the UI that Sivi purges the data after 15 days', () => {
		expect(deleteEndUser.description).toMatch(/after 15 days/);
		expect(deleteEndUser.properties[0].displayName).toMatch(/after 15 days/);
	});
});

describe('bad input is refused before any request, naming the field', () => {
	it.each([
		['Create', endUser('create', { abstractUserId: '' })],
		['Create (blank)', endUser('create', { abstractUserId: '   ' })],
		['Set Credit Limit', endUser('setCreditLimit', { abstractUserId: '', creditLimit: 5 })],
		['Delete', endUser('delete', { abstractUserId: '' })],
	])('%s without an End-User ID', async (_label, params) => {
		await expectRefused(sim, node(params), 'End-User ID', /is required/);
	});

	it.each([
		[-2, /must be 0 or more, or -1 for no limit/],
		[-100, /must be 0 or more, or -1 for no limit/],
		[2.5, /must be a whole number/],
	])('Set Credit Limit %p', async (creditLimit, rule) => {
		await expectRefused(
			sim,
			node(endUser('setCreditLimit', { abstractUserId: 'customer-4711', creditLimit })),
			'Credit Limit',
			rule,
		);
	});

	it('an expression giving text as Credit Limit', async () => {
		await expectRefused(
			sim,
			node(
				endUser('setCreditLimit', {
					abstractUserId: 'customer-4711',
					creditLimit: '={{ "lots" }}',
				}),
			),
			'Credit Limit',
			/must be/,
		);
	});
});

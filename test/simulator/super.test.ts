// The simulator's User Management API (routes/super.js), held to Sivi's Login User and Set Credit
// Limit pages: strict 422s, 400 "User does not exist", and per-end-user credit limits on submits
// (429 "Insufficient credit limit"). Costs are read from the accepted jobs, not assumed.
import { callApi, expectError, useSimulator, type Json } from '../helpers/simulatorApi';

jest.setTimeout(20000);

const sim = useSimulator({ jobDurationMs: 50, rateLimit: { limit: 100000, windowMs: 60000 } });

const post = (endpoint: string, body: Json) => callApi(sim, 'POST', endpoint, body);
const login = (body: Json) => post('super/login-user', body);
const setLimit = (abstractUserId: string, creditLimit: unknown) =>
	post('super/set-user-credit-limit', { abstractUserId, creditLimit });

/** A one-design job (Sivi: 1–5+ credits per design), for `abstractUserId` when given. */
const designJob = (abstractUserId?: string) =>
	post('designs-from-prompt', {
		type: 'displayAds',
		subtype: 'displayAds-inline-rectangle',
		prompt: 'Autumn coffee promo',
		numOfVariants: 1,
		...(abstractUserId ? { abstractUserId } : {}),
	});

const user = (abstractUserId: string) =>
	sim.endUsers().find((entry) => entry.abstractUserId === abstractUserId);

const BRAND = {
	brandName: 'Corner Cafe',
	brandDescription: 'Coffee and cake',
	brandUrl: 'https://corner.example.com',
	brandColors: ['#5662EC'],
	brandPersona: { industry: 'restaurant_cuisine', emotions: ['happy'] },
};

describe('super/login-user', () => {
	it('creates the end user with a workspace and answers JWT-shaped, distinct tokens', async () => {
		const first = await login({ abstractUserId: 'cust-1', planId: 'sp-01', brand: BRAND });
		expect(first.status).toBe(200);
		expect(Object.keys(first.json.body).sort()).toEqual([
			'accessToken',
			'refreshToken',
			'workspaceId',
		]);
		const { accessToken, refreshToken, workspaceId } = first.json.body;
		expect(accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
		expect(refreshToken).toMatch(/^sim-refresh-[0-9a-f]{32}$/);
		expect(typeof workspaceId).toBe('string');

		const again = await login({ abstractUserId: 'cust-1' });
		expect(again.json.body.workspaceId).toBe(workspaceId);
		expect(again.json.body.accessToken).not.toBe(accessToken);
		expect(again.json.body.refreshToken).not.toBe(refreshToken);

		expect(sim.endUsers()).toHaveLength(1);
		expect(user('cust-1')).toMatchObject({
			workspaceId,
			creditLimit: -1,
			usedCredits: 0,
			deleted: false,
			brands: [BRAND],
		});
		expect(user('cust-1')!.tokens.map((t) => [t.accessToken, t.refreshToken])).toEqual([
			[accessToken, refreshToken],
			[again.json.body.accessToken, again.json.body.refreshToken],
		]);
		const payload = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
		expect(payload.jti).toBe(user('cust-1')!.tokens[0].accessMarker);
		// The brand belongs to the end user's workspace, not to the key's own.
		expect(sim.brands().filter((brand) => !brand.archived)).toHaveLength(23);
	});

	it.each([
		['no abstractUserId', {}, 'abstractUserId is required'],
		['an empty abstractUserId', { abstractUserId: '' }, 'abstractUserId is required'],
		['a blank abstractUserId', { abstractUserId: '  ' }, /abstractUserId must be a non-empty/],
		['a numeric abstractUserId', { abstractUserId: 42 }, /abstractUserId must be a non-empty/],
		['an unknown field', { abstractUserId: 'a', creditLimit: 5 }, "Unknown field 'creditLimit'"],
		[
			'a brand that is no object',
			{ abstractUserId: 'a', brand: 'Cafe' },
			/brand must be an object/,
		],
		[
			'a brand without a description',
			{ abstractUserId: 'a', brand: { brandName: 'Cafe' } },
			'brand.brandDescription is required',
		],
		[
			'a brand with an unknown field',
			{ abstractUserId: 'a', brand: { ...BRAND, slogan: 'Hi' } },
			"Unknown field 'brand.slogan'",
		],
		[
			'a brand with a bad color',
			{ abstractUserId: 'a', brand: { ...BRAND, brandColors: ['blue'] } },
			/Invalid color 'blue'/,
		],
		['an empty planId', { abstractUserId: 'a', planId: '' }, /planId must be/],
	])('refuses %s with 422 and creates nobody', async (_label, body, message) => {
		expectError(await login(body), 422, message);
		expect(sim.endUsers()).toEqual([]);
	});
});

describe('super/set-user-credit-limit', () => {
	it('sets a limit (0 and -1 included) and answers Sivi’s message', async () => {
		await login({ abstractUserId: 'cust-2' });
		for (const limit of [10, 0, -1]) {
			const r = await setLimit('cust-2', limit);
			expect(r.status).toBe(200);
			expect(r.json.body).toEqual({ message: 'Credit limit set successfully.' });
			expect(user('cust-2')!.creditLimit).toBe(limit);
		}
	});

	it('answers 400 "User does not exist" for an end user never created or deleted', async () => {
		expectError(await setLimit('nobody', 5), 400, 'User does not exist');
		await login({ abstractUserId: 'gone' });
		await post('super/delete-user', { abstractUserId: 'gone' });
		expectError(await setLimit('gone', 5), 400, 'User does not exist');
	});

	it.each([
		['a missing limit', { abstractUserId: 'cust-3' }, 'creditLimit is required'],
		['a text limit', { abstractUserId: 'cust-3', creditLimit: '5' }, /must be an integer/],
		['a fractional limit', { abstractUserId: 'cust-3', creditLimit: 2.5 }, /must be an integer/],
		[
			'a negative limit other than -1',
			{ abstractUserId: 'cust-3', creditLimit: -2 },
			/must not be negative/,
		],
		['no abstractUserId', { creditLimit: 5 }, 'abstractUserId is required'],
		[
			'an unknown field',
			{ abstractUserId: 'cust-3', creditLimit: 5, planId: 'x' },
			"Unknown field 'planId'",
		],
	])('refuses %s with 422 and changes nothing', async (_label, body, message) => {
		await login({ abstractUserId: 'cust-3' });
		expectError(await post('super/set-user-credit-limit', body), 422, message);
		expect(user('cust-3')!.creditLimit).toBe(-1);
	});
});

describe('super/delete-user', () => {
	it('deletes the end user; a second delete and unknown users answer 400', async () => {
		const created = await login({ abstractUserId: 'cust-4' });
		const r = await post('super/delete-user', { abstractUserId: 'cust-4' });
		expect(r.status).toBe(200);
		expect(typeof r.json.body.message).toBe('string');
		expect(user('cust-4')!.deleted).toBe(true);
		expectError(
			await post('super/delete-user', { abstractUserId: 'cust-4' }),
			400,
			'User does not exist',
		);
		expectError(
			await post('super/delete-user', { abstractUserId: 'nobody' }),
			400,
			'User does not exist',
		);

		// Logging in again makes a new end user with a new workspace and no limit.
		const back = await login({ abstractUserId: 'cust-4' });
		expect(back.json.body.workspaceId).not.toBe(created.json.body.workspaceId);
		expect(user('cust-4')).toMatchObject({ deleted: false, creditLimit: -1, usedCredits: 0 });
	});

	it.each([
		['no abstractUserId', {}, 'abstractUserId is required'],
		['an unknown field', { abstractUserId: 'cust-5', force: true }, "Unknown field 'force'"],
	])('refuses %s with 422', async (_label, body, message) => {
		await login({ abstractUserId: 'cust-5' });
		expectError(await post('super/delete-user', body), 422, message);
		expect(user('cust-5')!.deleted).toBe(false);
	});
});

describe('credit limits on submits', () => {
	it('counts accepted jobs per end user and refuses one the limit does not cover with 429', async () => {
		await login({ abstractUserId: 'limited' });
		await login({ abstractUserId: 'other' });
		expect((await designJob('limited')).status).toBe(200);
		const [job] = sim.jobs();
		// Sivi prices a design at 1–5+ credits, so one more design exceeds a limit of ceil(cost).
		expect(job.cost).toBeGreaterThanOrEqual(1);
		expect(user('limited')!.usedCredits).toBe(job.cost);

		const limit = Math.ceil(job.cost);
		expect((await setLimit('limited', limit)).status).toBe(200);
		const before = sim.credits();
		expectError(await designJob('limited'), 429, 'Insufficient credit limit');
		expect(sim.jobs()).toHaveLength(1);
		expect(user('limited')!.usedCredits).toBe(job.cost);
		expect(sim.credits()).toBe(before);

		// Other end users, and the key itself, are not held by that limit.
		expect((await designJob('other')).status).toBe(200);
		expect((await designJob()).status).toBe(200);
		expect(user('other')!.usedCredits).toBe(sim.jobs()[1].cost);

		// -1 lifts it again.
		await setLimit('limited', -1);
		expect((await designJob('limited')).status).toBe(200);
		expect(user('limited')!.usedCredits).toBe(job.cost + sim.jobs()[3].cost);
	});

	it('a limit of 0 refuses every paid job of that end user', async () => {
		await login({ abstractUserId: 'zero' });
		await setLimit('zero', 0);
		expectError(await designJob('zero'), 429, 'Insufficient credit limit');
		expect(sim.counters().submits).toBe(0);
	});

	it('a job for a deleted end user answers 400; one never logged in has no limit', async () => {
		await login({ abstractUserId: 'left' });
		await post('super/delete-user', { abstractUserId: 'left' });
		expectError(await designJob('left'), 400, 'User does not exist');
		expect((await designJob('never-logged-in')).status).toBe(200);
		expect(sim.endUsers().map((entry) => entry.abstractUserId)).toEqual(['left']);
	});
});

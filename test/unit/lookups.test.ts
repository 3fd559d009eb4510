// The lookups a job makes before its submit (common/lookups.ts), run in the node's execute
// context against the simulator: a font's name and source (search order, pages per source,
// cached found and missing for different times) and the default brand (cached per end user);
// request errors reach the caller as they are. And remember() itself: a TTL that depends on the
// value, a lookup under way shared, a failed one forgotten.
import { defaultBrandId, findFont } from '../../nodes/Sivi/actions/common/lookups';
import { AccountScheduler } from '../../nodes/Sivi/engine/accountScheduler';
import { realClock, useClock, type Clock } from '../../nodes/Sivi/engine/clock';
import { SiviRequestError } from '../../nodes/Sivi/shared/siviError';
import { inNodeContext, type RecordedRequest } from '../helpers/n8nEngine';
import { bodiesTo, nodeOn, useSimulator } from '../helpers/simulatorCalls';

const sim = useSimulator({ rateLimit: { limit: 10_000, windowMs: 60_000 } });
const node = nodeOn(sim);

/** The engine's clock, moved on by hand (on top of the wall clock the pacer needs). */
let offset = 0;
const movedClock: Clock = {
	now: () => Date.now() + offset,
	sleep: realClock.sleep,
	fromWallMs: (ms) => ms,
};
beforeEach(() => {
	offset = 0;
	useClock(movedClock);
});
afterEach(() => useClock(realClock));

/**
 * Runs `run` in the node's execute context (with `apiKey`; its requests failing with network
 * error `failWith`); returns its value and the requests it made.
 */
async function probe<T>(
	run: Parameters<typeof inNodeContext<T>>[1],
	{ apiKey = sim.apiKey, failWith }: { apiKey?: string; failWith?: string } = {},
): Promise<{ value: T; requests: RecordedRequest[] }> {
	const requests: RecordedRequest[] = [];
	const value = await inNodeContext(
		{
			...node({ resource: 'font', operation: 'getMany' }),
			apiKey,
			intercept: (request) => {
				requests.push(request);
				return failWith ? { failWith } : undefined;
			},
		},
		run,
	);
	return { value, requests };
}

// Roboto, a seeded Google font (test/simulator/routes/fonts.js).
const ROBOTO = 'f_sys0028';

describe('findFont', () => {
	it('finds a font by its listed name, uploaded fonts first', async () => {
		const { value, requests } = await probe(
			async (context) => await findFont(context, ROBOTO, 'Roboto', 'user-7'),
		);
		expect(value).toEqual({ name: 'Roboto', addedBy: 'system' });
		expect(bodiesTo(requests, 'font/get')).toEqual([
			{ source: 'user', name: 'Roboto', abstractUserId: 'user-7', limit: 100 },
			{ source: 'system', name: 'Roboto', abstractUserId: 'user-7', limit: 100 },
		]);
	});

	it('without a name, or with a wrong one, pages through each source', async () => {
		const { value, requests } = await probe(
			async (context) => await findFont(context, ROBOTO, 'Not Roboto', undefined),
		);
		expect(value).toEqual({ name: 'Roboto', addedBy: 'system' });
		expect(bodiesTo(requests, 'font/get')).toEqual([
			{ source: 'user', name: 'Not Roboto', limit: 100 },
			{ source: 'system', name: 'Not Roboto', limit: 100 },
			{ source: 'user', limit: 100 },
			{ source: 'system', limit: 100 },
		]);
	});

	it('keeps a found font 10 minutes per end user and font ID', async () => {
		const find = async (id: string, user?: string) =>
			await probe(async (context) => await findFont(context, id, 'Roboto', user));
		expect(bodiesTo((await find(ROBOTO)).requests, 'font/get')).toHaveLength(2);
		offset = 9 * 60_000;
		const again = await find(ROBOTO);
		expect(again.value).toEqual({ name: 'Roboto', addedBy: 'system' });
		expect(again.requests).toHaveLength(0);
		// Another end user's fonts are theirs.
		expect(bodiesTo((await find(ROBOTO, 'user-7')).requests, 'font/get')).toHaveLength(2);
		offset = 10 * 60_000 + 1;
		expect(bodiesTo((await find(ROBOTO)).requests, 'font/get')).toHaveLength(2);
	});

	it('keeps a missing font one minute', async () => {
		const find = async () =>
			await probe(async (context) => await findFont(context, 'f_nothing', undefined, undefined));
		const first = await find();
		expect(first.value).toBeUndefined();
		expect(bodiesTo(first.requests, 'font/get')).toHaveLength(2);
		offset = 59_000;
		expect((await find()).requests).toHaveLength(0);
		offset = 60_001;
		expect(bodiesTo((await find()).requests, 'font/get')).toHaveLength(2);
	});

	it('lets a request error through as it is, and does not keep it', async () => {
		const find = async (options?: Parameters<typeof probe>[1]) =>
			await probe(async (context) => await findFont(context, ROBOTO, 'Roboto', undefined), options);
		const wrongKey = find({ apiKey: 'wrong-key' });
		await expect(wrongKey).rejects.toBeInstanceOf(SiviRequestError);
		await expect(wrongKey).rejects.toMatchObject({ kind: 'auth', httpCode: 401 });
		await expect(find({ failWith: 'ECONNRESET' })).rejects.toMatchObject({
			name: 'SiviRequestError',
			kind: 'network',
		});
		const { value, requests } = await find();
		expect(value).toEqual({ name: 'Roboto', addedBy: 'system' });
		expect(bodiesTo(requests, 'font/get')).toHaveLength(2);
	});
});

describe('defaultBrandId', () => {
	it('asks brand/get for one default brand, once per end user for a while', async () => {
		const lookUp = async (user?: string) =>
			await probe(async (context) => await defaultBrandId(context, user));
		const first = await lookUp();
		expect(first.value).toBe('b_default0001');
		expect(bodiesTo(first.requests, 'brand/get')).toEqual([{ isDefault: true, limit: 1 }]);
		expect((await lookUp()).requests).toHaveLength(0);
		const user = await lookUp('user-7');
		expect(bodiesTo(user.requests, 'brand/get')).toEqual([
			{ isDefault: true, abstractUserId: 'user-7', limit: 1 },
		]);
		offset = 5 * 60_000 + 1;
		expect(bodiesTo((await lookUp()).requests, 'brand/get')).toHaveLength(1);
	});

	it("is '' when the workspace has no default brand", async () => {
		await sim.restart({ brands: 0, rateLimit: { limit: 10_000, windowMs: 60_000 } });
		const { value } = await probe(async (context) => await defaultBrandId(context, undefined));
		expect(value).toBe('');
	});

	it('lets a request error through as it is', async () => {
		await expect(
			probe(async (context) => await defaultBrandId(context, undefined), { apiKey: 'wrong-key' }),
		).rejects.toMatchObject({ name: 'SiviRequestError', kind: 'auth' });
	});
});

describe('AccountScheduler.remember', () => {
	let now = 0;
	const clock: Clock = { now: () => now, sleep: realClock.sleep, fromWallMs: (ms) => ms };
	const scheduler = () => new AccountScheduler({ requestsPerMinute: 60, jobsInFlight: 1 }, clock);

	it('keeps a value for a TTL that may depend on it', async () => {
		now = 0;
		const account = scheduler();
		let loads = 0;
		const ttl = (value: string) => (value === 'found' ? 1_000 : 100);
		const load = (value: string) => async () => {
			loads++;
			return value;
		};
		expect(await account.remember('a', ttl, load('found'))).toBe('found');
		expect(await account.remember('b', ttl, load('missing'))).toBe('missing');
		now = 500;
		expect(await account.remember('a', ttl, load('other'))).toBe('found');
		expect(await account.remember('b', ttl, load('later'))).toBe('later');
		expect(loads).toBe(3);
		now = 1_001;
		expect(await account.remember('a', 5, load('fresh'))).toBe('fresh');
	});

	it('shares a lookup under way, and forgets a failed one', async () => {
		now = 0;
		const account = scheduler();
		let release!: (value: string) => void;
		const pending = new Promise<string>((resolve) => (release = resolve));
		let loads = 0;
		const slow = async () => {
			loads++;
			return await pending;
		};
		const both = Promise.all([
			account.remember('k', () => 10, slow),
			account.remember('k', () => 10, slow),
		]);
		release('v');
		expect(await both).toEqual(['v', 'v']);
		expect(loads).toBe(1);

		const failure = new SiviRequestError('server', 'boom');
		await expect(
			account.remember(
				'f',
				() => 10,
				async () => await Promise.reject(failure),
			),
		).rejects.toBe(failure);
		expect(
			await account.remember(
				'f',
				() => 10,
				async () => 'after',
			),
		).toBe('after');
	});
});

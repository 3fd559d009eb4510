// The simulator's leaky-bucket limiter (rateLimit.mode 'leaky'): one request per windowMs /
// limit, `burst` at once, refused requests filling the bucket only with countRefused; selected
// by option and by the CLI's --leaky / --burst.
import { sleep } from 'n8n-workflow';

import { startSimulator, type Simulator } from './index';

/* eslint-disable @typescript-eslint/no-require-imports */
const { RateLimiter } = require('./rateLimit') as {
	RateLimiter: new (o: {
		limit?: number;
		windowMs?: number;
		countRefused?: boolean;
		mode?: string;
		burst?: number;
	}) => { take(key: string, now: number): { ok: boolean; retryAfterMs?: number } };
};
const { parseArgs, USAGE } = require('./cli') as {
	parseArgs: (argv: string[]) => Record<string, unknown>;
	USAGE: string;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Which of the requests at these times (ms) the limiter admits. */
const admitted = (limiter: InstanceType<typeof RateLimiter>, times: number[]) =>
	times.map((t) => limiter.take('k', t).ok);

describe('leaky-bucket rate limiter', () => {
	it('admits one request per windowMs / limit without burst', () => {
		// 50 per 60 s: one per 1200 ms.
		const limiter = new RateLimiter({ limit: 50, windowMs: 60_000, mode: 'leaky' });
		expect(admitted(limiter, [0, 100, 1199, 1200, 2399, 2400, 3600])).toEqual([
			true,
			false,
			false,
			true,
			false,
			true,
			true,
		]);
		const refused = limiter.take('k', 3700);
		expect(refused).toEqual({ ok: false, retryAfterMs: expect.any(Number) });
		expect(refused.retryAfterMs).toBeCloseTo(1100, 5);
	});

	it('admits a burst of `burst` requests, then drains at the steady rate', () => {
		const limiter = new RateLimiter({ limit: 50, windowMs: 60_000, mode: 'leaky', burst: 3 });
		expect(admitted(limiter, [0, 0, 0, 0, 1200, 1201])).toEqual([
			true,
			true,
			true,
			false,
			true,
			false,
		]);
		// A burst does not let the long-run rate exceed the plan: 100 requests a second apart
		// for a minute gives 3 + 60 / 1.2 admitted at most.
		const steady = new RateLimiter({ limit: 50, windowMs: 60_000, mode: 'leaky', burst: 3 });
		const times = Array.from({ length: 600 }, (_, i) => i * 100);
		expect(admitted(steady, times).filter(Boolean).length).toBeLessThanOrEqual(53);
	});

	it('counts refused requests into the bucket only with countRefused', () => {
		const hammer = (countRefused: boolean, at: number) => {
			const limiter = new RateLimiter({ limit: 50, windowMs: 60_000, mode: 'leaky', countRefused });
			// One accepted, then 5 refused at once: counted, they take 5 more intervals to drain.
			admitted(limiter, [0, 1, 1, 1, 1, 1]);
			return limiter.take('k', at).ok;
		};
		expect(hammer(false, 1_200)).toBe(true);
		expect(hammer(true, 1_200)).toBe(false);
		expect(hammer(true, 6_000)).toBe(false);
		expect(hammer(true, 7_300)).toBe(true);
	});

	it('rejects a bad mode or burst', () => {
		expect(() => new RateLimiter({ mode: 'bucket' })).toThrow(/mode must be/);
		expect(() => new RateLimiter({ mode: 'leaky', burst: 0 })).toThrow(/burst must be/);
	});

	it('is selected by the CLI with --leaky and --burst (documented in --help)', () => {
		expect(parseArgs(['--leaky', '--burst', '2', '--rpm', '50', '--count-refused'])).toEqual({
			rateLimit: { mode: 'leaky', burst: 2, limit: 50, countRefused: true },
		});
		expect(() => parseArgs(['--burst', '0'])).toThrow(/--burst/);
		expect(USAGE).toMatch(/--leaky/);
		expect(USAGE).toMatch(/--burst N/);
	});

	describe('in the running simulator', () => {
		let sim: Simulator;
		afterEach(async () => await sim.close());

		const status = async () =>
			(
				await fetch(`${sim.baseUrl}/general/brand/get`, {
					method: 'POST',
					headers: { 'sivi-api-key': sim.apiKey, 'content-type': 'application/json' },
					body: '{}',
				})
			).status;

		it('refuses the second of two back-to-back requests and admits again after an interval', async () => {
			// 10 per 2 s: one per 200 ms.
			sim = await startSimulator({
				rateLimit: { limit: 10, windowMs: 2_000, mode: 'leaky', retryAfterHeader: false },
			});
			expect(await status()).toBe(200);
			expect(await status()).toBe(429);
			expect(sim.counters().rateLimited).toBe(1);
			await sleep(450);
			expect(await status()).toBe(200);
		});

		it('switches between window and leaky with setOptions', async () => {
			sim = await startSimulator({ rateLimit: { limit: 10, windowMs: 60_000 } });
			expect(await status()).toBe(200);
			expect(await status()).toBe(200);
			sim.resetRateLimit();
			sim.setOptions({ rateLimit: { mode: 'leaky' } });
			expect(await status()).toBe(200);
			expect(await status()).toBe(429);
			expect(() => sim.setOptions({ rateLimit: { mode: 'x' as 'leaky' } })).toThrow(/mode/);
		});
	});
});

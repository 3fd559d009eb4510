// The account scheduler's parts on their own, on a clock running 100× fast: the pacer spreads
// requests within the plan and serves submits before polls, a 429 backs off and cuts the rate,
// the poll plan looks at a job when it should be done, and an idle scheduler holds nothing.
import type { IDataObject } from 'n8n-workflow';

import { AccountScheduler, type JobSpec } from '../../nodes/Sivi/engine/accountScheduler';
import { fasterClock } from '../../nodes/Sivi/engine/clock';
import { DurationStats, newTiming, nextPollAt } from '../../nodes/Sivi/engine/pollPlan';
import { PRIORITY, RequestPacer } from '../../nodes/Sivi/engine/requestPacer';

const SCALE = 100;
const identity = (ms: number) => ms;

/** Most timestamps inside any window of `windowMs`. */
function busiest(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let start = 0, end = 0; end < sorted.length; end++) {
		while (sorted[end] - sorted[start] >= windowMs) start++;
		most = Math.max(most, end - start + 1);
	}
	return most;
}

describe('request pacer', () => {
	it('spreads 120 requests so that no 60 s window holds more than the plan allows', async () => {
		const clock = fasterClock(SCALE);
		const pacer = new RequestPacer(clock, 50);
		const sent: number[] = [];
		await Promise.all(
			Array.from({ length: 120 }, async () => {
				await pacer.take(PRIORITY.poll);
				sent.push(clock.now());
			}),
		);
		expect(sent).toHaveLength(120);
		expect(busiest(sent, 60_000)).toBeLessThanOrEqual(50);
		// Evenly spread, not burst-then-stall: no gap anywhere near a window's length.
		const gaps = sent.slice(1).map((t, i) => t - sent[i]);
		expect(Math.max(...gaps)).toBeLessThan(15_000);
		// And still close to the plan's full rate: 120 requests take about 120/46 minutes.
		expect(sent[119] - sent[0]).toBeLessThan((120 / 44) * 60_000);
	});

	it('serves a waiting submit before polls that waited longer', async () => {
		const clock = fasterClock(SCALE);
		const pacer = new RequestPacer(clock, 50);
		await pacer.take(PRIORITY.poll);
		await pacer.take(PRIORITY.poll);
		const order: string[] = [];
		const polls = [1, 2, 3].map(async (n) => {
			await pacer.take(PRIORITY.poll);
			order.push(`poll ${n}`);
		});
		const submit = (async () => {
			await pacer.take(PRIORITY.submit);
			order.push('submit');
		})();
		await Promise.all([...polls, submit]);
		expect(order).toEqual(['submit', 'poll 1', 'poll 2', 'poll 3']);
	});

	it('after a 429 without Retry-After, pauses everyone and cuts the rate once per event', async () => {
		const clock = fasterClock(SCALE);
		const pacer = new RequestPacer(clock, 50);
		const before = pacer.requestsPerMinute;
		const sentAt = clock.now();
		pacer.refused(sentAt);
		pacer.refused(sentAt); // a second answer to a request sent before the cut
		expect(pacer.requestsPerMinute).toBeCloseTo(before * 0.7, 5);
		expect(pacer.backingOff).toBe(true);
		const waitedFrom = clock.now();
		await pacer.take(PRIORITY.poll);
		// Two strikes: 4 s × jitter (0.5–1.5) at least 2 s.
		expect(clock.now() - waitedFrom).toBeGreaterThanOrEqual(1_900);
		for (let i = 0; i < 200; i++) pacer.passed();
		expect(pacer.requestsPerMinute).toBeGreaterThan(before * 0.7);
		expect(pacer.requestsPerMinute).toBeLessThanOrEqual(before);
	});

	it('is idle, with no loop running, once nobody waits', async () => {
		const clock = fasterClock(SCALE);
		// One request a minute: after the burst of 2 the next one waits a long (scaled) time, so a
		// busy machine cannot hand it a token before the test looks.
		const pacer = new RequestPacer(clock, 1);
		const controller = new AbortController();
		await Promise.all([1, 2].map(async () => await pacer.take(PRIORITY.poll)));
		const cancelled = pacer.take(PRIORITY.poll, controller.signal);
		expect(pacer.idle).toBe(false);
		controller.abort();
		await expect(cancelled).rejects.toThrow(/cancelled/);
		await clock.sleep(10);
		expect(pacer.idle).toBe(true);
	});
});

describe('poll plan', () => {
	const spacing = 1_000;

	it('first looks at a job of unknown length after one poll interval', () => {
		const timing = newTiming('media/generate m', 10_000, spacing);
		expect(nextPollAt(timing, new DurationStats(), 10_000, undefined, identity)).toBe(11_000);
	});

	it('leaves a queued job alone until it can have finished', () => {
		const stats = new DurationStats();
		stats.record('designs-from-prompt auto', 40_000);
		const timing = newTiming('designs-from-prompt auto', 0, spacing, 30_000);
		// Queued for 30 s, then 40 s of work: the first look is just after 70 s.
		const first = nextPollAt(timing, stats, 0, undefined, identity);
		expect(first).toBeGreaterThanOrEqual(70_000);
		expect(first).toBeLessThan(71_000);
		// Still pending at 20 s with 50 s to wait: not before 50 + 40 s.
		const again = nextPollAt(
			timing,
			stats,
			20_000,
			{ status: 'pending', queueWaitTime: 30_000 },
			identity,
		);
		expect(again).toBeGreaterThanOrEqual(90_000);
	});

	it('predicts the end from progress and looks just after it', () => {
		const timing = newTiming('designs-from-prompt auto', 0, spacing);
		timing.lastPollAt = 10_000;
		const at = nextPollAt(
			timing,
			new DurationStats(),
			10_000,
			{ status: 'processing', progress: 50 },
			identity,
		);
		// 10 s for 50.5 %: about 19.8 s in all, looked at just after.
		expect(at).toBeGreaterThan(19_700);
		expect(at).toBeLessThan(20_200);
	});

	it('reads queueWaitTime on the engine clock', () => {
		const timing = newTiming('designs-from-prompt auto', 0, spacing);
		const at = nextPollAt(
			timing,
			new DurationStats(),
			0,
			{ status: 'pending', queueWaitTime: 100 },
			(ms) => ms * 40,
		);
		expect(timing.startAt).toBe(4_000);
		expect(at).toBeGreaterThanOrEqual(4_000 + spacing);
	});
});

describe('account scheduler', () => {
	it('runs a batch, polls each job about once when its length is known, and is idle afterwards', async () => {
		const clock = fasterClock(SCALE);
		const scheduler = new AccountScheduler({ requestsPerMinute: 50, jobsInFlight: 14 }, clock);
		scheduler.stats.record('media/generate m', 3_000);
		const started = new Map<string, number>();
		let polls = 0;
		const io = {
			submit: async (_path: string, body: IDataObject) => {
				const requestId = `R${String(body.n)}`;
				started.set(requestId, clock.now());
				return { requestId };
			},
			status: async (requestId: string) => {
				polls++;
				const done = clock.now() - started.get(requestId)! >= 3_000;
				return { status: done ? 'completed' : 'processing', requestId, progress: 50 };
			},
		};
		const jobs: JobSpec[] = Array.from({ length: 10 }, (_, n) => ({
			submit: { path: 'media/generate', body: { n } },
			wait: true,
			durationKey: 'media/generate m',
		}));
		const report = await scheduler.runBatch(
			jobs,
			{ minPollSpacingMs: 1_000, maxWaitMs: 600_000, maxPollFailures: 3, stopOnFirstError: false },
			io,
		);
		expect(report.outcomes.map((outcome) => outcome.kind)).toEqual(Array(10).fill('finished'));
		expect(polls).toBeLessThanOrEqual(12);
		expect(report.refusals).toBe(0);
		await clock.sleep(50);
		expect(scheduler.idle).toBe(true);
	});
});

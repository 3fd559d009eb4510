// The account scheduler's parts on their own, on a clock running 100× fast: the pacer sends
// whatever fits the plan's 60 s window and serves lookups, re-reads and submits before polls, a
// 429 within the budget switches it to pacing (AIMD) until it probes the window again, and an
// idle scheduler holds nothing. The poll plan's own tests are in pollPlan.test.ts.
import type { IDataObject } from 'n8n-workflow';

import { AccountScheduler, type JobSpec } from '../../nodes/Sivi/engine/accountScheduler';
import { fasterClock } from '../../nodes/Sivi/engine/clock';
import {
	PRIORITY,
	RequestPacer,
	type Grant,
	type Priority,
} from '../../nodes/Sivi/engine/requestPacer';

const SCALE = 100;

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

/** Takes the right to send and answers at once, as a quick request would. */
async function send(pacer: RequestPacer, priority: Priority = PRIORITY.poll): Promise<void> {
	const grant = await pacer.take(priority);
	if (grant) grant.answered();
}

describe('request pacer', () => {
	it('sends a burst that fits the window at once, then keeps every 60 s window within the plan', async () => {
		const clock = fasterClock(SCALE);
		const pacer = new RequestPacer(clock, 50, { adaptive: false });
		const sent: number[] = [];
		const start = clock.now();
		await Promise.all(
			Array.from({ length: 120 }, async () => {
				await send(pacer);
				sent.push(clock.now());
			}),
		);
		expect(sent).toHaveLength(120);
		// Counted from the answer plus a margin: Sivi's window never holds more than the plan.
		expect(busiest(sent, 60_000)).toBeLessThanOrEqual(50);
		// The first 50 go at once (no steady 1.3 s spacing), the 51st only a window later.
		const sorted = [...sent].sort((a, b) => a - b);
		expect(sorted[49] - start).toBeLessThan(sorted[50] - start);
		expect(sorted[50] - start).toBeGreaterThanOrEqual(60_000);
		expect(sorted[49] - sorted[0]).toBeLessThan(sorted[50] - sorted[49]);
	});

	it('serves waiting lookups, Trigger re-reads and submits before polls that waited longer', async () => {
		const clock = fasterClock(SCALE);
		const pacer = new RequestPacer(clock, 2, { adaptive: false });
		await send(pacer);
		await send(pacer);
		const order: string[] = [];
		const wait = async (name: string, priority: Priority) => {
			await send(pacer, priority);
			order.push(name);
		};
		const polls = [1, 2].map(async (n) => await wait(`poll ${n}`, PRIORITY.poll));
		await clock.sleep(10);
		const others = [
			wait('submit', PRIORITY.submit),
			wait('re-read', PRIORITY.reread),
			wait('lookup', PRIORITY.call),
		];
		await Promise.all([...polls, ...others]);
		expect(order).toEqual(['lookup', 're-read', 'submit', 'poll 1', 'poll 2']);
	});

	it('counts a request until a window after its answer, not after its send', async () => {
		const clock = fasterClock(SCALE);
		const pacer = new RequestPacer(clock, 1, { adaptive: false });
		const slow = await pacer.take(PRIORITY.poll);
		if (!slow) throw new Error('no grant');
		await clock.sleep(30_000);
		slow.answered();
		const answeredAt = clock.now();
		await send(pacer);
		expect(clock.now() - answeredAt).toBeGreaterThanOrEqual(60_000);
	});

	it('a 429 within the budget switches to pacing; later refusals cut the rate once per event', async () => {
		const clock = fasterClock(SCALE);
		const pacer = new RequestPacer(clock, 50);
		expect(pacer.mode).toBe('window');
		await send(pacer);
		const sentAt = clock.now();
		pacer.refused(sentAt);
		pacer.refused(sentAt); // a second answer to a request sent before the switch
		expect(pacer.mode).toBe('paced');
		expect(pacer.requestsPerMinute).toBeCloseTo(50 * 0.92, 5);
		expect(pacer.backingOff).toBe(true);
		const waitedFrom = clock.now();
		await send(pacer);
		// Two refusals to drain at 1.2 s each, and one more interval: about 3.6 s.
		expect(clock.now() - waitedFrom).toBeGreaterThanOrEqual(3_000);
		// Paced: no burst, requests leave about 1.3 s apart.
		const pacedFrom = clock.now();
		await send(pacer);
		expect(clock.now() - pacedFrom).toBeGreaterThanOrEqual(1_200);
		// A refusal of a request sent while paced is a new event: the rate is cut (AIMD).
		pacer.refused(clock.now());
		expect(pacer.requestsPerMinute).toBeCloseTo(50 * 0.92 * 0.7, 5);
		for (let i = 0; i < 200; i++) pacer.passed();
		expect(pacer.requestsPerMinute).toBeGreaterThan(50 * 0.92 * 0.7);
		expect(pacer.requestsPerMinute).toBeLessThanOrEqual(50 * 0.92);
	});

	it('probes the window again after a while without refusals, in batches that double', async () => {
		const clock = fasterClock(1_000);
		const pacer = new RequestPacer(clock, 50);
		pacer.refused(clock.now());
		expect(pacer.mode).toBe('paced');
		// Held paced for 5 minutes (5 min / 1000 = 0.3 s of wall time here).
		await clock.sleep(5 * 60_000 + 1_000);
		/** Takes up to `count` grants within 30 s (scaled; 30 ms): those the batch allows now. */
		const takeNow = async (count: number) => {
			const grants: Grant[] = [];
			const pending = Array.from({ length: count }, async () => {
				const grant = await pacer.take(PRIORITY.poll, undefined, clock.now() + 30_000);
				if (grant) grants.push(grant);
			});
			await Promise.all(pending);
			return grants;
		};
		/** Answers a batch, each request let through by Sivi. */
		const pass = (grants: Grant[]) => {
			for (const grant of grants) {
				pacer.passed();
				grant.answered();
			}
		};
		// Slow start: one request alone, then batches of 2 and 4, each once the last one passed.
		const first = await takeNow(3);
		expect(pacer.mode).toBe('window');
		expect(first).toHaveLength(1);
		pass(first);
		const second = await takeNow(3);
		expect(second).toHaveLength(2);
		pass(second);
		const third = await takeNow(6);
		expect(third).toHaveLength(4);
		pass(third);
	});

	it('is idle, with no loop running, once nobody waits', async () => {
		const clock = fasterClock(SCALE);
		// One request a minute: the second waits a long (scaled) time, so a busy machine cannot
		// hand it a turn before the test looks.
		const pacer = new RequestPacer(clock, 1);
		const controller = new AbortController();
		await send(pacer);
		const cancelled = pacer.take(PRIORITY.poll, controller.signal);
		expect(pacer.idle).toBe(false);
		controller.abort();
		await expect(cancelled).rejects.toThrow(/cancelled/);
		await clock.sleep(10);
		expect(pacer.idle).toBe(true);
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

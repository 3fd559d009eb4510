// Budget-aware polling (statusPoller.ts), on a virtual clock so every time is exact: a look that
// may find a job still running only spends spare requests of the window; without spare a job
// is looked at once, when it has surely ended (its place in Sivi's queue and the longest its
// kind takes); a cold kind's pilot still probes.
import type { Clock } from '../../nodes/Sivi/engine/clock';
import { DurationStats, newTiming } from '../../nodes/Sivi/engine/pollPlan';
import { StatusPoller, type PollEnd } from '../../nodes/Sivi/engine/statusPoller';

const KEY = 'media/generate m';
const T0 = 1_000_000;

/** Time moves only when every pending promise has settled and a sleep is due. */
function virtualClock() {
	let now = T0;
	const timers: Array<{ at: number; resolve: () => void }> = [];
	const clock: Clock = {
		now: () => now,
		sleep: async (ms, signal) =>
			await new Promise<void>((resolve, reject) => {
				const timer = { at: now + Math.max(0, ms), resolve };
				timers.push(timer);
				signal?.addEventListener(
					'abort',
					() => {
						timers.splice(timers.indexOf(timer), 1);
						reject(new Error('woken'));
					},
					{ once: true },
				);
			}),
		fromWallMs: (ms) => ms,
	};
	const flush = async () => {
		// Everything here settles through promises only (no real timer), so microtasks suffice.
		for (let i = 0; i < 200; i++) await Promise.resolve();
	};
	async function runUntil(done: () => boolean): Promise<void> {
		for (let steps = 0; steps < 100_000; steps++) {
			await flush();
			if (done()) return;
			timers.sort((a, b) => a.at - b.at);
			const next = timers.shift();
			if (!next) throw new Error('stuck: nothing scheduled');
			now = Math.max(now, next.at);
			next.resolve();
		}
		throw new Error('too many steps');
	}
	return { clock, runUntil };
}

/** Sivi's queue: jobs run first come first served on `slots`, each `length` ms. */
function siviQueue(count: number, slots: number, length: number, submittedAt: number) {
	return Array.from({ length: count }, (_, i) => {
		const start = submittedAt + Math.floor(i / slots) * length;
		return { start, end: start + length };
	});
}

async function runJobs(options: {
	count: number;
	spare: number;
	known?: { lo: number; hi: number };
	length?: number;
	/** What a prober may spend (the spare and half the scheduler's reserve). */
	probeRoom?: number;
	/** Processing answers carry a progress (Sivi does not promise one). */
	progress?: boolean;
	/** Submits leave 1 ms apart and are answered in the reverse order. */
	answeredInReverse?: boolean;
}) {
	const { clock, runUntil } = virtualClock();
	const stats = new DurationStats();
	if (options.known) stats.record(KEY, options.known.lo, options.known.hi);
	const poller = new StatusPoller(clock, stats, 4);
	poller.budget = {
		spare: () => options.spare,
		probeRoom: () => options.probeRoom ?? options.spare,
		slots: 4,
	};
	const length = options.length ?? 3_000;
	const jobs = siviQueue(options.count, 4, length, T0);
	const looks: Array<Array<{ at: number; state: string }>> = jobs.map(() => []);
	const ends: PollEnd[] = [];
	const order = jobs.map((_, i) => i);
	if (options.answeredInReverse) order.reverse();
	order.forEach((i) => {
		const job = jobs[i];
		void poller
			.track({
				requestId: `R${i}`,
				deadline: T0 + 600_000,
				pollNow: false,
				timing: newTiming(KEY, options.answeredInReverse ? T0 + i : T0, 1_000),
				maxPollFailures: 3,
				owner: {},
				poll: async (leaving) => {
					leaving();
					const now = clock.now();
					const status = now < job.start ? 'pending' : now < job.end ? 'processing' : 'completed';
					looks[i].push({ at: now, state: status });
					const progress = Math.floor((100 * (now - job.start)) / length);
					const reading = status === 'processing' && options.progress !== false;
					return { requestId: `R${i}`, status, ...(reading ? { progress } : {}) };
				},
			})
			.then((end) => ends.push(end));
	});
	await runUntil(() => ends.length === jobs.length);
	return { jobs, looks, ends };
}

describe('budget-aware polling', () => {
	it('without spare, looks at each job once, after its end, within its kind’s spread per queue round', async () => {
		const { jobs, looks, ends } = await runJobs({
			count: 14,
			spare: 0,
			known: { lo: 2_900, hi: 3_100 },
		});
		expect(ends.every((end) => end.state === 'done')).toBe(true);
		looks.forEach((list, i) => {
			expect(list).toHaveLength(1);
			expect(list[0].state).toBe('completed');
			const late = list[0].at - jobs[i].end;
			expect(late).toBeGreaterThanOrEqual(0);
			// Each round of the queue adds at most the kind's spread (100 ms) and a margin.
			const round = Math.floor(i / 4) + 1;
			expect(late).toBeLessThanOrEqual(round * 300);
		});
	});

	it('places jobs in the order their submits left, not the order Sivi answered them', async () => {
		// Sivi queues the first submit first; its answer may come last.
		const { jobs, looks, ends } = await runJobs({
			count: 14,
			spare: 0,
			known: { lo: 2_900, hi: 3_100 },
			answeredInReverse: true,
		});
		expect(ends.every((end) => end.state === 'done')).toBe(true);
		looks.forEach((list, i) => {
			expect(list).toHaveLength(1);
			expect(list[0].state).toBe('completed');
			expect(list[0].at - jobs[i].end).toBeGreaterThanOrEqual(0);
		});
	});

	it('with spare requests, a job whose end is uncertain is looked at before its latest end', async () => {
		const held = await runJobs({ count: 1, spare: 0, known: { lo: 2_000, hi: 4_000 } });
		const free = await runJobs({ count: 1, spare: 20, known: { lo: 2_000, hi: 4_000 } });
		// Without spare: one look, once the longest such job would be done.
		expect(held.looks[0]).toHaveLength(1);
		expect(held.looks[0][0].at).toBeGreaterThanOrEqual(T0 + 4_000);
		// With spare: the first look goes in the middle of the possible end, which may be early.
		expect(free.looks[0][0].at).toBeLessThan(T0 + 4_000);
	});

	it('without progress, jobs whose place on a slot is known probe a loose length from the reserve', async () => {
		// Known only as 2–4 s and nothing to read. Looked at only once surely done, each round of
		// Sivi's queue is looked at up to 1 s late and nothing is learned. The first round entered
		// free slots, so its jobs started at their submit; each later round started when the one
		// before it on its slot had run, so its start is tied to the length. One job at a time is
		// looked at in the middle of its possible end (paid from the reserve): what it finds
		// bounds the length k times more closely for a job k rounds down its slot.
		const run = async (probeRoom: number) =>
			await runJobs({
				count: 16,
				spare: 0,
				probeRoom,
				known: { lo: 2_000, hi: 4_000 },
				length: 3_300,
				progress: false,
			});
		const held = await run(0);
		const probed = await run(10);
		expect(held.looks.flat()).toHaveLength(16);
		expect(probed.ends.every((end) => end.state === 'done')).toBe(true);
		expect(probed.looks[0][0].state).toBe('processing');
		expect(probed.looks[0][0].at).toBeLessThan(T0 + 4_000);
		// A probe may find its job running: a few requests, never more than one per round.
		const early = probed.looks.flat().filter((look) => look.state !== 'completed');
		expect(early.length).toBeGreaterThanOrEqual(1);
		expect(early.length).toBeLessThanOrEqual(4);
		for (const list of probed.looks) expect(list.at(-1)!.state).toBe('completed');
		// The last round (started after three rounds of 3.3 s) is looked at within 10 % after its
		// end: the first round's looks alone left the length between 3 and 4 s (2.4 s late).
		const lastRound = probed.looks.slice(12).map((list) => list.at(-1)!.at - (T0 + 4 * 3_300));
		for (const late of lastRound) {
			expect(late).toBeGreaterThanOrEqual(0);
			expect(late).toBeLessThanOrEqual(0.1 * 3_300);
		}
	});

	it('a kind whose pilot read its progress is not probed: every other job is looked at once, after its end', async () => {
		// Room to probe, but the pilot's readings told the length closely; a place behind other
		// jobs on a slot leaves a job's latest end loose, yet its own look would give a reading.
		const { jobs, looks, ends } = await runJobs({
			count: 16,
			spare: 0,
			probeRoom: 10,
			length: 3_300,
			progress: true,
		});
		expect(ends.every((end) => end.state === 'done')).toBe(true);
		expect(looks[0].length).toBeGreaterThan(1);
		for (let i = 1; i < jobs.length; i++) {
			expect(looks[i]).toHaveLength(1);
			expect(looks[i][0].at).toBeGreaterThanOrEqual(jobs[i].end);
			expect(looks[i][0].at - jobs[i].end).toBeLessThanOrEqual(0.1 * 3_300);
		}
	});

	it('a cold kind: only the pilot probes without spare, the others wait for what it teaches', async () => {
		const { jobs, looks, ends } = await runJobs({ count: 4, spare: 0 });
		expect(ends.every((end) => end.state === 'done')).toBe(true);
		expect(looks[0].length).toBeGreaterThan(1);
		for (let i = 1; i < jobs.length; i++) {
			expect(looks[i]).toHaveLength(1);
			expect(looks[i][0].at).toBeGreaterThanOrEqual(jobs[i].end);
		}
	});
});

// The poll plan on its own, with made-up times (no clock at all): every look is a bound on the
// job's start and length, a single progress reading does not assume the job started at its
// submit, a wrong early estimate shrinks back, and after a few jobs of a kind the first look at
// the next lands just after its end.
import { DurationStats } from '../../nodes/Sivi/engine/durationStats';
import {
	learnDuration,
	newTiming,
	nextPollAt,
	planLook,
	type JobTiming,
} from '../../nodes/Sivi/engine/pollPlan';
import { signals } from '../simulator';

const identity = (ms: number) => ms;
const spacing = 1_000;
const KEY = 'media/generate m';

type Curve = (typeof signals.PROGRESS_CURVES)[number];

/** A job as Sivi runs it: it starts at `start` and takes `length` ms; progress on `curve`. */
function sivi(start: number, length: number, curve: Curve = 'linear') {
	return (at: number) =>
		at < start
			? { status: 'pending' }
			: at < start + length
				? { status: 'processing', progress: signals.progress(curve, (at - start) / length) }
				: { status: 'completed' };
}

/** Looks at the job whenever the plan says, until it is done; returns the looks' times. */
function follow(
	timing: JobTiming,
	stats: DurationStats,
	job: (at: number) => object,
	from: number,
) {
	const looks: number[] = [];
	let at = planLook(timing, stats, from);
	for (let i = 0; i < 20; i++) {
		looks.push(at);
		const answer = job(at) as { status: string; progress?: number };
		if (answer.status === 'completed') {
			nextPollAt(timing, stats, at, answer, identity);
			learnDuration(timing, stats);
			return looks;
		}
		at = nextPollAt(timing, stats, at, answer, identity);
	}
	throw new Error('never done');
}

describe('poll plan', () => {
	it('first looks at a job of unknown length after one poll interval', () => {
		const timing = newTiming(KEY, 10_000, spacing);
		expect(planLook(timing, new DurationStats(), 10_000)).toBe(11_000);
	});

	it('counts the Poll Interval from when the last look left, not from its answer', () => {
		const stats = new DurationStats();
		stats.record(KEY, 3_000);
		const timing = newTiming(KEY, 0, spacing);
		// Sent at 2.9 s, answered 0.2 s later: 96 % done, so the job ends at about 3 s. The next
		// look may go one Poll Interval after the last one left (a slow answer does not delay it).
		const next = nextPollAt(
			timing,
			stats,
			3_100,
			{ status: 'processing', progress: 96 },
			identity,
			2_900,
		);
		expect(next).toBe(2_900 + spacing);
	});

	it('leaves a queued job alone until it can have finished', () => {
		const stats = new DurationStats();
		stats.record('designs-from-prompt auto', 40_000);
		const timing = newTiming('designs-from-prompt auto', 0, spacing, 30_000);
		// Queued for 30 s, then 40 s of work: the first look is just after 70 s.
		const first = planLook(timing, stats, 0);
		expect(first).toBeGreaterThanOrEqual(70_000);
		expect(first).toBeLessThan(72_000);
		// Still pending at 20 s with 50 s to wait: not before 50 + 40 s.
		const again = nextPollAt(
			timing,
			stats,
			20_000,
			{ status: 'pending', queueWaitTime: 50_000 },
			identity,
		);
		expect(again).toBeGreaterThanOrEqual(110_000);
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

	it('does not read a single progress reading as if the job started at its submit', () => {
		// The case: a 3.6 s job waited 0.6 s in Sivi's queue unseen, read 13 % at 1 s.
		const timing = newTiming(KEY, 0, 200);
		const stats = new DurationStats();
		const at = nextPollAt(timing, stats, 1_000, { status: 'processing', progress: 13 }, identity);
		// Read from the submit it would be a 7.4 s job, first looked at after 7.4 s. It may have
		// started any time before 1 s: the next look comes in the middle of the possible end.
		expect(at).toBeLessThan(5_000);
		// A second reading gives the speed whatever the start: 3.6 s, ending at 4.2 s.
		const next = nextPollAt(timing, stats, at, sivi(600, 3_600)(at) as never, identity);
		expect(next).toBeGreaterThanOrEqual(4_200);
		expect(next).toBeLessThan(4_200 + 0.1 * 3_600);
	});

	it('predicts the end from two readings and looks just after it', () => {
		const timing = newTiming('designs-from-prompt auto', 0, spacing);
		const stats = new DurationStats();
		nextPollAt(timing, stats, 10_000, { status: 'processing', progress: 25 }, identity);
		const at = nextPollAt(timing, stats, 20_000, { status: 'processing', progress: 50 }, identity);
		// 25 % per 10 s: 40 s in all, so the end is at about 40 s.
		expect(at).toBeGreaterThanOrEqual(40_000);
		expect(at).toBeLessThan(42_000);
	});

	/**
	 * Runs `count` 3 s jobs of one kind, one a minute; the first queued 0.6 s behind another,
	 * the others start when submitted. Returns how long after its end each was first looked at.
	 */
	function firstLookLateness(
		stats: DurationStats,
		meaning: (typeof signals.QUEUE_WAIT_MEANINGS)[number],
		curve: Curve,
		count: number,
	) {
		const length = 3_000;
		const lateness: number[] = [];
		for (let n = 0, from = 0; n < count; n++, from += 60_000) {
			const wait = n === 0 ? 600 : 0;
			const timing = newTiming(
				KEY,
				from,
				spacing,
				signals.queueWaitTime(meaning, wait) || undefined,
			);
			// The account's slot model: a job that entered a free slot had started by its submit.
			if (!wait) timing.slot = { origin: from, runs: 0 };
			const looks = follow(timing, stats, sivi(from + wait, length, curve), from);
			lateness.push(looks[0] - (from + wait + length));
		}
		return lateness;
	}

	// Sivi promises neither what queueWaitTime means nor that a job's answers carry a progress:
	// the friendly reading, and every harsh one the simulator offers, with and without progress.
	// (Its first job's reading leaves its length open below, so the next jobs are looked at in
	// the middle of their possible end, each narrowing it.)
	it.each(
		signals.QUEUE_WAIT_MEANINGS.flatMap((meaning) =>
			(['linear', 'none'] as const).map((curve) => [meaning, curve] as const),
		),
	)(
		'after four jobs of a kind, looks at the next one within 10 %% after its end (queueWaitTime %s, progress %s)',
		(meaning, curve) => {
			const fifth = firstLookLateness(new DurationStats(), meaning, curve, 5)[4];
			expect(fifth).toBeGreaterThanOrEqual(0);
			expect(fifth).toBeLessThanOrEqual(0.1 * 3_000);
		},
	);

	it.each(signals.QUEUE_WAIT_MEANINGS)(
		'progress that runs ahead of time is found out, and the looks learn the length instead (queueWaitTime %s)',
		(meaning) => {
			const stats = new DurationStats();
			const lateness = firstLookLateness(stats, meaning, 'ahead', 8);
			// Two readings of the first job put its start before its submit: not linear in time.
			expect(stats.trustsProgress(KEY)).toBe(false);
			expect(lateness.at(-1)!).toBeGreaterThanOrEqual(0);
			expect(lateness.at(-1)!).toBeLessThanOrEqual(0.1 * 3_000);
		},
	);

	it('a place behind jobs of its kind is not believed when it would make the length far shorter than the kind takes', () => {
		// Known to take about 3 s. The slot model put the job behind one that started at 0, so
		// it would start when that one ended; another user's job freed a slot first and it ran
		// from 1 s to 4 s. Found done at 4.1 s, the place alone would say it took 2 s at most.
		const stats = new DurationStats();
		stats.record(KEY, 2_900, 3_100);
		const timing = newTiming(KEY, 300, spacing);
		timing.slot = { origin: 0, runs: 1 };
		nextPollAt(timing, stats, 4_100, sivi(1_000, 3_000, 'none')(4_100), identity);
		learnDuration(timing, stats);
		expect(stats.range(KEY)!.lo).toBeLessThanOrEqual(3_000);
		expect(stats.range(KEY)!.hi).toBeGreaterThanOrEqual(3_000);
	});

	it('a wrong early estimate shrinks back instead of feeding itself', () => {
		const stats = new DurationStats();
		// Learned far too long from one early reading (7.4 s, though anything from 3 s to 11.8 s
		// fitted it); the jobs take 3 s.
		stats.record(KEY, 3_000, 11_800);
		const lateness: number[] = [];
		let from = 0;
		for (let n = 0; n < 8; n++) {
			const timing = newTiming(KEY, from, spacing);
			const looks = follow(timing, stats, sivi(from, 3_000), from);
			lateness.push(looks.at(-1)! - (from + 3_000));
			from += 60_000;
		}
		// Each job found done at its first look lets the estimate slide down, never up.
		expect(lateness[1]).toBeLessThan(lateness[0]);
		expect(stats.estimate(KEY)!).toBeLessThan(3_000 * 1.15);
		expect(lateness.at(-1)!).toBeLessThan(lateness[0]);
		expect(lateness.at(-1)!).toBeLessThanOrEqual(0.1 * 3_000);
	});
});

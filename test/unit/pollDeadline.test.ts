// The last looks before Max Wait, on a virtual clock, so no timing here depends on how busy the
// machine is. (What one progress reading may conclude: pollPlan.test.ts.)
import { sleep, type IDataObject } from 'n8n-workflow';

import type { Clock } from '../../nodes/Sivi/engine/clock';
import { DurationStats, newTiming } from '../../nodes/Sivi/engine/pollPlan';
import { OutOfTime } from '../../nodes/Sivi/engine/requestPacer';
import { StatusPoller } from '../../nodes/Sivi/engine/statusPoller';
import { SiviRequestError } from '../../nodes/Sivi/shared/siviError';

/** Time moves only when every pending promise has settled and someone sleeps. */
function virtualClock() {
	let now = 0;
	const timers: Array<{ at: number; resolve: () => void; reject: (e: Error) => void }> = [];
	const clock: Clock = {
		now: () => now,
		fromWallMs: (ms) => ms,
		sleep: async (ms, signal) =>
			await new Promise<void>((resolve, reject) => {
				const timer = { at: now + Math.max(0, ms), resolve, reject };
				timers.push(timer);
				signal?.addEventListener('abort', () => {
					timers.splice(timers.indexOf(timer), 1);
					reject(new Error('aborted'));
				});
			}),
	};
	const flush = async () => {
		for (let i = 0; i < 5; i++) await sleep(0);
	};
	/** Runs until `done` settles, advancing to each next timer. */
	const run = async <T>(done: Promise<T>): Promise<T> => {
		let settled = false;
		void done.finally(() => (settled = true));
		for (let step = 0; step < 1000; step++) {
			await flush();
			if (settled) return await done;
			timers.sort((a, b) => a.at - b.at);
			const next = timers.shift();
			if (!next) break;
			now = Math.max(now, next.at);
			next.resolve();
		}
		throw new Error('the poller neither settled nor slept');
	};
	return { clock, run };
}

const KEY = 'media/generate nano-banana';
const SPACING = 100;
const DEADLINE = 4_000;

describe('the last looks before Max Wait', () => {
	it('a failed look planned near the deadline is tried again before it', async () => {
		const { clock, run } = virtualClock();
		const stats = new DurationStats();
		// A duration learned far too long: the first look is planned past the deadline.
		stats.record(KEY, 20_000);
		const looks: Array<{ at: number; answer: string }> = [];
		const poll = async (): Promise<IDataObject> => {
			const at = clock.now();
			if (at >= DEADLINE) throw new OutOfTime();
			const answer = looks.length === 0 ? '500' : 'completed';
			looks.push({ at, answer });
			if (answer === '500') throw new SiviRequestError('server', 'Server internal error');
			return { status: 'completed', requestId: 'r1', progress: 100 };
		};
		const end = await run(
			new StatusPoller(clock, stats).track({
				requestId: 'r1',
				deadline: DEADLINE,
				pollNow: false,
				timing: newTiming(KEY, 0, SPACING),
				maxPollFailures: 3,
				poll,
				owner: {},
			}),
		);

		expect(end.state).toBe('done');
		expect(looks.map((look) => look.answer)).toEqual(['500', 'completed']);
		expect(looks[1].at).toBeLessThan(DEADLINE);
	});

	it('a job still running after its last looks times out at the deadline without another request', async () => {
		const { clock, run } = virtualClock();
		const stats = new DurationStats();
		stats.record(KEY, 20_000);
		const looks: number[] = [];
		const poll = async (): Promise<IDataObject> => {
			if (clock.now() >= DEADLINE) throw new OutOfTime();
			looks.push(clock.now());
			return { status: 'processing', requestId: 'r1', progress: 10 };
		};
		const end = await run(
			new StatusPoller(clock, stats).track({
				requestId: 'r1',
				deadline: DEADLINE,
				pollNow: false,
				timing: newTiming(KEY, 0, SPACING),
				maxPollFailures: 3,
				poll,
				owner: {},
			}),
		);

		expect(end.state).toBe('timeout');
		expect(clock.now()).toBe(DEADLINE);
		// A look a few spacings ahead and a final one: not a look every spacing until the end.
		expect(looks.length).toBeLessThanOrEqual(3);
		expect(looks[looks.length - 1]).toBeLessThan(DEADLINE);
	});
});

describe('waiting for a pilot', () => {
	it('a job waiting for a pilot that teaches nothing is looked at itself, long before its deadline', async () => {
		const { clock, run } = virtualClock();
		const stats = new DurationStats();
		const looks: Array<{ id: string; at: number }> = [];
		const poller = new StatusPoller(clock, stats);
		const track = (id: string, answer: () => IDataObject) =>
			poller.track({
				requestId: id,
				deadline: DEADLINE,
				pollNow: false,
				timing: newTiming(KEY, 0, SPACING),
				maxPollFailures: 3,
				poll: async () => {
					if (clock.now() >= DEADLINE) throw new OutOfTime();
					looks.push({ id, at: clock.now() });
					return answer();
				},
				owner: {},
			});
		// The pilot (first of its kind) stays running without a progress: it never teaches a length.
		const pilot = track('pilot', () => ({ status: 'processing', requestId: 'pilot' }));
		const other = track('other', () => ({
			status: 'completed',
			requestId: 'other',
			progress: 100,
		}));
		const end = await run(other);

		expect(end.state).toBe('done');
		const firstLook = looks.find((look) => look.id === 'other')!.at;
		// Ten spacings (1 s) or a tenth of Max Wait, whichever is longer: not at its last chance.
		expect(firstLook).toBeLessThanOrEqual(10 * SPACING);
		expect(looks.filter((look) => look.id === 'pilot').length).toBeGreaterThan(0);
		await run(pilot);
	});
});

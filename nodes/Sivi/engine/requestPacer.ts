// Spreads one Sivi account's requests evenly over time (a token bucket) instead of bursting
// into a sliding window and then stalling. Waiting requests are served by priority, so a
// submit or a brand lookup is never starved by status polls.
//
// Sivi documents no Retry-After and does not say whether refused calls count against its
// window, so a 429 backs everyone off exponentially (with jitter) and cuts the rate; successes
// creep it back up (AIMD). Several processes on one key then settle under the plan's limit
// without talking to each other.
import { SiviRequestError } from '../shared/siviError';
import type { Clock } from './clock';
import { Nap } from './nap';

export const PRIORITY = { call: 0, submit: 1, poll: 2 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

const WINDOW_MS = 60_000;
/** Share of the plan's rate that is paced; the rest covers the burst and timing jitter. */
const HEADROOM = 0.92;
const MAX_BURST = 2;
const CUT = 0.7;
const MIN_SHARE = 0.1;
/** Requests per minute regained for every request-per-minute's worth of successes. */
const CREEP = 2;
const BACKOFF_BASE_MS = 2_000;
const BACKOFF_MAX_MS = 60_000;

interface Waiter {
	priority: number;
	seq: number;
	until: number;
	resolve: (granted: boolean) => void;
	reject: (error: Error) => void;
	detach: () => void;
}

export class RequestPacer {
	private maxPerMs = 0;

	private perMs = 0;

	private burst = 1;

	private tokens = 1;

	private refilledAt: number;

	private pausedUntil = 0;

	private strikes = 0;

	private lastCutAt = -Infinity;

	private seq = 0;

	private readonly waiters: Waiter[] = [];

	private pumping = false;

	private readonly nap: Nap;

	constructor(
		private readonly clock: Clock,
		requestsPerMinute: number,
	) {
		this.nap = new Nap(clock);
		this.refilledAt = clock.now();
		this.setLimit(requestsPerMinute);
		this.tokens = this.burst;
	}

	/** The plan's (or this process's share of the) requests per minute. */
	setLimit(requestsPerMinute: number): void {
		const limit = Math.max(1, requestsPerMinute);
		const paced = Math.max(limit * HEADROOM, Math.min(limit, 1));
		const maxPerMs = paced / WINDOW_MS;
		if (maxPerMs === this.maxPerMs) return;
		const share = this.maxPerMs ? this.perMs / this.maxPerMs : 1;
		this.maxPerMs = maxPerMs;
		this.perMs = maxPerMs * share;
		this.burst = Math.max(1, Math.min(MAX_BURST, Math.floor(limit - paced)));
		this.tokens = Math.min(this.tokens, this.burst);
	}

	/** Current paced rate, in requests per minute. */
	get requestsPerMinute(): number {
		return this.perMs * WINDOW_MS;
	}

	/** Nobody waits, so no loop and no timer runs. */
	get idle(): boolean {
		return !this.pumping && !this.waiters.length;
	}

	/** True while a 429 holds every request of the account back. */
	get backingOff(): boolean {
		return this.pausedUntil > this.clock.now();
	}

	/**
	 * Waits for the right to send one request. Resolves false when none comes before `until`
	 * (after waiting until then); rejects with 'cancelled' when the signal aborts.
	 */
	async take(priority: Priority, signal?: AbortSignal, until = Infinity): Promise<boolean> {
		if (signal?.aborted) throw cancelled();
		return await new Promise<boolean>((resolve, reject) => {
			const waiter: Waiter = {
				priority,
				seq: this.seq++,
				until,
				resolve,
				reject,
				detach: () => signal?.removeEventListener('abort', onAbort),
			};
			const onAbort = () => {
				this.drop(waiter);
				reject(cancelled());
				this.nap.wake();
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiters.push(waiter);
			if (!this.pumping) void this.pump();
			else this.nap.wake();
		});
	}

	/** Sivi answered 429 (rate limit) to a request sent at `sentAt`. */
	refused(sentAt: number, retryAfterMs?: number): void {
		const now = this.clock.now();
		this.strikes++;
		const wait =
			retryAfterMs === undefined
				? Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (this.strikes - 1)) *
					(0.5 + Math.random())
				: this.clock.fromWallMs(retryAfterMs) * (1 + 0.2 * Math.random());
		this.pausedUntil = Math.max(this.pausedUntil, now + wait);
		this.tokens = 0;
		// One cut per congestion event: answers to requests sent before the last cut are old news.
		if (sentAt > this.lastCutAt) {
			this.perMs = Math.max(this.maxPerMs * MIN_SHARE, this.perMs * CUT);
			this.lastCutAt = now;
		}
	}

	/** Sivi let a request through its rate limit (whatever it answered). */
	passed(): void {
		this.strikes = 0;
		const perMinute = this.perMs * WINDOW_MS;
		this.perMs = Math.min(this.maxPerMs, this.perMs + CREEP / perMinute / WINDOW_MS);
	}

	private drop(waiter: Waiter): void {
		const index = this.waiters.indexOf(waiter);
		if (index >= 0) this.waiters.splice(index, 1);
		waiter.detach();
	}

	private refill(now: number): void {
		this.tokens = Math.min(this.burst, this.tokens + (now - this.refilledAt) * this.perMs);
		this.refilledAt = now;
	}

	private best(): Waiter | undefined {
		let best: Waiter | undefined;
		for (const waiter of this.waiters) {
			if (
				!best ||
				waiter.priority < best.priority ||
				(waiter.priority === best.priority && waiter.seq < best.seq)
			)
				best = waiter;
		}
		return best;
	}

	/** One loop per account while anyone waits; none (and no timer) when idle. */
	private async pump(): Promise<void> {
		this.pumping = true;
		try {
			while (this.waiters.length) {
				const now = this.clock.now();
				this.refill(now);
				for (const waiter of [...this.waiters]) {
					if (waiter.until <= now) {
						this.drop(waiter);
						waiter.resolve(false);
					}
				}
				const next = this.best();
				if (!next) break;
				const readyAt = Math.max(
					this.pausedUntil,
					this.tokens >= 1 ? now : now + (1 - this.tokens) / this.perMs,
				);
				if (readyAt <= now) {
					this.tokens -= 1;
					this.drop(next);
					next.resolve(true);
					continue;
				}
				const firstDeadline = Math.min(...this.waiters.map((waiter) => waiter.until));
				await this.nap.for(Math.min(readyAt, firstDeadline) - now);
			}
		} finally {
			this.pumping = false;
		}
	}
}

function cancelled(): SiviRequestError {
	return new SiviRequestError('cancelled', 'The execution was cancelled before this was sent.');
}

/** No right to send came before the caller's deadline. */
export class OutOfTime extends Error {
	constructor() {
		super('No request could be sent before the deadline');
		this.name = 'OutOfTime';
	}
}

// Decides when one Sivi account's next request may leave. The budget is the plan's window:
// the account may send whenever its own requests of the last 60 s (see sendLog.ts) stay below
// its share of the plan, so a burst that fits goes at once and the busiest window stays within
// the plan by construction. How Sivi really counts is learned on the way (adaptiveRate.ts).
// Waiting requests are served by priority, so a lookup, a Trigger re-read or a submit is never
// starved by status polls.
import { SiviRequestError } from '../shared/siviError';
import { AdaptiveRate, type LimiterMode } from './adaptiveRate';
import type { Clock } from './clock';
import { Nap } from './nap';
import { SendLog, type LogEntry } from './sendLog';

/** Lower goes first: lookups and uploads, Sivi Trigger re-reads, submits, then polls. */
export const PRIORITY = { call: 0, reread: 1, submit: 2, poll: 3 } as const;
export type Priority = (typeof PRIORITY)[keyof typeof PRIORITY];

const WINDOW_MS = 60_000;
/** Counted a little longer than Sivi's window: covers clock skew and rounding on its side. */
const SKEW_MS = 1_000;

/** The right to send one request; say when its answer came (or that it was not sent). */
export interface Grant {
	sentAt: number;
	answered(): void;
	cancel(): void;
}

interface Waiter {
	priority: number;
	seq: number;
	until: number;
	resolve: (grant: Grant | false) => void;
	reject: (error: Error) => void;
	detach: () => void;
}

export interface PacerOptions {
	/** Learn Sivi's limiter from its 429s (the account's pacer); an execution's own is fixed. */
	adaptive?: boolean;
}

export class RequestPacer {
	private budget = 1;

	private readonly log = new SendLog(WINDOW_MS + SKEW_MS);

	private readonly rate: AdaptiveRate;

	private seq = 0;

	private readonly waiters: Waiter[] = [];

	private pumping = false;

	private readonly nap: Nap;

	constructor(
		private readonly clock: Clock,
		requestsPerMinute: number,
		options: PacerOptions = {},
	) {
		this.nap = new Nap(clock);
		this.rate = new AdaptiveRate(
			clock.now(),
			requestsPerMinute,
			WINDOW_MS,
			options.adaptive ?? true,
		);
		this.setLimit(requestsPerMinute);
	}

	/** The plan's (or this process's share of the) requests per minute. */
	setLimit(requestsPerMinute: number): void {
		this.budget = Math.max(1, Math.floor(requestsPerMinute));
		this.rate.setLimit(requestsPerMinute);
		this.nap.wake();
	}

	/** Requests per minute: the window budget, or the paced rate after Sivi refused a burst. */
	get requestsPerMinute(): number {
		return this.rate.requestsPerMinute;
	}

	/** 'window' (bursts within the budget) or 'paced' (evenly spread, after a refusal). */
	get mode(): LimiterMode {
		return this.rate.mode;
	}

	/** Requests that may still be in Sivi's window now. */
	get inWindow(): number {
		return this.log.count(this.clock.now());
	}

	/** Requests the window budget still allows now; unbounded while paced (the rate rules). */
	get windowLeft(): number {
		return this.rate.mode === 'window' ? this.budget - this.inWindow : Infinity;
	}

	/** Nobody waits, so no loop and no timer runs. */
	get idle(): boolean {
		return !this.pumping && !this.waiters.length;
	}

	/** True while a 429 holds every request of the account back. */
	get backingOff(): boolean {
		return this.rate.pausedUntil > this.clock.now();
	}

	/**
	 * Waits for the right to send one request. Resolves false when none comes before `until`
	 * (after waiting until then); rejects with 'cancelled' when the signal aborts.
	 */
	async take(priority: Priority, signal?: AbortSignal, until = Infinity): Promise<Grant | false> {
		if (signal?.aborted) throw cancelled();
		return await new Promise<Grant | false>((resolve, reject) => {
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
		const wait = retryAfterMs === undefined ? undefined : this.clock.fromWallMs(retryAfterMs);
		const now = this.clock.now();
		const share = this.log.count(now) / this.budget;
		this.rate.refused(sentAt, now, wait, share);
		// Refused with much of the budget used: others fill Sivi's window too. Nothing gets
		// through before it turns, and a refusal that counts would only hold it longer.
		const turns = this.log.nextExpiry();
		if (wait === undefined && share >= 0.5 && Number.isFinite(turns))
			this.rate.pausedUntil = Math.max(this.rate.pausedUntil, turns);
		this.nap.wake();
	}

	/** Sivi let a request through its rate limit (whatever it answered). */
	passed(): void {
		this.rate.passed();
		this.nap.wake();
	}

	private grant(entry: LogEntry): Grant {
		const settled = () => {
			if (!this.log.inFlight()) this.rate.settled();
			this.nap.wake();
		};
		return {
			sentAt: entry.sentAt,
			answered: () => {
				this.log.answer(entry, this.clock.now());
				settled();
			},
			cancel: () => {
				this.log.remove(entry);
				settled();
			},
		};
	}

	private drop(waiter: Waiter): void {
		const index = this.waiters.indexOf(waiter);
		if (index >= 0) this.waiters.splice(index, 1);
		waiter.detach();
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

	/** When the next request may leave: rate (and the probe's batch) and window budget. */
	private readyAt(now: number): number {
		// Infinity means: until an answer comes (answered() wakes the loop).
		let at = this.rate.readyAt(now);
		if (this.log.count(now) >= this.budget) at = Math.max(at, this.log.nextExpiry());
		return at;
	}

	/** One loop per account while anyone waits; none (and no timer) when idle. */
	private async pump(): Promise<void> {
		this.pumping = true;
		try {
			while (this.waiters.length) {
				const now = this.clock.now();
				for (const waiter of [...this.waiters]) {
					if (waiter.until <= now) {
						this.drop(waiter);
						waiter.resolve(false);
					}
				}
				const next = this.best();
				if (!next) break;
				const readyAt = this.readyAt(now);
				if (readyAt <= now) {
					this.rate.sent(now);
					this.drop(next);
					next.resolve(this.grant(this.log.add(now)));
					continue;
				}
				const firstDeadline = Math.min(...this.waiters.map((waiter) => waiter.until));
				const wakeAt = Math.min(readyAt, firstDeadline, now + this.rate.probeIn(now));
				await this.nap.for(wakeAt === Infinity ? WINDOW_MS : wakeAt - now);
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

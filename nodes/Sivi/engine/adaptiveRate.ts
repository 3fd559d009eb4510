// Sivi does not say how it counts "50 requests per minute". The account first assumes a 60 s
// window: any burst that fits is sent at once. A rate 429 while within that budget means Sivi's
// limiter is stricter (a leaky bucket with little burst, or another process on the key): the
// account then paces evenly (a token bucket, burst 1) with AIMD, stays paced for a while and
// probes the window again, ramping its burst up slowly (like TCP's slow start: one request, then
// batches that double while every request of the last one passed) so a wrong guess costs a
// refusal or two, not a whole burst of them.
//
// Without Retry-After, the pause after a refusal assumes refused calls count (each one more
// request to drain at the plan's rate); answers to requests sent before the pause are one event.

export type LimiterMode = 'window' | 'paced';

/** Share of the plan's rate that is paced; the rest covers timing jitter. */
const HEADROOM = 0.92;
const CUT = 0.7;
const MIN_SHARE = 0.1;
/** Requests per minute regained for every request-per-minute's worth of successes. */
const CREEP = 2;
const BACKOFF_MAX_MS = 60_000;
/** Paced this long without a refusal, the account probes the window again (doubled per failed probe). */
const HOLD_MS = 5 * 60_000;
const HOLD_MAX_MS = 60 * 60_000;
/** A refusal this soon after a probe means the probe failed. */
const PROBE_TRIAL_MS = 60_000;
/** A refusal with this share of the window budget used means others share the key... */
const SHARED_WINDOW = 0.5;
/** ...and the paced rate starts at this share of the plan's. */
const SHARED_CUT = 0.5;
/** The first batch while probing: a leaky bucket refuses at most the batch after its burst. */
const SLOW_START = 1;
/** ...growing by one per success (doubling per batch) until this many: then unlimited. */
const SLOW_START_TRUSTED = 16;

export class AdaptiveRate {
	mode: LimiterMode = 'window';

	/** Requests per batch while the window is being probed. */
	cwnd: number;

	/** Requests sent since the account last had none unanswered (the batch under way). */
	private batch = 0;

	pausedUntil = 0;

	private limit = 1;

	private maxPerMs = 0;

	private perMs = 0;

	private tokens = 1;

	private refilledAt: number;

	private strikes = 0;

	private eventAt = -Infinity;

	private eventRefusals = 0;

	private lastRefusalAt = -Infinity;

	private probedAt = -Infinity;

	private hold = HOLD_MS;

	constructor(
		now: number,
		requestsPerMinute: number,
		private readonly windowMs: number,
		private readonly adaptive: boolean,
	) {
		this.refilledAt = now;
		this.cwnd = adaptive ? SLOW_START : Infinity;
		this.setLimit(requestsPerMinute);
		this.perMs = this.maxPerMs;
	}

	setLimit(requestsPerMinute: number): void {
		this.limit = Math.max(1, requestsPerMinute);
		const maxPerMs = (this.limit * HEADROOM) / this.windowMs;
		const share = this.maxPerMs ? this.perMs / this.maxPerMs : 1;
		this.maxPerMs = maxPerMs;
		this.perMs = maxPerMs * share;
	}

	/** The paced rate in requests per minute (the plan's share while the window is used). */
	get requestsPerMinute(): number {
		return this.mode === 'window' ? this.limit : this.perMs * this.windowMs;
	}

	/** Earliest time the rate allows the next request (the window budget is checked apart). */
	readyAt(now: number): number {
		if (this.mode === 'paced' && now - this.lastRefusalAt >= this.hold) this.probe(now);
		// While probing, the next batch leaves only once the last one has been answered.
		if (this.batch >= this.cwnd) return Infinity;
		let at = Math.max(now, this.pausedUntil);
		if (this.mode === 'paced') {
			this.refill(now);
			if (this.tokens < 1) at = Math.max(at, now + (1 - this.tokens) / this.perMs);
		}
		return at;
	}

	/** Ms until a paced account probes the window again. */
	probeIn(now: number): number {
		return this.mode === 'paced' ? this.lastRefusalAt + this.hold - now : Infinity;
	}

	sent(now: number): void {
		this.batch++;
		if (this.mode !== 'paced') return;
		this.refill(now);
		this.tokens -= 1;
	}

	/** Nothing the account sent is unanswered: the next batch may start. */
	settled(): void {
		this.batch = 0;
	}

	/** Sivi let a request through its rate limit (whatever it answered). */
	passed(): void {
		this.strikes = 0;
		if (this.mode === 'window') {
			this.cwnd = this.cwnd + 1 >= SLOW_START_TRUSTED ? Infinity : this.cwnd + 1;
			return;
		}
		const perMinute = this.perMs * this.windowMs;
		this.perMs = Math.min(this.maxPerMs, this.perMs + CREEP / perMinute / this.windowMs);
	}

	/**
	 * Sivi answered 429 (rate limit) to a request sent at `sentAt`; `windowShare` is how much of
	 * the window budget the account had used then.
	 */
	refused(sentAt: number, now: number, retryAfterMs?: number, windowShare = 0): void {
		this.lastRefusalAt = now;
		if (sentAt > this.eventAt) {
			// A new congestion event: answers to requests sent before it are old news.
			this.strikes++;
			this.eventAt = now;
			this.eventRefusals = 0;
			if (this.mode === 'window') this.pace(now, windowShare);
			else this.perMs = Math.max(this.maxPerMs * MIN_SHARE, this.perMs * CUT);
		}
		this.eventRefusals++;
		this.refill(now);
		this.tokens = Math.min(this.tokens, 0);
		const drainMs =
			(this.eventRefusals + 1) * (this.windowMs / this.limit) * 2 ** (this.strikes - 1);
		const wait =
			retryAfterMs === undefined
				? // Jittered only upwards: a pause cut short meets another refusal, a new event.
					Math.min(BACKOFF_MAX_MS, drainMs) * (1 + 0.2 * Math.random())
				: retryAfterMs * (1 + 0.2 * Math.random());
		this.pausedUntil = Math.max(this.pausedUntil, now + wait);
	}

	private pace(now: number, windowShare: number): void {
		if (!this.adaptive) return;
		if (now - this.probedAt < PROBE_TRIAL_MS) this.hold = Math.min(HOLD_MAX_MS, this.hold * 2);
		this.mode = 'paced';
		this.cwnd = Infinity;
		// Refused early in the window: a stricter limiter, paced at the plan's rate. Refused late in
		// it: others use the key too (e.g. an undeclared queue-mode worker), so take half.
		this.perMs = windowShare >= SHARED_WINDOW ? this.maxPerMs * SHARED_CUT : this.maxPerMs;
		this.tokens = 0;
		this.refilledAt = now;
	}

	private probe(now: number): void {
		this.mode = 'window';
		this.cwnd = SLOW_START;
		this.probedAt = now;
	}

	private refill(now: number): void {
		if (now > this.refilledAt)
			this.tokens = Math.min(1, this.tokens + (now - this.refilledAt) * this.perMs);
		this.refilledAt = Math.max(this.refilledAt, now);
	}
}

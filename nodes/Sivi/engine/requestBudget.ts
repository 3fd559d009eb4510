// A shared budget of requests per window for submits and polls together, so that however many
// items run, this execution stays under Sivi's per-key rate limit. Sliding window, like the
// limiter it mirrors; a 429's Retry-After pauses everyone.
import type { Clock } from './clock';

export class RequestBudget {
	private readonly sent: number[] = [];

	private pausedUntil = 0;

	constructor(
		private readonly limit: number,
		private readonly windowMs: number,
		private readonly clock: Clock,
		private readonly signal?: AbortSignal,
	) {}

	/**
	 * Waits until one more request fits in the window, then counts it and returns true.
	 * Returns false, without waiting, when no slot frees up before `until`.
	 */
	async take(until = Infinity): Promise<boolean> {
		for (;;) {
			const now = this.clock.now();
			while (this.sent.length && this.sent[0] <= now - this.windowMs) this.sent.shift();
			let readyAt = this.pausedUntil;
			if (this.sent.length >= this.limit) {
				readyAt = Math.max(readyAt, this.sent[this.sent.length - this.limit] + this.windowMs);
			}
			if (readyAt <= now) {
				this.sent.push(now);
				return true;
			}
			if (readyAt > until) {
				// No slot in time: wait out the deadline anyway, so "did not finish within" is true.
				if (until > now) await this.clock.sleep(until - now, this.signal);
				return false;
			}
			await this.clock.sleep(readyAt - now, this.signal);
		}
	}

	/** Holds every request back for `ms` (Sivi said 429). */
	pause(ms: number): void {
		this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + ms);
	}
}

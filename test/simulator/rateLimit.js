'use strict';
/**
 * Sliding-window rate limiter per API key. Only accepted requests are
 * recorded; rejected ones do not count against the window.
 */
class RateLimiter {
	constructor({ limit = 50, windowMs = 60000 } = {}) {
		this.configure({ limit, windowMs });
		this.hits = new Map(); // key -> sorted timestamps
	}

	configure({ limit, windowMs } = {}) {
		if (limit !== undefined) this.limit = limit;
		if (windowMs !== undefined) this.windowMs = windowMs;
	}

	prune(key, now) {
		const arr = this.hits.get(key) || [];
		let i = 0;
		while (i < arr.length && arr[i] <= now - this.windowMs) i++;
		const kept = i ? arr.slice(i) : arr;
		this.hits.set(key, kept);
		return kept;
	}

	/** @returns {{ ok: true } | { ok: false, retryAfterMs: number }} and records the hit when ok. */
	take(key, now) {
		if (!Number.isFinite(this.limit)) return { ok: true };
		const arr = this.prune(key, now);
		if (arr.length >= this.limit) {
			const oldest = arr[arr.length - this.limit];
			return { ok: false, retryAfterMs: Math.max(1, oldest + this.windowMs - now) };
		}
		arr.push(now);
		return { ok: true };
	}

	reset() {
		this.hits.clear();
	}
}

/** Retry-After header value in seconds; fractional (2 decimals) below 10 s. */
function formatRetryAfter(ms) {
	const s = Math.max(ms, 10) / 1000;
	if (s >= 10) return String(Math.ceil(s));
	return String(Math.ceil(s * 100) / 100);
}

module.exports = { RateLimiter, formatRetryAfter };

'use strict';
/**
 * Sliding-window rate limiter per API key. By default only accepted requests
 * are recorded; with `countRefused` a refused request is recorded too (as one
 * more hit at its arrival time), so hammering a limited key keeps it limited.
 */
class RateLimiter {
	constructor({ limit = 50, windowMs = 60000, countRefused = false } = {}) {
		this.configure({ limit, windowMs, countRefused });
		this.hits = new Map(); // key -> sorted timestamps
	}

	configure({ limit, windowMs, countRefused } = {}) {
		if (limit !== undefined) this.limit = limit;
		if (windowMs !== undefined) this.windowMs = windowMs;
		if (countRefused !== undefined) this.countRefused = Boolean(countRefused);
	}

	prune(key, now) {
		const arr = this.hits.get(key) || [];
		let i = 0;
		while (i < arr.length && arr[i] <= now - this.windowMs) i++;
		const kept = i ? arr.slice(i) : arr;
		this.hits.set(key, kept);
		return kept;
	}

	/**
	 * @returns {{ ok: true } | { ok: false, retryAfterMs: number }}; records the
	 * hit when ok, and also when refused if `countRefused` is set.
	 */
	take(key, now) {
		if (!Number.isFinite(this.limit)) return { ok: true };
		const arr = this.prune(key, now);
		if (arr.length >= this.limit) {
			// A refused hit is recorded like any other hit: one timestamp, no
			// penalty beyond what a sliding window over all requests implies.
			if (this.countRefused) arr.push(now);
			// The key is admitted again once fewer than `limit` recorded hits
			// remain in the window, i.e. when hit number (length - limit) expires.
			const oldest = this.limit > 0 ? arr[arr.length - this.limit] : now;
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

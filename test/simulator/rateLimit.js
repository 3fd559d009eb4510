'use strict';
/**
 * Rate limiter per API key, in one of two modes:
 * - 'window' (default): at most `limit` requests in any sliding `windowMs`.
 * - 'leaky': a leaky bucket draining one request per windowMs / limit; a request is
 *   admitted while the bucket holds at most `burst` - 1 (burst 1: no two requests
 *   closer than windowMs / limit).
 * By default only accepted requests are recorded; with `countRefused` a refused
 * request is recorded too (one more hit at its arrival time, or one more request
 * in the bucket), so hammering a limited key keeps it limited.
 */
class RateLimiter {
	constructor({
		limit = 50,
		windowMs = 60000,
		countRefused = false,
		mode = 'window',
		burst = 1,
	} = {}) {
		this.configure({ limit, windowMs, countRefused, mode, burst });
		this.hits = new Map(); // key -> sorted timestamps ('window')
		this.buckets = new Map(); // key -> { level, at } ('leaky')
	}

	configure({ limit, windowMs, countRefused, mode, burst } = {}) {
		if (limit !== undefined) this.limit = limit;
		if (windowMs !== undefined) this.windowMs = windowMs;
		if (countRefused !== undefined) this.countRefused = Boolean(countRefused);
		if (mode !== undefined) {
			if (mode !== 'window' && mode !== 'leaky')
				throw new Error(`rateLimit.mode must be 'window' or 'leaky', got ${mode}`);
			this.mode = mode;
		}
		if (burst !== undefined) {
			if (!(Number.isInteger(burst) && burst >= 1))
				throw new Error(`rateLimit.burst must be an integer >= 1, got ${burst}`);
			this.burst = burst;
		}
	}

	/** 'leaky': one request drains every windowMs / limit. */
	takeLeaky(key, now) {
		const interval = this.windowMs / this.limit;
		const bucket = this.buckets.get(key) || { level: 0, at: now };
		bucket.level = Math.max(0, bucket.level - Math.max(0, now - bucket.at) / interval);
		bucket.at = Math.max(bucket.at, now);
		this.buckets.set(key, bucket);
		// A tiny tolerance: a request exactly one interval after the last one is admitted.
		if (bucket.level <= this.burst - 1 + 1e-9) {
			bucket.level += 1;
			return { ok: true };
		}
		if (this.countRefused) bucket.level += 1;
		return { ok: false, retryAfterMs: Math.max(1, (bucket.level - (this.burst - 1)) * interval) };
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
		if (this.mode === 'leaky') return this.takeLeaky(key, now);
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
		this.buckets.clear();
	}
}

/** Retry-After header value in seconds; fractional (2 decimals) below 10 s. */
function formatRetryAfter(ms) {
	const s = Math.max(ms, 10) / 1000;
	if (s >= 10) return String(Math.ceil(s));
	return String(Math.ceil(s * 100) / 100);
}

module.exports = { RateLimiter, formatRetryAfter };

'use strict';
/** Request counters and request log. */
class Counters {
	constructor() {
		this.reset();
	}

	reset() {
		this.requests = 0;
		this.byRoute = {};
		this.byStatus = {};
		this.submits = 0;
		this.submitAttempts = 0;
		this.polls = 0;
		this.rateLimited = 0;
		this.log = [];
		// Parallel to `log` (kept out of the snapshot so the log shape is unchanged):
		// { api: request path under the API prefix, rate: 429 "Rate limit exceeded", note: the job and
		// state a status answer named, for people reading a log }.
		this.meta = [];
	}

	/** status 0 = no answer (socket reset or request left hanging). */
	record({ t, method, path, status, headers, api = false, rateLimited = false, note }) {
		this.requests++;
		const route = `${method} ${path}`;
		this.byRoute[route] = (this.byRoute[route] || 0) + 1;
		this.byStatus[status] = (this.byStatus[status] || 0) + 1;
		this.log.push({ t, method, path, status, headers });
		this.meta.push({ api: Boolean(api), rate: Boolean(rateLimited), note });
	}

	/**
	 * The sliding window [start, start + windowMs) holding the most API requests
	 * (by arrival time t; any answer, incl. 429 and no answer), with the 2xx
	 * (`accepted`) and 429 rate-limit (`refused`) counts inside that same window.
	 * Ties go to the earliest window. O(n log n): one sort, then two pointers.
	 */
	busiestWindow({ windowMs, since } = {}) {
		if (!(typeof windowMs === 'number' && windowMs > 0)) {
			throw new Error('busiestWindow: windowMs must be a positive number');
		}
		const from = since === undefined || since === null ? -Infinity : Number(since);
		const rows = [];
		for (let k = 0; k < this.log.length; k++) {
			const e = this.log[k];
			if (!this.meta[k].api || !(e.t >= from)) continue;
			rows.push({
				t: e.t,
				accepted: e.status >= 200 && e.status < 300 ? 1 : 0,
				refused: this.meta[k].rate ? 1 : 0,
			});
		}
		rows.sort((a, b) => a.t - b.t);
		const n = rows.length;
		if (!n) return { requests: 0, accepted: 0, refused: 0, start: null };
		const acc = new Array(n + 1).fill(0);
		const ref = new Array(n + 1).fill(0);
		for (let k = 0; k < n; k++) {
			acc[k + 1] = acc[k] + rows[k].accepted;
			ref[k + 1] = ref[k] + rows[k].refused;
		}
		// Some busiest window starts at a request's arrival time, so trying each
		// row as the window start is enough; j only moves forward.
		let best = { i: 0, j: 0 };
		let j = 0;
		for (let i = 0; i < n; i++) {
			if (j < i) j = i;
			const end = rows[i].t + windowMs;
			while (j < n && rows[j].t < end) j++;
			if (j - i > best.j - best.i) best = { i, j };
		}
		return {
			requests: best.j - best.i,
			accepted: acc[best.j] - acc[best.i],
			refused: ref[best.j] - ref[best.i],
			start: rows[best.i].t,
		};
	}

	/** Each logged request's note (null where its answer named no job), parallel to the log. */
	notes() {
		return this.meta.map((m) => m.note ?? null);
	}

	snapshot() {
		return JSON.parse(
			JSON.stringify({
				requests: this.requests,
				byRoute: this.byRoute,
				byStatus: this.byStatus,
				submits: this.submits,
				submitAttempts: this.submitAttempts,
				polls: this.polls,
				rateLimited: this.rateLimited,
				log: this.log,
			}),
		);
	}
}

module.exports = { Counters };

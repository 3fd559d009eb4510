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
	}

	/** status 0 = no answer (socket reset or request left hanging). */
	record({ t, method, path, status, headers }) {
		this.requests++;
		const route = `${method} ${path}`;
		this.byRoute[route] = (this.byRoute[route] || 0) + 1;
		this.byStatus[status] = (this.byStatus[status] || 0) + 1;
		this.log.push({ t, method, path, status, headers });
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

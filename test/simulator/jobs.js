'use strict';
/**
 * Job lifecycle, computed lazily from timestamps (no timers): accepted jobs
 * wait in a FIFO queue, at most `concurrency` run at once, each runs
 * `durationMs`, and the next queued job starts the moment a slot frees.
 * Greedy list scheduling over `concurrency` slots gives exactly that.
 */
const crypto = require('crypto');

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function requestId() {
	const bytes = crypto.randomBytes(11);
	let s = '';
	for (const b of bytes) s += ID_CHARS[b % ID_CHARS.length];
	return s;
}

class JobQueue {
	constructor({ concurrency = 4, queueSize = 10 } = {}) {
		this.jobs = new Map();
		this.order = [];
		this.concurrency = concurrency;
		this.queueSize = queueSize;
		this.slots = new Array(concurrency).fill(0);
	}

	configure({ concurrency, queueSize }, now) {
		if (queueSize !== undefined) this.queueSize = queueSize;
		if (concurrency !== undefined && concurrency !== this.concurrency) {
			this.concurrency = concurrency;
			// Rebuild slot free-times from jobs still scheduled in the future.
			const ends = this.order
				.map((id) => this.jobs.get(id).endAt)
				.filter((e) => e > now)
				.sort((a, b) => b - a)
				.slice(0, concurrency);
			this.slots = [...ends, ...new Array(concurrency - ends.length).fill(0)];
		}
	}

	earliestSlot() {
		let idx = 0;
		for (let i = 1; i < this.slots.length; i++) if (this.slots[i] < this.slots[idx]) idx = i;
		return idx;
	}

	waiting(now) {
		return this.order.map((id) => this.jobs.get(id)).filter((j) => j.startAt > now);
	}

	running(now) {
		return this.order
			.map((id) => this.jobs.get(id))
			.filter((j) => j.startAt <= now && j.endAt > now);
	}

	/**
	 * Would a new job be rejected for a full queue? Returns null when it can be
	 * accepted, else the ms until a queue place frees.
	 */
	queueFullRetryMs(now) {
		const startAt = Math.max(now, this.slots[this.earliestSlot()]);
		if (startAt <= now) return null;
		const waiting = this.waiting(now);
		if (waiting.length < this.queueSize) return null;
		return Math.max(1, Math.min(...waiting.map((j) => j.startAt)) - now);
	}

	/** Accept a job; returns the stored record. */
	add(spec, now) {
		const idx = this.earliestSlot();
		const startAt = Math.max(now, this.slots[idx]);
		const endAt = startAt + spec.durationMs;
		this.slots[idx] = endAt;
		const job = { ...spec, requestId: requestId(), submittedAt: now, startAt, endAt };
		this.jobs.set(job.requestId, job);
		this.order.push(job.requestId);
		return job;
	}

	get(id) {
		return this.jobs.get(id);
	}

	/** Current state of a job. */
	state(job, now) {
		if (now < job.startAt)
			return { status: 'pending', progress: 0, queueWaitTime: job.startAt - now };
		if (now < job.endAt) {
			const share = (now - job.startAt) / (job.endAt - job.startAt);
			const p = Math.floor(share * 100);
			return {
				status: 'processing',
				progress: Math.max(0, Math.min(99, p)),
				share,
				queueWaitTime: 0,
			};
		}
		return { status: job.outcome, progress: 100, queueWaitTime: 0 };
	}

	all() {
		return this.order.map((id) => this.jobs.get(id));
	}
}

module.exports = { JobQueue };

'use strict';
/**
 * Fault injection state: probabilistic poll/job faults (seeded PRNG), one-shot
 * poll 429 bursts and counted submit faults, plus deterministic content
 * triggers ([sim:fail], [sim:suspend], [sim:slow]).
 */
const { createPrng } = require('./prng');

const SUBMIT_KINDS = new Set([
	'reset-after-accept',
	'500-after-accept',
	'500-before-accept',
	'timeout-after-accept',
	'429-credit',
	'402',
	'429-queue',
	'429-rate',
]);
const AFTER_ACCEPT = new Set(['reset-after-accept', '500-after-accept', 'timeout-after-accept']);

const DEFAULTS = {
	pollServerErrorRate: 0,
	poll429Burst: null,
	pollResetRate: 0,
	failJobRate: 0,
	suspendJobRate: 0,
	slowJobRate: 0,
	slowFactor: 5,
	submitFault: null,
};

class Faults {
	constructor(seed = 1, initial = {}) {
		this.random = createPrng(seed);
		this.state = { ...DEFAULTS };
		this.set(initial);
	}

	set(partial = {}) {
		for (const [k, v] of Object.entries(partial)) {
			if (!(k in DEFAULTS)) throw new Error(`Unknown fault '${k}'`);
			if (k === 'submitFault' && v) {
				if (!SUBMIT_KINDS.has(v.kind)) throw new Error(`Unknown submitFault kind '${v.kind}'`);
				this.state.submitFault = { kind: v.kind, count: v.count === undefined ? 1 : v.count };
			} else if (k === 'poll429Burst' && v) {
				this.state.poll429Burst = {
					count: v.count === undefined ? 1 : v.count,
					retryAfterSec: v.retryAfterSec === undefined ? 1 : v.retryAfterSec,
				};
			} else {
				this.state[k] = v;
			}
		}
	}

	snapshot() {
		return JSON.parse(JSON.stringify(this.state));
	}

	chance(rate) {
		return rate > 0 && this.random() < rate;
	}

	/** Fault for one status poll: null | { kind: '429', retryAfterSec } | { kind: '500' } | { kind: 'reset' }. */
	pollFault() {
		const burst = this.state.poll429Burst;
		if (burst && burst.count > 0) {
			burst.count--;
			if (burst.count <= 0) this.state.poll429Burst = null;
			return { kind: '429', retryAfterSec: burst.retryAfterSec };
		}
		if (this.chance(this.state.pollResetRate)) return { kind: 'reset' };
		if (this.chance(this.state.pollServerErrorRate)) return { kind: '500' };
		return null;
	}

	/** Pending submit fault kind (not consumed), or null. */
	peekSubmitFault() {
		const f = this.state.submitFault;
		return f && f.count > 0 ? f.kind : null;
	}

	consumeSubmitFault() {
		const f = this.state.submitFault;
		if (!f) return;
		f.count--;
		if (f.count <= 0) this.state.submitFault = null;
	}

	/** Decide a new job's fate from content triggers, then probabilities. */
	jobFate(payload) {
		const text = JSON.stringify(payload);
		let outcome = 'completed';
		if (text.includes('[sim:fail]')) outcome = 'failed';
		else if (text.includes('[sim:suspend]')) outcome = 'suspended';
		else if (this.chance(this.state.failJobRate)) outcome = 'failed';
		else if (this.chance(this.state.suspendJobRate)) outcome = 'suspended';
		const slow = text.includes('[sim:slow]') || this.chance(this.state.slowJobRate);
		return { outcome, slowFactor: slow ? this.state.slowFactor : 1 };
	}
}

module.exports = { Faults, AFTER_ACCEPT, SUBMIT_KINDS };

// When to look at a job again: when it is likely to be done, judged from Sivi's own signals
// (queueWaitTime, `progress` while processing) and how long finished jobs of the same
// endpoint and model took on this account. A queued job that cannot have finished is left
// alone; a job about to finish is checked just after its predicted end.
import type { IDataObject } from 'n8n-workflow';

import type { StatusResponse } from '../validation/responseSchemas';

// Without a prediction, looks are spaced in multiples of the job's least poll spacing (the
// Poll Interval option, 1 s by default): the first after 1, then a growing step.
const COLD_PROBE = 1;
const PENDING_STEP = 3;
const PENDING_MAX = 20;
const NO_SIGNAL = 5;
/** Below this progress a prediction is rough: look again before the predicted end. */
const ROUGH_PROGRESS = 20;

export interface JobTiming {
	/** Endpoint and model: jobs with the same key take about as long. */
	key: string;
	/** Estimated start of the job in Sivi (after its queue wait). */
	startAt?: number;
	lastPollAt?: number;
	pendingPolls: number;
	/** The last two `progress` readings while processing. */
	samples: Array<{ at: number; progress: number }>;
	minSpacingMs: number;
}

/** Typical job durations per key on one account (a moving average of measured ones). */
export class DurationStats {
	private readonly byKey = new Map<string, number>();

	estimate(key: string): number | undefined {
		return this.byKey.get(key);
	}

	record(key: string, ms: number | undefined): void {
		if (ms === undefined || !Number.isFinite(ms) || ms <= 0) return;
		const old = this.byKey.get(key);
		this.byKey.set(key, old === undefined ? ms : old * 0.7 + ms * 0.3);
	}
}

export function durationKey(path: string, body?: IDataObject): string {
	const model = body?.model ?? body?.designModel ?? '';
	return `${path} ${String(model)}`;
}

/** Looks land this much after a predicted end: covers the request's own way and rounding. */
const margin = (durationMs: number) => 60 + 0.01 * durationMs;

/** queueWaitTime (wall ms, as Sivi documents it) in the clock's ms, when Sivi gave one. */
export function queueWaitOf(
	answer: { queueWaitTime?: unknown } | undefined,
	fromWallMs: (ms: number) => number,
): number | undefined {
	const value = answer?.queueWaitTime;
	return typeof value === 'number' && Number.isFinite(value) && value > 0
		? fromWallMs(value)
		: undefined;
}

/** Duration implied by the progress readings, if they say anything. */
function measuredDuration(timing: JobTiming): number | undefined {
	const [a, b] = timing.samples;
	if (a && b && b.progress > a.progress) return ((b.at - a.at) * 100) / (b.progress - a.progress);
	// A whole-number progress stands for anything up to the next number: take the middle.
	if (a && timing.startAt !== undefined && a.at > timing.startAt)
		return ((a.at - timing.startAt) * 100) / (a.progress + 0.5);
	return undefined;
}

/** `submittedAt` is unknown when resuming a job submitted elsewhere (Get Status). */
export function newTiming(
	key: string,
	submittedAt: number | undefined,
	minSpacingMs: number,
	queueWaitMs?: number,
): JobTiming {
	return {
		key,
		startAt: submittedAt === undefined ? undefined : submittedAt + (queueWaitMs ?? 0),
		pendingPolls: 0,
		samples: [],
		minSpacingMs,
	};
}

/** When to poll next; `status` is the last answer (none right after the submit). */
export function nextPollAt(
	timing: JobTiming,
	stats: DurationStats,
	now: number,
	status: StatusResponse | undefined,
	fromWallMs: (ms: number) => number,
): number {
	const typical = stats.estimate(timing.key);
	const unit = timing.minSpacingMs;
	let at: number;
	const state = status?.status.trim().toLowerCase();
	if (!status) {
		const start = timing.startAt ?? now;
		at = typical === undefined ? start + COLD_PROBE * unit : start + typical + margin(typical);
	} else if (state === 'pending' || state === 'queued') {
		timing.pendingPolls++;
		const wait = queueWaitOf(status, fromWallMs);
		if (wait !== undefined) timing.startAt = now + wait;
		// Not started yet, so it cannot end before a whole job's time from its start.
		const start = wait === undefined ? now : now + wait;
		at =
			typical !== undefined
				? start + typical + margin(typical)
				: start + unit * Math.min(PENDING_MAX, PENDING_STEP * timing.pendingPolls);
		if (wait === undefined && timing.startAt !== undefined && timing.startAt < now)
			timing.startAt = undefined;
	} else {
		const progress = status.progress;
		if (typeof progress === 'number' && progress > 0 && progress < 100) {
			timing.samples = [...timing.samples, { at: now, progress }].slice(-2);
			const total = measuredDuration(timing) ?? typical;
			if (total !== undefined) {
				const remaining = Math.max(0, (total * (100 - progress)) / 100);
				at = progress < ROUGH_PROGRESS ? now + remaining * 0.8 : now + remaining + margin(total);
				// One reading is measured from the estimated start, which may have been spent in
				// Sivi's queue: the duration is then only an upper bound. Look again within the time
				// already waited, so a second reading measures the rate instead.
				if (timing.samples.length < 2 && timing.startAt !== undefined)
					at = Math.min(at, now + Math.max(unit, now - timing.startAt));
			} else {
				at = now + COLD_PROBE * unit;
			}
		} else if (typical !== undefined && timing.startAt !== undefined) {
			at = timing.startAt + typical + margin(typical);
			if (at <= now) at = now + Math.max(NO_SIGNAL * unit, typical * 0.1);
		} else {
			at = now + NO_SIGNAL * unit;
		}
	}
	const earliest = Math.max(now, (timing.lastPollAt ?? -Infinity) + timing.minSpacingMs);
	return Math.max(at, earliest);
}

/** A job ended: learn how long it took, from what its progress readings measured. */
export function learnDuration(timing: JobTiming, stats: DurationStats, sentAt: number): void {
	const measured = measuredDuration(timing);
	if (measured !== undefined) return stats.record(timing.key, measured);
	// Done at the first look: only an upper bound, so it only seeds an unknown key.
	if (stats.estimate(timing.key) === undefined && timing.startAt !== undefined)
		stats.record(timing.key, sentAt - timing.startAt);
}

// When to look at a job again: when it is likely to be done, judged from Sivi's own signals
// (pending answers, queueWaitTime, `progress` while processing) and how long finished jobs of
// the same endpoint and model took on this account. Each look is a bound on the job's start
// and length (jobBounds.ts); when the end is known closely the job is looked at just after it,
// otherwise in the middle of its possible end, where the answer narrows it most.
import type { IDataObject } from 'n8n-workflow';

import type { StatusResponse } from '../validation/responseSchemas';
import type { DurationStats } from './durationStats';
import {
	doneShareAfter,
	doneShareBy,
	durationAtLeast,
	durationAtMost,
	solve,
	startAfter,
	startAfterRuns,
	startBy,
	startByAfterRuns,
	type Bound,
} from './jobBounds';

export { DurationStats } from './durationStats';

// Without a prediction, looks are spaced in multiples of the job's least poll spacing (the
// Poll Interval option, 1 s by default): the first after 1, then a growing step.
const COLD_PROBE = 1;
const PENDING_STEP = 3;
const PENDING_MAX = 20;
const NO_SIGNAL = 5;
/** An end known within this share of the job's length is looked at just after it. */
export const TIGHT = 0.1;

export interface JobTiming {
	/** Endpoint and model: jobs with the same key take about as long. */
	key: string;
	/** The earliest the job can have started (submit, pending answers, queueWaitTime). */
	startAt?: number;
	/** Seen running or done: it had started by then. */
	started: boolean;
	lastPollAt?: number;
	/** When the last look left: the Poll Interval counts from there, as on a fixed beat. */
	lastSentAt?: number;
	pendingPolls: number;
	/** Processing answers that carried a progress. */
	readings: number;
	/** What the looks said, as bounds on (start, length). */
	bounds: Bound[];
	/** From progress readings (dropped if Sivi's progress turns out not to be linear). */
	progress: Bound[];
	/** From queueWaitTime (dropped if it turns out to mean something else). */
	queueWait: Bound[];
	/**
	 * Where this account's own model of Sivi's slots puts the job: it took a slot at `origin`
	 * behind `runs` jobs of its kind (0: the slot was free at its submit), so it started once they
	 * had run, at origin + runs · its length. Dropped if the looks contradict it (another user of
	 * the key, lengths that differ).
	 */
	slot?: SlotPlace;
	minSpacingMs: number;
}

export interface SlotPlace {
	origin: number;
	runs: number;
}

/** The slot model's place as bounds on (start, length): start = origin + runs · length. */
const slotBounds = ({ origin, runs }: SlotPlace): Bound[] =>
	runs ? [startByAfterRuns(runs, origin), startAfterRuns(runs, origin)] : [startBy(origin)];

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

/** `submittedAt` is unknown when resuming a job submitted elsewhere (Get Status). */
export function newTiming(
	key: string,
	submittedAt: number | undefined,
	minSpacingMs: number,
	queueWaitMs?: number,
): JobTiming {
	const timing: JobTiming = {
		key,
		startAt: submittedAt,
		started: false,
		pendingPolls: 0,
		readings: 0,
		bounds: submittedAt === undefined ? [] : [startAfter(submittedAt)],
		progress: [],
		queueWait: [],
		minSpacingMs,
	};
	if (submittedAt !== undefined && queueWaitMs !== undefined)
		waited(timing, submittedAt, queueWaitMs);
	return timing;
}

function waited(timing: JobTiming, from: number, queueWaitMs: number): void {
	timing.queueWait.push(startAfter(from + queueWaitMs));
	timing.startAt = Math.max(timing.startAt ?? -Infinity, from + queueWaitMs);
}

/**
 * The region of (start, length) the looks allow, dropping doubtful signals if they conflict:
 * the slot model first, then queueWaitTime, then progress (not used at all once doubted).
 */
function region(timing: JobTiming, extra: Bound[] = [], useProgress = true, useSlot = true) {
	const origin = timing.startAt ?? timing.lastPollAt ?? 0;
	const slot = timing.slot === undefined || !useSlot ? [] : slotBounds(timing.slot);
	const progressSets = useProgress && timing.progress.length ? [timing.progress, []] : [[]];
	const tried = new Set<string>();
	for (const progress of progressSets)
		for (const wait of [timing.queueWait, []])
			for (const model of [slot, []]) {
				const bounds = [...timing.bounds, ...progress, ...wait, ...model, ...extra];
				const id = `${progress.length} ${wait.length} ${model.length}`;
				if (tried.has(id)) continue;
				tried.add(id);
				const solved = solve(bounds, origin);
				if (solved) return solved;
			}
	return undefined;
}

/** Progress readings of this job that count: none once its kind's progress proved not linear. */
const readingsOf = (timing: JobTiming, stats: DurationStats) =>
	stats.trustsProgress(timing.key) ? timing.readings : 0;

/** Records what one answer says about the job; `sentAt` is when the look left. */
export function observe(
	timing: JobTiming,
	status: StatusResponse,
	sentAt: number,
	answeredAt: number,
	fromWallMs: (ms: number) => number,
): void {
	timing.lastPollAt = answeredAt;
	timing.lastSentAt = sentAt;
	const state = status.status.trim().toLowerCase();
	if (state === 'pending' || state === 'queued') {
		timing.pendingPolls++;
		timing.bounds.push(startAfter(sentAt));
		timing.startAt = Math.max(timing.startAt ?? -Infinity, sentAt);
		const wait = queueWaitOf(status, fromWallMs);
		if (wait !== undefined) waited(timing, sentAt, wait);
		return;
	}
	timing.started = true;
	timing.bounds.push(startBy(answeredAt));
	if (['completed', 'complete', 'failed', 'suspended', 'error'].includes(state)) {
		timing.bounds.push(doneShareBy(1, answeredAt));
		return;
	}
	timing.bounds.push(doneShareAfter(1, sentAt));
	const progress = status.progress;
	if (typeof progress === 'number' && progress >= 0 && progress < 100) {
		timing.readings++;
		timing.progress.push(doneShareBy(progress / 100, answeredAt));
		timing.progress.push(doneShareAfter(Math.min(1, (progress + 1) / 100), sentAt));
	}
}

/** When to look next, from what is known now (changes when `stats` learns something). */
export function planLook(timing: JobTiming, stats: DurationStats, now: number): number {
	const unit = timing.minSpacingMs;
	const earliest = Math.max(now, (timing.lastSentAt ?? timing.lastPollAt ?? -Infinity) + unit);
	const prior = stats.range(timing.key);
	const readings = readingsOf(timing, stats);
	const useProgress = readings > 0;
	let at: number | undefined;
	// Without a known start a single reading bounds nothing; two give the speed.
	if (prior || readings >= 2 || (readings && timing.startAt !== undefined)) {
		// Not seen running yet: plan as if it starts as early as it can (a later start shows as
		// pending or a low progress at the look, which then narrows it down). Not when its kind
		// gives no progress to read and its place behind jobs of its kind on a slot is what plans
		// it: that ties its start to its length.
		const chained =
			!useProgress && (timing.slot?.runs ?? 0) > 0 && !stats.readsProgress(timing.key);
		const assume =
			!timing.started && timing.startAt !== undefined && !chained ? [startBy(timing.startAt)] : [];
		const withPrior = prior ? [durationAtLeast(prior.lo), durationAtMost(prior.hi)] : [];
		// Readings are planned for from the job's earliest start: a look before its likely end
		// gives a second reading far from the first, which pins the end. Without them, the slot
		// model's latest start is what bounds the end (a place behind other jobs only for a kind
		// with no progress to read: a look while it runs gives a reading otherwise).
		const useSlot = !useProgress && (!timing.slot?.runs || chained);
		const solved =
			region(timing, [...assume, ...withPrior], useProgress, useSlot) ??
			region(timing, assume, useProgress, useSlot) ??
			region(timing, [], useProgress, useSlot);
		if (solved && solved.end.hi - now < 43_200_000) {
			const length = (solved.duration.lo + solved.duration.hi) / 2;
			const { lo, hi } = solved.end;
			at = hi - lo <= TIGHT * length ? hi + margin(length) : Math.max(lo, (lo + hi) / 2);
		}
	}
	if (at === undefined) {
		const start = Math.max(now, timing.startAt ?? now);
		if (!timing.lastPollAt) at = start + COLD_PROBE * unit;
		else if (!timing.started)
			at = start + unit * Math.min(PENDING_MAX, PENDING_STEP * Math.max(1, timing.pendingPolls));
		// Running, length unknown and nothing to read: look again when it has run twice as long.
		else at = now + Math.min(NO_SIGNAL * unit, Math.max(unit, now - (timing.startAt ?? now)));
	}
	return Math.max(at, earliest);
}

/** Jobs of this kind are known to take about so long, within the share looked at just after. */
export function knownClosely(stats: DurationStats, key: string): boolean {
	const range = stats.range(key);
	return range !== undefined && range.hi - range.lo <= TIGHT * range.hi;
}

/** The latest a job can end, and when a look surely finds it done (a margin later). */
export interface LatestEnd {
	end: number;
	look: number;
}

/**
 * The latest the job can end, when known: from its looks, the longest a job of its kind took,
 * and, for a job not seen running, the latest it can have started (`startHi`, from its place in
 * Sivi's queue). A look from `look` on surely finds it done, so it never wastes a request.
 */
export function latestEnd(
	timing: JobTiming,
	stats: DurationStats,
	now: number,
	startHi?: number,
): LatestEnd | undefined {
	const prior = stats.range(timing.key);
	const readings = readingsOf(timing, stats);
	if (!prior && readings < 2) return undefined;
	const extra = prior ? [durationAtMost(prior.hi)] : [];
	if (!timing.started) {
		if (startHi === undefined || !Number.isFinite(startHi)) return undefined;
		extra.push(startBy(startHi));
	}
	// A place behind other jobs on a slot is trusted for this only once the job was seen running
	// where the place allows (else its start is bounded by `startHi`): a wrong place would make
	// the look that must find the job done come a round early.
	const solved = region(timing, extra, readings > 0, timing.started || !timing.slot?.runs);
	if (!solved || solved.end.hi - now >= 43_200_000) return undefined;
	return { end: solved.end.hi, look: solved.end.hi + margin(solved.duration.hi) };
}

/** When to poll next; `status` is the last answer (none right after the submit). */
export function nextPollAt(
	timing: JobTiming,
	stats: DurationStats,
	now: number,
	status: StatusResponse | undefined,
	fromWallMs: (ms: number) => number,
	sentAt = now,
): number {
	if (status) observe(timing, status, sentAt, now, fromWallMs);
	return planLook(timing, stats, now);
}

/**
 * What the looks say of a finished job. A place behind other jobs on a slot ties its start to
 * its length; if another user's job freed a slot first, it started earlier than that and the
 * length would come out too short. So a place that puts the length outside what the kind is
 * known to take is not believed: the job's own looks are.
 */
function believable(timing: JobTiming, stats: DurationStats, useProgress: boolean) {
	const solved = region(timing, [], useProgress);
	const known = stats.range(timing.key);
	if (!solved || !known || !timing.slot?.runs) return solved;
	const { lo, hi } = solved.duration;
	return hi < known.lo || lo > known.hi ? region(timing, [], useProgress, false) : solved;
}

/** A single reading leaves the length this uncertain even when the start is taken as known. */
const ONE_READING_SPREAD = 0.03;

/**
 * A job ended: learn how long it took, from everything its looks said. Two progress readings
 * give its speed whatever its start. With one, its start is taken as the earliest the looks
 * allow (its submit, its last pending answer, queueWaitTime) when that fits them; that is only
 * a lower bound, so the value keeps some spread, and an estimate that later jobs show too long
 * slides back (durationStats.ts).
 */
export function learnDuration(timing: JobTiming, stats: DurationStats, slide = true): void {
	if (timing.startAt === undefined && !timing.readings) return;
	const origin = timing.startAt ?? timing.lastPollAt ?? 0;
	// Readings that the looks themselves contradict show this kind's progress is not linear.
	if (
		readingsOf(timing, stats) &&
		!solve([...timing.bounds, ...timing.progress], origin) &&
		solve(timing.bounds, origin)
	)
		stats.doubtProgress(timing.key);
	const readings = readingsOf(timing, stats);
	if (readings) stats.sawProgress(timing.key);
	const loose = believable(timing, stats, readings > 0);
	if (!loose) return;
	const all = [...timing.bounds, ...timing.progress, ...timing.queueWait];
	const earliest = Math.max(timing.startAt ?? -Infinity, loose.start.lo);
	const assumed = readings === 1 ? solve([...all, startBy(earliest + 1)], origin) : undefined;
	if (assumed) {
		// A later start than assumed means a shorter job, down to what the looks allow.
		const mid = (assumed.duration.lo + assumed.duration.hi) / 2;
		const spread = ONE_READING_SPREAD * mid;
		stats.record(timing.key, loose.duration.lo, assumed.duration.hi + spread, mid, slide);
		return;
	}
	stats.record(timing.key, loose.duration.lo, loose.duration.hi, undefined, slide);
}

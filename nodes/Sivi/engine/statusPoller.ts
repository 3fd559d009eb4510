// The one status poller of an account: every job of every execution in this process that
// waits for Sivi is polled from here, each when pollPlan says it is likely to be done. Polls
// are paced by the account's RequestPacer; the loop sleeps until the next job is due and
// holds no timer once no job is left.
import type { IDataObject } from 'n8n-workflow';

import { SiviRequestError } from '../shared/siviError';
import { jobStateOf, parseStatus, type StatusResponse } from '../validation/responseSchemas';
import type { Clock } from './clock';
import { Nap } from './nap';
import {
	knownClosely,
	latestEnd,
	TIGHT,
	type LatestEnd,
	learnDuration,
	observe,
	planLook,
	type DurationStats,
	type JobTiming,
	type SlotPlace,
} from './pollPlan';
import { OutOfTime } from './requestPacer';

export type PollEnd =
	| { state: 'done' | 'failed'; status: StatusResponse }
	| { state: 'timeout'; status?: StatusResponse }
	| { state: 'error'; error: SiviRequestError; status?: StatusResponse };

export interface TrackRequest {
	requestId: string;
	deadline: number;
	/** Poll at once (resuming a job submitted elsewhere) instead of when it should be done. */
	pollNow: boolean;
	timing: JobTiming;
	/** Consecutive failed polls (5xx, resets) tolerated before the item gives up. */
	maxPollFailures: number;
	/**
	 * Sends one paced status request for this job (calling `leaving` as it is sent); throws
	 * OutOfTime past the deadline.
	 */
	poll: (leaving: () => void) => Promise<IDataObject>;
	/** Who the job belongs to (an execution's batch), so it can be abandoned alone. */
	owner: object;
	signal?: AbortSignal;
}

interface Tracked extends TrackRequest {
	/** When its submit left: its place in Sivi's queue, whichever submit was answered first. */
	queuedAt: number;
	nextPollAt: number;
	/** The stats version the plan was made with; a first look is re-planned when they learn. */
	plannedWith: number;
	/** The slot model's place the plan was made with; re-planned when the model moves it. */
	plannedAt?: SlotPlace;
	/** Waits for a pilot job of its kind to teach the stats (see plan()). */
	deferred: boolean;
	/** The latest it waits for the pilot: then it is looked at itself. */
	deferUntil: number;
	failures: number;
	busy: boolean;
	/** The poll under way may find the job still running (it used spare budget). */
	speculative: boolean;
	/** The poll under way was sent once the job had surely ended. */
	sureLook: boolean;
	/** The one job of its kind looked at before its latest end to narrow a loose length. */
	prober?: boolean;
	/** The latest the job could end, as known when its look left. */
	sureEnd?: number;
	last?: StatusResponse;
	settle: (end: PollEnd) => void;
	detach: () => void;
}

/**
 * Room kept before the deadline for the last looks, so that a look that fails (a 5xx, a reset,
 * a 429 pause) can be tried again before the deadline instead of at it, where no turn is left.
 */
const LAST_LOOK_SPACINGS = 5;

/** A retry of a failed look: at the latest half a spacing before the deadline, or now. */
const finalLook = (now: number, deadline: number, spacingMs: number) =>
	Math.max(now, deadline - spacingMs / 2);

/**
 * A job planned past its deadline is still looked at once a few spacings before it, with room
 * to retry a failed look, and a last time just before the deadline.
 */
function beforeDeadline(planned: number, now: number, deadline: number, spacingMs: number): number {
	const lastChance = deadline - Math.max(LAST_LOOK_SPACINGS * spacingMs, (deadline - now) * 0.05);
	if (lastChance > now) return Math.min(planned, lastChance);
	const final = deadline - spacingMs / 2;
	// Past the final look, the job is left to time out at its deadline without another request.
	return Math.min(planned, final > now ? final : deadline);
}

/**
 * A job waits for its pilot at most this long (10 spacings, or a tenth of its Max Wait): a
 * pilot that is slow, stuck or starved of looks must not leave the others unlooked at until
 * their deadline.
 */
function deferLimit(now: number, deadline: number, spacingMs: number): number {
	return now + Math.max(10 * spacingMs, 0.1 * (deadline - now));
}

/** A slot of the account's share: free from `at`; `chain`: the same-kind jobs run on it. */
interface FreedSlot {
	at: number;
	chain?: { key: string } & SlotPlace;
}

/** The budget as one pass of the poll loop sees it (PollBudget), and its looks that may be early. */
interface PassRoom {
	spare: number;
	probe: number;
	speculating: number;
}

/** The chain a job continues on its slot, for the job that takes the slot after it. */
const chainOf = (timing: JobTiming): FreedSlot['chain'] =>
	timing.slot && { key: timing.key, ...timing.slot };

/** How long the loop sleeps when every job is being polled (woken when one returns). */
const ALL_BUSY_NAP_MS = 60_000;
/** A job with no known latest end is still looked at this often (in poll spacings). */
const BLIND_LOOK = 10;
/** A speculative look needs this many spare requests (the scheduler keeps its own reserve). */
const SPARE_RESERVE = 1;

/**
 * Budget-aware polling: a look that may find the job still running only spends requests the
 * window can spare beyond the essential ones (see AccountScheduler.spare); otherwise the job
 * waits until it has surely ended.
 */
export interface PollBudget {
	/** Requests the window can spare now beyond submits and one look per unfinished job. */
	spare: () => number;
	/** What a kind's prober may spend: the spare and half the scheduler's reserve. */
	probeRoom?: () => number;
	/** Jobs of this process Sivi runs at once (its share of the slots), for latest ends. */
	slots: number;
}

export class StatusPoller {
	private readonly jobs = new Set<Tracked>();

	private running = false;

	private readonly nap: Nap;

	/** When looks found our latest jobs ended (each freed a slot by then), and their places. */
	private readonly freed: FreedSlot[] = [];

	/** Without it every planned look is sent (an execution-less poller, tests). */
	budget?: PollBudget;

	constructor(
		private readonly clock: Clock,
		private readonly stats: DurationStats,
		/** Jobs Sivi runs at once for the key, when known. */
		public slots?: number,
	) {
		this.nap = new Nap(clock);
	}

	get size(): number {
		return this.jobs.size;
	}

	/** No job tracked, so no loop and no timer runs. */
	get idle(): boolean {
		return !this.running && !this.jobs.size;
	}

	/** Resolves when the job reaches a final state, its deadline passes, or polling fails. */
	async track(request: TrackRequest): Promise<PollEnd> {
		return await new Promise<PollEnd>((resolve) => {
			const now = this.clock.now();
			const onAbort = () =>
				this.finish(job, {
					state: 'error',
					error: new SiviRequestError('cancelled', 'The execution was cancelled'),
					status: job.last,
				});
			const job: Tracked = {
				...request,
				queuedAt: request.timing.startAt ?? now,
				nextPollAt: now,
				plannedWith: this.stats.version,
				deferred: false,
				deferUntil: deferLimit(now, request.deadline, request.timing.minSpacingMs),
				failures: 0,
				busy: false,
				speculative: false,
				sureLook: false,
				settle: resolve,
				detach: () => request.signal?.removeEventListener('abort', onAbort),
			};
			if (request.signal?.aborted) return onAbort();
			request.signal?.addEventListener('abort', onAbort, { once: true });
			this.enqueue(job);
			if (!request.pollNow) this.plan(job, now);
			if (this.running) this.nap.wake();
			else void this.loop();
		});
	}

	/**
	 * Jobs are kept in the order their submits left, which is Sivi's queue order: submits sent
	 * together may be answered in another order, and the slot model places each job behind the
	 * ones ahead of it.
	 */
	private enqueue(job: Tracked): void {
		let last: Tracked | undefined;
		for (const other of this.jobs) last = other;
		if (!last || last.queuedAt <= job.queuedAt) {
			this.jobs.add(job);
			return;
		}
		const all = [...this.jobs, job].sort((a, b) => a.queuedAt - b.queuedAt);
		this.jobs.clear();
		for (const each of all) this.jobs.add(each);
	}

	/** Stops polling the jobs of one owner: each settles with the given error. */
	abandon(owner: object, error: SiviRequestError): void {
		for (const job of [...this.jobs]) {
			if (job.owner === owner) this.finish(job, { state: 'error', error, status: job.last });
		}
	}

	private finish(job: Tracked, end: PollEnd): void {
		if (!this.jobs.delete(job)) return;
		job.detach();
		job.settle(end);
		this.nap.wake();
	}

	private async loop(): Promise<void> {
		this.running = true;
		try {
			while (this.jobs.size) {
				const now = this.clock.now();
				let wakeAt = Infinity;
				const sure = this.budget ? this.latestEnds(now, this.budget.slots) : undefined;
				// Read once a pass: nothing the pass does is sent before it ends (a look leaves from
				// the pacer, after an await), so only the looks it starts change what is left.
				const room = this.budget && this.roomNow(this.budget);
				for (const job of this.jobs) {
					if (job.busy) continue;
					// Re-planned only while its look is still ahead: a look that has come due (a
					// deferred job's last chance before Max Wait) is never pushed back.
					if (
						(job.deferred ||
							job.plannedWith !== this.stats.version ||
							job.plannedAt !== job.timing.slot) &&
						!job.timing.started &&
						!job.pollNow &&
						job.nextPollAt > now
					)
						this.plan(job, now);
					let due = job.nextPollAt;
					const latest = sure?.get(job);
					const sureAt = latest?.look;
					if (due <= now && room) due = this.heldUntil(job, sureAt, now, room) ?? due;
					if (due <= now) {
						job.busy = true;
						job.speculative = !job.pollNow && !(sureAt !== undefined && sureAt <= now);
						if (job.speculative && room) room.speculating++;
						job.sureLook = !job.speculative && sureAt !== undefined;
						job.sureEnd = latest?.end;
						void this.pollOne(job).finally(() => {
							job.busy = false;
							job.speculative = false;
							this.nap.wake();
						});
					} else {
						wakeAt = Math.min(wakeAt, due);
					}
				}
				if (!this.jobs.size) break;
				await this.nap.for(wakeAt === Infinity ? ALL_BUSY_NAP_MS : wakeAt - now);
			}
		} finally {
			this.running = false;
		}
	}

	/**
	 * A planned look is sent now (undefined) or held until the returned time: a look that may
	 * find the job running needs a spare request; without one it waits for the job's latest
	 * end. A job whose latest end is unknown is still looked at now and then, and a job near
	 * its deadline always gets its last look.
	 */
	private heldUntil(
		job: Tracked,
		sureAt: number | undefined,
		now: number,
		room: PassRoom,
	): number | undefined {
		const unit = job.timing.minSpacingMs;
		if (job.pollNow || (sureAt !== undefined && sureAt <= now)) return undefined;
		// A pilot's probes are what teaches every job of its kind when it will surely end.
		const estimate = this.stats.estimate(job.timing.key);
		if (estimate === undefined) return undefined;
		// While the kind's length is known only loosely (no progress to read), or a job's place
		// many rounds down a slot leaves its end loose (a kind that gives none), one job at a time
		// whose place is known is looked at in the middle of its possible end: its end narrows the
		// length for every job.
		const loose =
			!knownClosely(this.stats, job.timing.key) ||
			(!this.stats.readsProgress(job.timing.key) &&
				sureAt !== undefined &&
				sureAt - job.nextPollAt > TIGHT * estimate);
		if (
			job.timing.slot !== undefined &&
			loose &&
			(job.prober || !this.hasProber(job)) &&
			room.probe >= 1
		) {
			job.prober = true;
			return undefined;
		}
		const lastChance = job.deadline - LAST_LOOK_SPACINGS * unit;
		if (now >= lastChance) return undefined;
		// A job that has surely ended within a spacing is not worth a request that may be wasted.
		const soon = sureAt !== undefined && sureAt - now <= unit;
		if (!soon && room.spare - room.speculating >= SPARE_RESERVE) return undefined;
		const seen = job.timing.lastPollAt ?? job.timing.startAt ?? now;
		const blind = seen + BLIND_LOOK * unit;
		if (sureAt === undefined && now >= blind) return undefined;
		// Re-checked each spacing: the window turns and jobs ahead end, so spare grows.
		return Math.min(sureAt ?? blind, lastChance, now + unit);
	}

	private roomNow(budget: PollBudget): PassRoom {
		let speculating = 0;
		for (const job of this.jobs) if (job.speculative) speculating++;
		return { spare: budget.spare(), probe: budget.probeRoom?.() ?? 0, speculating };
	}

	/**
	 * The latest each job can end, when known. Sivi runs jobs first come first served on its
	 * slots, so a job not seen running has started by the time enough of the jobs ahead of it
	 * can have ended (assuming this process's share of the slots; another user of the key can
	 * only make a look at that time find it still running, which costs one request).
	 */
	private latestEnds(now: number, slots: number): Map<Tracked, LatestEnd | undefined> {
		const ends = new Map<Tracked, LatestEnd | undefined>();
		// A slot freed by one of our jobs was free by the time the look found it done.
		const free: FreedSlot[] = Array.from({ length: Math.max(1, slots) }, () => ({
			at: -Infinity,
		}));
		this.freed.slice(-free.length).forEach((freed, i) => (free[i] = freed));
		// Jobs queued behind ours are placed on chains only when the account's share is every
		// slot: other processes' jobs would sit in the same chains unseen.
		const chains = this.slots !== undefined && slots >= this.slots;
		for (const job of this.jobs) {
			if (job.pollNow) continue;
			const slot = free.reduce((best, f, i) => (f.at < free[best].at ? i : best), 0);
			const own = job.timing.startAt;
			const startHi = job.timing.started ? undefined : Math.max(free[slot].at, own ?? now);
			// Not for a job submitted elsewhere (Get Status), whose place in Sivi's queue is unknown.
			if (!job.timing.started && own !== undefined) this.place(job.timing, free[slot], own, chains);
			const end = latestEnd(job.timing, this.stats, now, startHi);
			ends.set(job, end);
			// The slot is free from the job's latest end; only the look needs a margin after it.
			free[slot] = { at: end?.end ?? Infinity, chain: chainOf(job.timing) };
		}
		return ends;
	}

	/**
	 * A job that found a slot of the account's share free started at once. One submitted while
	 * the slot ran jobs of its kind starts when they have run: its start is tied to its length,
	 * so a look that finds it done or running bounds the length of the whole chain, without
	 * progress. Kept for learning once the job is seen running.
	 */
	private place(timing: JobTiming, slot: FreedSlot, own: number, chains: boolean): void {
		let place = timing.slot;
		if (slot.at < own) place = { origin: own, runs: 0 };
		else if (chains && slot.chain?.key === timing.key)
			place = { origin: slot.chain.origin, runs: slot.chain.runs + 1 };
		else if (place?.runs) place = undefined;
		// Kept as it is when unchanged: a new place re-plans the job's look (see loop()).
		if (place?.origin !== timing.slot?.origin || place?.runs !== timing.slot?.runs)
			timing.slot = place;
	}

	/**
	 * Plans the job's next look (again when the stats learned something, for a job not yet seen
	 * running). While the length of a kind of job is unknown, only the first job of that kind
	 * being waited for (the pilot) is probed: the others wait for what it teaches, instead of
	 * each spending probes from the plan's window.
	 */
	private plan(job: Tracked, now: number): void {
		job.plannedWith = this.stats.version;
		job.plannedAt = job.timing.slot;
		job.deferred = !job.timing.lastPollAt && now < job.deferUntil && this.hasPilot(job);
		if (!job.deferred && !job.timing.started) this.queuedBehind(job);
		job.nextPollAt = beforeDeadline(
			job.deferred ? job.deferUntil : planLook(job.timing, this.stats, now),
			now,
			job.deadline,
			job.timing.minSpacingMs,
		);
	}

	/**
	 * Sivi runs jobs first come first served on its slots, so a job submitted behind our own
	 * unfinished jobs cannot start before enough of them can have ended (other users of the key
	 * only delay it more): a lower bound on its start, even when Sivi gives no queueWaitTime.
	 */
	private queuedBehind(job: Tracked): void {
		const running = this.slots;
		const own = job.timing.startAt;
		if (!running || own === undefined) return;
		const slots: number[] = Array.from({ length: running }, () => -Infinity);
		for (const other of this.jobs) {
			if (other === job) break;
			const start = other.timing.startAt;
			const shortest = this.stats.range(other.timing.key)?.lo;
			if (other.pollNow || start === undefined || shortest === undefined) continue;
			const slot = slots.indexOf(Math.min(...slots));
			slots[slot] = Math.max(slots[slot], start) + shortest;
		}
		const free = Math.min(...slots);
		if (free > own) job.timing.startAt = free;
	}

	private hasProber(job: Tracked): boolean {
		for (const other of this.jobs)
			if (other.prober && other.timing.key === job.timing.key) return true;
		return false;
	}

	private hasPilot(job: Tracked): boolean {
		if (this.stats.estimate(job.timing.key) !== undefined) return false;
		for (const other of this.jobs) {
			if (other === job) return false;
			if (other.timing.key === job.timing.key && !other.pollNow) return true;
		}
		return false;
	}

	private async pollOne(job: Tracked): Promise<void> {
		let status: StatusResponse;
		let sentAt = this.clock.now();
		try {
			// The poll may wait for a turn in the pacing: what it says holds from when it left.
			const answer = await job.poll(() => (sentAt = this.clock.now()));
			status = parseStatus(answer);
		} catch (error) {
			return this.failed(job, error, sentAt);
		}
		if (!this.jobs.has(job)) return;
		const now = this.clock.now();
		job.last = status;
		job.failures = 0;
		job.pollNow = false;
		observe(job.timing, status, sentAt, now, this.clock.fromWallMs);
		const state = jobStateOf(status.status);
		if (state !== 'running') {
			// Its slot was free by the latest it could end, or by the look (whichever came first).
			this.freed.push({ at: Math.min(now, job.sureEnd ?? now), chain: chainOf(job.timing) });
			if (this.freed.length > 64) this.freed.shift();
			// Looked at only once surely ended, or when planned with what the stats knew before they
			// last learned (jobs looked at together tell the same): the estimate is not shown too
			// long by it.
			learnDuration(
				job.timing,
				this.stats,
				!job.sureLook && job.plannedWith === this.stats.version,
			);
			return this.finish(job, { state, status });
		}
		if (now >= job.deadline) return this.finish(job, { state: 'timeout', status });
		this.plan(job, now);
	}

	private failed(job: Tracked, error: unknown, sentAt: number): void {
		if (error instanceof OutOfTime) return this.finish(job, { state: 'timeout', status: job.last });
		const failure =
			error instanceof SiviRequestError ? error : new SiviRequestError('server', String(error));
		const transient =
			failure.kind === 'server' || failure.kind === 'network' || failure.kind === 'unreachable';
		job.failures++;
		if (!transient || job.failures > job.maxPollFailures) {
			return this.finish(job, { state: 'error', error: failure, status: job.last });
		}
		const now = this.clock.now();
		job.timing.lastPollAt = now;
		job.timing.lastSentAt = sentAt;
		if (now >= job.deadline) return this.finish(job, { state: 'timeout', status: job.last });
		// Back off after failed polls, but keep a turn before the deadline.
		const spacing = job.timing.minSpacingMs;
		const delay = spacing * Math.min(1 + job.failures, 4);
		job.nextPollAt = Math.min(now + delay, finalLook(now, job.deadline, spacing));
	}
}

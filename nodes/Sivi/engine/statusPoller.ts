// The one status poller of an account: every job of every execution in this process that
// waits for Sivi is polled from here, each when pollPlan says it is likely to be done. Polls
// are paced by the account's RequestPacer; the loop sleeps until the next job is due and
// holds no timer once no job is left.
import type { IDataObject } from 'n8n-workflow';

import { SiviRequestError } from '../shared/siviError';
import { jobStateOf, parseStatus, type StatusResponse } from '../validation/responseSchemas';
import type { Clock } from './clock';
import { Nap } from './nap';
import { learnDuration, nextPollAt, type DurationStats, type JobTiming } from './pollPlan';
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
	/** Sends one paced status request for this job; throws OutOfTime past the deadline. */
	poll: () => Promise<IDataObject>;
	/** Who the job belongs to (an execution's batch), so it can be abandoned alone. */
	owner: object;
	signal?: AbortSignal;
}

interface Tracked extends TrackRequest {
	nextPollAt: number;
	failures: number;
	busy: boolean;
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

/** How long the loop sleeps when every job is being polled (woken when one returns). */
const ALL_BUSY_NAP_MS = 60_000;

export class StatusPoller {
	private readonly jobs = new Set<Tracked>();

	private running = false;

	private readonly nap: Nap;

	constructor(
		private readonly clock: Clock,
		private readonly stats: DurationStats,
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
			const planned = request.pollNow
				? now
				: nextPollAt(request.timing, this.stats, now, undefined, this.clock.fromWallMs);
			const onAbort = () =>
				this.finish(job, {
					state: 'error',
					error: new SiviRequestError('cancelled', 'The execution was cancelled'),
					status: job.last,
				});
			const job: Tracked = {
				...request,
				nextPollAt: beforeDeadline(planned, now, request.deadline, request.timing.minSpacingMs),
				failures: 0,
				busy: false,
				settle: resolve,
				detach: () => request.signal?.removeEventListener('abort', onAbort),
			};
			if (request.signal?.aborted) return onAbort();
			request.signal?.addEventListener('abort', onAbort, { once: true });
			this.jobs.add(job);
			if (this.running) this.nap.wake();
			else void this.loop();
		});
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
				for (const job of this.jobs) {
					if (job.busy) continue;
					if (job.nextPollAt <= now) {
						job.busy = true;
						void this.pollOne(job).finally(() => {
							job.busy = false;
							this.nap.wake();
						});
					} else {
						wakeAt = Math.min(wakeAt, job.nextPollAt);
					}
				}
				if (!this.jobs.size) break;
				await this.nap.for(wakeAt === Infinity ? ALL_BUSY_NAP_MS : wakeAt - now);
			}
		} finally {
			this.running = false;
		}
	}

	private async pollOne(job: Tracked): Promise<void> {
		let status: StatusResponse;
		let sentAt = this.clock.now();
		try {
			const answer = await job.poll();
			sentAt = this.clock.now();
			status = parseStatus(answer);
		} catch (error) {
			return this.failed(job, error);
		}
		if (!this.jobs.has(job)) return;
		const now = this.clock.now();
		job.last = status;
		job.failures = 0;
		job.timing.lastPollAt = now;
		const state = jobStateOf(status.status);
		if (state !== 'running') {
			learnDuration(job.timing, this.stats, sentAt);
			return this.finish(job, { state, status });
		}
		if (now >= job.deadline) return this.finish(job, { state: 'timeout', status });
		job.nextPollAt = beforeDeadline(
			nextPollAt(job.timing, this.stats, now, status, this.clock.fromWallMs),
			now,
			job.deadline,
			job.timing.minSpacingMs,
		);
	}

	private failed(job: Tracked, error: unknown): void {
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
		if (now >= job.deadline) return this.finish(job, { state: 'timeout', status: job.last });
		// Back off after failed polls, but keep a turn before the deadline.
		const spacing = job.timing.minSpacingMs;
		const delay = spacing * Math.min(1 + job.failures, 4);
		job.nextPollAt = Math.min(now + delay, finalLook(now, job.deadline, spacing));
	}
}

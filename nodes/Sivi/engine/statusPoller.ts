// One loop polls every outstanding request, instead of one loop per item: it sleeps until the
// next job is due (never past a deadline), polls what is due through the shared budget, and
// settles each job's promise when Sivi reports a final state.
import type { IDataObject } from 'n8n-workflow';

import { SiviRequestError } from '../shared/siviError';
import { jobStateOf, parseStatus, type StatusResponse } from '../validation/responseSchemas';
import { retryWait, type Clock } from './clock';
import type { RequestBudget } from './requestBudget';

export type PollEnd =
	| { state: 'done' | 'failed'; status: StatusResponse }
	| { state: 'timeout'; status?: StatusResponse }
	| { state: 'error'; error: SiviRequestError; status?: StatusResponse };

interface Tracked {
	requestId: string;
	nextPollAt: number;
	deadline: number;
	failures: number;
	last?: StatusResponse;
	settle: (end: PollEnd) => void;
}

export interface PollerSettings {
	pollIntervalMs: number;
	firstPollDelayMs: number;
	/** Consecutive failed polls (5xx, resets) tolerated before the item gives up. */
	maxPollFailures: number;
}

export interface PollerIo {
	status(requestId: string): Promise<IDataObject>;
	clock: Clock;
	budget: RequestBudget;
	signal?: AbortSignal;
}

export class StatusPoller {
	private readonly tracked = new Set<Tracked>();

	private running = false;

	constructor(
		private readonly settings: PollerSettings,
		private readonly io: PollerIo,
	) {}

	/** Resolves when the request reaches a final state, the deadline passes, or polling fails. */
	async track(requestId: string, deadline: number, pollNow = false): Promise<PollEnd> {
		return await new Promise<PollEnd>((resolve) => {
			const now = this.io.clock.now();
			this.tracked.add({
				requestId,
				deadline,
				failures: 0,
				nextPollAt: Math.min(pollNow ? now : now + this.settings.firstPollDelayMs, deadline),
				settle: resolve,
			});
			if (!this.running) void this.loop();
		});
	}

	/** Stops polling: every outstanding job settles with the given error. */
	abandonAll(error: SiviRequestError): void {
		for (const job of [...this.tracked])
			this.finish(job, { state: 'error', error, status: job.last });
	}

	private finish(job: Tracked, end: PollEnd): void {
		if (this.tracked.delete(job)) job.settle(end);
	}

	private async loop(): Promise<void> {
		this.running = true;
		try {
			while (this.tracked.size) {
				const now = this.io.clock.now();
				const due = [...this.tracked]
					.filter((job) => job.nextPollAt <= now)
					.sort((a, b) => a.nextPollAt - b.nextPollAt);
				if (!due.length) {
					const next = Math.min(...[...this.tracked].map((job) => job.nextPollAt));
					// Capped so a job added meanwhile waits at most one interval.
					await this.io.clock.sleep(
						Math.min(next - now, this.settings.pollIntervalMs),
						this.io.signal,
					);
					continue;
				}
				await Promise.all(due.map(async (job) => await this.pollOne(job)));
			}
		} catch (error) {
			const cancelled = new SiviRequestError('cancelled', 'The execution was cancelled');
			this.abandonAll(error instanceof SiviRequestError ? error : cancelled);
		} finally {
			this.running = false;
		}
	}

	private async pollOne(job: Tracked): Promise<void> {
		// Never wait for budget past the job's deadline.
		if (!(await this.io.budget.take(job.deadline))) {
			return this.finish(job, { state: 'timeout', status: job.last });
		}
		if (!this.tracked.has(job)) return;
		const { clock } = this.io;
		try {
			const status = parseStatus(await this.io.status(job.requestId));
			job.last = status;
			job.failures = 0;
			const state = jobStateOf(status.status);
			if (state !== 'running') return this.finish(job, { state, status });
		} catch (error) {
			const failure =
				error instanceof SiviRequestError ? error : new SiviRequestError('server', String(error));
			if (failure.kind === 'cancelled') throw failure;
			if (failure.isRetryableRefusal) {
				// Not this job's fault: slow the whole engine down and try again.
				const wait = retryWait(failure, this.settings.pollIntervalMs, clock);
				this.io.budget.pause(wait);
				job.nextPollAt = Math.min(clock.now() + wait, job.deadline);
				return;
			}
			const transient =
				failure.kind === 'server' || failure.kind === 'network' || failure.kind === 'unreachable';
			job.failures++;
			if (!transient || job.failures > this.settings.maxPollFailures) {
				return this.finish(job, { state: 'error', error: failure, status: job.last });
			}
		}
		const now = clock.now();
		if (now >= job.deadline) return this.finish(job, { state: 'timeout', status: job.last });
		// Back off after failed polls; the last poll lands exactly on the deadline.
		const delay = this.settings.pollIntervalMs * Math.min(1 + job.failures, 4);
		job.nextPollAt = Math.min(now + delay, job.deadline);
	}
}

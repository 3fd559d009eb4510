// The job engine behind every submit operation and Get Status: validates nothing (that happens
// before), submits items with bounded jobs in flight, waits for all of them through one
// StatusPoller, and returns one outcome per item in input order.
//
// Credits rule: a submit is sent again only when Sivi clearly refused it (429 rate limit or
// queue full). A 5xx, a reset or a timeout may hide an accepted, paid job, so such an item ends
// with an error instead of a second submit.
import type { IDataObject } from 'n8n-workflow';
import pLimit from 'p-limit';

import { SiviRequestError } from '../shared/siviError';
import {
	parseStatus,
	submitResponseSchema,
	type StatusResponse,
	type SubmitResponse,
} from '../validation/responseSchemas';
import { retryWait, type Clock } from './clock';
import { RequestBudget } from './requestBudget';
import { StatusPoller, type PollEnd } from './statusPoller';

export interface JobSpec {
	/** Submit this body to this path (`media/generate`, …); absent for Get Status. */
	submit?: { path: string; body: IDataObject };
	/** Known request ID (Get Status). */
	requestId?: string;
	wait: boolean;
}

export type JobOutcome =
	| { kind: 'submitted'; submitted: SubmitResponse }
	| { kind: 'status'; status: StatusResponse; submitted?: SubmitResponse }
	| { kind: 'finished'; end: PollEnd; submitted?: SubmitResponse; requestId: string }
	| {
			kind: 'error';
			error: SiviRequestError;
			requestId?: string;
			submitted?: SubmitResponse;
			phase: 'submit' | 'status';
	  }
	| { kind: 'skipped' };

export interface EngineSettings {
	maxInFlight: number;
	requestsPerMinute: number;
	/** Length of the rate window; 60 s for Sivi, scaled down by the benchmark. */
	rateWindowMs: number;
	pollIntervalMs: number;
	firstPollDelayMs: number;
	maxWaitMs: number;
	maxPollFailures: number;
	/** Without continueOnFail the first failure stops the run (nothing more is submitted). */
	stopOnFirstError: boolean;
}

export interface EngineIo {
	submit(path: string, body: IDataObject): Promise<IDataObject>;
	status(requestId: string): Promise<IDataObject>;
	clock: Clock;
	signal?: AbortSignal;
}

const STATUS_CALL_CONCURRENCY = 4;

export class JobEngine {
	private readonly budget: RequestBudget;

	private readonly poller: StatusPoller;

	private stopped = false;

	constructor(
		private readonly settings: EngineSettings,
		private readonly io: EngineIo,
	) {
		this.budget = new RequestBudget(
			settings.requestsPerMinute,
			settings.rateWindowMs,
			io.clock,
			io.signal,
		);
		this.poller = new StatusPoller(
			{
				pollIntervalMs: settings.pollIntervalMs,
				firstPollDelayMs: settings.firstPollDelayMs,
				maxPollFailures: settings.maxPollFailures,
			},
			{
				status: io.status,
				clock: io.clock,
				budget: this.budget,
				signal: io.signal,
			},
		);
	}

	/** Runs every job; `jobs[i]` undefined means "nothing to do" (e.g. it failed validation). */
	async run(jobs: Array<JobSpec | undefined>): Promise<JobOutcome[]> {
		const inFlight = pLimit(Math.max(1, this.settings.maxInFlight));
		const statusCalls = pLimit(STATUS_CALL_CONCURRENCY);
		return await Promise.all(
			jobs.map(async (job) => {
				if (!job) return { kind: 'skipped' } as JobOutcome;
				// Get Status without waiting holds no Sivi job slot.
				const limiter = job.submit || job.wait ? inFlight : statusCalls;
				// stop() runs inside the slot, before p-limit starts the next item's submit.
				return await limiter(async () => {
					const outcome = await this.runOne(job);
					if (this.settings.stopOnFirstError && isFailure(outcome)) this.stop();
					return outcome;
				});
			}),
		);
	}

	private stop(): void {
		if (this.stopped) return;
		this.stopped = true;
		this.poller.abandonAll(
			new SiviRequestError('cancelled', 'Stopped waiting because another item failed'),
		);
	}

	private async runOne(job: JobSpec): Promise<JobOutcome> {
		if (this.stopped) return { kind: 'skipped' };
		let submitted: SubmitResponse | undefined;
		let requestId = job.requestId;
		if (job.submit) {
			try {
				submitted = await this.submitOnce(job.submit.path, job.submit.body);
			} catch (error) {
				return { kind: 'error', phase: 'submit', error: asSiviError(error) };
			}
			requestId = submitted.requestId;
			if (!job.wait) return { kind: 'submitted', submitted };
		}
		if (!requestId) return { kind: 'skipped' };
		if (!job.wait) {
			try {
				await this.takeBudget();
				return { kind: 'status', status: parseStatus(await this.io.status(requestId)) };
			} catch (error) {
				return { kind: 'error', phase: 'status', error: asSiviError(error), requestId };
			}
		}
		if (this.stopped) {
			return {
				kind: 'error',
				phase: 'status',
				requestId,
				submitted,
				error: new SiviRequestError('cancelled', 'Stopped waiting because another item failed'),
			};
		}
		const deadline = this.io.clock.now() + this.settings.maxWaitMs;
		const end = await this.poller.track(requestId, deadline, !job.submit);
		if (end.state === 'error')
			return { kind: 'error', phase: 'status', error: end.error, requestId, submitted };
		return { kind: 'finished', end, submitted, requestId };
	}

	/** Waits for a request slot; a cancelled execution ends the wait as 'cancelled'. */
	private async takeBudget(): Promise<void> {
		const taken = await this.budget.take().then(
			() => true,
			() => false,
		);
		if (!taken) {
			throw new SiviRequestError('cancelled', 'The execution was cancelled before this was sent.');
		}
	}

	/**
	 * Sends one submit. Only a clear refusal (429 rate limit / queue full) is sent again, after
	 * the wait Sivi asked for; the whole engine slows down with it.
	 */
	private async submitOnce(path: string, body: IDataObject): Promise<SubmitResponse> {
		const giveUpAt = this.io.clock.now() + this.settings.maxWaitMs;
		for (;;) {
			await this.takeBudget();
			if (this.stopped) {
				throw new SiviRequestError('cancelled', 'Not submitted because another item failed.');
			}
			try {
				const answer = await this.io.submit(path, body);
				const parsed = submitResponseSchema.safeParse(answer);
				if (!parsed.success) {
					throw new SiviRequestError(
						'server',
						'Sivi accepted the request but returned no request ID',
					);
				}
				return parsed.data;
			} catch (error) {
				const failure = asSiviError(error);
				if (!failure.isRetryableRefusal) throw failure;
				const wait = retryWait(failure, this.settings.pollIntervalMs, this.io.clock);
				if (this.io.clock.now() + wait > giveUpAt) throw failure;
				this.budget.pause(wait);
			}
		}
	}
}

function isFailure(outcome: JobOutcome): boolean {
	return outcome.kind === 'error' || (outcome.kind === 'finished' && outcome.end.state !== 'done');
}

function asSiviError(error: unknown): SiviRequestError {
	return error instanceof SiviRequestError
		? error
		: new SiviRequestError('server', String((error as Error)?.message ?? error));
}

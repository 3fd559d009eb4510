// One scheduler per Sivi account in this process (see accounts.ts). Every execution, item and
// agent tool call using the account hands its jobs to it and gets back one outcome per job.
// It owns the request pacing, the jobs-in-flight cap (the plan's concurrency + queue) and the
// one status poller. A batch (one execution's node run) can lower its own share with the
// node's options, stops alone on its first failure, and is cancelled alone.
//
// Credits rule: a submit is sent again only when Sivi clearly refused it (429 rate limit or
// queue full). A 5xx, a reset or a timeout may hide an accepted, paid job, so such an item ends
// with an error instead of a second submit.
import type { IDataObject } from 'n8n-workflow';

import { SiviRequestError } from '../shared/siviError';
import {
	parseStatus,
	submitResponseSchema,
	type StatusResponse,
	type SubmitResponse,
} from '../validation/responseSchemas';
import type { Clock } from './clock';
import { InFlightSlots } from './inFlightSlots';
import { DurationStats } from './durationStats';
import { newTiming, queueWaitOf } from './pollPlan';
import { OutOfTime, PRIORITY, RequestPacer, type Priority } from './requestPacer';
import { StatusPoller, type PollEnd } from './statusPoller';

export interface AccountLimits {
	/** This process's share of the plan's requests per minute. */
	requestsPerMinute: number;
	/** This process's share of the jobs Sivi runs and queues at once. */
	jobsInFlight: number;
	/** Jobs Sivi runs at once for the whole key (not divided): a queued job waits for a slot. */
	running?: number;
	/** n8n processes sharing the key (each counts on its share of the running slots). */
	processes?: number;
}

export interface JobSpec {
	/** Submit this body to this path (`media/generate`, …); absent for Get Status. */
	submit?: { path: string; body: IDataObject };
	/** Known request ID (Get Status). */
	requestId?: string;
	/** Sent with every status check of this job besides its requestId (abstractUserId). */
	statusQuery?: IDataObject;
	wait: boolean;
	/** Jobs with the same key take about as long (endpoint and model). */
	durationKey: string;
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

export interface BatchSettings {
	/** This execution's own cap on jobs in flight (the account's cap applies too). */
	maxInFlight?: number;
	/** This execution's own requests per minute (the account's pacing applies too). */
	requestsPerMinute?: number;
	/** Least time between two polls of the same job. */
	minPollSpacingMs: number;
	maxWaitMs: number;
	maxPollFailures: number;
	/** Without continueOnFail the first failure stops the batch (nothing more is submitted). */
	stopOnFirstError: boolean;
}

/** How a batch talks to Sivi: through its own execution's context. */
export interface BatchIo {
	submit(path: string, body: IDataObject): Promise<IDataObject>;
	status(requestId: string, query?: IDataObject): Promise<IDataObject>;
	signal?: AbortSignal;
}

/** What one execution's batch went through, for its execution hints. */
export interface BatchReport {
	outcomes: JobOutcome[];
	/** 429 rate-limit refusals its requests received (all waited out). */
	refusals: number;
	/** Time its requests waited for a turn in the account's pacing. */
	pacedWaitMs: number;
}

interface Batch {
	settings: BatchSettings;
	io: BatchIo;
	stopped: boolean;
	refusals: number;
	pacedWaitMs: number;
	slots?: InFlightSlots;
	pacer?: RequestPacer;
}

interface RequestOptions {
	signal?: AbortSignal;
	until?: number;
	/** A batch's own, lower pacing, taken before the account's. */
	pacer?: RequestPacer;
	/** The batch to account the request's waits and refusals to. */
	batch?: Batch;
	/** Called each time the request is about to be sent. */
	leaving?: () => void;
}

/** Calls without a deadline (brand lookups, uploads) give up after this many 429s. */
const MAX_REFUSALS = 6;
const QUEUE_BACKOFF_BASE_MS = 2_000;
const QUEUE_BACKOFF_MAX_MS = 30_000;
/** Share of the window budget never spent on looks that may find a job still running. */
const SPARE_SHARE = 0.2;

export class AccountScheduler {
	readonly pacer: RequestPacer;

	readonly slots: InFlightSlots;

	readonly stats = new DurationStats();

	private readonly poller: StatusPoller;

	private readonly memory = new Map<string, { value: Promise<unknown>; until: number }>();

	/** Jobs to submit and wait for whose submit has not left yet. */
	private unsubmitted = 0;

	constructor(
		private limits: AccountLimits,
		readonly clock: Clock,
	) {
		this.pacer = new RequestPacer(clock, limits.requestsPerMinute);
		this.slots = new InFlightSlots(limits.jobsInFlight);
		this.poller = new StatusPoller(clock, this.stats, limits.running);
		this.poller.budget = {
			spare: () => this.spare(),
			probeRoom: () => this.spare() + Math.floor(this.reserve() / 2),
			slots: this.runningShare(),
		};
	}

	/**
	 * Requests the window can spare beyond the essential ones: a submit and a look for each job
	 * still to be sent (short jobs are done within the same window) and one look for each job
	 * not known done. Only spare requests go to looks that may find a job still running. A fifth
	 * of the budget is kept back: executions that have not arrived yet need it, and a pilot's
	 * probes spend it.
	 */
	spare(): number {
		return this.pacer.windowLeft - 2 * this.unsubmitted - this.poller.size - this.reserve();
	}

	private reserve(): number {
		return Math.ceil(SPARE_SHARE * this.limits.requestsPerMinute);
	}

	private runningShare(): number {
		const running = this.limits.running ?? this.limits.jobsInFlight;
		return Math.max(1, Math.floor(running / (this.limits.processes ?? 1)));
	}

	setLimits(limits: AccountLimits): void {
		if (
			limits.requestsPerMinute === this.limits.requestsPerMinute &&
			limits.jobsInFlight === this.limits.jobsInFlight &&
			limits.running === this.limits.running &&
			limits.processes === this.limits.processes
		)
			return;
		this.limits = limits;
		this.poller.slots = limits.running;
		if (this.poller.budget) this.poller.budget.slots = this.runningShare();
		this.pacer.setLimit(limits.requestsPerMinute);
		this.slots.setCap(limits.jobsInFlight);
	}

	/** Jobs being waited for right now, across all executions. */
	get waitingJobs(): number {
		return this.poller.size;
	}

	/** Holds no job, no waiting request and no timer. */
	get idle(): boolean {
		return this.poller.idle && this.pacer.idle && this.slots.inUse === 0;
	}

	/**
	 * Sends one request when the pacing allows. A 429 rate-limit refusal is safe to send again
	 * (Sivi did nothing): it backs the whole account off and the request waits its turn again.
	 */
	async request<T>(
		priority: Priority,
		send: () => Promise<T>,
		options: RequestOptions = {},
	): Promise<T> {
		const { signal, until = Infinity } = options;
		for (let refusals = 0; ; ) {
			const queuedAt = this.clock.now();
			const own = options.pacer ? await options.pacer.take(priority, signal, until) : undefined;
			if (own === false) throw new OutOfTime();
			const grant = await this.pacer.take(priority, signal, until).catch((error: unknown) => {
				own?.cancel();
				throw error;
			});
			if (!grant) {
				own?.cancel();
				throw new OutOfTime();
			}
			const sentAt = grant.sentAt;
			if (options.batch) options.batch.pacedWaitMs += sentAt - queuedAt;
			options.leaving?.();
			try {
				const answer = await send();
				this.pacer.passed();
				return answer;
			} catch (error) {
				const failure = asSiviError(error);
				if (failure.kind !== 'rateLimited') {
					if (failure.httpCode) this.pacer.passed();
					throw failure;
				}
				this.pacer.refused(sentAt, failure.retryAfterMs);
				if (options.batch) options.batch.refusals++;
				if (++refusals >= MAX_REFUSALS && until === Infinity) throw failure;
			} finally {
				grant.answered();
				own?.answered();
			}
		}
	}

	/**
	 * A value shared by every execution of the account for `ttlMs` (e.g. the default brand),
	 * counted from the lookup's start; `ttlMs` may depend on the value (a miss kept shorter).
	 * A lookup under way is shared; a failed one is forgotten and its error thrown.
	 */
	async remember<T>(
		key: string,
		ttlMs: number | ((value: T) => number),
		load: () => Promise<T>,
	): Promise<T> {
		const now = this.clock.now();
		const hit = this.memory.get(key);
		if (hit && hit.until > now) {
			try {
				return (await hit.value) as T;
			} catch {
				// Another execution's lookup failed (perhaps it was cancelled): do our own.
			}
		}
		const value = load();
		// Kept while under way (until its own TTL when that is known beforehand).
		const entry = { value, until: typeof ttlMs === 'number' ? now + ttlMs : Infinity };
		this.memory.set(key, entry);
		const outcome = await value.then(
			(result) => ({ result, error: undefined }),
			(error: unknown) => ({ result: undefined, error }),
		);
		if (outcome.error === undefined) {
			const result = outcome.result as T;
			if (typeof ttlMs === 'function') entry.until = now + ttlMs(result);
			return result;
		}
		if (this.memory.get(key) === entry) this.memory.delete(key);
		throw asSiviError(outcome.error);
	}

	/** Runs one execution's jobs; `jobs[i]` undefined means nothing to do for item i. */
	async runBatch(
		jobs: Array<JobSpec | undefined>,
		settings: BatchSettings,
		io: BatchIo,
	): Promise<BatchReport> {
		const batch: Batch = { settings, io, stopped: false, refusals: 0, pacedWaitMs: 0 };
		if (settings.maxInFlight !== undefined && settings.maxInFlight < this.limits.jobsInFlight)
			batch.slots = new InFlightSlots(settings.maxInFlight);
		if (
			settings.requestsPerMinute !== undefined &&
			settings.requestsPerMinute < this.limits.requestsPerMinute
		)
			batch.pacer = new RequestPacer(this.clock, settings.requestsPerMinute, { adaptive: false });
		const outcomes = await Promise.all(
			jobs.map(async (job) => (job ? await this.runOne(job, batch) : { kind: 'skipped' as const })),
		);
		return { outcomes, refusals: batch.refusals, pacedWaitMs: batch.pacedWaitMs };
	}

	private stop(batch: Batch): void {
		if (batch.stopped) return;
		batch.stopped = true;
		this.poller.abandon(
			batch,
			new SiviRequestError('cancelled', 'Stopped waiting because another item failed'),
		);
	}

	private async runOne(job: JobSpec, batch: Batch): Promise<JobOutcome> {
		if (batch.stopped) return { kind: 'skipped' };
		// Get Status holds no place in Sivi's queue; a submit does until its job ends.
		const holdsSlot = job.submit !== undefined;
		let unsent = holdsSlot && job.wait;
		if (unsent) this.unsubmitted++;
		const leftOrDropped = () => {
			if (unsent) this.unsubmitted--;
			unsent = false;
		};
		try {
			return await this.runHeld(job, batch, holdsSlot, leftOrDropped);
		} finally {
			leftOrDropped();
		}
	}

	private async runHeld(
		job: JobSpec,
		batch: Batch,
		holdsSlot: boolean,
		submitLeft: () => void,
	): Promise<JobOutcome> {
		if (holdsSlot) {
			const refused = await this.acquireSlots(batch);
			if (refused) return { kind: 'error', phase: 'submit', error: refused };
		}
		let outcome: JobOutcome;
		try {
			outcome = batch.stopped ? { kind: 'skipped' } : await this.runJob(job, batch, submitLeft);
		} catch (error) {
			outcome = {
				kind: 'error',
				phase: 'status',
				error: asSiviError(error),
				requestId: job.requestId,
			};
		}
		// Stop before the slot is handed on, so no further submit of this batch starts.
		if (batch.settings.stopOnFirstError && isFailure(outcome)) this.stop(batch);
		if (holdsSlot) {
			this.slots.release();
			batch.slots?.release();
		}
		return outcome;
	}

	/** Takes the batch's and the account's slot; returns the error when cancelled meanwhile. */
	private async acquireSlots(batch: Batch): Promise<SiviRequestError | undefined> {
		const signal = batch.io.signal;
		const own = await (batch.slots?.acquire(signal) ?? Promise.resolve()).then(
			() => undefined,
			asSiviError,
		);
		if (own) return own;
		const shared = await this.slots.acquire(signal).then(() => undefined, asSiviError);
		if (shared) batch.slots?.release();
		return shared;
	}

	private async runJob(job: JobSpec, batch: Batch, submitLeft: () => void): Promise<JobOutcome> {
		const { io, settings } = batch;
		let submitted: SubmitResponse | undefined;
		let requestId = job.requestId;
		// The job cannot have started before its (accepted) submit left.
		let submitSentAt: number | undefined;
		if (job.submit) {
			try {
				submitted = await this.submit(job.submit.path, job.submit.body, batch, (at) => {
					submitSentAt = at;
					submitLeft();
				});
			} catch (error) {
				return { kind: 'error', phase: 'submit', error: asSiviError(error) };
			}
			requestId = submitted.requestId;
			if (!job.wait) return { kind: 'submitted', submitted };
		}
		if (!requestId) return { kind: 'skipped' };
		const id = requestId;
		const status = async () => await io.status(id, job.statusQuery);
		if (!job.wait) {
			try {
				const answer = await this.request(PRIORITY.poll, status, {
					signal: io.signal,
					pacer: batch.pacer,
					batch,
				});
				return { kind: 'status', status: parseStatus(answer) };
			} catch (error) {
				return { kind: 'error', phase: 'status', error: asSiviError(error), requestId: id };
			}
		}
		if (batch.stopped) {
			return {
				kind: 'error',
				phase: 'status',
				requestId: id,
				submitted,
				error: new SiviRequestError('cancelled', 'Stopped waiting because another item failed'),
			};
		}
		const now = this.clock.now();
		const deadline = now + settings.maxWaitMs;
		const end = await this.poller.track({
			requestId: id,
			deadline,
			pollNow: !job.submit,
			timing: newTiming(
				job.durationKey,
				job.submit ? (submitSentAt ?? now) : undefined,
				settings.minPollSpacingMs,
				queueWaitOf(submitted, this.clock.fromWallMs),
			),
			maxPollFailures: settings.maxPollFailures,
			poll: async (leaving) =>
				await this.request(PRIORITY.poll, status, {
					leaving,
					signal: io.signal,
					until: deadline,
					pacer: batch.pacer,
					batch,
				}),
			owner: batch,
			signal: io.signal,
		});
		if (end.state === 'done' || end.state === 'failed') this.slots.jobDone();
		if (end.state === 'error')
			return { kind: 'error', phase: 'status', error: end.error, requestId: id, submitted };
		return { kind: 'finished', end, submitted, requestId: id };
	}

	/**
	 * Sends one submit. Only a clear refusal (429 rate limit or queue full) is sent again; the
	 * whole account slows down with it. Gives up (without a second paid job) at Max Wait.
	 */
	private async submit(
		path: string,
		body: IDataObject,
		batch: Batch,
		leaving: (at: number) => void,
	): Promise<SubmitResponse> {
		const { io, settings } = batch;
		const giveUpAt = this.clock.now() + settings.maxWaitMs;
		const send = async () => {
			if (batch.stopped) {
				throw new SiviRequestError('cancelled', 'Not submitted because another item failed.');
			}
			return await io.submit(path, body);
		};
		let refusal: SiviRequestError | undefined;
		for (let queueFulls = 0; ; ) {
			const sent = await this.request(PRIORITY.submit, send, {
				leaving: () => leaving(this.clock.now()),
				signal: io.signal,
				until: giveUpAt,
				pacer: batch.pacer,
				batch,
			}).then(
				(answer) => ({ answer, error: undefined }),
				(error: unknown) => ({ answer: undefined, error }),
			);
			const { answer, error } = sent;
			if (error instanceof OutOfTime) {
				throw (
					refusal ??
					new SiviRequestError(
						'notSent',
						'Not sent to Sivi within Max Wait: no room in the rate limit',
					)
				);
			}
			if (error !== undefined) {
				const failure = asSiviError(error);
				if (failure.kind !== 'queueFull') throw failure;
				refusal = failure;
				this.slots.queueFull();
				queueFulls++;
				const wait =
					failure.retryAfterMs !== undefined
						? this.clock.fromWallMs(failure.retryAfterMs)
						: Math.min(QUEUE_BACKOFF_MAX_MS, QUEUE_BACKOFF_BASE_MS * 2 ** (queueFulls - 1)) *
							(0.5 + Math.random());
				if (this.clock.now() + wait > giveUpAt) throw failure;
				const cancelled = await this.clock.sleep(wait, io.signal).then(
					() => false,
					() => true,
				);
				if (cancelled) {
					throw new SiviRequestError(
						'cancelled',
						'The execution was cancelled before this was sent.',
					);
				}
				continue;
			}
			const parsed = submitResponseSchema.safeParse(answer);
			if (!parsed.success) {
				// Kept whole (within reason): it is the only trace of a job that may be paid for.
				throw new SiviRequestError(
					'server',
					'Sivi accepted the request but returned no request ID',
					undefined,
					undefined,
					JSON.stringify(answer ?? null).slice(0, 2000),
				);
			}
			return parsed.data;
		}
	}
}

function isFailure(outcome: JobOutcome): boolean {
	return outcome.kind === 'error' || (outcome.kind === 'finished' && outcome.end.state !== 'done');
}

export function asSiviError(error: unknown): SiviRequestError {
	return error instanceof SiviRequestError
		? error
		: new SiviRequestError('server', String((error as Error)?.message ?? error));
}

/** Types of the Sivi API simulator (test/simulator/index.js). */

export type SubmitFaultKind =
	| 'reset-after-accept'
	| '500-after-accept'
	| '500-before-accept'
	| 'timeout-after-accept'
	| '429-credit'
	| '402'
	| '429-queue'
	| '429-rate';

export interface SimulatorFaults {
	/** 0..1: status polls answer 500 "Server internal error". */
	pollServerErrorRate?: number;
	/** The next `count` status polls answer 429 rate limit with Retry-After `retryAfterSec`. */
	poll429Burst?: { count: number; retryAfterSec?: number } | null;
	/** 0..1: status polls get their socket destroyed without an answer. */
	pollResetRate?: number;
	/** 0..1: accepted jobs end `failed` with a reason. */
	failJobRate?: number;
	/** 0..1: accepted jobs end `suspended`. */
	suspendJobRate?: number;
	/** 0..1: accepted jobs run `slowFactor` times longer. */
	slowJobRate?: number;
	/** Duration multiplier for slow jobs (default 5). */
	slowFactor?: number;
	/** Applies to the next `count` (default 1) submits. */
	submitFault?: { kind: SubmitFaultKind; count?: number } | null;
}

export interface SimulatorRateLimitOptions {
	/** Requests per key per sliding window (default 50; Infinity = no limit). */
	limit?: number;
	/** Sliding window length in ms (default 60000). */
	windowMs?: number;
	/**
	 * Send a `retry-after` header on 429 answers (default true). When false, no
	 * 429 carries one: rate limit, queue full, poll429Burst, '429-rate' and
	 * '429-queue' submit faults (Sivi documents no Retry-After).
	 */
	retryAfterHeader?: boolean;
	/**
	 * Record a request refused by the rate limiter in the key's sliding window,
	 * like an accepted one (default false), so hammering extends the lockout.
	 * Fault-injected 429s (poll429Burst, '429-rate') are not recorded.
	 */
	countRefused?: boolean;
}

export interface BusiestWindowOptions {
	/** Window length in ms (default: the rate limiter's current windowMs). */
	windowMs?: number;
	/** Only consider requests with arrival time t >= since (ms epoch). */
	since?: number;
}

export interface BusiestWindow {
	/** Most API requests (`general/...`, any answer incl. 429 and no answer) in one window. */
	requests: number;
	/** 2xx answers among them. */
	accepted: number;
	/** 429 "Rate limit exceeded" answers among them. */
	refused: number;
	/** Window start (arrival time of its first request, ms epoch); null when no request. */
	start: number | null;
}

export interface SimulatorOptions {
	apiKey?: string;
	port?: number;
	jobDurationMs?: number;
	concurrency?: number;
	queueSize?: number;
	rateLimit?: SimulatorRateLimitOptions;
	credits?: number;
	completedSpelling?: 'completed' | 'complete';
	mediaResultShape?: 'images' | 'media' | 'variations' | 'raw';
	/** How a submit answer names the job: requestId (documented), jId, or none at all. */
	submitIdField?: 'requestId' | 'jId' | 'none';
	seed?: number;
	brands?: number;
	media?: number;
	faults?: SimulatorFaults;
}

export type SettableOptions = Pick<
	SimulatorOptions,
	| 'apiKey'
	| 'jobDurationMs'
	| 'concurrency'
	| 'queueSize'
	| 'rateLimit'
	| 'credits'
	| 'completedSpelling'
	| 'mediaResultShape'
	| 'submitIdField'
	| 'faults'
>;

export interface RequestLogEntry {
	t: number;
	method: string;
	/** `general/<endpoint>` for API calls, the URL path (e.g. `/files/x.jpg`) otherwise. */
	path: string;
	/** HTTP status; 0 when the simulator did not answer (reset or hang). */
	status: number;
	headers: Record<string, string | string[] | undefined>;
}

export interface SimulatorCounters {
	requests: number;
	/** Keyed `METHOD path`, e.g. `POST general/media/generate`. */
	byRoute: Record<string, number>;
	/** Keyed by HTTP status ("0" = no answer). */
	byStatus: Record<string, number>;
	/** Accepted jobs. */
	submits: number;
	/** Every request that reached a submit route (after auth). */
	submitAttempts: number;
	/** Every get-request-status request (after auth). */
	polls: number;
	/** 429 "Rate limit exceeded" answers (real limiter, poll429Burst, 429-rate fault). */
	rateLimited: number;
	log: RequestLogEntry[];
}

export interface SimulatorJob {
	requestId: string;
	kind: 'media' | 'design';
	endpoint: 'media/generate' | 'designs-from-content' | 'designs-from-prompt';
	status: 'pending' | 'processing' | 'completed' | 'failed' | 'suspended';
	progress: number;
	outcome: 'completed' | 'failed' | 'suspended';
	slow: boolean;
	submittedAt: number;
	startAt: number;
	endAt: number;
	numOfVariants: number;
	width: number;
	height: number;
	designId: string | null;
	cost: number;
	submitFault: SubmitFaultKind | null;
	payload: Record<string, unknown>;
}

export interface SimulatorMediaRecord {
	mId: string;
	bId: string | null;
	type: string;
	subType: string;
	url: string;
	createdOn: number;
	/** sha256 hex of uploaded bytes (presigned flow), else null. */
	sha256: string | null;
	source?: { uploadUrl?: string; bytes?: number; url?: string };
}

export interface Simulator {
	/** e.g. http://127.0.0.1:PORT/api/prod/v2 (endpoints live under `${baseUrl}/general/`). */
	baseUrl: string;
	origin: string;
	port: number;
	apiKey: string;
	counters(): SimulatorCounters;
	resetCounters(): void;
	setFaults(partial: SimulatorFaults): void;
	setOptions(partial: SettableOptions): void;
	jobs(): SimulatorJob[];
	/** Remaining credits (Infinity by default). */
	credits(): number;
	/** Media records incl. sha256 of uploaded bytes. */
	mediaRecords(): SimulatorMediaRecord[];
	/** Forget the rate-limit window. */
	resetRateLimit(): void;
	/**
	 * The window [start, start + windowMs) with the most API requests in the
	 * counters log (downloads and upload PUTs excluded); ties go to the earliest.
	 * resetCounters() clears what it reads.
	 */
	busiestWindow(options?: BusiestWindowOptions): BusiestWindow;
	/** sha256 hex of the bytes that URL serves now, or null when it would 404. */
	servedImageSha256(url: string): string | null;
	close(): Promise<void>;
}

export declare const DEFAULT_OPTIONS: Required<Omit<SimulatorOptions, 'faults'>> & {
	faults: SimulatorFaults;
};
export declare function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
export declare function jpegForName(name: string, width?: number, height?: number): Buffer;
export declare function sha256(bytes: Buffer | Uint8Array): string;

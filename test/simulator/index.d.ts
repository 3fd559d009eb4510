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

export interface SimulatorOptions {
	apiKey?: string;
	port?: number;
	jobDurationMs?: number;
	concurrency?: number;
	queueSize?: number;
	rateLimit?: { limit?: number; windowMs?: number };
	credits?: number;
	completedSpelling?: 'completed' | 'complete';
	mediaResultShape?: 'images' | 'media' | 'variations' | 'raw';
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

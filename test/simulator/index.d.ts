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
	/** Webhook delivery knobs (see SimulatorWebhookFaults); only the keys given change. */
	webhook?: SimulatorWebhookFaults;
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
	/**
	 * 'window' (default): at most `limit` requests in any sliding `windowMs`.
	 * 'leaky': a leaky bucket, one request per windowMs / limit (1.2 s at 50 per
	 * minute), `burst` at once at most; with countRefused a refused request fills
	 * the bucket like an accepted one.
	 */
	mode?: 'window' | 'leaky';
	/** 'leaky' only: requests the bucket admits at once (default 1, an integer >= 1). */
	burst?: number;
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
	/** What queueWaitTime says (signals.js): the exact wait left by default; the rest are harsh. */
	queueWaitMeaning?: 'remaining' | 'zero' | 'seconds' | 'overstated';
	/** How `progress` grows with a job's time: linear by default; the rest are harsh. */
	progressCurve?: 'linear' | 'ahead' | 'behind' | 'none';
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
	| 'queueWaitMeaning'
	| 'progressCurve'
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

/** An end user of a Super or Enterprise key (routes/super.js). */
export interface SimulatorEndUser {
	abstractUserId: string;
	workspaceId: string;
	/** -1 = unlimited (Sivi's default). */
	creditLimit: number;
	/** Credits of the jobs accepted for this end user. */
	usedCredits: number;
	deleted: boolean;
	/** Brands given to super/login-user, as sent. */
	brands: Array<Record<string, unknown>>;
	/** Every token pair issued; accessMarker is the distinctive `jti` inside the JWT payload. */
	tokens: Array<{ accessToken: string; accessMarker: string; refreshToken: string }>;
}

export interface Simulator {
	/** e.g. http://127.0.0.1:PORT/api/prod/v2 (endpoints live under `${baseUrl}/general/`). */
	baseUrl: string;
	origin: string;
	port: number;
	apiKey: string;
	counters(): SimulatorCounters;
	/** Parallel to counters().log: the job and state a status answer named ("REQ1 processing 45%"), else null. */
	answerNotes(): Array<string | null>;
	resetCounters(): void;
	setFaults(partial: SimulatorFaults): void;
	setOptions(partial: SettableOptions): void;
	jobs(): SimulatorJob[];
	/** Remaining credits (Infinity by default). */
	credits(): number;
	/** Media records incl. sha256 of uploaded bytes. */
	mediaRecords(): SimulatorMediaRecord[];
	/** Every brand of the workspace: ID, whether it is the default, whether it is archived. */
	brands(): Array<{ bId: string; isDefault: boolean; archived: boolean }>;
	/** End users of super/login-user, in creation order (see SimulatorEndUser). */
	endUsers(): SimulatorEndUser[];
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
	/** The URL the last `POST general/update-webhook` set, or null. Sivi has no way to remove it. */
	webhookUrl(): string | null;
	/** Every accepted update-webhook, in order. */
	webhookRegistrations(): WebhookRegistration[];
	/** Every webhook delivery (sent, lost, skipped), in order. */
	webhookDeliveries(): WebhookDeliveryEntry[];
	/** Current webhook knobs (counters left). */
	webhookFaults(): Required<SimulatorWebhookFaults>;
	/**
	 * POSTs `payload` as JSON (or `rawBody`) to `url` (default: the registered URL), loopback only.
	 * Logged as kind `options.kind` (default 'manual'). Never rejects once a URL is known.
	 */
	sendWebhook(
		payload: unknown,
		options?: { url?: string; rawBody?: string; headers?: Record<string, string>; kind?: string },
	): Promise<{ status: number; body: unknown }>;
	/** Deliveries scheduled (one timer per job end) or in flight. */
	webhookPending(): number;
	/** Resolves true once nothing is scheduled or in flight, false after timeoutMs (default 30 s). */
	webhookIdle(timeoutMs?: number): Promise<boolean>;
	close(): Promise<void>;
}

/**
 * Webhook knobs. The counters are consumed by the next final-state deliveries in time order.
 */
export interface SimulatorWebhookFaults {
	/** The next `lose` deliveries are not sent (Sivi does not retry). */
	lose?: number;
	/** The next `duplicate` deliveries are sent twice, at once. */
	duplicate?: number;
	/** The next `spoof` deliveries are followed by one claiming a finished job with a made-up requestId. */
	spoof?: number;
	/** Also POST a `processing` event when a job starts (default false). */
	statusEvents?: boolean;
	/** Extra ms after a job's end before its delivery (default 0). */
	delayMs?: number;
}

export interface WebhookRegistration {
	t: number;
	url: string;
}

export interface WebhookDeliveryEntry {
	t: number;
	/**
	 * event: a job's final state; duplicate: its copy; spoof: made-up requestId; status: a
	 * `processing` event; lost: not sent (knob); skipped: no URL set; manual: sendWebhook().
	 */
	kind: 'event' | 'duplicate' | 'spoof' | 'status' | 'lost' | 'skipped' | 'manual' | string;
	requestId?: string;
	url: string | null;
	/** `body.status` of the payload sent. */
	payloadStatus?: string;
	/** HTTP status answered; 0 = no answer (error), -1 = not sent. */
	status: number;
	/** The answer's body (parsed JSON when it was JSON). */
	body?: unknown;
	ms?: number;
	error?: string;
}

export declare const DEFAULT_OPTIONS: Required<Omit<SimulatorOptions, 'faults'>> & {
	faults: SimulatorFaults;
};
export declare function startSimulator(options?: SimulatorOptions): Promise<Simulator>;
export declare function jpegForName(name: string, width?: number, height?: number): Buffer;
export declare function sha256(bytes: Buffer | Uint8Array): string;

export interface WebhookReceiverRequest {
	method: string;
	path: string;
	query: Record<string, string>;
	headers: Record<string, string | string[] | undefined>;
	text: string;
	/** Parsed JSON body, or undefined. */
	body: unknown;
}

export interface WebhookReceiver {
	port: number;
	/** http://127.0.0.1:PORT */
	origin: string;
	close(): Promise<void>;
}

/** A loopback HTTP server standing in for a webhook receiver in tests (answers JSON). */
export declare function startWebhookReceiver(
	handler: (request: WebhookReceiverRequest) => Promise<{ status: number; body?: unknown }>,
): Promise<WebhookReceiver>;

/** What Sivi's answers say about a job's timing, under each simulator option (signals.js). */
export declare const signals: {
	QUEUE_WAIT_MEANINGS: NonNullable<SimulatorOptions['queueWaitMeaning']>[];
	PROGRESS_CURVES: NonNullable<SimulatorOptions['progressCurve']>[];
	queueWaitTime(
		meaning: NonNullable<SimulatorOptions['queueWaitMeaning']>,
		remainingMs: number,
	): number;
	/** `progress` after `share` (0 ≤ share < 1) of the job's time; undefined when none is sent. */
	progress(
		curve: NonNullable<SimulatorOptions['progressCurve']>,
		share: number,
	): number | undefined;
};

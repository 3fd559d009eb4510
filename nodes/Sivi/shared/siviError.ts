// What went wrong talking to Sivi, classified so the job engine can decide between
// "safe to send again", "may already be a paid job" and "give up for this item".
export type SiviErrorKind =
	| 'auth' // 401/403: wrong or missing key
	| 'notYours' // 401 "… does not belong to this workspace": an ID of another workspace or end user
	| 'credits' // 402, or 429 "Insufficient credit limit": never retried
	| 'rateLimited' // 429 rate limit: the request was not accepted
	| 'queueFull' // 429 queue full: the job was not accepted
	| 'invalid' // 400/422: Sivi refused the input
	| 'notFound' // 404
	| 'server' // 5xx
	| 'network' // reset, timeout, no answer: the request may have reached Sivi
	| 'unreachable' // refused / DNS: the request never left this machine
	| 'cancelled' // the execution was cancelled
	| 'callerGone' // n8n ended the tool run's context: its caller (agent, MCP client) stopped waiting
	| 'notSent'; // the account's pacing left no room before Max Wait: nothing was sent

export class SiviRequestError extends Error {
	constructor(
		readonly kind: SiviErrorKind,
		message: string,
		readonly httpCode?: number,
		readonly retryAfterMs?: number,
		/** Sivi's raw answer, when it accepted something the node could not read. */
		readonly answer?: string,
	) {
		super(message);
		this.name = 'SiviRequestError';
	}

	/** A submit that failed this way may still have created a paid job in Sivi. */
	get mayHaveBeenAccepted(): boolean {
		return this.kind === 'server' || this.kind === 'network';
	}

	/** Sivi did not take the request and asked to come back later. */
	get isRetryableRefusal(): boolean {
		return this.kind === 'rateLimited' || this.kind === 'queueFull';
	}
}

const CREDIT_MESSAGE = /credit/i;
const QUEUE_MESSAGE = /queue/i;

export function classifyStatus(httpCode: number, message: string): SiviErrorKind {
	if (httpCode === 401 && /does not belong to this workspace/i.test(message)) return 'notYours';
	if (httpCode === 401 || httpCode === 403) return 'auth';
	if (httpCode === 402) return 'credits';
	if (httpCode === 429) {
		if (CREDIT_MESSAGE.test(message)) return 'credits';
		return QUEUE_MESSAGE.test(message) ? 'queueFull' : 'rateLimited';
	}
	if (httpCode === 404) return 'notFound';
	if (httpCode >= 500) return 'server';
	return 'invalid';
}

// Plain words, not error codes: n8n replaces any error message that contains a code such as
// ECONNRESET with a generic text ("…you can retry the request immediately"), which is the wrong
// advice for a submit that may already be a paid job.
const UNREACHABLE: Record<string, string> = {
	ECONNREFUSED: 'the connection was refused',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	EHOSTUNREACH: 'the host is unreachable',
	ENETUNREACH: 'the network is unreachable',
};
const TIMED_OUT = new Set([
	'ETIMEDOUT',
	'ECONNABORTED',
	'ESOCKETTIMEDOUT',
	'UND_ERR_HEADERS_TIMEOUT',
]);

interface ThrownDetails {
	code?: string;
	message?: string;
	name?: string;
	cause?: ThrownDetails;
	errors?: ThrownDetails[];
}

function errorCode(details: ThrownDetails | undefined, depth = 0): string {
	if (!details || depth > 3) return '';
	return (
		details.code || errorCode(details.cause, depth + 1) || errorCode(details.errors?.[0], depth + 1)
	);
}

// n8n 2.x releases a tool run's expression isolate when the caller (an MCP client that timed
// out) goes away; the credential's header expression then fails before anything is sent.
const CALLER_GONE = /no bridge acquired for this context|isolate for this caller is no longer available/i;

function callerGone(details: ThrownDetails | undefined, depth = 0): boolean {
	if (!details || depth > 3) return false;
	return CALLER_GONE.test(details.message ?? '') || callerGone(details.cause, depth + 1);
}

/** Classifies an exception thrown by the HTTP helper (no HTTP answer was read). */
export function classifyThrown(error: unknown, cancelled: boolean): SiviRequestError {
	const details = (error ?? {}) as ThrownDetails;
	if (callerGone(details)) return new SiviRequestError('callerGone', 'the caller stopped waiting');
	const code = errorCode(details);
	if (cancelled || details.name === 'AbortError' || code === 'ERR_CANCELED') {
		return new SiviRequestError('cancelled', 'The execution was cancelled');
	}
	if (UNREACHABLE[code])
		return new SiviRequestError('unreachable', `Could not reach Sivi: ${UNREACHABLE[code]}`);
	// Never the raw message: errors of the HTTP layer can carry request options and the API key.
	const timedOut =
		TIMED_OUT.has(code) ||
		details.name === 'TimeoutError' ||
		/timeout/i.test(details.message ?? '');
	return new SiviRequestError(
		'network',
		timedOut ? 'Sivi did not answer in time' : 'the connection to Sivi was cut',
	);
}

/** Retry-After is seconds (fractions allowed) or an HTTP date. */
export function parseRetryAfter(header: unknown, now: number): number | undefined {
	if (header === undefined || header === null || header === '') return undefined;
	const text = String(Array.isArray(header) ? header[0] : header).trim();
	const seconds = Number(text);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(text);
	return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

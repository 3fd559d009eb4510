'use strict';
/**
 * Webhooks (REFERENCE §5). `POST general/update-webhook { webhookUrl }` sets the one URL of the
 * API key; setting it again replaces it, and there is no way to remove it (Sivi documents none:
 * `webhookUrl` is required and must be a valid URL). When a job reaches its final state the
 * simulator POSTs the get-request-status envelope of that job at its end to the URL set at that
 * moment: fire-and-forget, no retries, no signature.
 *
 * Timers: one per job end, only for jobs that end while a URL is set (scheduled when the job is
 * accepted, or when a URL is first set for jobs still running). Deliveries go to loopback hosts
 * only. close() clears every timer and destroys every delivery in flight.
 *
 * Knobs (setFaults({ webhook: {...} }) / options.faults.webhook), counters consumed by the next
 * final-state deliveries in time order:
 *   lose       the delivery is not sent at all (logged as 'lost')
 *   duplicate  the delivery is sent twice at once (the copy is logged as 'duplicate')
 *   spoof      an extra delivery claims a finished job with a made-up requestId ('spoof')
 * and settings:
 *   statusEvents  also POST a 'processing' event when a job starts (default false)
 *   delayMs       extra delay after the job's end before delivering (default 0)
 * sendWebhook(payload, { url, rawBody, headers }) POSTs anything to the registered (or any
 * loopback) URL, for spoofing tests.
 */
const http = require('http');
const crypto = require('crypto');
const { ApiError, MESSAGES } = require('./errors');

const DELIVERY_TIMEOUT_MS = 10000;
const MAX_RESPONSE_CHARS = 4000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);
// A timer may fire up to a millisecond early; the job must be over when the receiver re-reads it.
const END_MARGIN_MS = 5;

const DEFAULT_KNOBS = { lose: 0, duplicate: 0, spoof: 0, statusEvents: false, delayMs: 0 };
const COUNTERS = ['lose', 'duplicate', 'spoof'];

/** Validates an update-webhook body; returns the URL. */
function validateUpdateWebhook(body) {
	for (const key of Object.keys(body)) {
		if (key !== 'webhookUrl' && key !== 'abstractUserId')
			throw new ApiError(422, `Unknown field '${key}'`);
	}
	const url = body.webhookUrl;
	if (typeof url !== 'string' || !url.trim()) throw new ApiError(422, MESSAGES.invalidInput);
	let parsed;
	try {
		parsed = new URL(url);
	} catch {
		throw new ApiError(422, MESSAGES.invalidInput);
	}
	if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
		throw new ApiError(422, MESSAGES.invalidInput);
	return url;
}

function checkKnobs(partial) {
	if (partial === null || typeof partial !== 'object')
		throw new Error('webhook faults must be an object');
	for (const [k, v] of Object.entries(partial)) {
		if (!(k in DEFAULT_KNOBS)) throw new Error(`Unknown webhook fault '${k}'`);
		if (k === 'statusEvents') {
			if (typeof v !== 'boolean') throw new Error('webhook.statusEvents must be a boolean');
		} else if (!(Number.isInteger(v) && v >= 0)) {
			throw new Error(`webhook.${k} must be a whole number >= 0`);
		}
	}
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function madeUpRequestId() {
	let s = '';
	for (const b of crypto.randomBytes(11)) s += ID_CHARS[b % ID_CHARS.length];
	return s;
}

class Webhooks {
	/**
	 * @param {{ finalEnvelope: (job) => object, startEnvelope: (job) => object, origin: () => string }} io
	 */
	constructor(io) {
		this.io = io;
		this.url = null;
		this.registrations = [];
		this.deliveries = [];
		this.knobs = { ...DEFAULT_KNOBS };
		this.timers = new Map(); // `${requestId}:${event}` -> timeout
		this.jobs = new Map(); // requestId -> job, for jobs accepted while watching
		this.inFlight = new Set();
		this.closed = false;
		this.pruneAt = 1000;
	}

	setKnobs(partial = {}) {
		checkKnobs(partial);
		Object.assign(this.knobs, partial);
	}

	snapshotKnobs() {
		return { ...this.knobs };
	}

	/** POST general/update-webhook: replaces the key's URL. */
	setUrl(url, t) {
		this.url = url;
		this.registrations.push({ t, url });
		this.prune();
		for (const job of this.jobs.values()) this.schedule(job);
	}

	/** Every accepted job: delivered when it ends if a URL is set by then. */
	jobAccepted(job) {
		if (this.jobs.size >= this.pruneAt) {
			this.prune();
			this.pruneAt = Math.max(1000, this.jobs.size * 2);
		}
		this.jobs.set(job.requestId, job);
		if (this.url) this.schedule(job, true);
	}

	/** Forgets jobs that ended with no delivery scheduled (no URL was set in time). */
	prune() {
		const now = Date.now();
		for (const [id, job] of this.jobs) {
			if (job.endAt < now && !this.timers.has(`${id}:end`)) this.jobs.delete(id);
		}
	}

	/** `accepted`: the job is new, so its start is still to be announced even if the clock ticked since. */
	schedule(job, accepted = false) {
		if (this.closed) return;
		const now = Date.now();
		if (this.knobs.statusEvents && (accepted || job.startAt >= now))
			this.arm(job, 'start', Math.max(0, job.startAt - now));
		if (job.endAt >= now)
			this.arm(job, 'end', job.endAt - now + END_MARGIN_MS + this.knobs.delayMs);
	}

	arm(job, event, delayMs) {
		const key = `${job.requestId}:${event}`;
		if (this.timers.has(key)) return;
		const timer = setTimeout(() => {
			this.timers.delete(key);
			if (event === 'end') this.jobs.delete(job.requestId);
			this.fire(job, event);
		}, delayMs);
		timer.unref?.();
		this.timers.set(key, timer);
	}

	fire(job, event) {
		if (this.closed) return;
		const url = this.url;
		if (!url) {
			this.record({
				kind: 'skipped',
				requestId: job.requestId,
				url: null,
				event,
				status: -1,
				error: 'no webhook URL set',
			});
			return;
		}
		if (event === 'start') {
			void this.send(url, this.io.startEnvelope(job), { kind: 'status', requestId: job.requestId });
			return;
		}
		const payload = this.io.finalEnvelope(job);
		if (this.take('lose')) {
			this.record({
				kind: 'lost',
				requestId: job.requestId,
				url,
				payloadStatus: payload.body.status,
				status: -1,
			});
		} else {
			void this.send(url, payload, { kind: 'event', requestId: job.requestId });
			if (this.take('duplicate'))
				void this.send(url, payload, { kind: 'duplicate', requestId: job.requestId });
		}
		if (this.take('spoof')) {
			const id = madeUpRequestId();
			const spoofed = {
				status: 200,
				body: {
					queueWaitTime: 0,
					status: 'completed',
					requestId: id,
					result: {
						images: [
							{
								remoteUrl: `${this.io.origin()}/files/${id}-img1.jpg`,
								mId: `w_spoof----photo_${id}.jpeg`,
							},
						],
					},
				},
			};
			void this.send(url, spoofed, { kind: 'spoof', requestId: id });
		}
	}

	take(name) {
		if (this.knobs[name] > 0) {
			this.knobs[name]--;
			return true;
		}
		return false;
	}

	record(entry) {
		const row = { t: Date.now(), ...entry };
		this.deliveries.push(row);
		return row;
	}

	/**
	 * POSTs `payload` (JSON) or `rawBody` to `url`. Resolves { status, body } (status 0: no answer;
	 * -1: not sent). Never rejects.
	 */
	send(url, payload, { kind = 'manual', requestId, rawBody, headers = {} } = {}) {
		const text = rawBody !== undefined ? String(rawBody) : JSON.stringify(payload);
		const payloadStatus =
			payload && payload.body && typeof payload.body === 'object' ? payload.body.status : undefined;
		const id =
			requestId ??
			(payload && payload.body && typeof payload.body === 'object'
				? payload.body.requestId
				: undefined);
		let target;
		try {
			target = new URL(url);
		} catch {
			const row = this.record({
				kind,
				requestId: id,
				url,
				payloadStatus,
				status: -1,
				error: 'bad URL',
			});
			return Promise.resolve({ status: row.status, body: null });
		}
		if (target.protocol !== 'http:' || !LOOPBACK_HOSTS.has(target.hostname)) {
			const row = this.record({
				kind,
				requestId: id,
				url,
				payloadStatus,
				status: -1,
				error: 'not a loopback http URL: not sent',
			});
			return Promise.resolve({ status: row.status, body: null });
		}
		if (this.closed) return Promise.resolve({ status: -1, body: null });
		const started = Date.now();
		return new Promise((resolve) => {
			let settled = false;
			const done = (status, body, error) => {
				if (settled) return;
				settled = true;
				this.inFlight.delete(req);
				const row = this.record({
					kind,
					requestId: id,
					url,
					payloadStatus,
					status,
					body,
					ms: Date.now() - started,
					...(error ? { error } : {}),
				});
				resolve({ status: row.status, body });
			};
			const req = http.request(
				target,
				{
					method: 'POST',
					agent: false,
					headers: {
						'content-type': 'application/json',
						'content-length': Buffer.byteLength(text),
						'user-agent': 'sivi-simulator-webhook',
						...headers,
					},
					timeout: DELIVERY_TIMEOUT_MS,
				},
				(res) => {
					let answer = '';
					res.setEncoding('utf8');
					res.on('data', (chunk) => {
						if (answer.length < MAX_RESPONSE_CHARS) answer += chunk;
					});
					res.on('end', () => {
						let body = answer.slice(0, MAX_RESPONSE_CHARS);
						try {
							body = JSON.parse(body);
						} catch {
							/* keep the text */
						}
						done(res.statusCode, body);
					});
					res.on('error', (e) => done(0, null, e.message));
				},
			);
			req.on('timeout', () => req.destroy(new Error('timed out')));
			req.on('error', (e) => done(0, null, e.message));
			this.inFlight.add(req);
			req.end(text);
		});
	}

	/** Scheduled deliveries plus those in flight. */
	pending() {
		return this.timers.size + this.inFlight.size;
	}

	/** Resolves true once nothing is scheduled or in flight, false after timeoutMs. */
	async idle(timeoutMs = 30000) {
		const deadline = Date.now() + timeoutMs;
		while (this.pending() > 0) {
			if (Date.now() > deadline) return false;
			await new Promise((r) => setTimeout(r, 20));
		}
		return true;
	}

	close() {
		this.closed = true;
		for (const timer of this.timers.values()) clearTimeout(timer);
		this.timers.clear();
		for (const req of this.inFlight) req.destroy();
		this.inFlight.clear();
		this.jobs.clear();
	}
}

/**
 * A loopback HTTP server standing in for a webhook receiver in tests: `handler` gets
 * { method, path, query, headers, text, body } (body = parsed JSON or undefined) and resolves
 * { status, body } (JSON-encoded) .
 */
async function startWebhookReceiver(handler) {
	const server = http.createServer((req, res) => {
		let text = '';
		req.setEncoding('utf8');
		req.on('data', (chunk) => (text += chunk));
		req.on('end', async () => {
			const url = new URL(req.url || '/', 'http://127.0.0.1');
			let body;
			try {
				body = JSON.parse(text);
			} catch {
				body = undefined;
			}
			let answer;
			try {
				answer = await handler({
					method: req.method,
					path: url.pathname,
					query: Object.fromEntries(url.searchParams),
					headers: req.headers,
					text,
					body,
				});
			} catch (e) {
				answer = { status: 500, body: { message: String(e && e.message) } };
			}
			const payload = JSON.stringify(answer && answer.body !== undefined ? answer.body : {});
			res.writeHead((answer && answer.status) || 200, { 'content-type': 'application/json' });
			res.end(payload);
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const port = server.address().port;
	return {
		port,
		origin: `http://127.0.0.1:${port}`,
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			}),
	};
}

/** Splits `{ webhook, ...rest }` of a faults object. */
function splitWebhookFaults(faults) {
	if (!faults || typeof faults !== 'object') return { webhook: undefined, rest: faults };
	const { webhook, ...rest } = faults;
	return { webhook, rest };
}

module.exports = {
	Webhooks,
	validateUpdateWebhook,
	splitWebhookFaults,
	startWebhookReceiver,
	DEFAULT_KNOBS,
	COUNTERS,
};

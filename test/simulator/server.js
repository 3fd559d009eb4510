'use strict';
/**
 * HTTP front of the simulator: routing, auth, rate limit, envelope, fault
 * application, files (CDN stand-in) and presigned upload PUTs.
 */
const http = require('http');
const crypto = require('crypto');
const { ApiError, MESSAGES } = require('./errors');
const { Counters } = require('./counters');
const { RateLimiter, formatRetryAfter } = require('./rateLimit');
const { Faults, AFTER_ACCEPT } = require('./faults');
const { JobQueue } = require('./jobs');
const { Store, paginate } = require('./store');
const { jpegForName, sha256 } = require('./images');
const render = require('./render');
const v = require('./validation');
const { Webhooks, validateUpdateWebhook, splitWebhookFaults } = require('./webhooks');
const routeModules = require('./routes');
const { jobCost } = require('./credits');
const { checkSignalOptions } = require('./signals');
const { endUsers } = require('./routes/super');

const API_PREFIX = '/api/prod/v2/';
const MAX_BODY = 25 * 1024 * 1024;
const SUBMIT_ROUTES = {
	'POST general/media/generate': 'media/generate',
	'POST general/designs-from-content': 'designs-from-content',
	'GET general/designs-from-content': 'designs-from-content',
	'POST general/designs-from-prompt': 'designs-from-prompt',
	'GET general/designs-from-prompt': 'designs-from-prompt',
};
const STATUS_ROUTE = 'GET general/get-request-status';
const JSON_ROUTES = new Set([
	'POST general/brand/get',
	'POST general/media/get',
	'POST general/files/get-presigned-url',
	'POST general/media/create',
	'POST general/update-webhook',
]);

// Area modules (routes/): immediate calls and further job endpoints.
const EXTRA_JSON_ROUTES = Object.assign({}, ...routeModules.map((m) => m.jsonRoutes || {}));
const EXTRA_JOB_ROUTES = Object.assign({}, ...routeModules.map((m) => m.jobRoutes || {}));
for (const route of Object.keys(EXTRA_JOB_ROUTES))
	SUBMIT_ROUTES[route] = route.slice(route.indexOf(' general/') + ' general/'.length);

const DEFAULT_OPTIONS = {
	apiKey: 'sim-test-key',
	port: 0,
	jobDurationMs: 2000,
	concurrency: 4,
	queueSize: 10,
	// retryAfterHeader: send Retry-After on 429s (Sivi documents none).
	// countRefused: refused (rate-limited) requests count against the window too.
	// mode: 'window' (sliding window) or 'leaky' (leaky bucket: one request per windowMs / limit,
	// `burst` requests at once at most).
	rateLimit: {
		limit: 50,
		windowMs: 60000,
		retryAfterHeader: true,
		countRefused: false,
		mode: 'window',
		burst: 1,
	},
	credits: Infinity,
	completedSpelling: 'completed',
	mediaResultShape: 'images',
	// What queueWaitTime and progress mean (signals.js): friendly by default, harsh on request.
	queueWaitMeaning: 'remaining',
	progressCurve: 'linear',
	submitIdField: 'requestId',
	seed: 1,
	brands: 23,
	media: 12,
	faults: {},
};

function readBody(req) {
	return new Promise((resolve, reject) => {
		const chunks = [];
		let size = 0;
		req.on('data', (c) => {
			size += c.length;
			if (size > MAX_BODY) {
				reject(new ApiError(413, 'Payload too large'));
				req.destroy();
				return;
			}
			chunks.push(c);
		});
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function parseJson(text) {
	let parsed;
	try {
		parsed = JSON.parse(text);
	} catch {
		throw new ApiError(422, MESSAGES.invalidInput);
	}
	if (!v.isObject(parsed)) throw new ApiError(422, MESSAGES.invalidInput);
	return parsed;
}

function checkOptions(o) {
	if (o.submitIdField !== undefined && !['requestId', 'jId', 'none'].includes(o.submitIdField)) {
		throw new Error(`submitIdField must be requestId, jId or none`);
	}
	if (
		o.completedSpelling !== undefined &&
		!['completed', 'complete'].includes(o.completedSpelling)
	) {
		throw new Error(`completedSpelling must be 'completed' or 'complete'`);
	}
	if (
		o.mediaResultShape !== undefined &&
		!['images', 'media', 'variations', 'raw'].includes(o.mediaResultShape)
	) {
		throw new Error(`mediaResultShape must be images, media, variations or raw`);
	}
	checkSignalOptions(o);
	for (const k of ['retryAfterHeader', 'countRefused']) {
		const val = o.rateLimit ? o.rateLimit[k] : undefined;
		if (val !== undefined && typeof val !== 'boolean') {
			throw new Error(`rateLimit.${k} must be a boolean`);
		}
	}
	const mode = o.rateLimit ? o.rateLimit.mode : undefined;
	if (mode !== undefined && mode !== 'window' && mode !== 'leaky')
		throw new Error(`rateLimit.mode must be 'window' or 'leaky'`);
	const burst = o.rateLimit ? o.rateLimit.burst : undefined;
	if (burst !== undefined && !(Number.isInteger(burst) && burst >= 1))
		throw new Error(`rateLimit.burst must be an integer >= 1`);
}

/** `base` with the defined values of `partial` on top. */
function mergeDefined(base, partial = {}) {
	const out = { ...base };
	for (const [k, val] of Object.entries(partial || {})) if (val !== undefined) out[k] = val;
	return out;
}

async function startSimulator(options = {}) {
	checkOptions(options);
	// An option given as undefined keeps its default, as setOptions() does.
	const opts = {
		...mergeDefined(DEFAULT_OPTIONS, options),
		rateLimit: mergeDefined(DEFAULT_OPTIONS.rateLimit, options.rateLimit),
	};
	const counters = new Counters();
	const limiter = new RateLimiter(opts.rateLimit);
	const initialFaults = splitWebhookFaults(opts.faults || {});
	const faults = new Faults(opts.seed, initialFaults.rest || {});
	const queue = new JobQueue({ concurrency: opts.concurrency, queueSize: opts.queueSize });
	const store = new Store({ brands: opts.brands, media: opts.media });
	const jobFileIndex = new Map(); // file name -> { requestId, width, height }
	let credits = opts.credits;
	let origin = '';

	const fileUrl = (name) => `${origin}/files/${name}`;
	const areaState = new Map();
	/** What area modules (routes/) may use. */
	const env = {
		store,
		origin: () => origin,
		fileUrl,
		now: () => Date.now(),
		/** A module's own workspace data, made on first use. */
		state(name, init) {
			if (!areaState.has(name)) areaState.set(name, init());
			return areaState.get(name);
		},
		/** Design jobs in submit order: designId, status now and, once completed, the result. */
		designJobs() {
			return queue
				.all()
				.filter((job) => job.kind === 'design')
				.map((job) => {
					const state = queue.state(job, Date.now());
					const done = state.status === 'completed';
					const result = done ? render.statusBody(job, state, renderOptions()).result : null;
					return { designId: job.designId, status: state.status, result };
				});
		},
	};

	// Webhook deliveries: the get-request-status envelope of the job as it stands at its end.
	const renderOptions = () => ({
		fileUrl,
		completedSpelling: opts.completedSpelling,
		mediaResultShape: opts.mediaResultShape,
		queueWaitMeaning: opts.queueWaitMeaning,
		progressCurve: opts.progressCurve,
	});
	const webhooks = new Webhooks({
		finalEnvelope: (job) => ({
			status: 200,
			body: render.statusBody(job, queue.state(job, job.endAt), renderOptions()),
		}),
		startEnvelope: (job) => ({
			status: 200,
			body: render.statusBody(job, queue.state(job, job.startAt), renderOptions()),
		}),
		origin: () => origin,
	});
	if (initialFaults.webhook) webhooks.setKnobs(initialFaults.webhook);
	/** setFaults()/setOptions({ faults }): the `webhook` part goes to the webhook knobs. */
	function applyFaults(partial) {
		const { webhook, rest } = splitWebhookFaults(partial || {});
		if (webhook !== undefined) webhooks.setKnobs(webhook || {});
		faults.set(rest || {});
	}

	// ------------------------------------------------------------ responses

	function finish(ctx, status, headers, payload, note) {
		if (ctx.done) return;
		ctx.done = true;
		counters.record({
			t: ctx.t,
			method: ctx.method,
			path: ctx.path,
			status,
			headers: ctx.req.headers,
			api: ctx.api,
			rateLimited: ctx.rateLimited,
			note,
		});
		ctx.res.writeHead(status, headers);
		ctx.res.end(ctx.method === 'HEAD' ? undefined : payload);
	}

	function sendEnvelope(ctx, status, body, headers = {}) {
		const text = JSON.stringify({ status, body });
		finish(
			ctx,
			status,
			{
				'content-type': 'application/json; charset=utf-8',
				'content-length': Buffer.byteLength(text),
				...headers,
			},
			text,
			answerNote(body),
		);
	}

	/** A job's answer in a word or three, for request logs read by people (bench debug). */
	function answerNote(body) {
		if (!body || typeof body.requestId !== 'string') return undefined;
		const progress = body.progress === undefined ? '' : ` ${body.progress}%`;
		return `${body.requestId}${body.status ? ` ${body.status}` : ''}${progress}`;
	}

	function sendError(ctx, err) {
		if (err.status === 429 && err.message === MESSAGES.rate) {
			counters.rateLimited++;
			ctx.rateLimited = true;
		}
		sendEnvelope(ctx, err.status, { message: err.message }, err.headers);
	}

	/** Logs a request the simulator will not answer (status 0). */
	function recordNoAnswer(ctx) {
		ctx.done = true;
		counters.record({
			t: ctx.t,
			method: ctx.method,
			path: ctx.path,
			status: 0,
			headers: ctx.req.headers,
			api: ctx.api,
		});
	}

	/** Destroy the socket without answering. */
	function reset(ctx) {
		recordNoAnswer(ctx);
		ctx.req.socket.destroy();
	}

	/** Never answer (until the client gives up or the simulator closes). */
	function hang(ctx) {
		recordNoAnswer(ctx);
	}

	/** Retry-After header for a 429, or none when rateLimit.retryAfterHeader is false. */
	const retryAfter = (value) =>
		opts.rateLimit.retryAfterHeader === false ? {} : { 'retry-after': value };

	const rateError = (retryMs) =>
		new ApiError(429, MESSAGES.rate, retryAfter(formatRetryAfter(retryMs)));

	// ------------------------------------------------------------ submit

	function submitFaultError(kind) {
		switch (kind) {
			case '500-before-accept':
				return new ApiError(500, MESSAGES.server);
			case '429-credit':
				return new ApiError(429, MESSAGES.creditMedia);
			case '402':
				return new ApiError(402, MESSAGES.creditDesign);
			case '429-queue':
				return new ApiError(429, MESSAGES.queue, retryAfter(formatRetryAfter(opts.jobDurationMs)));
			case '429-rate':
			default:
				return rateError(limiter.windowMs);
		}
	}

	function handleSubmit(ctx, endpoint, payload, route) {
		const now = ctx.t;
		const area = EXTRA_JOB_ROUTES[route];
		const kind = area ? area.kind : endpoint === 'media/generate' ? 'media' : 'design';
		const fault = faults.peekSubmitFault();
		if (fault && !AFTER_ACCEPT.has(fault)) {
			faults.consumeSubmitFault();
			throw submitFaultError(fault);
		}
		const info = area
			? { width: 0, height: 0, numOfVariants: 1, ...area.validate(env, payload) }
			: kind === 'media'
				? v.validateMediaGenerate(payload, store)
				: v.validateDesign(endpoint, payload, store);
		const cost = area ? area.cost(info) : jobCost(kind, payload, info);
		for (const m of routeModules) m.beforeSubmit?.(env, payload, cost);
		if (credits < cost - 1e-9) {
			throw kind === 'media'
				? new ApiError(429, MESSAGES.creditMedia)
				: new ApiError(402, MESSAGES.creditDesign);
		}
		const retryMs = queue.queueFullRetryMs(now);
		if (retryMs !== null)
			throw new ApiError(429, MESSAGES.queue, retryAfter(formatRetryAfter(retryMs)));
		const fate = faults.jobFate(payload);
		const job = queue.add(
			{
				kind,
				endpoint,
				payload: JSON.parse(JSON.stringify(payload)),
				outcome: fate.outcome,
				slow: fate.slowFactor !== 1,
				durationMs: opts.jobDurationMs * fate.slowFactor,
				numOfVariants: kind === 'design' ? info.numOfVariants : 1,
				width: info.width,
				height: info.height,
				designId: kind === 'design' ? crypto.randomUUID() : null,
				cost,
				submitFault: null,
			},
			now,
		);
		job.queueWaitTime = job.startAt - now;
		// An area job's result is made once, when it is first shown completed.
		if (area) job.areaResult = () => (job.areaResultValue ??= area.result(env, job, info));
		webhooks.jobAccepted(job);
		if (Number.isFinite(credits)) credits = Math.round((credits - cost) * 1e6) / 1e6;
		for (const m of routeModules) m.afterSubmit?.(env, payload, cost);
		counters.submits++;
		for (const f of render.jobFiles(job))
			jobFileIndex.set(f.name, { requestId: job.requestId, width: f.width, height: f.height });
		if (fault && AFTER_ACCEPT.has(fault)) {
			faults.consumeSubmitFault();
			job.submitFault = fault;
			if (fault === '500-after-accept') throw new ApiError(500, MESSAGES.server);
			if (fault === 'reset-after-accept') return reset(ctx);
			return hang(ctx);
		}
		sendEnvelope(ctx, 200, render.submitBody(job, opts.submitIdField, opts.queueWaitMeaning));
	}

	// ------------------------------------------------------------ status

	function handleStatus(ctx, query, pollFault) {
		if (pollFault && pollFault.kind === 'reset') return reset(ctx);
		if (pollFault && pollFault.kind === '500') throw new ApiError(500, MESSAGES.server);
		const id = v.validateStatusQuery(query);
		const job = queue.get(id);
		if (!job) throw new ApiError(404, MESSAGES.requestNotFound);
		const state = queue.state(job, ctx.t);
		sendEnvelope(ctx, 200, render.statusBody(job, state, renderOptions()));
	}

	// ------------------------------------------------------------ brands / media / files

	function handleJsonRoute(ctx, route, body) {
		switch (route) {
			case 'POST general/brand/get': {
				const { limit } = v.validateBrandGet(body, store);
				// Archived brands are left out (brand/archive, and the default brand/create replaces).
				let list = store.activeBrands();
				if (body.isDefault === true) list = list.filter((b) => b.isDefault);
				else if (body.bId !== undefined) list = list.filter((b) => b.bId === body.bId);
				const { page, cursor } = paginate(list, limit, body.cursor);
				return sendEnvelope(ctx, 200, { brands: page.map((b) => store.brandView(b)), cursor });
			}
			case 'POST general/media/get': {
				const { limit, sort } = v.validateMediaGet(body, store);
				const dir = sort === 'ASC' ? 1 : -1;
				const list = store.media
					.map((m, i) => ({ m, i }))
					// media/delete is a soft delete: deleted media vanish from media/get.
					.filter(({ m }) => !m.deleted)
					.filter(
						({ m }) =>
							(body.type === undefined || m.type === body.type) &&
							(body.subType === undefined || m.subType === body.subType),
					)
					.filter(
						({ m }) =>
							(body.mId === undefined || m.mId === body.mId) &&
							(body.bId === undefined || m.bId === body.bId),
					)
					.sort((a, b) => dir * (a.m.createdOn - b.m.createdOn || a.i - b.i))
					.map(({ m }) => m);
				const { page, cursor } = paginate(list, limit, body.cursor);
				return sendEnvelope(ctx, 200, { media: page.map((m) => store.mediaView(m)), cursor });
			}
			case 'POST general/files/get-presigned-url': {
				const p = v.validatePresigned(body, store);
				const u = store.createUpload({ ...p, now: ctx.t });
				return sendEnvelope(ctx, 200, {
					uploadUrl: `${origin}/upload/${u.token}`,
					method: 'PUT',
					headers: { 'Content-Type': u.contentType },
					expiresIn: p.expiresIn,
					fileName: u.fileName,
				});
			}
			case 'POST general/media/create': {
				const c = v.validateMediaCreate(body, store, origin);
				const rec = store.createMedia({
					type: c.type,
					subType: c.subType,
					bId: body.bId,
					url: c.url,
					upload: c.upload,
					touchPosition: body.touchPosition,
					imagePreference: body.imagePreference,
					hueRotations: body.hueRotations,
					now: ctx.t,
				});
				return sendEnvelope(ctx, 200, { media: store.mediaView(rec) });
			}
			case 'POST general/update-webhook': {
				webhooks.setUrl(validateUpdateWebhook(body), ctx.t);
				return sendEnvelope(ctx, 200, { message: 'Successfully updated the webhook URL' });
			}
			default:
				throw new ApiError(404, MESSAGES.notFound);
		}
	}

	/** Bytes a /files/<name> URL serves right now, or null. */
	function fileBytes(name) {
		const stat = store.staticFiles.get(name);
		if (stat) {
			if (stat.bytes) return { bytes: stat.bytes, contentType: stat.contentType };
			return { bytes: jpegForName(name, stat.width, stat.height), contentType: 'image/jpeg' };
		}
		const entry = jobFileIndex.get(name);
		if (!entry) return null;
		const job = queue.get(entry.requestId);
		if (queue.state(job, Date.now()).status !== 'completed') return null;
		return { bytes: jpegForName(name, entry.width, entry.height), contentType: 'image/jpeg' };
	}

	function serveFile(ctx, name) {
		const f = fileBytes(decodeURIComponent(name));
		if (!f) return sendEnvelope(ctx, 404, { message: MESSAGES.notFound });
		finish(
			ctx,
			200,
			{
				'content-type': f.contentType,
				'content-length': f.bytes.length,
				'cache-control': 'public, max-age=31536000',
			},
			f.bytes,
		);
	}

	function s3Error(ctx, status, code, message) {
		const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
		finish(ctx, status, { 'content-type': 'application/xml' }, xml);
	}

	function handleUpload(ctx, token, bytes) {
		const u = store.uploads.get(token);
		if (!u) return s3Error(ctx, 403, 'AccessDenied', 'Access Denied');
		if (ctx.t > u.expiresAt) return s3Error(ctx, 403, 'AccessDenied', 'Request has expired');
		const ct = String(ctx.req.headers['content-type'] || '')
			.trim()
			.toLowerCase();
		if (ct !== u.contentType.toLowerCase()) {
			return s3Error(
				ctx,
				403,
				'SignatureDoesNotMatch',
				`The request signature we calculated does not match the signature you provided. Expected Content-Type '${u.contentType}', got '${ct}'.`,
			);
		}
		if (!bytes.length) return s3Error(ctx, 400, 'MissingContent', 'The request body is empty.');
		store.putUpload(token, bytes);
		finish(
			ctx,
			200,
			{ etag: `"${crypto.createHash('md5').update(bytes).digest('hex')}"`, 'content-length': 0 },
			'',
		);
	}

	// ------------------------------------------------------------ dispatch

	async function handle(req, res) {
		const url = new URL(req.url, 'http://127.0.0.1');
		const ctx = {
			req,
			res,
			method: req.method,
			path: url.pathname,
			t: Date.now(),
			done: false,
			api: url.pathname.startsWith(API_PREFIX),
			rateLimited: false,
		};
		try {
			const raw = await readBody(req);
			ctx.t = Date.now();
			if ((req.method === 'GET' || req.method === 'HEAD') && url.pathname.startsWith('/files/')) {
				return serveFile(ctx, url.pathname.slice('/files/'.length));
			}
			if (req.method === 'PUT' && url.pathname.startsWith('/upload/')) {
				return handleUpload(ctx, url.pathname.slice('/upload/'.length), raw);
			}
			if (!url.pathname.startsWith(API_PREFIX)) throw new ApiError(404, MESSAGES.notFound);
			ctx.path = url.pathname.slice(API_PREFIX.length);
			if (req.headers['sivi-api-key'] !== opts.apiKey) throw new ApiError(401, MESSAGES.auth);
			const route = `${req.method} ${ctx.path}`;
			const submitEndpoint = SUBMIT_ROUTES[route];
			let pollFault = null;
			if (submitEndpoint) counters.submitAttempts++;
			if (route === STATUS_ROUTE) {
				counters.polls++;
				pollFault = faults.pollFault();
				if (pollFault && pollFault.kind === '429') {
					throw new ApiError(429, MESSAGES.rate, retryAfter(String(pollFault.retryAfterSec)));
				}
			}
			const rl = limiter.take(opts.apiKey, ctx.t);
			if (!rl.ok) throw rateError(rl.retryAfterMs);

			let body = {};
			if (req.method === 'GET') {
				if (submitEndpoint || route === STATUS_ROUTE) {
					const q = url.searchParams.get('queryParams');
					if (q === null) throw new ApiError(422, MESSAGES.invalidInput);
					body = parseJson(q);
				}
			} else if (raw.length) {
				const ct = String(req.headers['content-type'] || '');
				if (!/application\/json/i.test(ct))
					throw new ApiError(
						422,
						`${MESSAGES.invalidInput}: Content-Type must be application/json`,
					);
				body = parseJson(raw.toString('utf8'));
			}
			if (submitEndpoint) return handleSubmit(ctx, submitEndpoint, body, route);
			if (route === STATUS_ROUTE) return handleStatus(ctx, body, pollFault);
			if (JSON_ROUTES.has(route)) return handleJsonRoute(ctx, route, body);
			if (EXTRA_JSON_ROUTES[route])
				return sendEnvelope(ctx, 200, EXTRA_JSON_ROUTES[route](env, body, ctx));
			throw new ApiError(404, MESSAGES.notFound);
		} catch (err) {
			if (ctx.done) return;
			if (err instanceof ApiError) return sendError(ctx, err);
			return sendEnvelope(ctx, 500, { message: MESSAGES.server });
		}
	}

	const server = http.createServer((req, res) => {
		handle(req, res);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(opts.port || 0, '127.0.0.1', () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = server.address().port;
	origin = `http://127.0.0.1:${port}`;
	store.setOrigin(origin);

	function jobsSnapshot() {
		const now = Date.now();
		return queue.all().map((j) => {
			const s = queue.state(j, now);
			return JSON.parse(
				JSON.stringify({
					requestId: j.requestId,
					kind: j.kind,
					endpoint: j.endpoint,
					status: s.status,
					progress: s.progress,
					outcome: j.outcome,
					slow: j.slow,
					submittedAt: j.submittedAt,
					startAt: j.startAt,
					endAt: j.endAt,
					numOfVariants: j.numOfVariants,
					width: j.width,
					height: j.height,
					designId: j.designId,
					cost: j.cost,
					submitFault: j.submitFault,
					payload: j.payload,
				}),
			);
		});
	}

	return {
		baseUrl: `${origin}/api/prod/v2`,
		origin,
		port,
		get apiKey() {
			return opts.apiKey;
		},
		counters: () => counters.snapshot(),
		answerNotes: () => counters.notes(),
		resetCounters: () => counters.reset(),
		setFaults: (partial) => applyFaults(partial),
		setOptions(partial) {
			checkOptions(partial);
			const now = Date.now();
			for (const k of [
				'apiKey',
				'jobDurationMs',
				'completedSpelling',
				'mediaResultShape',
				'queueWaitMeaning',
				'progressCurve',
				'submitIdField',
			]) {
				if (partial[k] !== undefined) opts[k] = partial[k];
			}
			if (partial.credits !== undefined) credits = partial.credits;
			if (partial.rateLimit) {
				limiter.configure(partial.rateLimit);
				opts.rateLimit = mergeDefined(opts.rateLimit, partial.rateLimit);
			}
			if (partial.concurrency !== undefined || partial.queueSize !== undefined) {
				queue.configure({ concurrency: partial.concurrency, queueSize: partial.queueSize }, now);
			}
			if (partial.faults) applyFaults(partial.faults);
		},
		jobs: jobsSnapshot,
		credits: () => credits,
		mediaRecords: () => store.mediaRecords(),
		/** Every brand of the workspace: ID, whether it is the default, whether it is archived. */
		brands: () =>
			store.brands.map((b) => ({ bId: b.bId, isDefault: !!b.isDefault, archived: !!b.archived })),
		/** super/*: every end user with limit, used credits, deleted and the tokens issued. */
		endUsers: () => endUsers(env),
		resetRateLimit: () => limiter.reset(),
		busiestWindow: (options = {}) =>
			counters.busiestWindow({
				windowMs: options.windowMs === undefined ? limiter.windowMs : options.windowMs,
				since: options.since,
			}),
		servedImageSha256(u) {
			let p;
			try {
				p = new URL(u);
			} catch {
				return null;
			}
			if (p.origin !== origin || !p.pathname.startsWith('/files/')) return null;
			const f = fileBytes(decodeURIComponent(p.pathname.slice('/files/'.length)));
			return f ? sha256(f.bytes) : null;
		},
		webhookUrl: () => webhooks.url,
		webhookRegistrations: () => webhooks.registrations.map((r) => ({ ...r })),
		webhookDeliveries: () => JSON.parse(JSON.stringify(webhooks.deliveries)),
		webhookFaults: () => webhooks.snapshotKnobs(),
		sendWebhook: (payload, options = {}) => {
			const url = options.url ?? webhooks.url;
			if (!url)
				return Promise.reject(new Error('sendWebhook: no webhook URL registered and none given'));
			return webhooks.send(url, payload, {
				kind: options.kind ?? 'manual',
				rawBody: options.rawBody,
				headers: options.headers,
			});
		},
		webhookPending: () => webhooks.pending(),
		webhookIdle: (timeoutMs) => webhooks.idle(timeoutMs),
		close() {
			webhooks.close();
			return new Promise((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
			});
		},
	};
}

module.exports = { startSimulator, DEFAULT_OPTIONS };

// Sivi Trigger: its pure parts (secret, delivery hints, job kinds, filters, de-duplication) and its
// lifecycle + webhook() with small hand-built n8n contexts against the simulator, including the
// simulator's own webhook deliveries to a loopback receiver. The real-n8n path is
// test/e2e/trigger.mjs.
import { createHash } from 'crypto';
import type {
	IBinaryData,
	IDataObject,
	IHookFunctions,
	IHttpRequestOptions,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { anyJobJson } from '../../nodes/Sivi/output/normalize';
import { parseStatus } from '../../nodes/Sivi/validation/responseSchemas';
import { SiviTrigger } from '../../nodes/SiviTrigger/SiviTrigger.node';
import {
	MEMORY_KEYS,
	STATIC_KEYS,
	claim,
	dedupeKey,
	forgetStartedKeys,
	wasStarted,
} from '../../nodes/SiviTrigger/dedupe';
import {
	eventOf,
	jobKindOf,
	kindSelected,
	newSecret,
	readHint,
	readTriggerSettings,
	secretMatches,
	storedSecret,
	withSecret,
} from '../../nodes/SiviTrigger/delivery';
import { receiveDelivery } from '../../nodes/SiviTrigger/receive';
import { forgetLiveRegistrations } from '../../nodes/SiviTrigger/registration';
import { startSimulator, startWebhookReceiver, type Simulator } from '../simulator';

jest.setTimeout(30000);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const BRAND = 'b_default0001';
const PROD_URL = 'http://127.0.0.1:5678/webhook/3f0c/sivi';
const TEST_URL = 'http://127.0.0.1:5678/webhook-test/3f0c/sivi';

beforeEach(() => {
	forgetStartedKeys();
	forgetLiveRegistrations();
});

// ───────────────────────────────────────────────────────────── pure parts

describe('secret', () => {
	it('is 48 random hex characters and travels as ?secret=', () => {
		const a = newSecret();
		const b = newSecret();
		expect(a).toMatch(/^[0-9a-f]{48}$/);
		expect(a).not.toBe(b);
		expect(storedSecret(a)).toBe(a);
		expect(storedSecret('short')).toBeUndefined();
		expect(storedSecret(undefined)).toBeUndefined();
		const url = withSecret(PROD_URL, a);
		expect(url).toBe(`${PROD_URL}?secret=${a}`);
		expect(new URL(url).searchParams.get('secret')).toBe(a);
	});

	it('matches only the stored secret', () => {
		const s = newSecret();
		expect(secretMatches(s, s)).toBe(true);
		expect(secretMatches(newSecret(), s)).toBe(false);
		expect(secretMatches(s.slice(0, -1), s)).toBe(false);
		expect(secretMatches('', s)).toBe(false);
		expect(secretMatches(undefined, s)).toBe(false);
		expect(secretMatches([s], s)).toBe(false);
		// Nothing stored (never activated, or deactivated): nothing matches.
		expect(secretMatches(s, undefined)).toBe(false);
		expect(secretMatches('', '')).toBe(false);
	});
});

describe('delivery hints', () => {
	it('reads the documented envelope, the bare body and a data wrapper', () => {
		expect(
			readHint({ status: 200, body: { status: 'complete', requestId: 'sbhMkIZKCPp' } }),
		).toEqual({
			requestId: 'sbhMkIZKCPp',
			claim: 'completed',
		});
		expect(readHint({ requestId: 'R1', status: 'failed' })).toEqual({
			requestId: 'R1',
			claim: 'failed',
		});
		expect(readHint({ eventType: 'x', data: { requestId: 'R2', status: 'suspended' } })).toEqual({
			requestId: 'R2',
			claim: 'failed',
		});
		expect(readHint({ body: { jId: 'J1', status: 'processing' } })).toEqual({
			requestId: 'J1',
			claim: 'running',
		});
		expect(readHint({ body: { requestId: 'R3' } })).toEqual({ requestId: 'R3', claim: 'unknown' });
		expect(readHint({ body: { requestId: 'R4', status: 'weird' } })).toEqual({
			requestId: 'R4',
			claim: 'unknown',
		});
	});

	it('finds no requestId in junk', () => {
		for (const junk of [
			null,
			'text',
			42,
			[],
			{},
			{ body: {} },
			{ requestId: '../x' },
			{ requestId: 7 },
			{ requestId: 'x'.repeat(200) },
		])
			expect(readHint(junk).requestId).toBeUndefined();
	});

	it('maps statuses to events', () => {
		expect(eventOf('completed')).toBe('completed');
		expect(eventOf(' Complete ')).toBe('completed');
		expect(eventOf('failed')).toBe('failed');
		expect(eventOf('suspended')).toBe('failed');
		expect(eventOf('error')).toBe('failed');
		expect(eventOf('pending')).toBeUndefined();
		expect(eventOf('processing')).toBeUndefined();
	});
});

describe('job kinds', () => {
	const status = (body: Json) => parseStatus({ status: 'completed', requestId: 'R', ...body });

	it('tells designs, media, brand extraction and fonts apart', () => {
		expect(jobKindOf(status({ designId: 'D', result: { variations: [] } }))).toBe('design');
		expect(
			jobKindOf(parseStatus({ status: 'failed', requestId: 'R', designId: 'D', result: null })),
		).toBe('design');
		expect(jobKindOf(status({ result: { images: [{ remoteUrl: 'u' }] } }))).toBe('media');
		expect(jobKindOf(status({ result: { media: { url: 'u', mId: 'm' } } }))).toBe('media');
		expect(jobKindOf(status({ result: { brandDetails: { brandName: 'Acme' } } }))).toBe('brand');
		expect(jobKindOf(status({ result: { data: [{ id: 'f1' }] } }))).toBe('font');
	});

	it('cannot tell the kind of a failed non-design job or an unknown shape', () => {
		expect(
			jobKindOf(parseStatus({ status: 'failed', requestId: 'R', reason: 'x', result: null })),
		).toBeUndefined();
		expect(
			jobKindOf(status({ result: { variations: [{ variantImageUrl: 'u' }] } })),
		).toBeUndefined();
		expect(jobKindOf(status({ result: { output: {} } }))).toBeUndefined();
	});

	it('lets an unknown kind through only when every kind is selected', () => {
		const all = ['brand', 'design', 'font', 'media'];
		expect(kindSelected(undefined, all)).toBe(true);
		expect(kindSelected(undefined, ['media', 'design', 'brand'])).toBe(false);
		expect(kindSelected('media', ['media'])).toBe(true);
		expect(kindSelected('design', ['media'])).toBe(false);
		expect(kindSelected('font', all)).toBe(true);
	});

	it('reads the settings with their defaults', () => {
		expect(readTriggerSettings((_name, fallback) => fallback)).toEqual({
			events: ['completed', 'failed'],
			jobKinds: ['brand', 'design', 'font', 'media'],
			download: false,
			binaryPropertyName: 'data',
			maxDownloadBytes: 50 * 1024 * 1024,
		});
		const params: Json = {
			events: ['failed', 'bogus'],
			jobKinds: ['media'],
			options: { downloadImages: true, binaryPropertyName: ' img ', maxDownloadSizeMb: 2 },
		};
		expect(readTriggerSettings((name) => params[name])).toEqual({
			events: ['failed'],
			jobKinds: ['media'],
			download: true,
			binaryPropertyName: 'img',
			maxDownloadBytes: 2 * 1024 * 1024,
		});
	});
});

describe('de-duplication', () => {
	it('claims each job ending once per workflow node, in memory and in the static data', () => {
		const staticData: IDataObject = {};
		const key = dedupeKey('R1', 'completed');
		expect(wasStarted('wf n live', staticData, key)).toBe(false);
		expect(claim('wf n live', staticData, key)).toBe(true);
		expect(claim('wf n live', staticData, key)).toBe(false);
		expect(wasStarted('wf n live', staticData, key)).toBe(true);
		// Another ending of the same job, another node or test runs are separate.
		expect(claim('wf n live', staticData, dedupeKey('R1', 'failed'))).toBe(true);
		expect(claim('wf other live', {}, key)).toBe(true);
		expect(claim('wf n test', {}, key)).toBe(true);
		expect(staticData.startedFor).toEqual(['R1:completed', 'R1:failed']);
	});

	it('remembers through the static data alone (another process, or after a restart)', () => {
		const staticData: IDataObject = {};
		expect(claim('a', staticData, 'R9:completed')).toBe(true);
		forgetStartedKeys();
		expect(claim('a', staticData, 'R9:completed')).toBe(false);
		// ...and through memory alone (static data not saved yet).
		expect(claim('b', {}, 'R8:completed')).toBe(true);
		expect(claim('b', {}, 'R8:completed')).toBe(false);
	});

	it('is bounded', () => {
		const staticData: IDataObject = {};
		for (let i = 0; i < MEMORY_KEYS + 5; i++) claim('bounded', staticData, `R${i}:completed`);
		expect((staticData.startedFor as string[]).length).toBe(STATIC_KEYS);
		expect((staticData.startedFor as string[])[0]).toBe(
			`R${MEMORY_KEYS + 5 - STATIC_KEYS}:completed`,
		);
		// The oldest keys are gone from both places.
		expect(wasStarted('bounded', staticData, 'R0:completed')).toBe(false);
		expect(wasStarted('bounded', staticData, `R${MEMORY_KEYS}:completed`)).toBe(true);
	});
});

describe('node description', () => {
	it('is a webhook trigger with the full lifecycle, using the Sivi credential', () => {
		const node = new SiviTrigger();
		const d = node.description;
		expect(d.name).toBe('siviTrigger');
		expect(d.displayName).toBe('Sivi Trigger');
		expect(d.group).toEqual(['trigger']);
		expect(d.inputs).toEqual([]);
		expect(d.credentials).toEqual([{ name: 'siviApi', required: true }]);
		expect(d.webhooks).toEqual([
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: '',
				path: 'sivi',
			},
		]);
		expect(Object.keys(node.webhookMethods.default).sort()).toEqual([
			'checkExists',
			'create',
			'delete',
		]);
		expect(d.properties.map((p) => p.name)).toEqual(['notice', 'events', 'jobKinds', 'options']);
		expect(String(d.properties[0].displayName)).toMatch(/replaces any URL already set/);
		expect(d.usableAsTool).toBeUndefined();
	});
});

// ───────────────────────────────────────────────────────────── contexts against the simulator

interface Fakes {
	sim: Simulator;
	staticData: IDataObject;
	params?: Json;
	mode?: 'trigger' | 'manual' | 'webhook';
	url?: string;
	workflowId?: string;
	nodeId?: string;
}

const statusRequests: string[] = [];
/** When each job's status re-read was asked for (before any delay). */
const statusAskedAt = new Map<string, number>();
/** Holds each status re-read this long before it is sent (a busy key or a slow Sivi). */
let statusDelayMs = 0;
/** When the last status re-read came back. */
let statusAnsweredAt = 0;

/** n8n's httpRequest as far as the node uses it, over fetch. */
async function httpCall(options: IHttpRequestOptions, headers: Record<string, string>) {
	const url = new URL(options.url);
	for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
	if (url.pathname.endsWith('/get-request-status')) {
		statusRequests.push(url.toString());
		const asked = JSON.parse(url.searchParams.get('queryParams') ?? '{}') as { requestId?: string };
		statusAskedAt.set(String(asked.requestId), Date.now());
		if (statusDelayMs) await sleep(statusDelayMs);
	}
	const sendsJson = options.body !== undefined;
	const res = await fetch(url, {
		method: options.method ?? 'GET',
		headers: { ...headers, ...(sendsJson ? { 'content-type': 'application/json' } : {}) },
		body: sendsJson ? JSON.stringify(options.body) : undefined,
	});
	if (url.pathname.endsWith('/get-request-status')) statusAnsweredAt = Date.now();
	const responseHeaders = Object.fromEntries(res.headers.entries());
	if (options.encoding === 'stream') {
		const bytes = Buffer.from(await res.arrayBuffer());
		return { statusCode: res.status, headers: responseHeaders, body: [bytes] };
	}
	const text = await res.text();
	let body: unknown = text;
	try {
		body = JSON.parse(text);
	} catch {
		/* not JSON */
	}
	return { statusCode: res.status, headers: responseHeaders, body };
}

const binaries = new Map<string, Buffer>();

function baseContext(f: Fakes) {
	const node = {
		id: f.nodeId ?? 'node-1',
		name: 'Sivi Trigger',
		type: 'n8n-nodes-sivi.siviTrigger',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
	};
	const params = f.params ?? {};
	return {
		getNode: () => node,
		getWorkflow: () => ({ id: f.workflowId ?? 'wf-1', name: 'Trigger test', active: true }),
		getWorkflowStaticData: () => f.staticData,
		getMode: () => f.mode ?? 'trigger',
		getNodeParameter: (name: string, fallback?: unknown) =>
			name in params ? params[name] : fallback,
		getCredentials: async () => ({
			apiKey: f.sim.apiKey,
			baseUrl: f.sim.baseUrl,
			plan: 'custom',
			requestsPerMinute: 100000,
			concurrency: 100,
			queueSize: 100,
		}),
		logger: { warn: jest.fn(), info: jest.fn(), debug: jest.fn(), error: jest.fn() },
		helpers: {
			httpRequestWithAuthentication: async (_credential: string, options: IHttpRequestOptions) =>
				await httpCall(options, { 'sivi-api-key': f.sim.apiKey }),
			httpRequest: async (options: IHttpRequestOptions) => await httpCall(options, {}),
			prepareBinaryData: async (
				buffer: Buffer,
				fileName?: string,
				mimeType?: string,
			): Promise<IBinaryData> => {
				const id = `mem-${binaries.size + 1}`;
				binaries.set(id, buffer);
				return {
					id,
					data: 'filesystem-v2',
					mimeType: mimeType ?? '',
					fileName,
					fileSize: String(buffer.length),
				};
			},
		},
	};
}

function hookContext(f: Fakes): IHookFunctions {
	return {
		...baseContext(f),
		getActivationMode: () => (f.mode === 'manual' ? 'manual' : 'activate'),
		getNodeWebhookUrl: () => f.url ?? PROD_URL,
	} as unknown as IHookFunctions;
}

interface Answer {
	status: number;
	body: unknown;
	/** When the answer was written (ms since the epoch). */
	at?: number;
}

function webhookContext(
	f: Fakes,
	request: { query?: Json; body?: unknown },
	answer: Answer,
): IWebhookFunctions {
	return {
		...baseContext({ ...f, mode: f.mode ?? 'webhook' }),
		getQueryData: () => request.query ?? {},
		getBodyData: () => request.body ?? {},
		getResponseObject: () => ({
			writeHead: (status: number) => {
				answer.status = status;
			},
			end: (text: string) => {
				answer.body = JSON.parse(text);
				answer.at = Date.now();
			},
		}),
	} as unknown as IWebhookFunctions;
}

async function deliver(f: Fakes, request: { query?: Json; body?: unknown }) {
	const answer: Answer = { status: 0, body: undefined };
	const result: IWebhookResponseData = await receiveDelivery(webhookContext(f, request, answer));
	return { result, answer };
}

async function api(sim: Simulator, method: 'GET' | 'POST', endpoint: string, body: Json) {
	let url = `${sim.baseUrl}/general/${endpoint}`;
	if (method === 'GET') url += `?queryParams=${encodeURIComponent(JSON.stringify(body))}`;
	const res = await fetch(url, {
		method,
		headers: { 'sivi-api-key': sim.apiKey, 'content-type': 'application/json' },
		body: method === 'POST' ? JSON.stringify(body) : undefined,
	});
	return (await res.json()) as Json;
}

async function submitMedia(sim: Simulator, prompt = 'a paper boat on a pond'): Promise<string> {
	const r = await api(sim, 'POST', 'media/generate', {
		prompt,
		model: 'flux-schnell',
		dimensions: { width: 1024, height: 1024 },
		bId: BRAND,
	});
	return r.body.requestId;
}

async function submitDesign(sim: Simulator): Promise<string> {
	const r = await api(sim, 'POST', 'designs-from-prompt', {
		type: 'displayAds',
		subtype: 'displayAds-inline-rectangle',
		prompt: 'Autumn coffee promo',
		numOfVariants: 2,
	});
	return r.body.requestId;
}

async function waitUntil(what: string, test: () => boolean, timeoutMs = 5000) {
	const deadline = Date.now() + timeoutMs;
	while (!test()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await sleep(10);
	}
}

const jobEnded = (sim: Simulator, id: string) => () =>
	['completed', 'failed', 'suspended'].includes(
		sim.jobs().find((j) => j.requestId === id)?.status ?? '',
	);

/** What Get Status outputs for the job right now (same normaliser, fresh status answer). */
async function getStatusJson(sim: Simulator, requestId: string) {
	const r = await api(sim, 'GET', 'get-request-status', { requestId });
	return anyJobJson(parseStatus(r.body));
}

const envelope = (body: Json) => ({ status: 200, body });

let sim: Simulator;
afterEach(async () => {
	await sim?.close();
});

async function activated(options: { params?: Json } = {}) {
	sim = await startSimulator({ jobDurationMs: 120, rateLimit: { limit: 100000, windowMs: 60000 } });
	const staticData: IDataObject = {};
	const f: Fakes = { sim, staticData, params: options.params };
	const node = new SiviTrigger();
	expect(await node.webhookMethods.default.checkExists.call(hookContext(f))).toBe(false);
	expect(await node.webhookMethods.default.create.call(hookContext(f))).toBe(true);
	const secret = staticData.secret as string;
	return { f, node, staticData, secret, query: { secret } };
}

describe('activation', () => {
	it('sets the production URL with a new secret in Sivi, and keeps the secret across re-activation', async () => {
		const { f, node, staticData, secret } = await activated();
		expect(secret).toMatch(/^[0-9a-f]{48}$/);
		expect(staticData.registeredFor).toBe('production');
		expect(sim.webhookUrl()).toBe(`${PROD_URL}?secret=${secret}`);
		expect(sim.counters().byRoute['POST general/update-webhook']).toBe(1);
		// n8n restarting (activation 'init') sets the same URL again.
		await node.webhookMethods.default.create.call(hookContext(f));
		expect(sim.webhookRegistrations().map((r) => r.url)).toEqual([
			`${PROD_URL}?secret=${secret}`,
			`${PROD_URL}?secret=${secret}`,
		]);
	});

	it('fails activation with a clear message when Sivi refuses the key', async () => {
		sim = await startSimulator({ rateLimit: { limit: 100000, windowMs: 60000 } });
		const staticData: IDataObject = {};
		const ctx = hookContext({ sim, staticData });
		const wrongKey = async (_credential: string, options: IHttpRequestOptions) =>
			await httpCall(options, { 'sivi-api-key': 'wrong-key' });
		(ctx as unknown as Json).helpers.httpRequestWithAuthentication = wrongKey;
		await expect(
			new SiviTrigger().webhookMethods.default.create.call(ctx as IHookFunctions),
		).rejects.toThrow('Sivi rejected the API key');
		expect(staticData.secret).toBeUndefined();
		expect(sim.webhookUrl()).toBeNull();
	});

	it('deactivation clears the secret but calls nothing: Sivi cannot remove a webhook URL', async () => {
		const { f, node, staticData, secret } = await activated();
		expect(await node.webhookMethods.default.delete.call(hookContext(f))).toBe(true);
		expect(staticData.secret).toBeUndefined();
		expect(sim.counters().byRoute['POST general/update-webhook']).toBe(1);
		expect(sim.webhookUrl()).toBe(`${PROD_URL}?secret=${secret}`);
		// The old URL's secret no longer opens anything...
		const { answer } = await deliver(f, {
			query: { secret },
			body: envelope({ requestId: 'x', status: 'completed' }),
		});
		expect(answer.status).toBe(401);
		// ...and activating again registers a new one.
		await node.webhookMethods.default.create.call(hookContext(f));
		expect(staticData.secret).not.toBe(secret);
		expect(sim.webhookUrl()).toBe(`${PROD_URL}?secret=${staticData.secret}`);
	});

	it('a test listen sets the test URL, and its clean-up points the key back at production', async () => {
		const { node, secret } = await activated();
		const testStatic: IDataObject = {};
		const t: Fakes = { sim, staticData: testStatic, mode: 'manual', url: TEST_URL };
		await node.webhookMethods.default.create.call(hookContext(t));
		expect(testStatic.registeredFor).toBe('test');
		expect(testStatic.secret).not.toBe(secret);
		expect(sim.webhookUrl()).toBe(`${TEST_URL}?secret=${testStatic.secret}`);
		// n8n deletes test webhooks in 'internal' mode with the test static data.
		await node.webhookMethods.default.delete.call(hookContext({ ...t, mode: 'trigger' }));
		expect(sim.webhookUrl()).toBe(`${PROD_URL}?secret=${secret}`);
		expect(sim.counters().byRoute['POST general/update-webhook']).toBe(3);
	});

	it('a test listen without an active production trigger leaves the test URL set', async () => {
		sim = await startSimulator({ rateLimit: { limit: 100000, windowMs: 60000 } });
		const testStatic: IDataObject = {};
		const t: Fakes = { sim, staticData: testStatic, mode: 'manual', url: TEST_URL };
		const node = new SiviTrigger();
		await node.webhookMethods.default.create.call(hookContext(t));
		await node.webhookMethods.default.delete.call(hookContext({ ...t, mode: 'trigger' }));
		expect(sim.webhookRegistrations()).toHaveLength(1);
		expect(testStatic.secret).toBeUndefined();
	});
});

describe('deliveries', () => {
	beforeEach(() => {
		statusRequests.length = 0;
	});

	it('refuses requests without the secret or with a wrong one: 401, nothing read, nothing started', async () => {
		const { f, secret } = await activated();
		const body = envelope({ requestId: 'abc', status: 'completed' });
		for (const query of [
			{},
			{ secret: '' },
			{ secret: newSecret() },
			{ secret: secret.toUpperCase() },
			{ secret: [secret] },
		]) {
			const { result, answer } = await deliver(f, { query, body });
			expect(answer.status).toBe(401);
			expect(result).toEqual({ noWebhookResponse: true });
		}
		expect(statusRequests).toHaveLength(0);
	});

	it('emits exactly what Get Status outputs, once per job ending', async () => {
		const { f, query } = await activated();
		const id = await submitMedia(sim);
		await waitUntil('job end', jobEnded(sim, id));
		const payload = envelope({ requestId: id, status: 'completed' });
		const { result, answer } = await deliver(f, { query, body: payload });
		expect(result.workflowData).toHaveLength(1);
		// Sivi's delivery is answered by the node itself, before n8n starts the run.
		expect(result.noWebhookResponse).toBe(true);
		expect(answer).toMatchObject({
			status: 200,
			body: { received: true, started: true, requestId: id },
		});
		const item = result.workflowData![0][0];
		expect(item.json).toEqual(await getStatusJson(sim, id));
		expect(item.json).toMatchObject({
			requestId: id,
			status: 'completed',
			images: [{ mId: expect.any(String) }],
		});
		expect(item.binary).toBeUndefined();
		// The same ending again starts nothing, and needs no call to Sivi.
		const before = statusRequests.length;
		const again = await deliver(f, { query, body: payload });
		expect(again.result.workflowData).toBeUndefined();
		expect(again.result.webhookResponse).toMatchObject({
			started: false,
			reason: expect.stringMatching(/already/),
		});
		expect(statusRequests.length).toBe(before);
		// A payload that claims nothing is checked with Sivi, then refused as a repeat too.
		const bare = await deliver(f, { query, body: { requestId: id } });
		expect(bare.result.workflowData).toBeUndefined();
		expect(statusRequests.length).toBe(before + 1);
	});

	it('answers a delivery at once when the re-read is slow, and still starts its run', async () => {
		const { f, query } = await activated();
		const id = await submitMedia(sim);
		await waitUntil('job end', jobEnded(sim, id));
		statusDelayMs = 2000;
		try {
			const { result, answer } = await deliver(f, {
				query,
				body: envelope({ requestId: id, status: 'completed' }),
			});
			// Acknowledged before the re-read came back (it took 2 s); what it decides comes after.
			expect(answer).toMatchObject({
				status: 200,
				body: { received: true, checking: true, requestId: id },
			});
			expect(answer.at).toBeLessThan(statusAnsweredAt);
			expect(result.noWebhookResponse).toBe(true);
			expect(result.workflowData![0][0].json).toEqual(await getStatusJson(sim, id));
			// A slow re-read that starts nothing is acknowledged the same way and answers nothing more.
			const again = await deliver(f, { query, body: { requestId: id } });
			expect(again.answer.body).toMatchObject({ received: true, checking: true });
			expect(again.result).toEqual({ noWebhookResponse: true });
		} finally {
			statusDelayMs = 0;
		}
	});

	it('acknowledges a delivery at once while another is being decided, and still starts both runs', async () => {
		const { f, query } = await activated();
		const first = await submitMedia(sim, 'a kite over a dune');
		const second = await submitMedia(sim, 'a lantern on a pier');
		await waitUntil('job ends', () => jobEnded(sim, first)() && jobEnded(sim, second)());
		statusDelayMs = 1000;
		try {
			const before = statusRequests.length;
			const a = deliver(f, { query, body: envelope({ requestId: first, status: 'completed' }) });
			await waitUntil('the first re-read', () => statusRequests.length > before);
			const b = await deliver(f, {
				query,
				body: envelope({ requestId: second, status: 'completed' }),
			});
			// A burst: the second is answered before its own re-read was even asked for.
			expect(b.answer).toMatchObject({
				status: 200,
				body: { received: true, checking: true, requestId: second },
			});
			expect(b.answer.at).toBeLessThanOrEqual(statusAskedAt.get(second)!);
			expect(b.result.workflowData![0][0].json).toEqual(await getStatusJson(sim, second));
			expect((await a).result.workflowData![0][0].json).toEqual(await getStatusJson(sim, first));
		} finally {
			statusDelayMs = 0;
		}
	});

	it('starts one run when two copies of a delivery arrive at once', async () => {
		const { f, query } = await activated();
		const id = await submitDesign(sim);
		await waitUntil('job end', jobEnded(sim, id));
		const payload = envelope({ requestId: id, status: 'completed' });
		const both = await Promise.all([
			deliver(f, { query, body: payload }),
			deliver(f, { query, body: payload }),
		]);
		expect(both.filter((d) => d.result.workflowData).length).toBe(1);
		const json = both.find((d) => d.result.workflowData)!.result.workflowData![0][0].json;
		expect(json).toEqual(await getStatusJson(sim, id));
		expect(json.variants).toHaveLength(2);
		expect(json.designId).toEqual(expect.any(String));
	});

	it('never trusts the payload: a claimed ending of a running job, a made-up job, or another job in the answer', async () => {
		const { f, query } = await activated();
		sim.setOptions({ jobDurationMs: 1500 });
		const id = await submitMedia(sim);
		const fake = envelope({
			requestId: id,
			status: 'completed',
			result: { images: [{ remoteUrl: 'https://evil.example/x.jpg', mId: 'evil' }] },
		});
		const early = await deliver(f, { query, body: fake });
		expect(early.result.workflowData).toBeUndefined();
		expect(early.result.webhookResponse).toMatchObject({ reason: 'The job has not finished' });
		const unknown = await deliver(f, {
			query,
			body: envelope({ requestId: 'NoSuchJob01', status: 'completed' }),
		});
		expect(unknown.result.workflowData).toBeUndefined();
		expect(unknown.result.webhookResponse).toMatchObject({
			reason: 'Sivi does not know this requestId',
		});
		// A processing event is skipped without asking Sivi.
		const before = statusRequests.length;
		const progress = await deliver(f, {
			query,
			body: envelope({ requestId: id, status: 'processing' }),
		});
		expect(progress.result.webhookResponse).toMatchObject({
			reason: 'The delivery reports no final state',
		});
		expect(statusRequests.length).toBe(before);
		// The real ending still starts the run, with Sivi's result, not the payload's.
		await waitUntil('job end', jobEnded(sim, id), 5000);
		const real = await deliver(f, { query, body: fake });
		const json = real.result.workflowData![0][0].json as Json;
		expect(json).toEqual(await getStatusJson(sim, id));
		expect(JSON.stringify(json)).not.toContain('evil');
	});

	it('filters by event and job kind', async () => {
		const { f, query } = await activated({
			params: { events: ['completed'], jobKinds: ['design'] },
		});
		const failed = await submitMedia(sim, 'a red apple [sim:fail]');
		const media = await submitMedia(sim);
		const design = await submitDesign(sim);
		await waitUntil('jobs end', () => [failed, media, design].every((id) => jobEnded(sim, id)()));
		const run = async (id: string) =>
			(await deliver(f, { query, body: envelope({ requestId: id, status: 'completed' }) })).result;
		expect((await run(failed)).webhookResponse).toMatchObject({
			reason: 'The "failed" event is not selected',
		});
		expect((await run(media)).webhookResponse).toMatchObject({
			reason: 'This kind of job is not selected',
		});
		expect((await run(design)).workflowData![0][0].json).toMatchObject({
			requestId: design,
			status: 'completed',
		});
	});

	it('emits a failed job with its reason', async () => {
		const { f, query } = await activated();
		const id = await submitMedia(sim, 'a red apple [sim:fail]');
		await waitUntil('job end', jobEnded(sim, id));
		const { result } = await deliver(f, {
			query,
			body: envelope({ requestId: id, status: 'failed' }),
		});
		const json = result.workflowData![0][0].json;
		expect(json).toEqual({ requestId: id, status: 'failed', reason: 'Image url invalid' });
		expect(json).toEqual(await getStatusJson(sim, id));
	});

	it('downloads the images into binary fields when asked', async () => {
		const { f, query } = await activated({ params: { options: { downloadImages: true } } });
		const id = await submitDesign(sim);
		await waitUntil('job end', jobEnded(sim, id));
		const { result } = await deliver(f, {
			query,
			body: envelope({ requestId: id, status: 'completed' }),
		});
		const item = result.workflowData![0][0];
		expect(item.json).toEqual(await getStatusJson(sim, id));
		expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1', 'data_2']);
		const url = (item.json.variants as Json[])[0].imageUrl as string;
		const stored = binaries.get(item.binary!.data.id!)!;
		expect(createHash('sha256').update(stored).digest('hex')).toBe(sim.servedImageSha256(url));
		expect(item.binary!.data.fileName).toBe(`${id}-${id}V1.jpg`);
	});

	it('keeps test runs apart from production runs', async () => {
		const { f, query } = await activated();
		const id = await submitMedia(sim);
		await waitUntil('job end', jobEnded(sim, id));
		const body = envelope({ requestId: id, status: 'completed' });
		expect((await deliver(f, { query, body })).result.workflowData).toHaveLength(1);
		const testStatic: IDataObject = { secret: query.secret };
		const test = await deliver({ ...f, staticData: testStatic, mode: 'manual' }, { query, body });
		expect(test.result.workflowData).toHaveLength(1);
	});
});

describe("the simulator's deliveries, received by the trigger", () => {
	it('one run per finished job; a duplicate, a spoof and a lost delivery start nothing more', async () => {
		const { f, secret } = await activated();
		const started: Json[] = [];
		const logged: string[] = [];
		const receiver = await startWebhookReceiver(async (request) => {
			const answer: Answer = { status: 0, body: undefined };
			const context = webhookContext(f, { query: request.query, body: request.body }, answer);
			const result = await receiveDelivery(context);
			logged.push(...(context.logger.debug as jest.Mock).mock.calls.map((call) => String(call[0])));
			if (result.workflowData) started.push(result.workflowData[0][0].json);
			if (result.noWebhookResponse) return answer;
			return { status: 200, body: result.webhookResponse ?? { message: 'Workflow was started' } };
		});
		try {
			const port = receiver.port;
			// What n8n would have registered, pointed at this receiver.
			const url = `http://127.0.0.1:${port}/webhook/3f0c/sivi?secret=${secret}`;
			await api(sim, 'POST', 'update-webhook', { webhookUrl: url });
			sim.setFaults({ webhook: { duplicate: 1, spoof: 1 } });
			const ids = [
				await submitMedia(sim),
				await submitDesign(sim),
				await submitMedia(sim, 'x [sim:fail]'),
			];
			await waitUntil(
				'deliveries',
				() =>
					sim.webhookDeliveries().filter((d) => d.status !== -1).length >= 5 &&
					sim.webhookPending() === 0,
			);
			expect(started.map((j) => j.requestId).sort()).toEqual([...ids].sort());
			for (const json of started) expect(json).toEqual(await getStatusJson(sim, json.requestId));
			const kinds = sim
				.webhookDeliveries()
				.map((d) => d.kind)
				.sort();
			expect(kinds).toEqual(['duplicate', 'event', 'event', 'event', 'spoof']);
			const spoof = sim.webhookDeliveries().find((d) => d.kind === 'spoof')!;
			expect(spoof.status).toBe(200);
			// Sent beside a real delivery, it may be acknowledged at once ("checking") and decided
			// afterwards; the decision is then in the log.
			const spoofAnswer = spoof.body as Json;
			const decided = spoofAnswer.checking
				? logged.find((line) => line.includes(String(spoof.requestId)))
				: `${spoofAnswer.started} ${spoofAnswer.reason}`;
			expect(decided).toMatch(/(false|started nothing:) Sivi does not know this requestId$/);

			// Without the secret: 401.
			const noSecret = await sim.sendWebhook(envelope({ requestId: ids[0], status: 'completed' }), {
				url: `http://127.0.0.1:${port}/webhook/3f0c/sivi`,
			});
			expect(noSecret.status).toBe(401);
			// A lost delivery starts nothing: Sivi does not retry.
			sim.setFaults({ webhook: { lose: 1 } });
			const lost = await submitMedia(sim);
			await waitUntil('lost delivery', () =>
				sim.webhookDeliveries().some((d) => d.kind === 'lost' && d.requestId === lost),
			);
			expect(started.map((j) => j.requestId)).not.toContain(lost);
			expect(started).toHaveLength(3);
		} finally {
			await receiver.close();
		}
	});
});

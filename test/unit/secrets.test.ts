// The API key never leaks: across successes, every kind of Sivi refusal, lost answers, failing
// polls, timeouts, cancels, validation errors, downloads and uploads, with and without Continue
// On Fail, the key appears nowhere in the output items (JSON, binary metadata, attached errors)
// or in the thrown errors, however deeply they are taken apart. It is sent only to the Sivi API,
// never to file downloads or presigned uploads.
import { LoggerProxy, sleep, type INodeExecutionData } from 'n8n-workflow';
import { Logger } from 'n8n-core/node_modules/@n8n/backend-common';
import { Container } from 'n8n-core/node_modules/@n8n/di';

import { SiviApi } from '../../credentials/SiviApi.credentials';
import { jpegForName, startSimulator, type Simulator } from '../simulator';
import {
	binaryBuffer,
	contentParams,
	executeNode,
	mediaParams,
	perItemParams,
	promptParams,
	runNode,
	SIVI_TOOL_NODE_TYPE,
	type NodeParams,
	type RecordedRequest,
} from '../helpers/n8nEngine';

/** The API key every scenario uses: distinctive, so any copy of it is found. Not a real key. */
const CANARY = 'sk-sivi-SECRET-1234567890';
/** Forms a leaked key could take in text: as is, URL-encoded, base64, and its distinctive part. */
const NEEDLES = [
	CANARY,
	encodeURIComponent(CANARY),
	Buffer.from(CANARY).toString('base64'),
	'SECRET-1234567890',
];

// ---- taking things apart ----------------------------------------------------------------------

/** Every string reachable from `value`: own enumerable and non-enumerable properties, symbol
 * keys, getters (also inherited ones of errors), Map/Set entries and buffer contents. */
function collectStrings(
	value: unknown,
	out: string[] = [],
	seen = new WeakSet<object>(),
): string[] {
	if (value === null || value === undefined) return out;
	switch (typeof value) {
		case 'string':
			out.push(value);
			return out;
		case 'number':
		case 'boolean':
		case 'bigint':
			out.push(String(value));
			return out;
		case 'symbol':
			out.push(value.toString());
			return out;
		case 'function':
			out.push(String((value as { name?: unknown }).name ?? ''));
			break;
		default:
			break;
	}
	const object = value as object;
	if (seen.has(object)) return out;
	seen.add(object);
	if (Buffer.isBuffer(object) || ArrayBuffer.isView(object)) {
		const view = object as ArrayBufferView;
		out.push(Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString('latin1'));
		return out;
	}
	if (object instanceof Map) {
		for (const [key, entry] of object) {
			collectStrings(key, out, seen);
			collectStrings(entry, out, seen);
		}
	}
	if (object instanceof Set) for (const entry of object) collectStrings(entry, out, seen);

	const readAll = (holder: object, target: object) => {
		for (const key of Reflect.ownKeys(holder)) {
			out.push(String(key));
			const descriptor = Object.getOwnPropertyDescriptor(holder, key)!;
			if ('value' in descriptor) {
				if (holder === target) collectStrings(descriptor.value, out, seen);
			} else if (descriptor.get) {
				try {
					collectStrings(descriptor.get.call(target), out, seen);
				} catch {
					// a throwing getter holds nothing we could leak
				}
			}
		}
	};
	readAll(object, object);
	if (object instanceof Error) {
		// Getters defined by the error classes (e.g. on NodeError or SiviRequestError).
		let proto = Object.getPrototypeOf(object) as object | null;
		while (proto && proto !== Object.prototype) {
			readAll(proto, object);
			proto = Object.getPrototypeOf(proto) as object | null;
		}
	}
	return out;
}

/** Everything an error can tell: deep walk plus the serialisations n8n and loggers use. */
function errorStrings(error: unknown): string[] {
	const out = collectStrings(error);
	const details = error as {
		message?: unknown;
		description?: unknown;
		context?: unknown;
		cause?: unknown;
		stack?: unknown;
		toJSON?: () => unknown;
	};
	for (const part of [
		details.message,
		details.description,
		details.context,
		details.cause,
		details.stack,
	])
		collectStrings(part, out);
	out.push(String(error));
	try {
		out.push(JSON.stringify(error) ?? '');
	} catch (serialiseError) {
		out.push(String(serialiseError));
	}
	if (typeof details.toJSON === 'function') {
		const json = details.toJSON();
		collectStrings(json, out);
		out.push(JSON.stringify(json) ?? '');
	}
	return out;
}

function itemStrings(items: INodeExecutionData[]): string[] {
	const out: string[] = [];
	for (const item of items) {
		collectStrings(item.json, out);
		out.push(JSON.stringify(item.json));
		collectStrings(item.binary, out);
		out.push(JSON.stringify(item.binary ?? {}));
		collectStrings(item.pairedItem, out);
		if (item.error) out.push(...errorStrings(item.error));
	}
	return out;
}

function leaks(strings: string[]): string[] {
	const haystack = strings.join('\n');
	return NEEDLES.filter((needle) => haystack.includes(needle));
}

// ---- scenarios ----------------------------------------------------------------------------------

interface Scenario {
	name: string;
	params: NodeParams;
	items?: INodeExecutionData[];
	/** Simulator changes for this scenario (undone after it). */
	setup?: (sim: Simulator) => void;
	/**
	 * Make matching requests fail the way axios does on a network error (default ECONNRESET):
	 * the error carries the request's config and the header text sent, so the key is in it.
	 */
	transportFault?: { when: (request: RecordedRequest) => boolean; code?: string };
	baseUrl?: string;
	abortAfterMs?: number;
	/** Run the tool variant an AI agent uses. */
	tool?: boolean;
	/** 'success', or what the error message says. */
	expect: 'success' | RegExp;
	/** Binary files the successful output must carry. */
	downloads?: boolean;
}

const brand = { __rl: true, mode: 'id', value: 'b_default0001' };
const fast = { pollInterval: 0.05 };
const isPath = (suffix: string) => (request: RecordedRequest) => request.url.includes(suffix);

const photoItem = (): INodeExecutionData => ({
	json: {},
	binary: {
		photo: {
			data: jpegForName('secret-test-photo.jpg', 32, 32).toString('base64'),
			mimeType: 'image/jpeg',
			fileName: 'photo.jpg',
		},
	},
});

// n8n's NodeOperationError replaces a message that mentions a network error code (ECONNRESET,
// ETIMEDOUT, …) with its own generic sentence, so both wordings are accepted here.
const ANSWER_LOST = /answer was lost|closed unexpectedly/;
const POLLS_FAILED = /status checks kept failing|did not finish within|closed unexpectedly/;

const oneBadOneGood = perItemParams([
	contentParams({ numOfVariants: 9, options: fast }),
	contentParams({ numOfVariants: 1, options: fast }),
]);

const scenarios: Scenario[] = [
	{
		name: 'Generate Media succeeds and downloads its image',
		params: mediaParams({ brandId: brand, options: { ...fast, downloadImages: true } }),
		expect: 'success',
		downloads: true,
	},
	{
		name: 'Generate Media with the default brand and a binary input (presigned upload)',
		params: mediaParams({
			model: 'nano-banana:1k',
			dimensions: '1024x1024',
			binaryInputFields: 'photo',
			options: { ...fast, downloadImages: true },
		}),
		items: [photoItem()],
		expect: 'success',
		downloads: true,
	},
	{
		name: 'Designs from Content succeeds and downloads every variant',
		params: contentParams({ options: { ...fast, downloadImages: true } }),
		expect: 'success',
		downloads: true,
	},
	{
		name: 'Designs from Prompt split into items with downloads',
		params: promptParams({
			numOfVariants: 2,
			options: { ...fast, downloadImages: true, splitIntoItems: true },
		}),
		expect: 'success',
		downloads: true,
	},
	{
		name: 'Designs from Prompt as an AI tool',
		params: promptParams({ options: fast }),
		tool: true,
		expect: 'success',
	},
	{
		name: 'submit without waiting, then Get Status waits and downloads',
		params: {
			resource: 'request',
			operation: 'getStatus',
			requestId: '', // filled in by the test from a real submit
			waitForCompletion: true,
			options: { ...fast, maxWait: 10, downloadImages: true },
		},
		expect: 'success',
		downloads: true,
	},
	{
		name: 'wrong API key (401) on a design submit',
		params: contentParams({ options: fast }),
		setup: (sim) => sim.setOptions({ apiKey: 'sim-someone-elses-key' }),
		expect: /Sivi rejected the API key/,
	},
	{
		name: 'wrong API key (401) on Generate Media with a brand',
		params: mediaParams({ brandId: brand, options: fast }),
		setup: (sim) => sim.setOptions({ apiKey: 'sim-someone-elses-key' }),
		expect: /Sivi rejected the API key/,
	},
	{
		name: 'wrong API key (401) on Get Status',
		params: { resource: 'request', operation: 'getStatus', requestId: 'abcdef' },
		setup: (sim) => sim.setOptions({ apiKey: 'sim-someone-elses-key' }),
		expect: /Sivi rejected the API key/,
	},
	{
		name: 'out of credits (402) on a design',
		params: promptParams({ options: fast }),
		setup: (sim) => sim.setFaults({ submitFault: { kind: '402' } }),
		expect: /Not enough Sivi credits/,
	},
	{
		name: 'credit limit (429) on Generate Media',
		params: mediaParams({ brandId: brand, options: fast }),
		setup: (sim) => sim.setFaults({ submitFault: { kind: '429-credit' } }),
		expect: /Not enough Sivi credits/,
	},
	{
		name: 'brand that does not exist (404 from Sivi)',
		params: contentParams({
			designMode: 'brand',
			brandId: { __rl: true, mode: 'id', value: 'b_doesnotexist' },
			options: fast,
		}),
		expect: /Brand not found in workspace/,
	},
	{
		name: 'media ID Sivi does not know (404 from Sivi)',
		params: mediaParams({
			model: 'nano-banana:1k',
			dimensions: '1024x1024',
			siviMedia: {
				media: [{ mediaId: { __rl: true, mode: 'id', value: 'w_missing----photo_9.jpeg' } }],
			},
			options: fast,
		}),
		expect: /Media not found/,
	},
	{
		name: 'submit answer lost (socket reset after accept)',
		params: promptParams({ options: fast }),
		setup: (sim) => sim.setFaults({ submitFault: { kind: 'reset-after-accept' } }),
		expect: /answer was lost/,
	},
	{
		name: 'submit answered 500 after accept',
		params: mediaParams({ brandId: brand, options: fast }),
		setup: (sim) => sim.setFaults({ submitFault: { kind: '500-after-accept' } }),
		expect: /answer was lost/,
	},
	{
		name: 'every status poll answers 500',
		params: promptParams({ options: { ...fast, maxWait: 3 } }),
		setup: (sim) => sim.setFaults({ pollServerErrorRate: 1 }),
		expect: POLLS_FAILED,
	},
	{
		name: 'every status poll is reset',
		params: contentParams({ options: { ...fast, maxWait: 3 } }),
		setup: (sim) => sim.setFaults({ pollResetRate: 1 }),
		expect: POLLS_FAILED,
	},
	{
		name: 'job runs past Max Wait',
		params: promptParams({ options: { ...fast, maxWait: 0.3 } }),
		setup: (sim) => sim.setOptions({ jobDurationMs: 3000 }),
		expect: /did not finish within/,
	},
	{
		name: 'job ends failed',
		params: contentParams({ name: 'Broken [sim:fail]', options: fast }),
		expect: /ended as failed/,
	},
	{
		name: 'execution cancelled while waiting',
		params: mediaParams({ brandId: brand, options: fast }),
		setup: (sim) => sim.setOptions({ jobDurationMs: 3000 }),
		abortAfterMs: 200,
		expect: /cancelled/i,
	},
	{
		name: 'validation error on one item, the other succeeds',
		params: oneBadOneGood.params,
		items: oneBadOneGood.items,
		expect: /Number of Variants must be between 1 and 4/,
	},
	{
		name: 'Get Status of an unknown request (404)',
		params: { resource: 'request', operation: 'getStatus', requestId: 'doesNotExist1' },
		expect: /Request not found/,
	},
	{
		name: 'Sivi unreachable (connection refused)',
		params: promptParams({ options: fast }),
		// A closed port (fetch refuses well-known ports like 9 outright, axios would not).
		baseUrl: 'http://127.0.0.1:59999/api/prod/v2',
		expect: /Could not reach Sivi/,
	},
	{
		name: 'submit fails with an axios-like error that carries the key',
		params: promptParams({ options: fast }),
		transportFault: { when: isPath('/general/designs-from-prompt') },
		expect: ANSWER_LOST,
	},
	{
		name: 'default-brand lookup fails with an axios-like error that carries the key',
		params: mediaParams({ brandId: { __rl: true, mode: 'list', value: '' }, options: fast }),
		transportFault: { when: isPath('/general/brand/get'), code: 'ETIMEDOUT' },
		expect: /default brand.*did not answer in time/,
	},
	{
		name: 'status polls fail with an axios-like error that carries the key',
		params: contentParams({ options: { ...fast, maxWait: 3 } }),
		transportFault: { when: isPath('/general/get-request-status') },
		expect: POLLS_FAILED,
	},
	{
		name: 'presigned upload fails with an axios-like error',
		params: mediaParams({
			model: 'nano-banana:1k',
			dimensions: '1024x1024',
			brandId: brand,
			binaryInputFields: 'photo',
			options: fast,
		}),
		items: [photoItem()],
		transportFault: { when: isPath('/upload/') },
		expect: /socket hang up|closed unexpectedly/,
	},
	{
		name: 'image download fails with an axios-like error',
		params: mediaParams({ brandId: brand, options: { ...fast, downloadImages: true } }),
		transportFault: { when: isPath('/files/') },
		expect: /Could not download|closed unexpectedly/,
	},
	{
		name: 'connection refused on every call, axios-like (ECONNREFUSED)',
		params: contentParams({ options: fast }),
		transportFault: { when: () => true, code: 'ECONNREFUSED' },
		expect: /Could not reach Sivi|refused the connection/,
	},
];

// ---- running --------------------------------------------------------------------------------------

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({
		apiKey: CANARY,
		jobDurationMs: 60,
		rateLimit: { limit: 100_000, windowMs: 60_000 },
	});
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.setOptions({ apiKey: CANARY, jobDurationMs: 60, credits: Infinity });
	sim.setFaults({
		submitFault: null,
		pollServerErrorRate: 0,
		pollResetRate: 0,
		poll429Burst: null,
		failJobRate: 0,
		suspendJobRate: 0,
		slowJobRate: 0,
	});
	sim.resetCounters();
});

async function submittedRequestId(): Promise<string> {
	const [item] = await runNode({
		params: promptParams({ numOfVariants: 2, waitForCompletion: false }),
		baseUrl: sim.baseUrl,
		apiKey: CANARY,
	});
	return String(item.json.requestId);
}

interface RunResult {
	output: INodeExecutionData[];
	/** The Sivi node failed: the error the engine reported stopped the workflow. */
	failed: boolean;
	strings: string[];
	/** The message that tells what happened: the node's error, or the first error item's. */
	message?: string;
	/** How many requests the transport failed with an error that carries the key. */
	transportFaults: number;
}

async function runScenario(scenario: Scenario, continueOnFail: boolean): Promise<RunResult> {
	const params = { ...scenario.params };
	if (params.resource === 'request' && params.requestId === '')
		params.requestId = await submittedRequestId();
	sim.resetCounters();
	scenario.setup?.(sim);
	const controller = new AbortController();
	let transportFaults = 0;
	const { transportFault } = scenario;
	const running = executeNode({
		params,
		items: scenario.items,
		baseUrl: scenario.baseUrl ?? sim.baseUrl,
		apiKey: CANARY,
		continueOnFail,
		nodeType: scenario.tool ? SIVI_TOOL_NODE_TYPE : undefined,
		signal: controller.signal,
		intercept: (request) => {
			if (!transportFault?.when(request)) return;
			transportFaults++;
			return { failWith: transportFault.code ?? 'ECONNRESET' };
		},
	});
	if (scenario.abortAfterMs) {
		await sleep(scenario.abortAfterMs);
		controller.abort();
	}
	const run = await running;
	const { output } = run;
	// Everything n8n keeps of the execution: items and errors of every node, as stored and shown.
	const strings = [...itemStrings(output), ...collectStrings(run.run)];
	strings.push(JSON.stringify(run.run ?? {}));
	// The error as the node threw it (taken apart deeply), and as n8n keeps it.
	if (run.thrown !== undefined) strings.push(...errorStrings(run.thrown));
	if (run.error) strings.push(...errorStrings(run.error));
	for (const item of output)
		for (const file of Object.values(item.binary ?? {}))
			strings.push((await binaryBuffer(file)).toString('latin1'));
	const firstError = output.find((item) => item.error || item.json.error);
	const message = run.nodeFailed ? run.error?.message : firstError?.json.error?.toString();
	expect(run.thrown !== undefined).toBe(run.nodeFailed);
	return { output, failed: run.nodeFailed, strings, message, transportFaults };
}

describe('the leak search itself', () => {
	it('finds the key wherever it hides', () => {
		const inner = new Error('inner');
		Object.defineProperty(inner, 'config', {
			value: { headers: { 'sivi-api-key': CANARY } },
			enumerable: false,
		});
		const cyclic: Record<string, unknown> = { name: 'loop' };
		cyclic.self = cyclic;
		const outer = new Error('outer', { cause: inner });
		Object.assign(outer, { cyclic });
		expect(leaks(errorStrings(outer))).toContain(CANARY);

		const hiddenInGetter = {};
		Object.defineProperty(hiddenInGetter, 'key', {
			get: () => `Bearer ${CANARY}`,
			enumerable: false,
		});
		expect(leaks(collectStrings({ deep: [new Map([['k', hiddenInGetter]])] }))).toContain(CANARY);

		const inSymbol = { [Symbol('auth')]: new Set([Buffer.from(`x ${CANARY} y`)]) };
		expect(leaks(collectStrings(inSymbol))).toContain(CANARY);

		const item: INodeExecutionData = {
			json: { url: `https://x/?k=${encodeURIComponent(CANARY)}` },
			pairedItem: { item: 0 },
		};
		expect(leaks(itemStrings([item]))).toContain(encodeURIComponent(CANARY));

		expect(leaks(errorStrings(new Error('nothing secret here', { cause: cyclic })))).toEqual([]);
	});

	it('sees the key in what the test transport records, so the node does send it', async () => {
		const { requests } = await executeNode({
			params: promptParams({ waitForCompletion: false }),
			baseUrl: sim.baseUrl,
			apiKey: CANARY,
		});
		expect(leaks(collectStrings(requests))).toContain(CANARY);
		expect(sim.counters().submits).toBe(1);
	});
});

describe('the credential', () => {
	it('stores the API key as a password field', () => {
		const apiKey = new SiviApi().properties.find((property) => property.name === 'apiKey');
		expect(apiKey).toBeDefined();
		expect(apiKey!.type).toBe('string');
		expect(apiKey!.typeOptions?.password).toBe(true);
	});
});

describe.each([
	['without Continue On Fail', false],
	['with Continue On Fail', true],
])('the API key never leaks (%s)', (_label, continueOnFail) => {
	it.each(scenarios.map((scenario) => [scenario.name, scenario] as const))(
		'%s',
		async (_name, scenario) => {
			const result = await runScenario(scenario, continueOnFail);

			// The scenario did what it says (so the search below looked at something real).
			if (scenario.expect === 'success') {
				expect(result.failed).toBe(false);
				expect(result.output.length).toBeGreaterThan(0);
				expect(result.output.map((item) => [item.error, item.json.status])).toEqual(
					result.output.map(() => [undefined, 'completed']),
				);
				// Downloads put files on every item; an agent's tool output has none.
				expect(result.output.map((item) => Object.keys(item.binary ?? {}).length > 0)).toEqual(
					result.output.map(() => !!scenario.downloads),
				);
			} else {
				expect(result.message).toMatch(scenario.expect);
				// Without Continue On Fail the node's error stops the workflow; with it, error items.
				expect(result.failed).toBe(!continueOnFail);
				expect(result.output.some((item) => item.json.error)).toBe(continueOnFail);
			}
			expect(result.transportFaults > 0).toBe(!!scenario.transportFault);
			expect(result.strings.length).toBeGreaterThan(0);

			expect(leaks(result.strings)).toEqual([]);

			// The key went only to the Sivi API, never to file downloads or presigned uploads.
			const log = sim.counters().log;
			const keyedElsewhere = log.filter(
				(entry) =>
					!entry.path.startsWith('general/') && entry.headers['sivi-api-key'] !== undefined,
			);
			expect(keyedElsewhere).toEqual([]);
			expect(log.some((entry) => entry.path.startsWith('/files/'))).toBe(!!scenario.downloads);
		},
	);
});

// ---- the end user's tokens ----------------------------------------------------------------------

// End User → Create (super/login-user) gets an access and a refresh token that let anyone act as
// the end user. They reach the output only with Include Tokens, and never an error or n8n's log.

/** Everything n8n and the node log in this file's runs (n8n-core's Logger and LoggerProxy). */
const logged: string[] = [];
const captureLogger = new Proxy({} as Record<string, unknown>, {
	get(_target, key) {
		if (key === 'scoped') return () => captureLogger;
		return (...args: unknown[]) => {
			logged.push(String(key));
			for (const arg of args) {
				collectStrings(arg, logged);
				try {
					logged.push(JSON.stringify(arg) ?? '');
				} catch (serialiseError) {
					logged.push(String(serialiseError));
				}
			}
		};
	},
});

/** Every token the simulator has issued so far, and the distinctive part of each access token. */
const tokenNeedles = () =>
	sim
		.endUsers()
		.flatMap((user) => user.tokens)
		.flatMap((token) => [token.accessToken, token.accessMarker, token.refreshToken]);

const leakedTokens = (strings: string[]) => {
	const haystack = strings.join('\n');
	return tokenNeedles().filter((needle) => haystack.includes(needle));
};

/** Logs an end user in straight at the simulator (tokens the node never sees). */
async function loginDirect(abstractUserId: string): Promise<void> {
	const response = await fetch(`${sim.baseUrl}/super/login-user`, {
		method: 'POST',
		headers: { 'sivi-api-key': CANARY, 'content-type': 'application/json' },
		body: JSON.stringify({ abstractUserId }),
	});
	expect(response.status).toBe(200);
}

const endUserParams = (operation: string, params: NodeParams): NodeParams => ({
	resource: 'endUser',
	operation,
	...params,
});

interface TokenScenario {
	name: string;
	params: NodeParams;
	items?: INodeExecutionData[];
	setup?: () => Promise<void>;
	/** Fail the n-th (1-based) request to super/login-user the way axios does on a reset. */
	resetLogin?: number;
	/** 'success', or what the error message says. */
	expect: 'success' | RegExp;
	/** Tokens the run must get from Sivi (Create items that succeed). */
	issued: number;
}

const twoCreates = perItemParams([
	endUserParams('create', { abstractUserId: 'leak-a' }),
	endUserParams('create', { abstractUserId: 'leak-b' }),
]);

const tokenScenarios: TokenScenario[] = [
	{
		name: 'Create without Include Tokens',
		params: endUserParams('create', { abstractUserId: 'leak-1' }),
		expect: 'success',
		issued: 1,
	},
	{
		name: 'Create with a brand, Include Tokens off',
		params: endUserParams('create', {
			abstractUserId: 'leak-2',
			brand: { brandName: 'Leak Cafe', brandDescription: 'Coffee', brandUrl: 'https://x.example' },
			options: { includeTokens: false },
		}),
		expect: 'success',
		issued: 1,
	},
	{
		name: 'two Creates, the answer of the second lost',
		params: twoCreates.params,
		items: twoCreates.items,
		resetLogin: 2,
		expect: /answer was lost|closed unexpectedly/,
		issued: 1,
	},
	{
		name: 'Set Credit Limit of an end user Sivi does not know (400)',
		params: endUserParams('setCreditLimit', { abstractUserId: 'leak-none', creditLimit: 3 }),
		setup: async () => await loginDirect('leak-other'),
		expect: /does not exist in Sivi/,
		issued: 0,
	},
	{
		name: 'Delete of an end user deleted before (400)',
		params: endUserParams('delete', { abstractUserId: 'leak-gone' }),
		setup: async () => {
			await loginDirect('leak-gone');
			await fetch(`${sim.baseUrl}/super/delete-user`, {
				method: 'POST',
				headers: { 'sivi-api-key': CANARY, 'content-type': 'application/json' },
				body: JSON.stringify({ abstractUserId: 'leak-gone' }),
			});
		},
		expect: /does not exist in Sivi/,
		issued: 0,
	},
	{
		name: 'a job of an end user over their credit limit (429)',
		params: promptParams({ options: fast, additionalFields: { abstractUserId: 'leak-capped' } }),
		setup: async () => {
			await loginDirect('leak-capped');
			await fetch(`${sim.baseUrl}/super/set-user-credit-limit`, {
				method: 'POST',
				headers: { 'sivi-api-key': CANARY, 'content-type': 'application/json' },
				body: JSON.stringify({ abstractUserId: 'leak-capped', creditLimit: 0 }),
			});
		},
		expect: /Not enough Sivi credits/,
		issued: 0,
	},
];

describe('the end user’s tokens', () => {
	beforeAll(() => {
		LoggerProxy.init(captureLogger as unknown as Parameters<typeof LoggerProxy.init>[0]);
		Container.set(Logger, captureLogger);
	});
	beforeEach(() => {
		logged.length = 0;
	});

	it('reach the output with Include Tokens, where the search finds them', async () => {
		const before = tokenNeedles().length;
		const run = await executeNode({
			params: endUserParams('create', {
				abstractUserId: 'leak-asked',
				options: { includeTokens: true },
			}),
			baseUrl: sim.baseUrl,
			apiKey: CANARY,
		});
		expect(tokenNeedles().length).toBe(before + 3);
		const [accessToken, , refreshToken] = tokenNeedles().slice(before);
		expect(leakedTokens(itemStrings(run.output))).toEqual([accessToken, refreshToken]);
		expect(logged.length).toBeGreaterThan(0);
		expect(leakedTokens(logged)).toEqual([]);
	});

	describe.each([
		['without Continue On Fail', false],
		['with Continue On Fail', true],
	])('appear in no output, error or log unless asked (%s)', (_label, continueOnFail) => {
		it.each(tokenScenarios.map((scenario) => [scenario.name, scenario] as const))(
			'%s',
			async (_name, scenario) => {
				await scenario.setup?.();
				const before = tokenNeedles().length;
				let logins = 0;
				const run = await executeNode({
					params: scenario.params,
					items: scenario.items,
					baseUrl: sim.baseUrl,
					apiKey: CANARY,
					continueOnFail,
					intercept: (request) => {
						if (!request.url.includes('/super/login-user')) return;
						logins++;
						if (logins === scenario.resetLogin) return { failWith: 'ECONNRESET' };
					},
				});
				// The scenario did what it says, and Sivi issued the tokens searched for below.
				expect(tokenNeedles().length - before).toBe(scenario.issued * 3);
				const firstError = run.output.find((item) => item.json.error);
				const message = run.nodeFailed ? run.error?.message : firstError?.json.error?.toString();
				if (scenario.expect === 'success') expect(run.nodeFailed).toBe(false);
				else expect(message).toMatch(scenario.expect);
				expect(run.nodeFailed).toBe(scenario.expect !== 'success' && !continueOnFail);

				const strings = [...itemStrings(run.output), ...collectStrings(run.run)];
				strings.push(JSON.stringify(run.run ?? {}));
				if (run.thrown !== undefined) strings.push(...errorStrings(run.thrown));
				if (run.error) strings.push(...errorStrings(run.error));
				expect(leakedTokens(strings)).toEqual([]);
				// n8n logged the run (so the search below looked at something real).
				expect(logged.length).toBeGreaterThan(0);
				expect(leakedTokens(logged)).toEqual([]);
				expect(leaks(logged)).toEqual([]);
			},
		);
	});
});

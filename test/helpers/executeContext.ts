// A hand-built IExecuteFunctions for unit tests: parameters from a plain object (or a function
// per item), real HTTP to the simulator through fetch with n8n's request option semantics,
// and an in-memory binary store. Real n8n is exercised by the end-to-end suite.
import { createHash } from 'node:crypto';

import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { Sivi } from '../../nodes/Sivi/Sivi.node';

/**
 * The unit tests' Sivi plan: jobs of ~100 ms need far more requests per minute than a real plan
 * allows; tests of the plans pass `credentials: { plan: 'general' }`.
 */
export const TEST_PLAN = {
	plan: 'custom',
	requestsPerMinute: 100_000,
	concurrency: 4,
	queueSize: 10,
};

export type ParamValue = unknown | ((itemIndex: number) => unknown);

export interface ContextOptions {
	params: Record<string, ParamValue>;
	items?: INodeExecutionData[];
	baseUrl: string;
	apiKey: string;
	continueOnFail?: boolean;
	toolExecution?: boolean;
	signal?: AbortSignal;
	/** The node's On Error setting. */
	onError?: INode['onError'];
	/** Node type; the tool variant an agent runs through the workflow engine ends in `Tool`. */
	nodeType?: string;
	/** Extra credential fields (plan, custom limits, processes sharing the key). */
	credentials?: IDataObject;
}

export interface RecordedRequest {
	method: string;
	url: string;
	headers: Record<string, string>;
	body?: unknown;
	authenticated: boolean;
}

export interface TestContext {
	context: IExecuteFunctions;
	requests: RecordedRequest[];
	binaries: Map<string, Buffer>;
}

const node: INode = {
	id: 'sivi-node-test',
	name: 'Sivi',
	type: 'n8n-nodes-sivi.sivi',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

function readParam(
	params: Record<string, ParamValue>,
	name: string,
	itemIndex: number,
	fallback: unknown,
) {
	const [head, ...rest] = name.split('.');
	if (!(head in params)) return fallback;
	let value = params[head];
	if (typeof value === 'function') value = (value as (i: number) => unknown)(itemIndex);
	for (const key of rest) value = (value as IDataObject | undefined)?.[key];
	return value === undefined ? fallback : value;
}

async function httpCall(
	options: IHttpRequestOptions,
	extraHeaders: Record<string, string>,
	requests: RecordedRequest[],
	authenticated: boolean,
): Promise<unknown> {
	const url = new URL(options.url);
	for (const [key, value] of Object.entries(options.qs ?? {}))
		url.searchParams.set(key, String(value));
	const headers: Record<string, string> = {
		...(options.headers as Record<string, string>),
		...extraHeaders,
	};
	let body: string | Buffer | undefined;
	if (options.body !== undefined) {
		if (Buffer.isBuffer(options.body)) {
			body = options.body;
		} else {
			body = JSON.stringify(options.body);
			headers['content-type'] = headers['content-type'] ?? 'application/json';
		}
	}
	requests.push({
		method: options.method ?? 'GET',
		url: url.toString(),
		headers,
		body: options.body !== undefined && !Buffer.isBuffer(options.body) ? options.body : undefined,
		authenticated,
	});
	const signals = [
		options.abortSignal,
		options.timeout ? AbortSignal.timeout(options.timeout) : undefined,
	].filter((signal): signal is AbortSignal => !!signal);
	const response = await fetch(url, {
		method: options.method ?? 'GET',
		headers,
		body,
		signal: signals.length ? AbortSignal.any(signals) : undefined,
	});
	const responseHeaders: IDataObject = {};
	response.headers.forEach((value, key) => (responseHeaders[key] = value));
	let parsed: unknown;
	if (options.encoding === 'stream') {
		// Web streams are async-iterable like Node streams; destroy() maps to cancel().
		const stream = response.body!;
		parsed = Object.assign(stream, { destroy: () => void stream.cancel().catch(() => undefined) });
	} else if (options.encoding === 'arraybuffer') {
		parsed = Buffer.from(await response.arrayBuffer());
	} else {
		const text = await response.text();
		try {
			parsed = options.json === false ? text : JSON.parse(text);
		} catch {
			parsed = text;
		}
	}
	if (!options.ignoreHttpStatusErrors && response.status >= 400) {
		throw Object.assign(new Error(`Request failed with status code ${response.status}`), {
			httpCode: response.status,
		});
	}
	return options.returnFullResponse
		? { statusCode: response.status, headers: responseHeaders, body: parsed }
		: parsed;
}

export function createContext(options: ContextOptions): TestContext {
	const requests: RecordedRequest[] = [];
	const binaries = new Map<string, Buffer>();
	const items: INodeExecutionData[] = options.items ?? [{ json: {} }];
	let binaryCounter = 0;

	const helpers = {
		httpRequest: async (request: IHttpRequestOptions) =>
			await httpCall(request, {}, requests, false),
		httpRequestWithAuthentication: async (_credential: string, request: IHttpRequestOptions) =>
			await httpCall(request, { 'sivi-api-key': options.apiKey }, requests, true),
		prepareBinaryData: async (
			buffer: Buffer,
			fileName?: string,
			mimeType?: string,
		): Promise<IBinaryData> => {
			const id = `mem-${++binaryCounter}`;
			binaries.set(id, buffer);
			return {
				id,
				data: 'filesystem-v2',
				mimeType: mimeType ?? 'application/octet-stream',
				fileName,
				fileExtension: fileName?.split('.').pop(),
				fileSize: String(buffer.length),
			};
		},
		assertBinaryData: (itemIndex: number, name: string): IBinaryData => {
			const binary = items[itemIndex]?.binary?.[name];
			if (!binary)
				throw new Error(
					`This operation expects the node's input data to contain a binary file '${name}', but none was found [item ${itemIndex}]`,
				);
			return binary;
		},
		getBinaryDataBuffer: async (itemIndex: number, name: string): Promise<Buffer> =>
			Buffer.from(items[itemIndex].binary![name].data, 'base64'),
		returnJsonArray: (data: IDataObject | IDataObject[]) =>
			(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
	};

	const context = {
		getInputData: () => items,
		getNode: () => ({ ...node, type: options.nodeType ?? node.type, onError: options.onError }),
		// Like n8n: a missing parameter without a fallback value is an error.
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const value = readParam(options.params, name, itemIndex, fallback);
			if (value === undefined) throw new Error(`Could not get parameter "${name}"`);
			return value;
		},
		getCredentials: async () => ({
			apiKey: options.apiKey,
			baseUrl: options.baseUrl,
			...TEST_PLAN,
			...options.credentials,
		}),
		continueOnFail: () => options.continueOnFail ?? false,
		isToolExecution: () => options.toolExecution ?? false,
		getExecutionCancelSignal: () => options.signal,
		helpers,
	} as unknown as IExecuteFunctions;
	return { context, requests, binaries };
}

/** Runs the Sivi node's execute() with the given context. */
export async function runNode(context: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const [output] = await new Sivi().execute.call(context);
	return output;
}

export function sha256(buffer: Buffer): string {
	return createHash('sha256').update(buffer).digest('hex');
}

/** Parameters of a small valid Generate Media call; override what a test needs. */
export function mediaParams(
	overrides: Record<string, ParamValue> = {},
): Record<string, ParamValue> {
	return {
		resource: 'media',
		operation: 'generate',
		prompt: 'Flat-lay of a ceramic mug on linen, soft morning light',
		model: 'z-image-turbo',
		dimensions: '1344x768',
		brandId: { __rl: true, mode: 'id', value: 'b_default0001' },
		waitForCompletion: true,
		options: { pollInterval: 0.05, downloadImages: false },
		...overrides,
	};
}

/** What both design operations share in the tests: a small, valid, waiting design. */
const designDefaults: Record<string, ParamValue> = {
	resource: 'design',
	designMode: 'auto',
	designModel: 'auto',
	language: 'english',
	waitForCompletion: true,
	options: { pollInterval: 0.05 },
};

export function contentParams(
	overrides: Record<string, ParamValue> = {},
): Record<string, ParamValue> {
	return {
		...designDefaults,
		operation: 'createFromContent',
		name: 'Spring sale banner',
		designType: 'instagram',
		subtype: 'instagram-post',
		numOfVariants: 2,
		title: 'Fresh styles for spring',
		content: { offer: 'Save 25% this week' },
		...overrides,
	};
}

export function promptParams(
	overrides: Record<string, ParamValue> = {},
): Record<string, ParamValue> {
	return {
		...designDefaults,
		operation: 'createFromPrompt',
		prompt: 'Autumn coffee promo for a neighbourhood cafe, 2-for-1 lattes on weekdays',
		designType: 'displayAds',
		subtype: 'displayAds-inline-rectangle',
		numOfVariants: 1,
		...overrides,
	};
}

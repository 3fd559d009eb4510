// Runs the Sivi node the way n8n runs it: n8n-core's WorkflowExecute executes a workflow of two
// nodes, an input node that emits the test's items and the Sivi node after it. So parameters get
// n8n's defaults, displayOptions, expressions and resource-locator handling; the siviApi
// credential is applied by a credentials helper through the credential type's own `authenticate`;
// HTTP goes through n8n's request helpers (axios) to the simulator; binary data goes through n8n's
// BinaryDataService (in memory); Continue On Fail, the error output and n8n's post-processing of
// error items are the engine's. Modelled on NodeTestHarness in n8n's repository
// (packages/core/nodes-testing).
import { createHash } from 'node:crypto';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- test harness: tells which execution sent an HTTP request
import { AsyncLocalStorage } from 'node:async_hooks';

// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- the axios that n8n's HTTP helpers (@n8n/backend-network) send through; the harness records and faults requests there
import axios, { AxiosError, AxiosHeaders, type InternalAxiosRequestConfig } from 'axios';
import {
	BinaryDataConfig,
	BinaryDataService,
	ErrorReporter,
	ExecutionLifecycleHooks,
	InstanceSettings,
	LoadOptionsContext,
	WorkflowExecute,
} from 'n8n-core';
// n8n-core resolves its own copy of @n8n/di (npm nests it under n8n-core); the services the
// engine looks up live in that copy's Container.
import { Container } from 'n8n-core/node_modules/@n8n/di';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeConnectionTypes,
	Workflow,
	type ExecutionStatus,
	type IBinaryData,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowBase,
	type IWorkflowExecuteAdditionalData,
	type NodeExecutionHint,
} from 'n8n-workflow';

import { SiviApi } from '../../credentials/SiviApi.credentials';
import { Sivi } from '../../nodes/Sivi/Sivi.node';
import { sentBodyProblems } from './sentBodies';

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

export const SIVI_NODE_TYPE = 'n8n-nodes-sivi.sivi';
/** The tool variant n8n derives from a `usableAsTool` node; AI agents run it. */
export const SIVI_TOOL_NODE_TYPE = 'n8n-nodes-sivi.siviTool';
const INPUT_NODE_TYPE = 'n8n-nodes-sivi-test.input';
const NODE_NAME = 'Sivi';
const INPUT_NODE_NAME = 'Input';

/** Node parameters as a workflow stores them (INodeParameters, loosely typed for tests). */
export type NodeParams = Record<string, unknown>;

export interface NodeRunOptions {
	/**
	 * The Sivi node's parameters as a workflow stores them. Values that differ per item are n8n
	 * expressions over the item (`'={{ $json.prompt }}'`); resource locators are
	 * `{ __rl: true, mode, value }`.
	 */
	params: NodeParams;
	/** The items the Sivi node receives (one empty item if not given). */
	items?: INodeExecutionData[];
	baseUrl: string;
	apiKey: string;
	/** Credential fields besides the key and base URL (plan, limits, processes); TEST_PLAN if absent. */
	credentials?: IDataObject;
	/** On Error "Continue" (continueRegularOutput), unless onError is given. */
	continueOnFail?: boolean;
	/** The node's On Error setting (n8n's default: stopWorkflow). */
	onError?: INode['onError'];
	/** Node type, e.g. SIVI_TOOL_NODE_TYPE for the tool variant an AI agent runs. */
	nodeType?: string;
	/** Aborting it cancels the execution, as the Stop button does. */
	signal?: AbortSignal;
	/**
	 * Sees every HTTP request of this execution before it is sent. It may change the request's
	 * timeout, or make it fail the way a network error does (an AxiosError with that code, carrying
	 * the request's config and headers like a real one).
	 */
	intercept?: (request: RecordedRequest) => InterceptAction | void;
}

export interface InterceptAction {
	timeoutMs?: number;
	/** Fail with this network error code (ECONNRESET, ETIMEDOUT, ECONNREFUSED, …). */
	failWith?: string;
	/** Fail with this error instead of sending (what n8n throws when it ends a tool run). */
	throwError?: Error;
}

/** An HTTP request as n8n's transport sends it: headers include the credential's. */
export interface RecordedRequest {
	method: string;
	/** The full URL, query string included. */
	url: string;
	headers: Record<string, string>;
	/** The JSON body, when the request had one (binary bodies are left out). */
	body?: unknown;
	/** The timeout the request asked for, in ms. */
	timeoutMs?: number;
}

/** An error as the engine reports it in the run data (what n8n shows the user). */
export interface EngineError {
	message: string;
	name?: string;
	description?: string | null;
	httpCode?: string | null;
	context?: IDataObject;
	[key: string]: unknown;
}

export interface NodeRun {
	/** The Sivi node's first output (main[0]). */
	output: INodeExecutionData[];
	/** The error output (main[1]); empty unless On Error is continueErrorOutput. */
	errorOutput: INodeExecutionData[];
	/** The Sivi node's error when it failed, else the execution's error (e.g. cancelled). */
	error?: EngineError;
	/** The Sivi node failed (its error stopped the workflow). */
	nodeFailed: boolean;
	/** What the node's execute() threw, as thrown (`error` is the engine's copy of it). */
	thrown?: unknown;
	/** Execution hints the node added (shown under its output in the editor). */
	hints: NodeExecutionHint[];
	status: ExecutionStatus;
	requests: RecordedRequest[];
	/** The engine's whole run data; absent when the engine refused to start. */
	run?: IRun;
}

export interface RunningNode {
	/** Requests sent so far (filled while the execution runs). */
	requests: RecordedRequest[];
	result: Promise<NodeRun>;
}

// ------------------------------------------------------------------------------ n8n services

function setUpServices(): void {
	// The engine's services without the n8n server around them: no settings file, no error
	// reporting, binary data kept in memory (n8n's 'default' mode).
	Container.set(InstanceSettings, {
		instanceId: 'sivi-node-tests',
		instanceType: 'main',
		hmacSignatureSecret: 'sivi-node-tests',
		encryptionKey: 'sivi-node-tests',
		n8nFolder: '/nonexistent/sivi-node-tests',
	} as unknown as InstanceSettings);
	Container.set(ErrorReporter, {
		error: () => undefined,
		warn: () => undefined,
		info: () => undefined,
	} as unknown as ErrorReporter);
	Container.set(BinaryDataConfig, {
		mode: 'default',
		availableModes: ['default'],
		localStoragePath: '/nonexistent/sivi-node-tests',
		signingSecret: 'sivi-node-tests',
		dbMaxFileSize: 512,
	} as unknown as BinaryDataConfig);
}

let servicesReady = false;
function services(): void {
	if (servicesReady) return;
	setUpServices();
	installInterceptor();
	servicesReady = true;
}

/** The bytes of binary data the node produced or received, read the way n8n reads them. */
export async function binaryBuffer(binary: IBinaryData): Promise<Buffer> {
	services();
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

export function sha256(buffer: Buffer): string {
	return createHash('sha256').update(buffer).digest('hex');
}

// ------------------------------------------------------------------------------ HTTP

interface RunTap {
	requests: RecordedRequest[];
	intercept?: NodeRunOptions['intercept'];
	thrown?: unknown;
}

/** Execution cancel signal → the run that owns it: every Sivi request carries its execution's. */
const tapsBySignal = new WeakMap<object, RunTap>();
/** Requests without a signal (presigned uploads) belong to the execution whose code sent them. */
const currentTap = new AsyncLocalStorage<RunTap>();

function headerRecord(config: InternalAxiosRequestConfig): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(AxiosHeaders.from(config.headers).toJSON()))
		if (value !== undefined && value !== null) headers[name.toLowerCase()] = String(value);
	return headers;
}

function recorded(config: InternalAxiosRequestConfig): RecordedRequest {
	const url = new URL(axios.getUri(config));
	const json = config.data !== undefined && !Buffer.isBuffer(config.data);
	return {
		method: String(config.method ?? 'get').toUpperCase(),
		url: url.toString(),
		headers: headerRecord(config),
		body: json ? config.data : undefined,
		timeoutMs: config.timeout,
	};
}

/** What axios throws when the network fails: the request's config (headers too) comes with it. */
function networkError(config: InternalAxiosRequestConfig, code: string): AxiosError {
	const url = new URL(axios.getUri(config));
	const message =
		code === 'ETIMEDOUT'
			? `timeout of ${config.timeout ?? 0}ms exceeded`
			: code === 'ECONNREFUSED'
				? `connect ECONNREFUSED ${url.hostname}:${url.port}`
				: 'socket hang up';
	const headers = headerRecord(config);
	// The request of a real error is the ClientRequest, whose _header holds what was sent.
	const request = {
		method: String(config.method).toUpperCase(),
		path: `${url.pathname}${url.search}`,
		_header: `${String(config.method).toUpperCase()} ${url.pathname}${url.search} HTTP/1.1\r\n${Object.entries(
			headers,
		)
			.map(([name, value]) => `${name}: ${value}`)
			.join('\r\n')}\r\n\r\n`,
	};
	return AxiosError.from(Object.assign(new Error(message), { code }), code, config, request);
}

let interceptorInstalled = false;
function installInterceptor(): void {
	if (interceptorInstalled) return;
	interceptorInstalled = true;
	axios.interceptors.request.use((config) => {
		const tap =
			(config.signal && tapsBySignal.get(config.signal as object)) || currentTap.getStore();
		if (!tap) return config;
		const request = recorded(config);
		tap.requests.push(request);
		const action = tap.intercept?.(request);
		if (action?.timeoutMs !== undefined) config.timeout = action.timeoutMs;
		if (action?.failWith) {
			const code = action.failWith;
			config.adapter = async () => await Promise.reject(networkError(config, code));
		}
		if (action?.throwError) {
			const error = action.throwError;
			config.adapter = async () => await Promise.reject(error);
		}
		return config;
	});
}

// ------------------------------------------------------------------------------ node types

/** Emits the test's items, and tells the harness the execution's cancel signal. */
function inputNodeType(tap: RunTap): INodeType {
	return {
		description: {
			displayName: 'Test Input',
			name: 'input',
			group: ['input'],
			version: 1,
			description: 'The items of the test',
			defaults: { name: INPUT_NODE_NAME },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			// Every context of this execution hands out the same signal, and the node passes it
			// with each Sivi request and download.
			const signal = this.getExecutionCancelSignal();
			if (signal) tapsBySignal.set(signal, tap);
			return [this.getInputData()];
		},
	};
}

class TestNodeTypes implements INodeTypes {
	private readonly types: Record<string, INodeType>;

	constructor(tap: RunTap, sivi: INodeType = new Sivi()) {
		// Keeps what execute() throws, as thrown (the run data holds the engine's copy of it).
		async function execute(this: IExecuteFunctions) {
			const running = sivi.execute!.call(this);
			running.catch((error: unknown) => (tap.thrown = error));
			return await running;
		}
		this.types = {
			[SIVI_NODE_TYPE]: { description: sivi.description, execute },
			// n8n derives the tool variant of a `usableAsTool` node: same node, type name + "Tool".
			[SIVI_TOOL_NODE_TYPE]: {
				description: { ...sivi.description, name: 'siviTool', displayName: 'Sivi Tool' },
				execute,
			},
			[INPUT_NODE_TYPE]: inputNodeType(tap),
		};
	}

	getByName(type: string): INodeType {
		return this.getByNameAndVersion(type);
	}

	getByNameAndVersion(type: string): INodeType {
		const nodeType = this.types[type];
		if (!nodeType) throw new Error(`Unknown node type ${type}`);
		return nodeType;
	}

	getKnownTypes() {
		return {};
	}
}

// ------------------------------------------------------------------------------ credentials

/** Gives the node its siviApi credential and applies it the way the credential type says. */
class TestCredentialsHelper extends ICredentialsHelper {
	private readonly type = new SiviApi();

	constructor(private readonly data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		if (typeName !== this.type.name) throw new Error(`No credential of type ${typeName}`);
		const { authenticate } = this.type;
		const resolve = (value: unknown) =>
			typeof value === 'string' && value.startsWith('=')
				? workflow!.expression.getSimpleParameterValue(node!, value, 'internal', {
						$credentials: credentials,
					} as IDataObject)
				: value;
		const options = requestOptions as unknown as Record<string, IDataObject | undefined>;
		for (const [target, values] of Object.entries(authenticate.properties)) {
			const into = (options[target] = { ...(options[target] ?? {}) });
			for (const [key, value] of Object.entries(values as IDataObject))
				into[String(resolve(key))] = resolve(value) as IDataObject[string];
		}
		return requestOptions;
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('The tests use decrypted credentials only');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		_nodeCredentials: unknown,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		if (type !== this.type.name) throw new Error(`No credential of type ${type}`);
		return { ...this.data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties() {
		return this.type.properties;
	}
}

// ------------------------------------------------------------------------------ running

let executions = 0;

type Credentials = Pick<NodeRunOptions, 'baseUrl' | 'apiKey' | 'credentials'>;

function additionalData(
	executionId: string,
	credentials: Credentials,
	workflow: IWorkflowBase,
): IWorkflowExecuteAdditionalData {
	const unavailable = (what: string) => async () => {
		throw new Error(`${what} is not available in the node tests`);
	};
	return {
		executionId,
		credentialsHelper: new TestCredentialsHelper({
			apiKey: credentials.apiKey,
			baseUrl: credentials.baseUrl,
			...(credentials.credentials ?? TEST_PLAN),
		}),
		hooks: new ExecutionLifecycleHooks('manual', executionId, workflow),
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		logAiEvent: () => undefined,
		executeWorkflow: unavailable('Executing sub-workflows'),
		getRunExecutionData: unavailable('Reading other executions'),
		startRunnerTask: unavailable('The task runner'),
	} as unknown as IWorkflowExecuteAdditionalData;
}

/** The workflow [Input → Sivi]; n8n fills in the Sivi node's defaults and drops hidden values. */
function testWorkflow(options: Omit<NodeRunOptions, 'baseUrl' | 'apiKey'>, nodeTypes: INodeTypes) {
	const inputNode: INode = {
		id: 'input-node',
		name: INPUT_NODE_NAME,
		type: INPUT_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const siviNode: INode = {
		id: 'sivi-node',
		name: NODE_NAME,
		type: options.nodeType ?? SIVI_NODE_TYPE,
		typeVersion: 1,
		position: [200, 0],
		parameters: structuredClone(options.params) as INodeParameters,
		credentials: { siviApi: { id: 'sivi-test-credential', name: 'Sivi account' } },
		onError: options.onError ?? (options.continueOnFail ? 'continueRegularOutput' : 'stopWorkflow'),
	};
	const connections = {
		[INPUT_NODE_NAME]: { main: [[{ node: NODE_NAME, type: NodeConnectionTypes.Main, index: 0 }]] },
	};
	const settings = { executionOrder: 'v1' as const };
	const workflow = new Workflow({
		id: 'sivi-test-workflow',
		name: 'Sivi node test',
		nodes: [inputNode, siviNode],
		connections,
		active: false,
		nodeTypes,
		settings,
	});
	const workflowData = {
		id: workflow.id,
		name: workflow.name,
		active: false,
		activeVersionId: null,
		isArchived: false,
		nodes: [inputNode, siviNode],
		connections,
		settings,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as IWorkflowBase;
	return { workflow, workflowData, inputNode, siviNode };
}

/** Starts one execution of [Input → Sivi] with the given items; resolves when it has ended. */
export function startNode(options: NodeRunOptions): RunningNode {
	return startExecution(options);
}

function startExecution(options: NodeRunOptions, siviType?: INodeType): RunningNode {
	services();
	const tap: RunTap = { requests: [], intercept: options.intercept };
	const executionId = `sivi-test-${++executions}`;
	const nodeTypes = new TestNodeTypes(tap, siviType);
	const { workflow, workflowData, inputNode } = testWorkflow(options, nodeTypes);
	const items = structuredClone(options.items ?? [{ json: {} }]);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: inputNode, data: { main: [items] }, source: null }],
		},
	});
	const execute = new WorkflowExecute(
		additionalData(executionId, options, workflowData),
		'manual',
		runExecutionData,
	);
	const result = currentTap.run(tap, async () => {
		let running: ReturnType<WorkflowExecute['processRunExecutionData']>;
		try {
			running = execute.processRunExecutionData(workflow);
		} catch (error) {
			// The engine refuses to start a workflow with issues (e.g. an empty required field).
			return notStarted(error as Error, tap);
		}
		const cancel = () => running.cancel();
		if (options.signal?.aborted) cancel();
		options.signal?.addEventListener('abort', cancel, { once: true });
		try {
			return nodeRun(await running, tap);
		} finally {
			options.signal?.removeEventListener('abort', cancel);
		}
	});
	return { requests: tap.requests, result };
}

/**
 * The context n8n gives the node's listSearch and loadOptions methods while the user edits the
 * parameter at `path` (e.g. 'parameters.brandId') of a Sivi node with these parameters.
 */
export function loadOptionsContext(
	options: Credentials & { params?: NodeParams },
	path = 'parameters',
): ILoadOptionsFunctions {
	services();
	const nodeTypes = new TestNodeTypes({ requests: [] });
	const { workflow, workflowData, siviNode } = testWorkflow(
		{ params: options.params ?? {} },
		nodeTypes,
	);
	const data = additionalData(`sivi-test-${++executions}`, options, workflowData);
	data.currentNodeParameters = siviNode.parameters;
	return new LoadOptionsContext(workflow, siviNode, data, path);
}

function nodeRun(run: IRun, tap: RunTap): NodeRun {
	// The body as sent passed its endpoint's schema, in every simulator-backed run.
	const unchecked = sentBodyProblems(tap.requests);
	if (unchecked.length)
		throw new Error(`The node sent bodies its schemas refuse:\n${unchecked.join('\n')}`);
	const task = run.data.resultData.runData[NODE_NAME]?.[0];
	const main = task?.data?.main ?? [];
	const nodeError = task?.error as unknown as EngineError | undefined;
	const runError = run.data.resultData.error as unknown as EngineError | undefined;
	return {
		output: main[0] ?? [],
		errorOutput: main[1] ?? [],
		error: nodeError ?? runError,
		nodeFailed: !!nodeError || !task,
		thrown: tap.thrown,
		hints: task?.hints ?? [],
		status: run.status,
		requests: tap.requests,
		run,
	};
}

function notStarted(error: Error, tap: RunTap): NodeRun {
	return {
		output: [],
		errorOutput: [],
		error: { ...error, name: error.name, message: error.message },
		nodeFailed: true,
		hints: [],
		status: 'error',
		requests: tap.requests,
	};
}

/** Runs one execution and returns what the Sivi node did. */
export async function executeNode(options: NodeRunOptions): Promise<NodeRun> {
	return await startNode(options).result;
}

/** The error the engine reported, thrown as an Error that carries its fields. */
export function engineError(error: EngineError): Error & EngineError {
	return Object.assign(new Error(error.message), error);
}

/**
 * Runs one execution and returns the Sivi node's output items; throws the error the engine
 * reported when the node failed (or never ran).
 */
export async function runNode(options: NodeRunOptions): Promise<INodeExecutionData[]> {
	const run = await executeNode(options);
	if (run.nodeFailed) throw engineError(run.error ?? { message: 'The Sivi node did not run' });
	return run.output;
}

/**
 * Calls `probe` with the execute context n8n gives the Sivi node in an execution of the given
 * options (its parameters, items and credential), in place of the node's own execute(). For
 * unit tests of the node's parts that take a context.
 */
export async function inNodeContext<T>(
	options: NodeRunOptions,
	probe: (context: IExecuteFunctions) => Promise<T>,
): Promise<T> {
	let outcome: { value: T } | { error: unknown } | undefined;
	const sivi = new Sivi();
	const probing: INodeType = {
		description: sivi.description,
		async execute(this: IExecuteFunctions) {
			try {
				outcome = { value: await probe(this) };
			} catch (error) {
				outcome = { error };
			}
			return [[]];
		},
	};
	const run = await startExecution(options, probing).result;
	if (!outcome) throw engineError(run.error ?? { message: 'The Sivi node did not run' });
	if ('error' in outcome) throw outcome.error;
	return outcome.value;
}

// ------------------------------------------------------------------------------ parameters

/** Parameters of a small valid Generate Media call; override what a test needs. */
export function mediaParams(overrides: NodeParams = {}): NodeParams {
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
const designDefaults: NodeParams = {
	resource: 'design',
	designMode: 'auto',
	designModel: 'auto',
	language: 'english',
	waitForCompletion: true,
	options: { pollInterval: 0.05 },
};

export function contentParams(overrides: NodeParams = {}): NodeParams {
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

export function promptParams(overrides: NodeParams = {}): NodeParams {
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

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);
/** fixedCollection entries (objects), as opposed to lists of values (multiOptions). */
const isEntryList = (value: unknown): value is IDataObject[] =>
	Array.isArray(value) && value.every(isObject);
const isExpression = (value: unknown): value is string =>
	typeof value === 'string' && value.startsWith('=');
const holdsExpression = (value: unknown): boolean =>
	isExpression(value) ||
	(typeof value === 'object' && value !== null && Object.values(value).some(holdsExpression));

/** JavaScript for one item's value: read from the item, with its own expressions inlined. */
function itemValueJs(value: unknown, read: string): string {
	if (!holdsExpression(value)) return read;
	if (isExpression(value)) {
		const inner = /^=\{\{([\s\S]*)\}\}$/.exec(value.trim());
		if (!inner)
			throw new Error(`perItemParams: only ={{ … }} expressions can vary per item: ${value}`);
		return `(${inner[1]})`;
	}
	const entries = Object.entries(value as IDataObject).map(
		([key, entry]) =>
			`${JSON.stringify(key)}: ${itemValueJs(entry, `${read}[${JSON.stringify(key)}]`)}`,
	);
	return Array.isArray(value)
		? `[${(value as unknown[]).map((entry, index) => itemValueJs(entry, `${read}[${index}]`)).join(', ')}]`
		: `{ ${entries.join(', ')} }`;
}

function mergePerItem(values: unknown[], path: string[]): unknown {
	const first = JSON.stringify(values[0]);
	if (values.every((value) => JSON.stringify(value) === first)) return structuredClone(values[0]);
	const present = values.filter((value) => value !== undefined);
	// Collections and fixedCollection entries are the same for every item of a node; their values
	// differ per item. A value missing for one item is an expression that gives nothing for it.
	if (present.every((value) => isObject(value) && !('__rl' in value))) {
		const merged: IDataObject = {};
		for (const key of new Set(present.flatMap((value) => Object.keys(value as IDataObject))))
			merged[key] = mergePerItem(
				values.map((value) => (value as IDataObject | undefined)?.[key]),
				[...path, key],
			) as IDataObject[string];
		return merged;
	}
	if (present.every(isEntryList)) {
		const length = Math.max(...present.map((value) => (value as unknown[]).length));
		return Array.from({ length }, (_, index) =>
			mergePerItem(
				values.map((value) => (value as unknown[] | undefined)?.[index]),
				[...path, String(index)],
			),
		);
	}
	const read = `$json.siviParams${path.map((key) => `[${JSON.stringify(key)}]`).join('')}`;
	const perItem = values.map((value) => itemValueJs(value, read));
	return perItem.every((js) => js === read)
		? `={{ ${read} }}`
		: `={{ [${perItem.join(', ')}][$itemIndex] }}`;
}

/**
 * One Sivi node whose items get different parameter values, the way a workflow does it: every
 * value that differs between the `perItem` sets is an expression that reads the item's own value
 * (item i carries `perItem[i]` in `json.siviParams`; a value that is itself an expression is
 * evaluated for its item). As in n8n, the items share the node's collections and list entries;
 * only values differ.
 */
export function perItemParams(
	perItem: NodeParams[],
	items: INodeExecutionData[] = perItem.map(() => ({ json: {} })),
): { params: NodeParams; items: INodeExecutionData[] } {
	return {
		params: mergePerItem(perItem, []) as NodeParams,
		items: items.map((item, index) => ({
			...item,
			json: { ...item.json, siviParams: perItem[index] as IDataObject },
		})),
	};
}

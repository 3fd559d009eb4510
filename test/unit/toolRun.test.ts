// Tool runs (AI agents, the MCP Server Trigger): answer within Tool Wait, a job still running is
// a normal "processing" answer with its request ID, the status tool waits and never submits, a
// caller that went away is named as such, and the tool variant describes each operation.
import {
	NodeHelpers,
	type INode,
	type INodeProperties,
	type INodePropertyOptions,
	type INodeType,
} from 'n8n-workflow';

import { startSimulator, type Simulator } from '../simulator';
import {
	executeNode,
	mediaParams,
	runNode,
	SIVI_TOOL_NODE_TYPE,
	type NodeParams,
	type NodeRunOptions,
} from '../helpers/n8nEngine';
import { nodeProperties } from '../../nodes/Sivi/actions/description';
import { operations } from '../../nodes/Sivi/actions/operations';
import { creditRange } from '../../nodes/Sivi/actions/toolDescription';
import { designModels, imageModels, toolDescriptions } from '../../nodes/Sivi/catalog';
import { classifyThrown } from '../../nodes/Sivi/shared/siviError';
import { Sivi } from '../../nodes/Sivi/Sivi.node';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ jobDurationMs: 80, rateLimit: { limit: 10_000, windowMs: 60_000 } });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.resetCounters();
	sim.setFaults({});
	sim.setOptions({ jobDurationMs: 80 });
});

const FAST = { pollInterval: 0.05, requestsPerMinute: 100_000 };

const tool = (params: NodeParams, extra: Partial<NodeRunOptions> = {}): NodeRunOptions => ({
	params,
	baseUrl: sim.baseUrl,
	apiKey: sim.apiKey,
	nodeType: SIVI_TOOL_NODE_TYPE,
	...extra,
});

const statusParams = (requestId: string, options: NodeParams = {}): NodeParams => ({
	resource: 'request',
	operation: 'getStatus',
	requestId,
	// Off, as a user may leave it: the status tool waits anyway in a tool run.
	waitForCompletion: false,
	options: { ...FAST, ...options },
});

describe('a job longer than Tool Wait', () => {
	it('answers "processing" with its request ID (not an error), and the status tool later returns it completed', async () => {
		sim.setOptions({ jobDurationMs: 1500 });
		const run = await executeNode(tool(mediaParams({ options: { ...FAST, toolWait: 0.3 } })));
		const [first] = run.output;
		expect(run.nodeFailed).toBe(false);
		expect(first.json).toEqual({
			status: 'processing',
			requestId: expect.any(String),
			progress: expect.any(Number),
			next: 'call the status tool with this requestId',
			credits: { min: 0.1, max: 0.1, basis: 'Z Image Turbo (z-image-turbo), 1 image' },
		});
		expect(sim.counters().submits).toBe(1);
		const requestId = first.json.requestId as string;
		// Kept in the execution from the submit on, even if the caller leaves before the answer.
		expect(run.run?.data.resultData.metadata).toEqual({ siviRequestIds: requestId });
		expect(run.hints.map((hint) => hint.message)).toEqual([
			expect.stringContaining(`still running when the tool stopped waiting: ${requestId}`),
			expect.stringMatching(/^Sivi jobs of this run: 1 image, about 0\.1 credits/),
		]);

		const [done] = await runNode(tool(statusParams(requestId, { toolWait: 20 })));
		expect(done.json).toMatchObject({ status: 'completed', requestId });
		expect((done.json.imageUrls as string[]).length).toBe(1);
		expect(done.json.next).toBeUndefined();
		// The status tool never submits.
		expect(sim.counters().submits).toBe(1);
	});

	it('the status tool answers "processing" again while the job still runs', async () => {
		sim.setOptions({ jobDurationMs: 3000 });
		const [first] = await runNode(tool(mediaParams({ options: { ...FAST, toolWait: 0.2 } })));
		const [again] = await runNode(
			tool(statusParams(first.json.requestId as string, { toolWait: 0.3 })),
		);
		expect(again.json).toMatchObject({
			status: 'processing',
			requestId: first.json.requestId,
			next: expect.any(String),
		});
		expect(sim.counters().submits).toBe(1);
	});

	it('Tool Wait does not apply to the plain node: Max Wait ends it with an error there', async () => {
		sim.setOptions({ jobDurationMs: 1500 });
		const run = await executeNode({
			params: mediaParams({ options: { ...FAST, toolWait: 0.2, maxWait: 0.6 } }),
			baseUrl: sim.baseUrl,
			apiKey: sim.apiKey,
		});
		expect(run.nodeFailed).toBe(true);
		expect(run.error?.message).toMatch(/did not finish within 0\.6 seconds/);
		expect(run.run?.data.resultData.metadata).toBeUndefined();
	});

	it('a shorter Max Wait in a tool run also answers "processing", not an error', async () => {
		sim.setOptions({ jobDurationMs: 1500 });
		const [item] = await runNode(
			tool(mediaParams({ options: { ...FAST, toolWait: 30, maxWait: 0.3 } })),
		);
		expect(item.json.status).toBe('processing');
		expect(sim.counters().submits).toBe(1);
	});
});

describe('failures in a tool run stay errors', () => {
	it("a failed job is an error with Sivi's reason", async () => {
		const run = await executeNode(tool(mediaParams({ prompt: 'mug [sim:fail]', options: FAST })));
		expect(run.nodeFailed).toBe(true);
		expect(`${run.error?.message} ${run.error?.description}`).toMatch(/ended as failed/);
		expect(sim.counters().submits).toBe(1);
	});
});

describe('the caller went away', () => {
	const GONE = 'No bridge acquired for this context. Call acquire() first.';

	it("classifies n8n's released-isolate error as the caller stopping, not a cut connection", () => {
		expect(classifyThrown(new Error(GONE), false).kind).toBe('callerGone');
		expect(classifyThrown({ message: 'wrapped', cause: new Error(GONE) }, false).kind).toBe(
			'callerGone',
		);
		expect(classifyThrown(new Error('socket hang up'), false).kind).toBe('network');
	});

	it('says so and names the job that may still finish, after one status look', async () => {
		sim.setOptions({ jobDurationMs: 2000 });
		let looks = 0;
		const run = await executeNode(
			tool(mediaParams({ options: { ...FAST, toolWait: 20 } }), {
				intercept: (request) => {
					if (!request.url.includes('get-request-status')) return;
					looks++;
					return { throwError: new Error(GONE) };
				},
			}),
		);
		expect(run.nodeFailed).toBe(true);
		const requestId = sim.jobs().at(-1)?.requestId;
		expect(run.error?.message).toBe(
			`The caller stopped waiting; the job ${requestId} may still finish in Sivi`,
		);
		expect(run.error?.message).not.toMatch(/connection/);
		// Not retried like a network failure: the caller is gone for good.
		expect(looks).toBe(1);
		expect(sim.counters().submits).toBe(1);
	});
});

describe('tool descriptions', () => {
	const sivi = new Sivi();
	const toolType = { ...sivi, description: { ...sivi.description, name: 'siviTool' } } as INodeType;
	// What n8n shows the model (an MCP client's tools/list, an agent's tool list) for a tool node
	// whose Tool Description is left on Set Automatically.
	const described = (resource: string, operation: string) =>
		NodeHelpers.getToolDescriptionForNode(
			{
				parameters: { resource, operation },
				name: 'Sivi',
				type: 'n8n-nodes-sivi.siviTool',
				typeVersion: 1,
				position: [0, 0],
				id: 'x',
			} as INode,
			toolType,
		);

	it('every operation has catalog words in its automatic tool description, and the catalog names no unknown operation', () => {
		const keys = operations
			.map((operation) => `${operation.resource}.${operation.operation}`)
			.sort();
		expect(Object.keys(toolDescriptions).sort()).toEqual(keys);
		for (const operation of operations) {
			const entry = toolDescriptions[`${operation.resource}.${operation.operation}`];
			expect(described(operation.resource, operation.operation)).toContain(entry.does);
		}
	});

	it('Generate says what it makes, its cost from the catalog and what it returns, and offers no enhancement', () => {
		const text = described('media', 'generate');
		const credits = creditRange(
			imageModels.filter((model) => model.canGenerate).map((model) => model.credits),
		);
		expect(credits).toBe('0.03–3');
		expect(text).toContain('Makes an AI image from a text prompt');
		expect(text).toContain(`Costs ${credits} Sivi credits per image`);
		expect(text).toMatch(/imageUrls/);
		expect(text).toMatch(/requestId/);
		expect(text).toMatch(/"processing"/);
		expect(text).not.toMatch(/enhanc/i);
	});

	it('designs name their cost per design, edit links and the request ID; Get Status says it never starts a job', () => {
		const design = described('design', 'createFromPrompt');
		expect(design).toContain(
			`Costs ${creditRange(designModels.map((model) => model.credits))} Sivi credits per design`,
		);
		expect(design).toMatch(/editLinks/);
		expect(design).toMatch(/requestId/);
		const status = described('request', 'getStatus');
		expect(status).toMatch(/never starts a job/);
		expect(status).toMatch(/Costs no credits/);
	});

	it('the editor shows the plain node its short actions and the tool variant the tool ones', () => {
		const selectors = nodeProperties.filter(
			(entry) =>
				entry.name === 'operation' && entry.displayOptions?.show?.resource?.[0] === 'media',
		);
		const actionFor = (entry: INodeProperties) =>
			(entry.options as INodePropertyOptions[]).find((option) => option.value === 'generate')
				?.action;
		const shown = (entry: INodeProperties, typeName: string) =>
			NodeHelpers.displayParameter({ resource: 'media' }, entry, { typeVersion: 1 } as INode, {
				...sivi.description,
				name: typeName,
			});
		const plain = selectors.filter((entry) => shown(entry, 'sivi'));
		const tool = selectors.filter((entry) => shown(entry, 'siviTool'));
		expect(plain.map(actionFor)).toEqual(['Generate or enhance an image']);
		expect(tool.map(actionFor)).toEqual([
			expect.stringContaining('Makes an AI image from a text prompt'),
		]);
	});

	it("the nodes panel lists the short actions (the editor's rule: the first selector of the resource without a non-numeric @version)", () => {
		// editor-ui useActionsGeneration.ts, resourceCategories()
		const listed = nodeProperties.find((entry) => {
			const versions = entry.displayOptions?.show?.['@version'];
			return (
				entry.name === 'operation' &&
				entry.displayOptions?.show?.resource?.includes('media') &&
				(versions ? versions.some((version) => typeof version === 'number' && version === 1) : true)
			);
		});
		const generate = (listed?.options as INodePropertyOptions[]).find(
			(option) => option.value === 'generate',
		);
		expect(generate?.action).toBe('Generate or enhance an image');
		// …while n8n's tool description takes the first selector of the resource: the tool one.
		expect(described('media', 'generate')).toContain('Makes an AI image from a text prompt');
	});
});

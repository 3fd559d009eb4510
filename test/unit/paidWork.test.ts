// Nothing paid is thrown away: a submit answer that names the job `jId` still works, an
// accepted answer the node cannot read keeps Sivi's raw body in the item's error, and a run
// that stops on an error names the jobs that finished (with their images) and those running.
import {
	executeNode,
	mediaParams,
	promptParams,
	runNode,
	type NodeParams,
} from '../helpers/n8nEngine';
import { startSimulator, type Simulator } from '../simulator';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ jobDurationMs: 150, concurrency: 4, queueSize: 10, seed: 3 });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.resetCounters();
	sim.setFaults({});
	sim.setOptions({ submitIdField: 'requestId' });
});

const FAST = { pollInterval: 0.05, downloadImages: false };

function run(params: NodeParams) {
	return runNode({ params, baseUrl: sim.baseUrl, apiKey: sim.apiKey, continueOnFail: true });
}

describe('nothing paid is thrown away', () => {
	it('takes jId as the request ID when the submit answer has no requestId', async () => {
		sim.setOptions({ submitIdField: 'jId' });
		const [item] = await run(mediaParams({ prompt: 'jId mug on linen', options: FAST }));
		const [job] = sim.jobs().filter((entry) => entry.payload.prompt === 'jId mug on linen');
		expect(item.json.status).toBe('completed');
		expect(item.json.requestId).toBe(job.requestId);
		expect(sim.counters().submitAttempts).toBe(1);
	});

	it("keeps Sivi's raw answer when an accepted submit names no job, and sends it only once", async () => {
		sim.setOptions({ submitIdField: 'none' });
		const [item] = await run(promptParams({ prompt: 'Unnamed job promo', options: FAST }));
		const [job] = sim.jobs().filter((entry) => entry.payload.prompt === 'Unnamed job promo');
		expect(sim.counters().submitAttempts).toBe(1);
		expect(item.json.error).toMatch(/may have accepted this job/);
		expect(JSON.parse(String(item.json.siviAnswer))).toMatchObject({ designId: job.designId });
		expect(item.json.errorDescription).toContain(String(job.designId));
	});

	it('names the finished jobs (with their images) and the running ones when a run stops', async () => {
		const prompts = ['Fine mug 0', 'Fine mug 1', 'Broken mug [sim:fail] [sim:slow]'];
		const { status, error } = await executeNode({
			params: mediaParams({ prompt: '={{ $json.prompt }}', options: FAST }),
			items: prompts.map((prompt) => ({ json: { prompt } })),
			baseUrl: sim.baseUrl,
			apiKey: sim.apiKey,
		});
		expect(status).toBe('error');
		expect(error?.message).toMatch(/ended as failed/);
		expect(error?.context).toEqual({ itemIndex: 2 });
		const finished = sim.jobs().filter((job) => /^Fine mug/.test(String(job.payload.prompt)));
		expect(finished).toHaveLength(2);
		for (const job of finished) expect(error?.description).toContain(job.requestId);
		expect(error?.description).toMatch(
			/Jobs that finished: .*\(http:\/\/127\.0\.0\.1:\d+\/files\//,
		);
	});
});

describe('execution hints', () => {
	it('names the jobs still running at Max Wait', async () => {
		const run = await executeNode({
			params: mediaParams({
				prompt: 'Slow mug [sim:slow]',
				options: { ...FAST, maxWait: 0.3 },
			}),
			baseUrl: sim.baseUrl,
			apiKey: sim.apiKey,
			continueOnFail: true,
		});
		const [job] = sim.jobs().filter((entry) => entry.payload.prompt === 'Slow mug [sim:slow]');
		expect(run.output[0].json.error).toMatch(/did not finish within/);
		expect(run.hints.map((hint) => hint.message)).toEqual([
			expect.stringMatching(
				new RegExp(`still running at Max Wait: ${job.requestId}\\. Use Request → Get Status`),
			),
			expect.stringMatching(/^Sivi jobs of this run: 1 image, about 0\.1 credits/),
		]);
	});

	it("says when Sivi's rate limit slowed the run, and gives no hint when nothing did", async () => {
		const quiet = await executeNode({
			params: mediaParams({ prompt: 'Quiet mug', options: FAST }),
			baseUrl: sim.baseUrl,
			apiKey: sim.apiKey,
			continueOnFail: true,
		});
		sim.setFaults({ poll429Burst: { count: 2, retryAfterSec: 0.05 } });
		const slowed = await executeNode({
			params: mediaParams({ prompt: 'Throttled mug', options: FAST }),
			baseUrl: sim.baseUrl,
			apiKey: sim.apiKey,
			continueOnFail: true,
		});
		// Only the run's credits: nothing slowed it.
		expect(quiet.hints.map((hint) => hint.message)).toEqual([
			expect.stringMatching(/^Sivi jobs of this run: 1 image, about 0\.1 credits/),
		]);
		expect(slowed.output[0].json.status).toBe('completed');
		expect(slowed.hints.map((hint) => hint.message)).toEqual([
			expect.stringMatching(/rate limit slowed this run: .*Sivi refused 2 with 429/),
			expect.stringMatching(/^Sivi jobs of this run: 1 image, about 0\.1 credits/),
		]);
	});
});

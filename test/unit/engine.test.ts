// The batch engine: N items → N submits, input order kept whatever order jobs finish in,
// Sivi's queue never overflowed, polls ride out 429s and 5xx, the node's own
// Requests per Minute holds as a budget per 60 s.
import { startSimulator, type Simulator } from '../simulator';
import { promptParams, runNode, type NodeParams } from '../helpers/n8nEngine';

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ jobDurationMs: 100, concurrency: 4, queueSize: 10, seed: 7 });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.resetCounters();
	sim.resetRateLimit();
	sim.setFaults({});
	sim.setOptions({
		jobDurationMs: 100,
		queueSize: 10,
		concurrency: 4,
		rateLimit: { limit: 1000, windowMs: 60_000 },
	});
});

/** Items that carry their own prompt, which the node reads with an expression. */
const items = (count: number, prompt = (row: number) => `Promo for product ${row}`) =>
	Array.from({ length: count }, (_, row) => ({ json: { row, prompt: prompt(row) } }));
const PROMPT_FROM_ITEM = '={{ $json.prompt }}';

// Tiny jobs: the unit tests' plan (TEST_PLAN) allows far more than Sivi's 50/min.
const FAST = { pollInterval: 0.03, requestsPerMinute: 100_000 };

function run(count: number, params: NodeParams, prompt?: (row: number) => string) {
	return runNode({
		params: promptParams({ prompt: PROMPT_FROM_ITEM, ...params }),
		items: items(count, prompt),
		baseUrl: sim.baseUrl,
		apiKey: sim.apiKey,
		continueOnFail: true,
	});
}

/** Highest number of this run's jobs that were in Sivi (queued or running) at the same time. */
function peakOutstanding(since: number): number {
	const jobs = sim.jobs().filter((job) => job.submittedAt >= since);
	const events = jobs.flatMap((job) => [
		{ t: job.submittedAt, d: 1 },
		{ t: job.endAt, d: -1 },
	]);
	events.sort((a, b) => a.t - b.t || a.d - b.d);
	let current = 0;
	let peak = 0;
	for (const event of events) peak = Math.max(peak, (current += event.d));
	return peak;
}

describe('job engine', () => {
	it('submits exactly N jobs for N items and keeps input order and pairedItem', async () => {
		// Every third job is slow, so jobs finish out of input order.
		const output = await run(
			24,
			{ options: FAST },
			(row) => `Promo for product ${row}${row % 3 === 0 ? ' [sim:slow]' : ''}`,
		);
		expect(sim.counters().submits).toBe(24);
		expect(sim.counters().submitAttempts).toBe(24);
		expect(output).toHaveLength(24);
		const jobs = new Map(sim.jobs().map((job) => [job.requestId, job]));
		output.forEach((item, index) => {
			expect(item.pairedItem).toEqual({ item: index });
			expect(item.json.status).toBe('completed');
			expect(jobs.get(item.json.requestId as string)?.payload.prompt).toMatch(
				new RegExp(`product ${index}\\b`),
			);
		});
		// The jobs really finished out of input order: each slow item ended after the next one.
		// Checked among the first 14, submitted at once (the plan's jobs in flight), whose order
		// in Sivi's queue is fixed; a later one leaves when a look finds a slot free, and how soon
		// that is depends on the poll plan.
		const endAt = output.map((item) => jobs.get(item.json.requestId as string)!.endAt);
		for (let row = 0; row < 13; row += 3) expect(endAt[row]).toBeGreaterThan(endAt[row + 1]);
	});

	it('never has more jobs outstanding than Max Jobs in Flight, so the queue never overflows', async () => {
		const since = Date.now();
		await run(30, { options: { ...FAST, maxJobsInFlight: 6 } });
		expect(sim.counters().submits).toBe(30);
		expect(peakOutstanding(since)).toBeLessThanOrEqual(6);
		expect(peakOutstanding(since)).toBeGreaterThanOrEqual(4);
		expect(sim.counters().byStatus['429'] ?? 0).toBe(0);
	});

	it("the credential's plan (concurrency + queue) bounds jobs in flight, so the queue never overflows", async () => {
		sim.setOptions({ queueSize: 6 });
		const since = Date.now();
		await runNode({
			params: promptParams({ prompt: PROMPT_FROM_ITEM, options: FAST }),
			items: items(20, (row) => `Plan-bound promo ${row}`),
			baseUrl: sim.baseUrl,
			apiKey: sim.apiKey,
			continueOnFail: true,
			credentials: { plan: 'custom', requestsPerMinute: 100_000, concurrency: 4, queueSize: 6 },
		});
		expect(sim.counters().submits).toBe(20);
		expect(peakOutstanding(since)).toBeLessThanOrEqual(10);
		expect(peakOutstanding(since)).toBeGreaterThanOrEqual(8);
		expect(sim.counters().byStatus['429'] ?? 0).toBe(0);
	});

	it('rides out 429 bursts, 5xx and resets on polls: every item completes, no second submit', async () => {
		sim.setFaults({
			poll429Burst: { count: 6, retryAfterSec: 0.1 },
			pollServerErrorRate: 0.2,
			pollResetRate: 0.1,
		});
		const output = await run(12, { options: FAST });
		expect(output.map((item) => item.json.status)).toEqual(Array(12).fill('completed'));
		expect(sim.counters().submits).toBe(12);
		expect(sim.counters().submitAttempts).toBe(12);
		expect(sim.counters().rateLimited).toBeGreaterThanOrEqual(6);
	});

	it('waits and resubmits when Sivi refuses a submit with 429 (queue full), accepted once', async () => {
		sim.setFaults({ submitFault: { kind: '429-queue', count: 2 } });
		const output = await run(3, { options: FAST });
		expect(output.map((item) => item.json.status)).toEqual(['completed', 'completed', 'completed']);
		expect(sim.counters().submits).toBe(3);
		expect(sim.counters().submitAttempts).toBe(5);
	});

	it('never sends a submit again when Sivi may have accepted it', async () => {
		sim.setFaults({ submitFault: { kind: '500-after-accept', count: 1 } });
		const output = await run(3, { options: FAST });
		expect(sim.counters().submitAttempts).toBe(3);
		const errors = output.filter((item) => item.json.error);
		expect(errors).toHaveLength(1);
		expect(errors[0].json.error).toMatch(/may have accepted/);
		expect(output.filter((item) => item.json.status === 'completed')).toHaveLength(2);
	});

	it("keeps to the node's lower Requests per Minute as a 60 s budget and never waits past Max Wait", async () => {
		sim.setOptions({ jobDurationMs: 400, rateLimit: { limit: 12, windowMs: 60_000 } });
		const started = Date.now();
		const output = await run(4, {
			options: { pollInterval: 0.05, requestsPerMinute: 3, maxWait: 1.5 },
		});
		// A budget of 3 per minute: three requests at once (submits go before polls), then
		// nothing until the first of them leaves the window, long past Max Wait.
		const log = sim.counters().log.filter((entry) => entry.path.startsWith('general/'));
		expect(log).toHaveLength(3);
		expect(log.every((entry) => entry.path === 'general/designs-from-prompt')).toBe(true);
		expect(sim.counters().rateLimited).toBe(0);
		expect(sim.counters().submits).toBe(3);
		expect(output).toHaveLength(4);
		expect(Date.now() - started).toBeLessThan(5_000);
		expect(output.slice(0, 3).map((item) => item.json.error)).toEqual(
			Array(3).fill(expect.stringMatching(/did not finish within/)),
		);
		expect(output[3].json.error).toMatch(/Not sent to Sivi within Max Wait/);
	});
});

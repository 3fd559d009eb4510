// Fault-injection suite: the node against the simulator with poll, job and submit faults on.
// Checks the promises the job engine makes: one output item per input item in input order,
// no lost items, no duplicate (paid) submits, no 429 surfaced to the user, nothing left
// polling after Max Wait or a cancel. Many executions on one account: test/faults/account.test.ts.
// Run with `npx jest --config jest.faults.config.js`; afterAll prints one figures line.
import { sleep, type INodeExecutionData } from 'n8n-workflow';

import {
	executeNode,
	mediaParams,
	promptParams,
	runNode,
	type NodeParams,
	type NodeRunOptions,
} from '../helpers/n8nEngine';
import {
	startSimulator,
	type Simulator,
	type SimulatorJob,
	type SimulatorOptions,
	type SubmitFaultKind,
} from '../simulator';
import { printFigures } from './report';

// ---------------------------------------------------------------------------- helpers

const SUBMIT_PATH = /\/general\/(media\/generate|designs-from-(prompt|content))$/;
const SUBMIT_ROUTES = new Set([
	'general/media/generate',
	'general/designs-from-prompt',
	'general/designs-from-content',
]);
const STATUS_ROUTE = 'general/get-request-status';

/** Items that carry their own prompt; the node maps it with PROMPT_FROM_ITEM. */
const inputItems = (count: number, prompt: (index: number) => string): INodeExecutionData[] =>
	Array.from({ length: count }, (_, index) => ({ json: { index, prompt: prompt(index) } }));
const PROMPT_FROM_ITEM = '={{ $json.prompt }}';

function nodeFor(
	sim: Simulator,
	params: NodeParams,
	extra: Partial<NodeRunOptions> = {},
): NodeRunOptions {
	return { params, baseUrl: sim.baseUrl, apiKey: sim.apiKey, ...extra };
}

/** Accepted jobs grouped by their prompt (every item of this suite has a unique prompt). */
function jobsByPrompt(sim: Simulator): Map<string, SimulatorJob[]> {
	const map = new Map<string, SimulatorJob[]>();
	for (const job of sim.jobs()) {
		const prompt = String(job.payload.prompt);
		map.set(prompt, [...(map.get(prompt) ?? []), job]);
	}
	return map;
}

const errorText = (item: INodeExecutionData) =>
	`${String(item.json.error ?? '')} ${String(item.json.errorDescription ?? '')}`;

/** An error item that shows the user a rate limit / queue refusal (should never happen). */
const surfaces429 = (item: INodeExecutionData) =>
	!!item.json.error &&
	(/rate limit|too many|queue|429/i.test(errorText(item)) || String(item.json.httpCode) === '429');

/**
 * Records the timeout every submit asked for; gives the submits `timeoutMs` instead when set
 * (so a submit the simulator never answers fails sooner, the same way).
 */
function submitTimeouts(timeoutMs?: number) {
	const asked: number[] = [];
	const intercept: NodeRunOptions['intercept'] = (request) => {
		if (request.method !== 'POST' || !SUBMIT_PATH.test(new URL(request.url).pathname)) return;
		asked.push(request.timeoutMs ?? 0);
		return timeoutMs === undefined ? undefined : { timeoutMs };
	};
	return { asked, intercept };
}

async function waitUntil(condition: () => boolean, maxMs: number): Promise<void> {
	const until = Date.now() + maxMs;
	while (!condition()) {
		if (Date.now() > until) throw new Error(`condition not reached within ${maxMs} ms`);
		await sleep(10);
	}
}

// Figures of the 100-item scenario, printed by afterAll.
const figures = {
	items: 0,
	completed: 0,
	perItemErrors: 0,
	lost: 0,
	duplicateSubmits: 0,
	surfaced429: 0,
	failed: 0,
	suspended: 0,
	timedOut: 0,
	polls: 0,
	poll5xx: 0,
	pollResets: 0,
	sim429: 0,
	submitAttempts: 0,
	runSeconds: 0,
	maxJobLifeMs: 0,
};

afterAll(() => {
	if (figures.items) printFigures(figures);
});

// ---------------------------------------------------------------------------- 100 items

describe('100 items under poll, job and submit faults (continueOnFail on)', () => {
	const MAX_WAIT_S = 4;
	const POLL_S = 0.1;
	const DESIGN_ITEMS = 60;
	const MEDIA_ITEMS = 40;
	const SLOW_DESIGNS = [12, 45];
	const SLOW_MEDIA = [20];
	// On top of the 5 % suspend rate, so that the run always has suspended jobs.
	const SUSPEND_DESIGNS = [30];
	const SUSPEND_MEDIA = [5];
	const simOptions: SimulatorOptions = {
		jobDurationMs: 150,
		concurrency: 4,
		queueSize: 10,
		seed: 20260707,
		// Only the injected 429s: the real limiter stays out of the way. A 1 s window makes the
		// 429-rate submit fault ask for Retry-After: 1.
		rateLimit: { limit: 1_000_000, windowMs: 1000 },
		faults: {
			pollServerErrorRate: 0.1,
			pollResetRate: 0.05,
			failJobRate: 0.1,
			suspendJobRate: 0.05,
			slowFactor: 40, // 6 s, well past Max Wait
			submitFault: { kind: '429-queue', count: 3 },
		},
	};
	const runOptions = {
		maxWait: MAX_WAIT_S,
		pollInterval: POLL_S,
		maxJobsInFlight: 7,
		requestsPerMinute: 100_000,
		downloadImages: false,
	};
	const tags = (i: number, slow: number[], suspend: number[]) =>
		`${slow.includes(i) ? ' [sim:slow]' : ''}${suspend.includes(i) ? ' [sim:suspend]' : ''}`;
	const designPrompt = (i: number) =>
		`Fault suite design ${i}: autumn coffee promo, 2-for-1 lattes${tags(i, SLOW_DESIGNS, SUSPEND_DESIGNS)}`;
	const mediaPrompt = (i: number) =>
		`Fault suite media ${i}: ceramic mug on linen, soft light${tags(i, SLOW_MEDIA, SUSPEND_MEDIA)}`;

	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator(simOptions);
	});
	afterAll(async () => await sim.close());

	it('ends every item exactly once, in order, without lost items, duplicate submits or 429s', async () => {
		const design = nodeFor(sim, promptParams({ prompt: PROMPT_FROM_ITEM, options: runOptions }), {
			items: inputItems(DESIGN_ITEMS, designPrompt),
			continueOnFail: true,
		});
		const media = nodeFor(sim, mediaParams({ prompt: PROMPT_FROM_ITEM, options: runOptions }), {
			items: inputItems(MEDIA_ITEMS, mediaPrompt),
			continueOnFail: true,
		});

		const started = Date.now();
		const ends: number[] = [];
		const timed = async (run: Promise<INodeExecutionData[]>, slot: number) => {
			const output = await run;
			ends[slot] = Date.now();
			return output;
		};
		// More faults while the runs are going: 429 bursts with Retry-After on polls, and 429
		// rate-limit refusals of submits.
		const schedule = (async () => {
			await sleep(800);
			sim.setFaults({ poll429Burst: { count: 4, retryAfterSec: 0.3 } });
			await sleep(700);
			sim.setFaults({ submitFault: { kind: '429-rate', count: 2 } });
			await sleep(800);
			sim.setFaults({ poll429Burst: { count: 4, retryAfterSec: 0.5 } });
		})();
		const [designOut, mediaOut] = await Promise.all([
			timed(runNode(design), 0),
			timed(runNode(media), 1),
		]);
		await schedule;
		const counters = sim.counters();
		const requestsAtEnd = counters.requests;

		const byPrompt = jobsByPrompt(sim);
		const problems: string[] = [];
		const check = (
			label: string,
			output: INodeExecutionData[],
			count: number,
			promptOf: (i: number) => string,
			endedAt: number,
		) => {
			if (output.length !== count)
				problems.push(`${label}: ${output.length} output items for ${count} inputs`);
			let lastAccepted = 0;
			for (let i = 0; i < count; i++) {
				const item = output[i];
				const jobs = byPrompt.get(promptOf(i)) ?? [];
				const job = jobs[0];
				figures.items++;
				if (jobs.length > 1) {
					figures.duplicateSubmits += jobs.length - 1;
					problems.push(`${label} ${i}: submitted ${jobs.length} times`);
				}
				if (job) lastAccepted = Math.max(lastAccepted, job.submittedAt);
				if (!item) {
					figures.lost++;
					problems.push(`${label} ${i}: no output item`);
					continue;
				}
				if ((item.pairedItem as { item: number } | undefined)?.item !== i)
					problems.push(`${label} ${i}: pairedItem ${JSON.stringify(item.pairedItem)}`);
				if (!job) {
					figures.lost++;
					problems.push(`${label} ${i}: never accepted by Sivi (${errorText(item)})`);
					continue;
				}
				if (!item.json.error) {
					if (item.json.status === 'completed' && item.json.requestId === job.requestId) {
						figures.completed++;
					} else {
						figures.lost++;
						problems.push(`${label} ${i}: no error but ${JSON.stringify(item.json)}`);
					}
					if (job.outcome !== 'completed' || job.slow)
						problems.push(`${label} ${i}: ${job.outcome}/slow=${job.slow} job reported as success`);
					continue;
				}
				figures.perItemErrors++;
				if (surfaces429(item)) {
					figures.surfaced429++;
					problems.push(`${label} ${i}: rate limit surfaced: ${errorText(item)}`);
				}
				if (item.json.requestId !== job.requestId) {
					figures.lost++;
					problems.push(`${label} ${i}: error without its requestId: ${errorText(item)}`);
				}
				const message = String(item.json.error);
				if (job.slow) {
					figures.timedOut++;
					if (!/did not finish within/.test(message))
						problems.push(`${label} ${i}: slow job ended with "${message}", not a timeout`);
					if (!message.includes(job.requestId))
						problems.push(`${label} ${i}: timeout message lacks the requestId`);
				} else if (job.outcome === 'failed') {
					figures.failed++;
					if (!/ended as failed/.test(message))
						problems.push(`${label} ${i}: failed job ended with "${message}"`);
				} else if (job.outcome === 'suspended') {
					figures.suspended++;
					if (!/ended as suspended/.test(message))
						problems.push(`${label} ${i}: suspended job ended with "${message}"`);
				} else {
					problems.push(`${label} ${i}: completed job reported as error "${message}"`);
				}
			}
			// Nothing stuck: each run ends at most Max Wait (plus one 429 pause and a poll) after
			// its last accepted submit.
			const limit = lastAccepted + MAX_WAIT_S * 1000 + 1500;
			if (endedAt > limit)
				problems.push(`${label}: ended ${endedAt - limit} ms later than Max Wait allows`);
		};
		check('design', designOut, DESIGN_ITEMS, designPrompt, ends[0]);
		check('media', mediaOut, MEDIA_ITEMS, mediaPrompt, ends[1]);

		figures.polls = counters.polls;
		const statusLog = counters.log.filter((entry) => entry.path === STATUS_ROUTE);
		figures.poll5xx = statusLog.filter((entry) => entry.status >= 500).length;
		figures.pollResets = statusLog.filter((entry) => entry.status === 0).length;
		figures.sim429 = counters.byStatus['429'] ?? 0;
		figures.submitAttempts = counters.submitAttempts;
		figures.runSeconds = Math.round((Math.max(...ends) - started) / 100) / 10;
		// Longest life in Sivi (queue + run) of a job that should finish: the margin to Max Wait.
		figures.maxJobLifeMs = Math.max(
			...sim
				.jobs()
				.filter((job) => !job.slow)
				.map((job) => job.endAt - job.submittedAt),
		);

		expect(problems).toEqual([]);
		expect(figures).toMatchObject({
			items: DESIGN_ITEMS + MEDIA_ITEMS,
			lost: 0,
			duplicateSubmits: 0,
			surfaced429: 0,
		});
		expect(figures.completed + figures.perItemErrors).toBe(DESIGN_ITEMS + MEDIA_ITEMS);
		// Every item was accepted exactly once.
		expect(counters.submits).toBe(DESIGN_ITEMS + MEDIA_ITEMS);
		// The faults really happened.
		expect(figures.poll5xx).toBeGreaterThan(0);
		expect(figures.pollResets).toBeGreaterThan(0);
		expect(figures.failed).toBeGreaterThan(0);
		expect(figures.suspended).toBeGreaterThan(0);
		expect(figures.timedOut).toBe(SLOW_DESIGNS.length + SLOW_MEDIA.length);
		expect(counters.rateLimited).toBeGreaterThanOrEqual(8);
		const submit429 = counters.log.filter(
			(entry) => SUBMIT_ROUTES.has(entry.path) && entry.status === 429,
		).length;
		expect(submit429).toBeGreaterThanOrEqual(3);
		expect(counters.submitAttempts).toBe(counters.submits + submit429);

		// Nothing keeps polling once the runs have returned.
		await sleep(POLL_S * 1000 * 4);
		expect(sim.counters().requests).toBe(requestsAtEnd);
	});
});

// ---------------------------------------------------------------------------- submit faults

describe('submit faults', () => {
	let sim: Simulator;
	beforeAll(async () => {
		// A 0.4 s rate window makes the 429-rate fault ask for Retry-After: 0.4.
		sim = await startSimulator({
			jobDurationMs: 150,
			seed: 3,
			rateLimit: { limit: 1_000_000, windowMs: 400 },
		});
	});
	afterAll(async () => await sim.close());
	beforeEach(() => {
		sim.resetCounters();
		sim.setFaults({ submitFault: null });
	});

	const options = { maxWait: 10, pollInterval: 0.05, maxJobsInFlight: 1, downloadImages: false };
	/** Three items one after the other, so the fault (the next submit) hits item 0. */
	const threeItems = (
		tag: string,
		base: typeof promptParams = promptParams,
		extra: Partial<NodeRunOptions> = {},
	) => {
		const prompt = (i: number) => `Submit fault ${tag} item ${i}: weekend bakery offer`;
		const node = nodeFor(sim, base({ prompt: PROMPT_FROM_ITEM, options }), {
			items: inputItems(3, prompt),
			continueOnFail: true,
			...extra,
		});
		return { node, prompt };
	};
	const submitLog = () => sim.counters().log.filter((entry) => SUBMIT_ROUTES.has(entry.path));

	it.each([
		['429-queue', 2, 150],
		['429-rate', 1, 400],
	] as Array<[SubmitFaultKind, number, number]>)(
		'%s refusals are sent again after Retry-After and accepted exactly once',
		async (kind, count, retryAfterMs) => {
			const { node, prompt } = threeItems(kind);
			sim.setFaults({ submitFault: { kind, count } });
			const output = await runNode(node);

			expect(output.map((item) => item.json.status)).toEqual([
				'completed',
				'completed',
				'completed',
			]);
			expect(output.map((item) => item.json.error)).toEqual([undefined, undefined, undefined]);
			const byPrompt = jobsByPrompt(sim);
			for (let i = 0; i < 3; i++) expect(byPrompt.get(prompt(i))).toHaveLength(1);
			expect(sim.counters().submitAttempts).toBe(3 + count);
			const attempts = submitLog();
			expect(attempts.map((entry) => entry.status)).toEqual([
				...Array<number>(count).fill(429),
				200,
				200,
				200,
			]);
			// Retry-After was honoured (a few ms of timer slack).
			for (let i = 1; i <= count; i++)
				expect(attempts[i].t - attempts[i - 1].t).toBeGreaterThanOrEqual(retryAfterMs - 15);
		},
	);

	it.each([
		['500-after-accept', true],
		['reset-after-accept', true],
		['timeout-after-accept', true],
		['500-before-accept', false],
	] as Array<[SubmitFaultKind, boolean]>)(
		'%s is not sent again; the item says the job may exist',
		async (kind, accepted) => {
			// The simulator never answers a timeout-after-accept submit; the node's 60 s submit
			// timeout is shortened to 400 ms so the client gives up the same way, only sooner.
			const timeouts = submitTimeouts(kind === 'timeout-after-accept' ? 400 : undefined);
			const { node, prompt } = threeItems(kind, promptParams, { intercept: timeouts.intercept });
			sim.setFaults({ submitFault: { kind } });
			const started = Date.now();
			const output = await runNode(node);

			expect(Date.now() - started).toBeLessThan(5000);
			expect(sim.counters().submitAttempts).toBe(3);
			const byPrompt = jobsByPrompt(sim);
			expect(byPrompt.get(prompt(0)) ?? []).toHaveLength(accepted ? 1 : 0);
			expect(output).toHaveLength(3);
			expect(output[0].json.error).toBeTruthy();
			expect(output[0].pairedItem).toEqual({ item: 0 });
			expect(output[0].json.error).toMatch(/may have accepted this job/);
			expect(output[0].json.errorDescription).toMatch(/not sent again/);
			expect(surfaces429(output[0])).toBe(false);
			for (const i of [1, 2]) {
				expect(output[i].json.error).toBeUndefined();
				expect(output[i].json.status).toBe('completed');
				expect(byPrompt.get(prompt(i))).toHaveLength(1);
			}
			// Every submit asked for the node's 60 s (the intercept shortened it for this test only).
			expect(timeouts.asked).toEqual([60_000, 60_000, 60_000]);
		},
	);

	it.each([
		['402', promptParams, '402'],
		['429-credit', mediaParams, '429'],
	] as Array<[SubmitFaultKind, typeof promptParams, string]>)(
		'%s (out of credits) is not sent again and names credits',
		async (kind, base, httpCode) => {
			const { node, prompt } = threeItems(kind, base);
			sim.setFaults({ submitFault: { kind } });
			const output = await runNode(node);

			expect(sim.counters().submitAttempts).toBe(3);
			expect(jobsByPrompt(sim).get(prompt(0))).toBeUndefined();
			expect(output[0].json.error).toBeTruthy();
			expect(output[0].json.error).toBe('Not enough Sivi credits');
			expect(output[0].json.errorDescription).toMatch(/not retried/);
			expect(output[0].json.httpCode).toBe(httpCode);
			expect(String(output[0].json.error)).not.toMatch(/rate limit/i);
			expect(output.slice(1).map((item) => item.json.status)).toEqual(['completed', 'completed']);
		},
	);

	it('without continueOnFail a credits refusal throws at once and nothing else is sent', async () => {
		const { node } = threeItems('credits-throw', promptParams, { continueOnFail: false });
		sim.setFaults({ submitFault: { kind: '402' } });
		const run = await executeNode(node);
		expect(run.status).toBe('error');
		expect(run.error).toMatchObject({
			name: 'NodeApiError',
			message: 'Not enough Sivi credits',
			httpCode: '402',
			context: { itemIndex: 0 },
		});
		expect(sim.counters().submitAttempts).toBe(1);
		await sleep(200);
		expect(sim.counters().submitAttempts).toBe(1);
	});
});

// ---------------------------------------------------------------------------- cancellation

describe('cancellation', () => {
	const POLL_S = 0.1;
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({
			jobDurationMs: 5000,
			seed: 5,
			rateLimit: { limit: 1_000_000, windowMs: 60_000 },
		});
	});
	afterAll(async () => await sim.close());
	beforeEach(() => {
		sim.resetCounters();
		sim.setFaults({ poll429Burst: null });
	});

	const prompt = (tag: string) => (i: number) => `Cancel ${tag} item ${i}: long running job`;
	const cancellable = (tag: string, count: number, options: NodeParams) => {
		const controller = new AbortController();
		const node = nodeFor(sim, promptParams({ prompt: PROMPT_FROM_ITEM, options }), {
			items: inputItems(count, prompt(tag)),
			continueOnFail: true,
			signal: controller.signal,
		});
		return { node, cancel: () => controller.abort() };
	};

	it('stops polling and submitting at once when the execution is cancelled', async () => {
		const { node, cancel } = cancellable('plain', 6, {
			pollInterval: POLL_S,
			maxJobsInFlight: 3,
			maxWait: 60,
		});
		const running = executeNode(node);
		// Only the first job of an unknown length is probed until it teaches the others (pilot).
		await waitUntil(() => sim.counters().polls >= 2 && sim.counters().submitAttempts >= 3, 5000);
		const submitsAtAbort = sim.counters().submitAttempts;
		const abortedAt = Date.now();
		cancel();
		const { output, status } = await running;
		const resolvedIn = Date.now() - abortedAt;

		await sleep(POLL_S * 1000);
		const pollsAfterOneInterval = sim.counters().polls;
		await sleep(POLL_S * 1000 * 5);
		expect(sim.counters().polls).toBe(pollsAfterOneInterval);
		expect(sim.counters().submitAttempts).toBe(submitsAtAbort);
		// Far below the 5 s the jobs still had to run; a margin a busy 2-core machine keeps.
		expect(resolvedIn).toBeLessThan(2500);

		expect(status).toBe('canceled');
		expect(output).toHaveLength(6);
		const jobs = jobsByPrompt(sim);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.error).toMatch(/cancelled/i);
		});
		// Submitted items keep their requestId so they can be picked up with Get Status; the
		// others were never sent.
		expect(submitsAtAbort).toBe(3);
		expect(output.map((item) => item.json.requestId)).toEqual(
			output.map((_, i) => jobs.get(prompt('plain')(i))?.[0]?.requestId),
		);
		expect(output.filter((item) => item.json.requestId)).toHaveLength(3);
	});

	it('reports items not yet sent as cancelled (not as possibly accepted) when cancelled during a Retry-After pause', async () => {
		const { node, cancel } = cancellable('paused', 4, {
			pollInterval: POLL_S,
			maxJobsInFlight: 2,
			maxWait: 60,
		});
		// The first poll answers 429 with Retry-After: 5, which holds every request back.
		sim.setFaults({ poll429Burst: { count: 1, retryAfterSec: 5 } });
		const running = runNode(node);
		await waitUntil(() => sim.counters().rateLimited >= 1, 5000);
		await sleep(100);
		const abortedAt = Date.now();
		cancel();
		const output = await running;
		// Far below the 5 s Retry-After pause it was cancelled in; a margin a busy machine keeps.
		expect(Date.now() - abortedAt).toBeLessThan(2500);

		expect(sim.counters().submitAttempts).toBe(2);
		output.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json.error).toMatch(/cancelled/i);
			expect(item.json.error).not.toMatch(/may have accepted/);
		});
	});
});

// ---------------------------------------------------------------------------- stop on first error

describe('without continueOnFail', () => {
	let sim: Simulator;
	beforeAll(async () => {
		sim = await startSimulator({
			jobDurationMs: 150,
			seed: 9,
			rateLimit: { limit: 1_000_000, windowMs: 60_000 },
			faults: { slowFactor: 40 },
		});
	});
	afterAll(async () => await sim.close());

	it('throws the first failure and submits nothing after it', async () => {
		const FAIL_INDEX = 4;
		const MAX_IN_FLIGHT = 2;
		// The item in flight beside the failing one is slow: otherwise it may end (and free its
		// slot for one more submit) before the failure is seen, which is allowed.
		const prompt = (i: number) =>
			`Stop test item ${i}: spring sale${i === FAIL_INDEX ? ' [sim:fail]' : ''}${i === FAIL_INDEX + 1 ? ' [sim:slow]' : ''}`;
		const { error, status } = await executeNode(
			nodeFor(
				sim,
				promptParams({
					prompt: PROMPT_FROM_ITEM,
					options: { pollInterval: 0.05, maxJobsInFlight: MAX_IN_FLIGHT, maxWait: 10 },
				}),
				{ items: inputItems(10, prompt) },
			),
		);
		expect(status).toBe('error');
		const failedJob = jobsByPrompt(sim).get(prompt(FAIL_INDEX))![0];
		expect(error).toMatchObject({
			name: 'NodeOperationError',
			message: `Sivi job ${failedJob.requestId} ended as failed: Image url invalid`,
			context: { itemIndex: FAIL_INDEX },
		});

		const submits = sim.counters().submitAttempts;
		// Only items up to the failing one plus those already in flight with it were sent.
		expect(submits).toBeLessThanOrEqual(FAIL_INDEX + MAX_IN_FLIGHT);
		const submittedPrompts = sim.jobs().map((job) => String(job.payload.prompt));
		for (let i = FAIL_INDEX + MAX_IN_FLIGHT; i < 10; i++)
			expect(submittedPrompts).not.toContain(prompt(i));
		await sleep(300);
		expect(sim.counters().submitAttempts).toBe(submits);
	});
});

// One Sivi account shared by many executions of this process (and by other processes): the
// plan's limits hold for all of them together, Sivi's harsh cases (429 without Retry-After,
// refused calls counting against the window) are ridden out, and each execution still gets
// exactly its own results. Sivi time runs SCALE× faster (a 60 s window takes 3 s).
import type { INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { forgetAccounts } from '../../nodes/Sivi/engine/accounts';
import { fasterClock, realClock, useClock } from '../../nodes/Sivi/engine/clock';
import { engineError, mediaParams, startNode, type RunningNode } from '../helpers/n8nEngine';
import { startSimulator, type Simulator } from '../simulator';

const SCALE = 20;
const WINDOW_MS = 60_000 / SCALE;
const PLAN_LIMIT = 50;
const GENERAL = { plan: 'general' };

let sim: Simulator;

beforeAll(async () => {
	useClock(fasterClock(SCALE));
	sim = await startSimulator({
		jobDurationMs: 3000 / SCALE,
		concurrency: 4,
		queueSize: 10,
		seed: 5,
		rateLimit: { limit: PLAN_LIMIT, windowMs: WINDOW_MS },
	});
});
afterAll(async () => {
	useClock(realClock);
	await sim.close();
});
beforeEach(() => {
	sim.resetCounters();
	sim.resetRateLimit();
	sim.setFaults({});
	sim.setOptions({
		rateLimit: { retryAfterHeader: true, countRefused: false, mode: 'window' },
		queueWaitMeaning: 'remaining',
		progressCurve: 'linear',
	});
});

const HARSH = { retryAfterHeader: false, countRefused: true };

interface Execution {
	tag: string;
	start: () => RunningNode;
	/** Starts the execution; resolves to its output items, rejects with its error. */
	run: () => Promise<INodeExecutionData[]>;
}

/** One execution of a workflow with a Sivi node (Generate Media) over `items` items. */
function execution(
	tag: string,
	options: {
		items?: number;
		baseUrl?: string;
		continueOnFail?: boolean;
		signal?: AbortSignal;
		prompt?: (item: number) => string;
	} = {},
): Execution {
	const prompt = options.prompt ?? ((item: number) => `${tag} item ${item}: mug on linen`);
	const start = () =>
		startNode({
			params: mediaParams({
				prompt: '={{ $json.prompt }}',
				options: { downloadImages: false, maxWait: 900 },
			}),
			items: Array.from({ length: options.items ?? 1 }, (_, index) => ({
				json: { index, prompt: prompt(index) },
			})),
			baseUrl: options.baseUrl ?? sim.baseUrl,
			apiKey: sim.apiKey,
			continueOnFail: options.continueOnFail ?? true,
			signal: options.signal,
			credentials: GENERAL,
		});
	const run = async () => {
		const { output, error, nodeFailed } = await start().result;
		if (nodeFailed) throw engineError(error!);
		return output;
	};
	return { tag, start, run };
}

/** Prompt → accepted jobs with that prompt. */
function jobsByPrompt(): Map<string, string[]> {
	const map = new Map<string, string[]>();
	for (const job of sim.jobs()) {
		const prompt = String(job.payload.prompt);
		map.set(prompt, [...(map.get(prompt) ?? []), job.requestId]);
	}
	return map;
}

/** Each item's requestId is the one job Sivi accepted for that item's prompt. */
function ownResults(executions: Execution[], outputs: INodeExecutionData[][]): string[] {
	const jobs = jobsByPrompt();
	const wrong: string[] = [];
	outputs.forEach((output, e) =>
		output.forEach((item, i) => {
			const prompt = `${executions[e].tag} item ${i}: mug on linen`;
			const accepted = jobs.get(prompt) ?? [];
			if (
				item.json.status !== 'completed' ||
				accepted.length !== 1 ||
				accepted[0] !== item.json.requestId
			)
				wrong.push(`${prompt}: ${String(item.json.status)} ${String(item.json.error ?? '')}`);
		}),
	);
	return wrong;
}

const surfaced429 = (outputs: INodeExecutionData[][]) =>
	outputs.flat().filter((item) => /rate limit|429|queue/i.test(String(item.json.error ?? '')))
		.length;

describe('one account shared by many executions', () => {
	it.each([
		['Sivi sends Retry-After, refusals not counted', {}],
		['429 without Retry-After, refusals counted', HARSH],
	])('40 concurrent executions stay within the plan (%s)', async (label, knobs) => {
		sim.setOptions({ rateLimit: knobs });
		const executions = Array.from({ length: 40 }, (_, i) => execution(`Shared (${label}) ${i}`));
		const outputs = await Promise.all(executions.map(async (e) => await e.run()));
		expect(ownResults(executions, outputs)).toEqual([]);
		expect(sim.counters().submitAttempts).toBe(40);
		expect(sim.counters().byStatus['429'] ?? 0).toBe(0);
		expect(sim.busiestWindow({ windowMs: WINDOW_MS }).requests).toBeLessThanOrEqual(PLAN_LIMIT);
		// One submit and about one poll per job: polls go where they pay.
		expect(sim.counters().polls).toBeLessThanOrEqual(40 * 2);
	});

	// Sivi promises neither what queueWaitTime means nor that progress is sent or linear in time.
	it.each([
		['zero', 'none'],
		['overstated', 'ahead'],
		['seconds', 'behind'],
	] as const)(
		'a new account learns under harsh timing signals (queueWaitTime %s, progress %s): 40 executions within the plan, each paid once',
		async (queueWaitMeaning, progressCurve) => {
			forgetAccounts();
			sim.setOptions({ rateLimit: HARSH, queueWaitMeaning, progressCurve });
			try {
				const executions = Array.from({ length: 40 }, (_, i) =>
					execution(`Signals ${queueWaitMeaning} ${progressCurve} ${i}`),
				);
				const outputs = await Promise.all(executions.map(async (e) => await e.run()));
				expect(ownResults(executions, outputs)).toEqual([]);
				expect(surfaced429(outputs)).toBe(0);
				expect(sim.counters().submitAttempts).toBe(40);
				expect(sim.busiestWindow({ windowMs: WINDOW_MS }).requests).toBeLessThanOrEqual(PLAN_LIMIT);
				expect(sim.counters().polls).toBeLessThanOrEqual(40 * 2);
			} finally {
				forgetAccounts();
			}
		},
	);

	it('two processes on one key settle under the plan without Retry-After, losing no paid job', async () => {
		sim.setOptions({ rateLimit: HARSH });
		// 127.0.0.1 and localhost are two accounts to the node: like two n8n workers, each with its
		// own scheduler, neither knowing about the other.
		const other = sim.baseUrl.replace('127.0.0.1', 'localhost');
		const executions = Array.from({ length: 40 }, (_, i) =>
			execution(`Worker ${i % 2} run ${i}`, { baseUrl: i % 2 ? other : sim.baseUrl }),
		);
		const outputs = await Promise.all(executions.map(async (e) => await e.run()));
		expect(ownResults(executions, outputs)).toEqual([]);
		expect(surfaced429(outputs)).toBe(0);
		// Refused submits are the only ones sent twice: Sivi accepted exactly one per item.
		expect(sim.counters().submits).toBe(40);
		// Both schedulers start at the full plan, so Sivi refused some requests…
		expect(sim.counters().rateLimited).toBeGreaterThan(0);
		// …and each scheduler kept its own requests, refused ones included, within the plan's
		// window, so the two together never put more than twice the plan into one. (Typically 52-57:
		// each may burst up to the plan before the first refusal comes back, and what was on its way
		// then is refused and, refusals counted, lands in that window too. A 1.4× bound held that
		// margin only on a quiet machine: a loaded one saw 73.)
		expect(sim.busiestWindow({ windowMs: WINDOW_MS }).requests).toBeLessThanOrEqual(PLAN_LIMIT * 2);
	});

	it('a leaky bucket (burst 2, no Retry-After, refusals counted): each of 20 executions gets its own result, each job paid once', async () => {
		// A new account, which first probes for a window, against a limiter stricter than one.
		forgetAccounts();
		sim.setOptions({ rateLimit: { ...HARSH, mode: 'leaky', burst: 2 } });
		try {
			const executions = Array.from({ length: 20 }, (_, i) => execution(`Leaky ${i}`));
			const outputs = await Promise.all(executions.map(async (e) => await e.run()));
			expect(ownResults(executions, outputs)).toEqual([]);
			expect(surfaced429(outputs)).toBe(0);
			expect(sim.counters().submits).toBe(20);
		} finally {
			forgetAccounts();
		}
	});

	it('cancelling one execution stops only its jobs; the others finish with their own results', async () => {
		sim.setOptions({ rateLimit: HARSH });
		const controller = new AbortController();
		const slow = (tag: string) => (item: number) => `${tag} item ${item}: mug on linen [sim:slow]`;
		const cancelled = execution('Cancelled', {
			items: 3,
			signal: controller.signal,
			prompt: slow('Cancelled'),
		});
		const others = ['Goes on A', 'Goes on B'].map((tag) => execution(tag, { items: 3 }));
		const cancelledRun = cancelled.start();
		const running = others.map(async (e) => await e.run());
		// Wait until the cancelled execution's three jobs were accepted, then cancel it.
		const accepted = () =>
			sim.jobs().filter((job) => String(job.payload.prompt).startsWith('Cancelled item')).length;
		for (let i = 0; i < 200 && accepted() < 3; i++) await sleep(10);
		expect(accepted()).toBe(3);
		controller.abort();
		const sentAtCancel = cancelledRun.requests.length;
		const [{ output: cancelledOut, status }, ...othersOut] = await Promise.all([
			cancelledRun.result,
			...running,
		]);
		await sleep(300);
		expect(status).toBe('canceled');
		expect(ownResults(others, othersOut)).toEqual([]);
		expect(cancelledOut.map((item) => item.json.status === 'completed')).toEqual([
			false,
			false,
			false,
		]);
		expect(cancelledOut.every((item) => /cancel/i.test(String(item.json.error)))).toBe(true);
		// Nothing more was sent for the cancelled execution after the cancel.
		expect(cancelledRun.requests.length).toBe(sentAtCancel);
	});

	it('one execution failing without Continue On Fail stops only itself', async () => {
		const failing = execution('Fails', {
			items: 3,
			continueOnFail: false,
			prompt: (item) => `Fails item ${item}: mug on linen${item === 0 ? ' [sim:fail]' : ''}`,
		});
		const others = ['Unaffected A', 'Unaffected B'].map((tag) => execution(tag, { items: 3 }));
		const [failed, ...othersOut] = await Promise.allSettled(
			[failing, ...others].map(async (e) => await e.run()),
		);
		expect(failed.status).toBe('rejected');
		expect(String((failed as PromiseRejectedResult).reason?.message)).toMatch(/ended as failed/);
		expect(othersOut.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled']);
		expect(
			ownResults(
				others,
				othersOut.map((result) => (result as PromiseFulfilledResult<INodeExecutionData[]>).value),
			),
		).toEqual([]);
	});
});

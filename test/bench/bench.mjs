#!/usr/bin/env node
// `npm run bench`: the node's whole execution path (router → engine → HTTP) against the Sivi
// simulator with the General plan's limits (50 requests per minute, 4 running, queue of 10),
// Sivi time scaled SCALE× (a 60 s rate window lasts 60/SCALE s, a 40 s job 40/SCALE s).
//
// Rows: short (3 s) and long (40 s) jobs × the ways n8n runs the node:
//   - one execution with N items (N = 1, 20, 100);
//   - K concurrent executions of 1 item in one process (K = 20, 50): they share the node's
//     module state, as executions in one n8n process do;
//   - a new account under harsh timing signals: no progress, or progress ahead of time;
//   - queue mode: 2 worker processes (test/bench/worker.mjs), each running K/2 concurrent
//     executions, with the credential saying `processes: 2`; plus one row for 2 workers with
//     `processes` left at 1 (K = 50, short jobs), where only backing off on 429s can help.
// Every row runs under two limiters (Sivi does not say how it counts): the sliding 60 s window,
// and a leaky bucket (one request per 1.2 s, burst LEAKY_BURST). Each row gets a fresh simulator
// and cold engine state (forgetAccounts()), and the harsh settings: 429s without Retry-After,
// refused calls counting.
//
// References, in the same run: the physical floor of the row's limiter (floor.mjs) and a
// serial client (one job at a time, submit, poll every 5 s — how other Sivi/image nodes work),
// measured for up to 20 jobs and extrapolated linearly beyond.
//
// Environment: BENCH_SCALE (default 20: n8n's own execution path costs a few ms of CPU per request, which a faster clock would magnify), BENCH_ONLY (regex over row names, for quick runs),
// BENCH_DEBUG=1 (print each row's request log and job times to stderr), BENCH_QUEUE_WAIT and
// BENCH_PROGRESS (what the simulator's answers say of a job's timing on every row: see
// test/simulator/signals.js),
// BENCH_REF (a commit to benchmark instead of the work tree, e.g. HEAD), BENCH_ALLOW_TYPE_ERRORS=1
// (run even if tsc reports type errors; it still emits).
import { execFileSync, fork } from 'node:child_process';
import {
	copyFileSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

import {
	FLOOR_DEFINITIONS,
	NEW_ACCOUNT_DEFINITION,
	leakyFloor,
	leakyFloorDefinition,
	windowFloor,
} from './floor.mjs';
import {
	BUILD_DIR,
	benchItems,
	loadBuild,
	mergeSummaries,
	nodeParams,
	runExecutions,
} from './shared.mjs';

const benchStarted = performance.now();
const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

const SCALE = Number(process.env.BENCH_SCALE ?? 20); // Sivi seconds per wall second
const ONLY = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY, 'i') : undefined;
const PLAN = { requestsPerMinute: 50, concurrency: 4, queue: 10 };
const WINDOW_MS = 60_000 / SCALE; // the simulator's rate window: one Sivi minute
const SERIAL_MAX = 20; // serial jobs measured; beyond, extrapolated
const SERIAL_POLL_MS = 5_000 / SCALE;
const WORKERS = 2;
const LEAKY_BURST = Number(process.env.BENCH_LEAKY_BURST ?? 2);
// What Sivi's answers say of a job's timing (test/simulator/signals.js): friendly by default
// (an undefined option keeps the simulator's default).
const SIGNALS = {
	queueWaitMeaning: process.env.BENCH_QUEUE_WAIT || undefined,
	progressCurve: process.env.BENCH_PROGRESS || undefined,
};
const LIMITERS = [
	{ key: 'window', label: '60 s window' },
	{ key: 'leaky', label: `leaky bucket (burst ${LEAKY_BURST})` },
];

const NO_PROGRESS = { label: 'no progress', queueWaitMeaning: 'zero', progressCurve: 'none' };
const PROGRESS_AHEAD = {
	label: 'progress ahead',
	queueWaitMeaning: 'zero',
	progressCurve: 'ahead',
};

const LENGTHS = [
	// Short jobs are image generations, long ones designs (Sivi's designs take about 40 s).
	{ key: 'short', siviSeconds: 3, op: 'media', opName: 'Generate Media' },
	{ key: 'long', siviSeconds: 40, op: 'design', opName: 'Design: Create From Prompt' },
];
const SHAPES = [
	{ kind: 'items', n: 1 },
	{ kind: 'items', n: 20 },
	{ kind: 'items', n: 100 },
	{ kind: 'executions', n: 20 },
	{ kind: 'executions', n: 50 },
	{ kind: 'workers', n: 20, processes: WORKERS },
	{ kind: 'workers', n: 50, processes: WORKERS },
	{ kind: 'workers', n: 50, processes: 1, lengths: ['short'] },
	// The rows above start with an account that has never run this kind of job: its first job
	// needs a look or two before its end to learn how long such jobs take, and where 2N requests
	// fill whole windows exactly (N = 50, 100) those looks push the last checks into one more
	// window. In a long-running n8n the account has usually learned it from earlier runs:
	{ kind: 'executions', n: 50, warm: true, lengths: ['short'] },
	{ kind: 'items', n: 100, warm: true, lengths: ['short'] },
	// Sivi promises neither what queueWaitTime means nor that `progress` is sent or grows evenly
	// with time (test/simulator/signals.js). The rows above read the friendly case; these a new
	// account under harsh ones: queueWaitTime 0 as in every docs example, with no progress at
	// all, or with a progress that runs ahead of time (which invites looks that come too early).
	{ kind: 'items', n: 1, signals: NO_PROGRESS },
	{ kind: 'items', n: 20, signals: NO_PROGRESS },
	{ kind: 'executions', n: 20, signals: NO_PROGRESS },
	{ kind: 'items', n: 20, signals: PROGRESS_AHEAD },
];
const shapeName = (shape) =>
	shape.signals
		? `${shapeName({ ...shape, signals: undefined })}, ${shape.signals.label}`
		: shape.warm
			? `${shapeName({ ...shape, warm: false })}, length learned`
			: shape.kind === 'items'
				? '1 execution × N items'
				: shape.kind === 'executions'
					? 'K executions × 1 item, 1 process'
					: shape.processes === 1
						? `${WORKERS} workers × K/${WORKERS}, processes left at 1`
						: `${WORKERS} workers × K/${WORKERS} executions`;

const rowName = (limiter, length, shape) =>
	`${limiter.key} · ${length.key} · ${shapeName(shape)} · ${shape.n}`;

const siviS = (wallMs) => (wallMs * SCALE) / 1000;
const log = (line) =>
	console.log(`[${((performance.now() - benchStarted) / 1000).toFixed(0).padStart(3)} s] ${line}`);

// ------------------------------------------------------------------ build

// BENCH_REF=<commit> benchmarks the node as committed there (read with `git archive`, the work
// tree untouched) instead of the work tree; the simulator always comes from the work tree.
const REF = process.env.BENCH_REF;
const source = REF
	? `${REF} (${execFileSync('git', ['rev-parse', '--short', REF], { cwd: root, encoding: 'utf8' }).trim()})`
	: 'work tree';
console.log(`Building the node (${source}) for the benchmark (tsc -p tsconfig.bench.json)…`);
rmSync(BUILD_DIR, { recursive: true, force: true }); // no stale modules (e.g. a deleted accounts.js)
let sourceDir;
try {
	let tscArgs = ['-p', 'tsconfig.bench.json'];
	if (REF) {
		sourceDir = mkdtempSync(join(tmpdir(), 'sivi-bench-src-'));
		const tar = execFileSync(
			'git',
			['archive', '--format=tar', REF, 'nodes', 'credentials', 'tsconfig.json', 'package.json'],
			{
				cwd: root,
				maxBuffer: 1 << 28,
			},
		);
		execFileSync('tar', ['-x', '-C', sourceDir], { input: tar });
		// The harness that runs the node in n8n's engine comes from the work tree, as the simulator
		// does (all of test/helpers, which import their neighbours and the simulator's types).
		mkdirSync(resolve(sourceDir, 'test/helpers'), { recursive: true });
		for (const file of readdirSync(resolve(root, 'test/helpers')))
			copyFileSync(resolve(root, 'test/helpers', file), resolve(sourceDir, 'test/helpers', file));
		symlinkSync(resolve(root, 'test/simulator'), resolve(sourceDir, 'test/simulator'));
		copyFileSync(resolve(root, 'tsconfig.bench.json'), resolve(sourceDir, 'tsconfig.bench.json'));
		symlinkSync(resolve(root, 'node_modules'), resolve(sourceDir, 'node_modules'));
		tscArgs = ['-p', resolve(sourceDir, 'tsconfig.bench.json'), '--outDir', BUILD_DIR];
	}
	execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), ...tscArgs], {
		cwd: root,
		stdio: 'inherit',
	});
} catch (error) {
	if (process.env.BENCH_ALLOW_TYPE_ERRORS !== '1') {
		console.error(
			'tsc failed (set BENCH_ALLOW_TYPE_ERRORS=1 to benchmark what it emitted anyway).',
		);
		process.exit(1);
	}
	console.warn(
		'WARNING: tsc reported errors; benchmarking what it emitted (BENCH_ALLOW_TYPE_ERRORS=1).',
	);
} finally {
	if (sourceDir) rmSync(sourceDir, { recursive: true, force: true });
}

const build = loadBuild();
build.clock.useClock(build.clock.fasterClock(SCALE));
const { startSimulator } = require(resolve(root, 'test/simulator'));

// The harsh limiter settings are simulator options; an older simulator ignores them, so say which.
const simulatorSource = readdirSync(resolve(root, 'test/simulator'))
	.filter((file) => file.endsWith('.js'))
	.map((file) => readFileSync(resolve(root, 'test/simulator', file), 'utf8'))
	.join('\n');
const harsh = {
	retryAfterHeader: simulatorSource.includes('retryAfterHeader'),
	countRefused: simulatorSource.includes('countRefused'),
};

function simulatorOptions(jobMs, limiter = 'window', signals = {}) {
	return {
		jobDurationMs: jobMs,
		concurrency: PLAN.concurrency,
		queueSize: PLAN.queue,
		rateLimit: {
			limit: PLAN.requestsPerMinute,
			windowMs: WINDOW_MS,
			retryAfterHeader: false, // 429s come without Retry-After
			countRefused: true, // refused calls count against the window (or fill the bucket)
			mode: limiter,
			burst: LEAKY_BURST,
		},
		queueWaitMeaning: signals.queueWaitMeaning ?? SIGNALS.queueWaitMeaning,
		progressCurve: signals.progressCurve ?? SIGNALS.progressCurve,
		seed: 42,
	};
}

/** Busiest window of one Sivi minute: the simulator's own count, else computed from its log. */
function busiestWindow(sim, since) {
	if (typeof sim.busiestWindow === 'function')
		return { ...sim.busiestWindow({ windowMs: WINDOW_MS, since }), exact: true };
	// Fallback for a simulator without busiestWindow(): every API request in the log counts; any
	// 429 (rate or queue) counts as refused.
	const api = sim
		.counters()
		.log.filter((entry) => entry.path.startsWith('general/') && entry.t >= since)
		.sort((a, b) => a.t - b.t);
	let best = { requests: 0, accepted: 0, refused: 0, start: since };
	let end = 0;
	let refused = 0;
	for (let start = 0; start < api.length; start++) {
		while (end < api.length && api[end].t < api[start].t + WINDOW_MS)
			refused += api[end++].status === 429;
		const requests = end - start;
		if (requests > best.requests)
			best = { requests, accepted: requests - refused, refused, start: api[start].t };
		refused -= api[start].status === 429;
	}
	return { ...best, exact: false };
}

// ------------------------------------------------------------------ warm-up

// A separate simulator without a rate limit: warms the JIT and connections (here and in the
// workers) and gives the serial client a submit body the node itself built.
const warmupSim = await startSimulator({
	apiKey: 'bench-warmup-key',
	jobDurationMs: 20,
	rateLimit: { limit: Infinity },
});
const submitTemplates = {};
for (const length of LENGTHS) {
	const { output, requests } = await build.helpers.executeNode({
		params: nodeParams(build.helpers, length.op),
		items: benchItems('warmup', 2),
		baseUrl: warmupSim.baseUrl,
		apiKey: warmupSim.apiKey,
		continueOnFail: true,
		credentials: { plan: 'general' },
	});
	if (output.some((item) => item.json.status !== 'completed'))
		throw new Error(
			`warm-up (${length.op}) did not complete: ${JSON.stringify(output.map((i) => i.json.error ?? i.json.status))}`,
		);
	const submit = requests.find((r) => r.body && !r.url.includes('get-request-status'));
	submitTemplates[length.op] = {
		method: submit.method,
		path: submit.url.slice(`${warmupSim.baseUrl}/general/`.length),
		body: submit.body,
	};
}
await build.forgetAccounts();

// ------------------------------------------------------------------ serial reference

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One job at a time: submit, poll every 5 Sivi-seconds until done, next job. Times in wall ms. */
async function serialReference(length) {
	const sim = await startSimulator(simulatorOptions((length.siviSeconds * 1000) / SCALE));
	const template = submitTemplates[length.op];
	const headers = { 'sivi-api-key': sim.apiKey, 'content-type': 'application/json' };
	const call = async (method, url, body) => {
		for (;;) {
			const response = await fetch(url, { method, headers, body: body && JSON.stringify(body) });
			const envelope = await response.json();
			if (response.status === 429) {
				await sleep(SERIAL_POLL_MS); // a serial client simply tries again at its next tick
				continue;
			}
			if (response.status !== 200)
				throw new Error(`serial client: ${response.status} ${JSON.stringify(envelope)}`);
			return envelope.body;
		}
	};
	const doneAt = [];
	const started = performance.now();
	try {
		for (let i = 0; i < SERIAL_MAX; i++) {
			const body = { ...template.body, prompt: `serial #${i}: ${template.body.prompt}` };
			const { requestId } = await call(
				template.method,
				`${sim.baseUrl}/general/${template.path}`,
				body,
			);
			const statusUrl = `${sim.baseUrl}/general/get-request-status?queryParams=${encodeURIComponent(JSON.stringify({ requestId }))}`;
			for (;;) {
				await sleep(SERIAL_POLL_MS);
				const status = await call('GET', statusUrl);
				if (status.status === 'completed') break;
				if (status.status !== 'pending' && status.status !== 'processing')
					throw new Error(`serial client: job ended ${status.status}`);
			}
			doneAt.push(performance.now() - started);
		}
		const counters = sim.counters();
		return {
			doneAt,
			requestsPerJob: counters.requests / SERIAL_MAX,
			received429: counters.byStatus['429'] ?? 0,
		};
	} finally {
		await sim.close();
	}
}

function serialFor(serial, n) {
	if (n <= serial.doneAt.length) return { ms: serial.doneAt[n - 1], estimated: false };
	return { ms: (serial.doneAt.at(-1) / serial.doneAt.length) * n, estimated: true };
}

// ------------------------------------------------------------------ workers

function nextMessage(child, type) {
	return new Promise((resolvePromise, reject) => {
		const onMessage = (message) => {
			if (message.type === 'error')
				return finish(reject, new Error(`worker ${child.pid}: ${message.message}`));
			if (message.type === type) finish(resolvePromise, message);
		};
		const onExit = (code) =>
			finish(reject, new Error(`worker ${child.pid} exited (${code}) before '${type}'`));
		const finish = (fn, value) => {
			child.off('message', onMessage);
			child.off('exit', onExit);
			fn(value);
		};
		child.on('message', onMessage);
		child.on('exit', onExit);
	});
}

async function startWorkers(op) {
	const children = Array.from({ length: WORKERS }, () =>
		fork(resolve(import.meta.dirname, 'worker.mjs'), [], {
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		}),
	);
	await Promise.all(
		children.map((child) => {
			const ready = nextMessage(child, 'ready');
			child.send({
				type: 'init',
				scale: SCALE,
				op,
				warmup: { baseUrl: warmupSim.baseUrl, apiKey: warmupSim.apiKey },
			});
			return ready;
		}),
	);
	return children;
}

function stopWorkers(children) {
	for (const child of children ?? []) if (child.connected) child.send({ type: 'exit' });
}

// ------------------------------------------------------------------ one row

let workerMaxRssKb = 0;

async function measureRow(length, shape, limiter) {
	const n = shape.n;
	const T = length.siviSeconds;
	const floorSivi =
		limiter.key === 'window' ? windowFloor(n, T, PLAN) : leakyFloor(n, T, PLAN, LEAKY_BURST);
	// Items still waiting then are cancelled and show as not completed (the node's own Max Wait
	// is 600 Sivi-seconds per job).
	const timeoutMs = ((floorSivi + 900) * 1000) / SCALE;
	const credentials = {
		plan: 'general',
		...(shape.kind === 'workers' ? { processes: shape.processes } : {}),
	};
	const tagPrefix = `${limiter.key}-${length.key}-${shape.kind}-${n}-p${shape.processes ?? 1}${shape.warm ? '-warm' : ''}${shape.signals ? `-${shape.signals.progressCurve}` : ''}`;
	const workers = shape.kind === 'workers' ? await startWorkers(length.op) : undefined;
	await build.forgetAccounts();
	const sim = await startSimulator(
		simulatorOptions((T * 1000) / SCALE, limiter.key, shape.signals),
	);
	let since = Date.now();
	try {
		const common = {
			op: length.op,
			tagPrefix,
			baseUrl: sim.baseUrl,
			apiKey: sim.apiKey,
			credentials,
			timeoutMs,
		};
		if (shape.warm) {
			// One job of the kind first, on the same account, as an earlier run would have done;
			// then a whole Sivi window passes, so its requests are in no window of the row.
			await runExecutions(build, {
				...common,
				tagPrefix: `${tagPrefix}-warm`,
				count: 1,
				itemsPerExecution: 1,
			});
			await sleep(((60 + 2) * 1000) / SCALE);
			sim.resetCounters();
			since = Date.now();
		}
		const started = performance.now();
		const startedWall = Date.now();
		let run;
		if (shape.kind === 'items')
			run = runExecutions(build, { ...common, count: 1, itemsPerExecution: n });
		else if (shape.kind === 'executions')
			run = runExecutions(build, { ...common, count: n, itemsPerExecution: 1 });
		else {
			run = Promise.all(
				workers.map((child, w) => {
					const done = nextMessage(child, 'done');
					const count = Math.floor(n / WORKERS) + (w < n % WORKERS ? 1 : 0);
					child.send({
						type: 'run',
						...common,
						tagPrefix: `${tagPrefix}-w${w}`,
						count,
						itemsPerExecution: 1,
					});
					return done;
				}),
			).then((answers) => {
				for (const a of answers) workerMaxRssKb = Math.max(workerMaxRssKb, a.maxRssKb);
				return {
					...mergeSummaries(answers.map((a) => a.summary)),
					timedOut: answers.some((a) => a.summary.timedOut),
				};
			});
		}
		// Backstop: if the node ignores its cancel signal, stop the benchmark rather than hang.
		let backstop;
		const hardLimit = new Promise((_, reject) => {
			backstop = setTimeout(
				() =>
					reject(
						new Error(
							`row still running ${((timeoutMs + 60_000) / 1000).toFixed(0)} s (wall) after its start, despite cancelling`,
						),
					),
				timeoutMs + 60_000,
			);
		});
		const summary = await Promise.race([run, hardLimit]).finally(() => clearTimeout(backstop));
		const wallMs = performance.now() - started;
		const counters = sim.counters();
		if (process.env.BENCH_DEBUG) {
			const t0 = counters.log[0]?.t ?? 0;
			const tLast = counters.log.at(-1)?.t ?? t0;
			console.error(
				`row ${tagPrefix}: first request ${siviS(t0 - startedWall).toFixed(2)} Sivi s after the start, ` +
					`last answer to the end ${siviS(startedWall + wallMs - tLast).toFixed(2)} Sivi s`,
			);
			const notes = sim.answerNotes();
			counters.log.forEach((e, k) =>
				console.error(
					`${(((e.t - t0) * SCALE) / 1000).toFixed(2)} ${e.method} ${e.path} ${e.status}${notes[k] ? ` ${notes[k]}` : ''}`,
				),
			);
			for (const j of sim.jobs())
				console.error(
					`job ${j.requestId} start ${(((j.startAt - t0) * SCALE) / 1000).toFixed(2)} end ${(((j.endAt - t0) * SCALE) / 1000).toFixed(2)} ${String(j.payload?.prompt ?? '').split(':')[0]}`,
				);
		}
		const apiRequests = counters.log.filter((entry) => entry.path.startsWith('general/')).length;
		return {
			n,
			wallSivi: siviS(wallMs),
			floorSivi,
			apiRequests,
			requestsPerJob: apiRequests / n,
			busiest: busiestWindow(sim, since),
			received429: counters.byStatus['429'] ?? 0,
			submits: counters.submits,
			submitAttempts: counters.submitAttempts,
			...summary,
		};
	} finally {
		await sim.close();
		stopWorkers(workers);
	}
}

/** Two workers sharing the key without the credential saying so. */
const untoldWorkers = (shape) => shape.kind === 'workers' && shape.processes === 1;

/** Targets of issue 20 ("Done when"); the row where nobody told the workers about each other only has to stay safe. */
function goals(length, shape, row, limiter) {
	const misses = [];
	const ratio = row.wallSivi / row.floorSivi;
	const untold = untoldWorkers(shape);
	if (row.surfaced429 > 0) misses.push(`${row.surfaced429} 429s surfaced`);
	if (row.submits !== row.n) misses.push(`${row.submits} submits for ${row.n} jobs`);
	if (row.completed !== row.n) misses.push(`${row.n - row.completed} of ${row.n} not completed`);
	if (untold) return misses;
	if (limiter.key === 'window') {
		if (row.busiest.requests > PLAN.requestsPerMinute)
			misses.push(`busiest window ${row.busiest.requests} > ${PLAN.requestsPerMinute}`);
		if (row.received429 > 0) misses.push(`${row.received429} refusals`);
		const cap = length.key === 'long' ? 1.05 : row.n >= 20 ? 1.25 : Infinity;
		if (ratio > cap) misses.push(`ratio ${ratio.toFixed(2)} > ${cap}`);
	} else if (ratio > 1.35) misses.push(`ratio ${ratio.toFixed(2)} > 1.35`);
	return misses;
}

// ------------------------------------------------------------------ run

const plan = [];
for (const limiter of LIMITERS)
	for (const length of LENGTHS)
		for (const shape of SHAPES) {
			if (shape.lengths && !shape.lengths.includes(length.key)) continue;
			const name = rowName(limiter, length, shape);
			if (!ONLY || ONLY.test(name)) plan.push({ limiter, length, shape, name });
		}

console.log(
	`Sivi time ×${SCALE}; plan: General (${PLAN.requestsPerMinute} req/min, ${PLAN.concurrency} running, queue ${PLAN.queue}); ` +
		`engine: ${build.hasAccounts ? 'per-account scheduler (forgetAccounts() before every row)' : 'per-execution JobEngine (no engine/accounts.ts)'}; ` +
		`${plan.length} rows.`,
);

const serial = {};
for (const length of LENGTHS) {
	if (!plan.some((p) => p.length === length)) continue;
	log(
		`serial reference, ${length.key} jobs (${length.siviSeconds} s): ${SERIAL_MAX} jobs one at a time…`,
	);
	serial[length.key] = await serialReference(length);
	const s = serial[length.key];
	log(
		`  done: ${siviS(s.doneAt.at(-1)).toFixed(0)} Sivi s for ${SERIAL_MAX} jobs, ${s.requestsPerJob.toFixed(1)} requests/job, ${s.received429} 429s`,
	);
}

const rows = [];
let aborted;
for (const [index, { limiter, length, shape, name }] of plan.entries()) {
	log(`[${index + 1}/${plan.length}] ${name}…`);
	let row;
	try {
		row = await measureRow(length, shape, limiter);
	} catch (error) {
		aborted = `${name}: ${error.message}`;
		console.error(`ABORTED ${aborted}`);
		break;
	}
	const misses = goals(length, shape, row, limiter);
	rows.push({ limiter, length, shape, name, row, misses });
	log(
		`  ${row.wallSivi.toFixed(0)} Sivi s (floor ${row.floorSivi.toFixed(0)}), ${row.completed}/${row.n} completed, ` +
			`${row.requestsPerJob.toFixed(1)} req/job, busiest window ${row.busiest.requests}, 429s ${row.received429}/${row.surfaced429}` +
			`${row.timedOut ? ', CANCELLED at the row timeout' : ''} → ${misses.length ? 'MISSED' : 'MET'}`,
	);
}
await warmupSim.close();

// ------------------------------------------------------------------ report

const fmt = (x, digits = 0) => x.toFixed(digits);
const table = rows.map(({ limiter, length, shape, row, misses }) => {
	const ref = serialFor(serial[length.key], row.n);
	const refSivi = siviS(ref.ms);
	return {
		limiter: limiter.key,
		shape: shapeName(shape),
		job: `${length.key} (${length.siviSeconds} s)`,
		'N or K': row.n,
		'wall (Sivi s)': fmt(row.wallSivi),
		'floor (Sivi s)': fmt(row.floorSivi),
		'ratio to floor': fmt(row.wallSivi / row.floorSivi, 2),
		'serial (Sivi s)': fmt(refSivi) + (ref.estimated ? ' (est.)' : ''),
		'speed-up vs serial': `${fmt(refSivi / row.wallSivi, 1)}×`,
		'requests/job': fmt(row.requestsPerJob, 1),
		'busiest 60 s window (refused)': `${row.busiest.requests} (${row.busiest.refused})`,
		'429s received / surfaced': `${row.received429} / ${row.surfaced429}`,
		'submits / jobs':
			`${row.submits}/${row.n}` +
			(row.submitAttempts > row.submits ? ` (${row.submitAttempts} sent)` : ''),
		completed: `${row.completed}/${row.n}`,
		goal: misses.length ? 'MISSED' : 'MET',
	};
});

console.log('');
const harshText =
	harsh.retryAfterHeader && harsh.countRefused
		? 'harsh rate limiter: 429s carry no Retry-After, refused calls count against the window'
		: `harsh rate limiter requested (no Retry-After, refused calls count) but this simulator ${[
				!harsh.retryAfterHeader &&
					'does not support retryAfterHeader yet (429s still carry Retry-After)',
				!harsh.countRefused && 'does not support countRefused yet (refused calls do not count)',
			]
				.filter(Boolean)
				.join(' and ')}`;
const signalsText = Object.values(SIGNALS).some(Boolean)
	? `queueWaitTime ${SIGNALS.queueWaitMeaning ?? 'remaining'}, progress ${SIGNALS.progressCurve ?? 'linear'} on every row (BENCH_QUEUE_WAIT, BENCH_PROGRESS)`
	: 'queueWaitTime the exact wait left and progress linear in time, except in the rows marked "no progress" (queueWaitTime 0, no progress sent) and "progress ahead" (queueWaitTime 0, progress = √ of the time share)';
console.log(
	`Sivi time scaled ${SCALE}× (all times below in Sivi seconds). Plan: General, ${PLAN.requestsPerMinute} requests/min, ` +
		`${PLAN.concurrency} running, queue ${PLAN.queue}. Limiters: ${LIMITERS.map((l) => l.label).join(', ')}. Simulator: ${harshText}. ` +
		`Timing signals: ${signalsText}. ` +
		`Short jobs (3 s): ${LENGTHS[0].opName}; long jobs (40 s): ${LENGTHS[1].opName}; node defaults, continueOnFail on.`,
);
console.log(
	`Node built from: ${source}. Engine: ${build.hasAccounts ? 'per-account scheduler' : 'per-execution JobEngine'}.`,
);
console.log('');
if (table.length) {
	const headers = Object.keys(table[0]);
	const widths = headers.map((h) => Math.max(h.length, ...table.map((r) => String(r[h]).length)));
	const line = (cells) =>
		'| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
	console.log(line(headers));
	console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
	for (const r of table) console.log(line(headers.map((h) => r[h])));
}
console.log('');
console.log(
	'Goals (issue 20). Window: short rows with N or K ≥ 20 ratio ≤ 1.25, long rows ≤ 1.05, busiest 60 s window ≤ 50, 0 refusals. ' +
		'Leaky bucket: ratio ≤ 1.35. Both: every item completed, submits = jobs, 0 429s surfaced. ' +
		'Short N = 1 is latency-bound (judged by time to answer, not here). "processes left at 1": only the last three.',
);
for (const { name, misses } of rows) {
	console.log(
		`- ${misses.length ? 'MISSED' : 'MET   '} ${name}${misses.length ? ': ' + misses.join('; ') : ''}`,
	);
}
const failures = rows.filter(({ row }) => Object.keys(row.errors).length);
if (failures.length) {
	console.log('\nItems that did not complete, by error:');
	for (const { name, row } of failures) {
		const list = Object.entries(row.errors)
			.map(([message, count]) => `${count}× "${message}"`)
			.join('; ');
		console.log(
			`- ${name}${row.timedOut ? ' (row timeout reached, rest cancelled)' : ''}: ${list}`,
		);
	}
}
console.log('');
for (const line of [...FLOOR_DEFINITIONS, leakyFloorDefinition(LEAKY_BURST)]) console.log(line);
const newAccount = rows.flatMap(({ limiter, length, shape, name, row }) => {
	if (limiter.key !== 'window' || shape.warm || untoldWorkers(shape)) return [];
	const looks = shape.kind === 'workers' ? shape.processes : 1;
	const floor = windowFloor(row.n, length.siviSeconds, PLAN, 60, looks);
	if (floor <= row.floorSivi) return [];
	return [
		`- ${name}: ${fmt(floor)} Sivi s ` +
			`(floor ${fmt(row.floorSivi)}); this run ${fmt(row.wallSivi)}, ${fmt(row.wallSivi / floor, 2)}× it`,
	];
});
if (newAccount.length) {
	console.log(NEW_ACCOUNT_DEFINITION);
	for (const line of newAccount) console.log(line);
}
const met = rows.filter((r) => !r.misses.length).length;
console.log(`${met}/${rows.length} rows MET.`);
if (rows.some((r) => !r.row.busiest.exact))
	console.log(
		'Busiest window computed from the simulator log (no sim.busiestWindow() yet): every 429 counted as refused.',
	);
for (const length of LENGTHS)
	if (serial[length.key])
		console.log(
			`Serial reference, ${length.key}: measured ${SERIAL_MAX} jobs (${fmt(siviS(serial[length.key].doneAt.at(-1)))} Sivi s, ` +
				`${fmt(serial[length.key].requestsPerJob, 1)} requests/job); larger N extrapolated linearly (est.).`,
		);
console.log(
	`Peak RSS: bench process (node + simulator) ${fmt(process.resourceUsage().maxRSS / 1024)} MB` +
		(workerMaxRssKb ? `, worker process ${fmt(workerMaxRssKb / 1024)} MB` : '') +
		`. Runtime ${fmt((performance.now() - benchStarted) / 1000)} s.`,
);
if (aborted) {
	console.error(`Benchmark aborted: ${aborted}`);
	process.exit(1);
}
// The engine may hold timers (module-level scheduler); the benchmark is done.
process.exit(0);

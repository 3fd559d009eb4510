#!/usr/bin/env node
// Concurrency suite (`npm run test:e2e:concurrency`): many executions of one webhook workflow at
// once, in the real n8n 2.41.1 (Node 24) with the packed n8n-nodes-sivi, against the Sivi simulator
// with the General plan's limits (4 jobs running, queue of 10, 50 requests per 60 s; 3 s jobs).
//
//   node test/e2e/concurrency.mjs [--keep] [--only=a,b,c,d] [--no-k40]
//     --keep    leave the n8n user folders (test/e2e/.work/conc-*) in place for inspection
//     --only    run only some scenarios (the self-test always runs)
//     --no-k40  skip the queue-mode K=40 run (and the window check over K=20 + K=40)
//
// Workflow (test/e2e/concurrency/webhook-to-sivi.json): Webhook (POST, responseMode lastNode,
// firstEntryJson) → Sivi Media › Generate (waitForCompletion, maxWait 240 s, no download). It is
// imported and published (`n8n publish:workflow`) before n8n starts; K callers then POST
// { prompt } to the production webhook at the same time, each with a unique prompt.
//
// Scenarios (each with a fresh simulator on the same loopback port, and fresh n8n processes):
//   a  regular mode (one `n8n start`), default simulator (429s carry Retry-After), K=20
//   b  regular mode, harsh simulator (429 WITHOUT Retry-After; refused calls count against the
//      window), K=20
//   c  regular mode, harsh: c1 K=10 with one `[sim:fail]` prompt (that caller gets a workflow error,
//      the other 9 their own results); c2 K=6 `[sim:slow]` (15 s jobs), one running execution is
//      stopped via the REST API (POST /rest/executions/:id/stop): the other 5 complete, the stopped
//      one's job is no longer polled
//   d  queue mode (n8n's own distributed engine): Redis + PostgreSQL (throwaway, started while the
//      package builds; apt-get installs them when missing) + one `n8n start` main + 2 `n8n worker`s,
//      harsh simulator, K=20 then K=40 right after it (skipped with --no-k40: ~4 min less); both
//      workers must have run executions (worker logs:
//      "Worker started execution N") and the busiest 60 s window may exceed the plan by at most
//      10 % (55) — per run, and over both runs together (Sivi's window does not reset between them)
// Checks per run: every caller answers 200 within the limit with a completed result whose requestId
// is the simulator job submitted with THAT caller's prompt; exactly one accepted job per prompt
// (submits == K); submit attempts − 429 refusals == accepted submits; busiest 60 s window of API
// requests ≤ 50 (regular) / ≤ 55 (queue mode).
// Per-request poll attribution (which requestId a status poll was for) comes from a tap on the
// simulator's HTTP server (the simulator's own request log does not keep the query string).
// The first check is an offline self-test: the analyser must FAIL on fabricated bad runs.
// One PASS/FAIL line per check, a summary `N passed, M failed`, exit 1 on any failure. Every wait
// has a timeout; every process (n8n, workers, task runners, redis, postgres) is stopped by PID /
// process group at the end, also on failure. Logs: test/e2e/.work/concurrency/*.log.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as runtime from './lib/runtime.mjs';
import { ensureRuntime, log, REPO_ROOT } from './lib/runtime.mjs';
import { check, phase, phases, results, summary } from './lib/report.mjs';
import { buildAndPack } from './lib/pack.mjs';
import {
	freePort,
	installPackageTarball,
	n8nCli,
	n8nRest,
	newUserFolder,
	removeUserFolder,
	newWorkflowId,
	publishWorkflow,
	startN8n,
	waitForProductionWebhook,
	WORK_DIR,
} from './lib/n8n.mjs';
import { ensureServiceBinaries, startPostgres, startRedis } from './lib/services.mjs';

const require = createRequire(import.meta.url);
const { startSimulator } = require('../simulator');

// Queue-mode setup, REST routes and webhook behaviour here were read from / checked on n8n 2.41.1:
// pin it even when $SIVI_E2E_N8N_VERSION selects another runtime for the other suites.
if (typeof runtime.useN8nVersion === 'function') runtime.useN8nVersion(runtime.N8N_VERSION ?? '2.41.1');

const ARGV = process.argv.slice(2);
const KEEP = ARGV.includes('--keep');
const NO_K40 = ARGV.includes('--no-k40');
const ONLY = new Set((ARGV.find((a) => a.startsWith('--only='))?.slice(7) ?? 'a,b,c,d').split(',').map((s) => s.trim()));

const SUITE_TIMEOUT_MS = 14 * 60_000; // after the runtime is ready (normally ~7 min, ~10 min with K=40)
const ANSWER_TIMEOUT_MS = 270_000; // the node waits at most maxWait = 240 s per job
const K40_NEEDS_MS = 5 * 60_000; // the K=40 queue run needs this much of the suite timeout left
const REGULAR_BUDGET = 50; // the plan: 50 requests per 60 s
const QUEUE_BUDGET = 55; // plan + 10 % for several processes
// The credential's "n8n Processes Using This Key" in queue mode, as README's Scaling section says.
const QUEUE_WORKERS = 2;
const STOP_GRACE_MS = 3000; // a stopped execution may still have a poll in flight this long
const SIM_PLAN = { jobDurationMs: 3000, concurrency: 4, queueSize: 10, rateLimit: { limit: 50, windowMs: 60_000 } };
const HARSH = { rateLimit: { retryAfterHeader: false, countRefused: true } };
const CRED = { id: 'siviConcCred0001', name: 'Sivi account (concurrency)' };
const OWNER = { email: 'owner@sivi-e2e.test', password: 'Concurrency-e2e-1' };
const LOG_DIR = path.join(WORK_DIR, 'concurrency');
const TEMPLATE = path.join(REPO_ROOT, 'test', 'e2e', 'concurrency', 'webhook-to-sivi.json');
const SUBMIT_PATHS = new Set(['general/media/generate', 'general/designs-from-content', 'general/designs-from-prompt']);
const STATUS_PATH = 'general/get-request-status';

// ───────────────────────────────────────────────────────────── reporting
const info = (...a) => log('INFO', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Cleanups run in reverse order at the end (also on failure / suite timeout). */
const cleanups = [];
async function runCleanups() {
	while (cleanups.length) {
		const { name, fn } = cleanups.pop();
		try {
			await Promise.race([fn(), sleep(30_000).then(() => log(`cleanup ${name} timed out`))]);
		} catch (e) {
			log(`cleanup ${name} failed: ${e.message}`);
		}
	}
}

// ───────────────────────────────────────────────────────────── simulator + request tap
/**
 * Start a simulator with a tap on its HTTP server: every request's arrival time, method, full URL
 * (incl. query) and answered status, so a status poll can be attributed to its requestId.
 * (http.createServer is wrapped only while startSimulator runs.)
 */
async function startTappedSimulator(options) {
	const taps = [];
	const orig = http.createServer;
	http.createServer = function createServerTapped(...args) {
		const i = args.findIndex((a) => typeof a === 'function');
		if (i >= 0) {
			const handler = args[i];
			args[i] = (req, res) => {
				const e = { t: Date.now(), method: req.method, url: req.url, status: 0 };
				taps.push(e);
				res.on('finish', () => (e.status = res.statusCode));
				return handler(req, res);
			};
		}
		return orig.apply(this, args);
	};
	let sim;
	try {
		sim = await startSimulator(options);
	} finally {
		http.createServer = orig;
	}
	return { sim, taps };
}

/** requestId of a tapped status poll, else null. */
function polledRequestId(tap) {
	try {
		const u = new URL(tap.url, 'http://x');
		if (!u.pathname.endsWith('/' + STATUS_PATH)) return null;
		return JSON.parse(u.searchParams.get('queryParams') ?? 'null')?.requestId ?? null;
	} catch {
		return null;
	}
}

/** Simulator numbers for requests that arrived at or after `since`. */
function simWindow(sim, since) {
	const c = sim.counters();
	const logRows = c.log.filter((e) => e.t >= since);
	const api = logRows.filter((e) => e.path.startsWith('general/'));
	const submitRows = api.filter((e) => SUBMIT_PATHS.has(e.path) && e.method !== 'HEAD');
	const jobs = sim.jobs().filter((j) => j.submittedAt >= since);
	return {
		requests: api.length,
		status429: api.filter((e) => e.status === 429).length,
		polls: api.filter((e) => e.path === STATUS_PATH).length,
		submitAttempts: submitRows.length,
		submitRefused429: submitRows.filter((e) => e.status === 429).length,
		submitOther: submitRows.filter((e) => e.status !== 429 && e.status !== 200).length,
		submitsAccepted: jobs.length,
		jobs,
		busiest: typeof sim.busiestWindow === 'function' ? sim.busiestWindow({ since }) : null,
	};
}

// ───────────────────────────────────────────────────────────── callers
const token = () => crypto.randomBytes(4).toString('hex');
function makePrompts(label, k, { special = {}, all = '' } = {}) {
	return Array.from({ length: k }, (_, i) => {
		const extra = [all, special[i] ?? ''].filter(Boolean).join(' ');
		return `conc ${label} caller ${String(i + 1).padStart(2, '0')} tok ${token()} a red bicycle by the sea${extra ? ' ' + extra : ''}`;
	});
}

/** POST { prompt } to the production webhook for every prompt at once. */
async function fireCalls(url, webhookPath, prompts, { timeoutMs = ANSWER_TIMEOUT_MS } = {}) {
	const t0 = Date.now();
	const calls = await Promise.all(
		prompts.map(async (prompt) => {
			const start = Date.now();
			try {
				const res = await fetch(`${url}/webhook/${webhookPath}`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify({ prompt }),
					signal: AbortSignal.timeout(timeoutMs),
				});
				const text = await res.text();
				let body;
				try {
					body = JSON.parse(text);
				} catch {
					body = undefined;
				}
				return { prompt, status: res.status, body, text: text.slice(0, 500), ms: Date.now() - start, end: Date.now() };
			} catch (e) {
				return { prompt, status: 0, error: String(e?.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : e), ms: Date.now() - start, end: Date.now() };
			}
		}),
	);
	return { calls, wallMs: Date.now() - t0, t0 };
}

// ───────────────────────────────────────────────────────────── analysis (pure, self-tested)
/**
 * The checks of one run. Pure function of what the callers got and what the simulator saw.
 * @param {{ label: string, calls: any[], limitMs: number, win: ReturnType<typeof simWindow>, budget?: number,
 *   expectError?: Set<string>, skip?: Set<string> }} r
 * @returns {{ name: string, ok: boolean, detail?: any }[]}
 */
function analyze({ label, calls, limitMs, win, budget, expectError = new Set(), skip = new Set() }) {
	const out = [];
	const add = (ok, name, detail) => out.push({ ok: !!ok, name: `${label}: ${name}`, detail });
	const normal = calls.filter((c) => !expectError.has(c.prompt) && !skip.has(c.prompt));
	const short = (c) => ({ prompt: c.prompt.slice(0, 40), status: c.status, ms: c.ms, error: c.error, body: c.body ?? c.text });

	const late = normal.filter((c) => c.status !== 200 || c.ms > limitMs);
	add(!late.length, `all ${normal.length} callers answered 200 within ${limitMs / 1000} s`, late.slice(0, 5).map(short));

	const bad = normal.filter(
		(c) =>
			c.status === 200 &&
			!(c.body && typeof c.body === 'object' && !Array.isArray(c.body) && c.body.status === 'completed' && c.body.error === undefined && Array.isArray(c.body.images) && c.body.images.length > 0),
	);
	add(!bad.length, 'every answer is a completed result with images (no error answer)', bad.slice(0, 5).map(short));

	const byId = new Map(win.jobs.map((j) => [j.requestId, j]));
	const mism = normal
		.filter((c) => c.status === 200)
		.map((c) => ({ c, job: byId.get(c.body?.requestId) }))
		.filter(({ c, job }) => !job || job.payload?.prompt !== c.prompt)
		.map(({ c, job }) => ({ prompt: c.prompt.slice(0, 40), requestId: c.body?.requestId, jobPrompt: job ? String(job.payload?.prompt).slice(0, 40) : '(no such job)' }));
	add(!mism.length, "each answer's requestId is the job submitted with that caller's prompt", mism.slice(0, 5));

	const perPrompt = new Map(calls.map((c) => [c.prompt, 0]));
	const foreign = [];
	for (const j of win.jobs) {
		const p = j.payload?.prompt;
		if (perPrompt.has(p)) perPrompt.set(p, perPrompt.get(p) + 1);
		else foreign.push(String(p).slice(0, 40));
	}
	const dup = [...perPrompt].filter(([, n]) => n > 1).map(([p, n]) => `${n}× ${p.slice(0, 40)}`);
	const missing = [...perPrompt].filter(([, n]) => n === 0).map(([p]) => p.slice(0, 40));
	add(
		win.submitsAccepted === calls.length && !dup.length && !foreign.length,
		`one accepted (paid) job per prompt: submits ${win.submitsAccepted} == ${calls.length}, no prompt submitted twice`,
		{ submits: win.submitsAccepted, duplicated: dup, withoutJob: missing, foreign },
	);

	add(
		win.submitAttempts - win.submitRefused429 === win.submitsAccepted && win.submitOther === 0,
		`submit attempts ${win.submitAttempts} − 429 refusals ${win.submitRefused429} == accepted submits ${win.submitsAccepted}`,
		{ attempts: win.submitAttempts, refused429: win.submitRefused429, otherStatus: win.submitOther, accepted: win.submitsAccepted },
	);

	if (budget !== undefined) {
		add(
			win.busiest && win.busiest.requests <= budget,
			`busiest 60 s window ${win.busiest?.requests ?? '(simulator has no busiestWindow())'} ≤ ${budget} requests`,
			win.busiest ?? 'sim.busiestWindow() missing',
		);
	}
	return out;
}

const STOP_VERDICT_NAME = `the stopped execution's job is no longer polled from ${STOP_GRACE_MS / 1000} s after the stop until 10 s after it ended in Sivi (it ran ≥ ${(STOP_GRACE_MS + 5000) / 1000} s past the stop)`;
/**
 * Was the stopped execution's job left alone? Meaningful only if the job went on ≥ grace + 5 s after
 * the stop (the caller observes until its end + 10 s, when a still-tracking engine would have polled).
 * @param {{ job?: { endAt: number, requestId: string }, tStop: number|null, pollTimes: number[] }} r
 */
function stopPollVerdict({ job, tStop, pollTimes }) {
	const after = tStop === null ? [] : pollTimes.filter((t) => t > tStop + STOP_GRACE_MS);
	const meaningful = !!job && tStop !== null && job.endAt > tStop + STOP_GRACE_MS + 5000;
	return {
		ok: meaningful && after.length === 0,
		detail: {
			requestId: job?.requestId,
			pollsBeforeStop: tStop === null ? null : pollTimes.filter((t) => t <= tStop).length,
			pollsAfterStopPlusGrace: after.map((t) => `+${t - tStop} ms`),
			jobEndsAfterStop: job && tStop !== null ? `+${job.endAt - tStop} ms` : null,
			meaningful,
		},
	};
}

function report(list) {
	let ok = true;
	for (const r of list) ok = check(r.ok, r.name, r.detail) && ok;
	return ok;
}

/** The analyser must fail on fabricated bad runs (a check that cannot fail is useless). */
function selfTest() {
	const mk = (n) => {
		const prompts = Array.from({ length: n }, (_, i) => `self p${i} tok ${token()}`);
		const jobs = prompts.map((p, i) => ({ requestId: `R${i}`, payload: { prompt: p }, submittedAt: 1 }));
		const calls = prompts.map((p, i) => ({ prompt: p, status: 200, ms: 1000, body: { requestId: `R${i}`, status: 'completed', images: [{ url: 'u' }] } }));
		const win = { jobs, submitsAccepted: n, submitAttempts: n + 2, submitRefused429: 2, submitOther: 0, busiest: { requests: 40 }, requests: 0 };
		return { label: 'self', calls, limitMs: 5000, win, budget: 50 };
	};
	const failing = (r) => analyze(r).filter((x) => !x.ok).map((x) => x.name);
	const cases = [];
	const good = mk(4);
	cases.push(['clean run', good, 0]);
	const swapped = mk(4);
	[swapped.calls[0].body.requestId, swapped.calls[1].body.requestId] = [swapped.calls[1].body.requestId, swapped.calls[0].body.requestId];
	cases.push(['swapped results', swapped, 1]);
	const dupe = mk(4);
	dupe.win.jobs.push({ requestId: 'R9', payload: { prompt: dupe.calls[2].prompt }, submittedAt: 2 });
	dupe.win.submitsAccepted = 5;
	dupe.win.submitAttempts = 7;
	cases.push(['duplicate submit', dupe, 1]);
	const over = mk(4);
	over.win.busiest = { requests: 51 };
	cases.push(['over budget', over, 1]);
	const nobw = mk(4);
	nobw.win.busiest = null;
	cases.push(['no busiestWindow', nobw, 1]);
	const errAnswer = mk(4);
	errAnswer.calls[3] = { ...errAnswer.calls[3], status: 500, body: { message: 'Error in workflow' } };
	cases.push(['error answer', errAnswer, 1]);
	const failedJob = mk(4);
	failedJob.calls[1].body.status = 'failed';
	cases.push(['failed result', failedJob, 1]);
	const slowAns = mk(4);
	slowAns.calls[0].ms = 6000;
	cases.push(['late answer', slowAns, 1]);
	const otherStatus = mk(4);
	otherStatus.win.submitOther = 1;
	otherStatus.win.submitAttempts = 7;
	cases.push(['submit answered 500', otherStatus, 1]);
	// The stop/poll verdict: passes when polling stopped, fails when it went on or was not observable.
	const job = { requestId: 'R1', endAt: 30_000 };
	const stopCases = [
		['polling stopped', { job, tStop: 10_000, pollTimes: [5000, 9000, 11_000] }, true],
		['polled after stop', { job, tStop: 10_000, pollTimes: [5000, 9000, 15_000] }, false],
		['job ended at the stop', { job: { ...job, endAt: 11_000 }, tStop: 10_000, pollTimes: [] }, false],
		['no job', { job: undefined, tStop: 10_000, pollTimes: [] }, false],
	];
	for (const [name, r, expect] of stopCases) {
		if (stopPollVerdict(r).ok !== expect) cases.push([`stop verdict: ${name}`, null, expect ? 'pass' : 'fail']);
	}
	const wrong = cases.filter(([, r]) => r === null).map(([name, , e]) => `${name}: expected ${e}`);
	wrong.push(...cases.filter(([, r]) => r !== null).filter(([, r, n]) => failing(r).length !== n).map(([name, r, n]) => `${name}: expected ${n} failing, got ${JSON.stringify(failing(r))}`));
	return check(
		!wrong.length,
		'harness self-test: the analyser passes a clean run and fails swapped results, duplicate submits, over-budget, error/late answers; the stop verdict fails on polls after the stop',
		wrong,
	);
}

/** Harsh knobs present and effective: 429 without Retry-After; a refused call counts against the window. */
async function harshKnobsCheck() {
	const { sim } = await startTappedSimulator({ rateLimit: { limit: 1, windowMs: 400 } });
	try {
		sim.setOptions(HARSH);
		const call = () =>
			fetch(`${sim.baseUrl}/general/brand/get`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'sivi-api-key': sim.apiKey },
				body: JSON.stringify({ limit: 1 }),
				signal: AbortSignal.timeout(5000),
			});
		const r1 = await call(); // t=0: accepted
		await sleep(250);
		const r2 = await call(); // t≈250: refused (counted when countRefused)
		await sleep(250);
		const r3 = await call(); // t≈500: first hit expired; refused only if the refused one counted
		const got = { r1: r1.status, r2: r2.status, r2RetryAfter: r2.headers.get('retry-after'), r3: r3.status, busiestWindow: typeof sim.busiestWindow };
		return check(
			r1.status === 200 && r2.status === 429 && r2.headers.get('retry-after') === null && r3.status === 429 && typeof sim.busiestWindow === 'function',
			'simulator: harsh knobs effective (429 without Retry-After, refused calls count) and busiestWindow() present',
			got,
		);
	} finally {
		await sim.close();
	}
}

// ───────────────────────────────────────────────────────────── n8n setup
function workflowJson(id, webhookPath) {
	const text = fs
		.readFileSync(TEMPLATE, 'utf8')
		.replace('__WORKFLOW_ID__', id)
		.replace('__WEBHOOK_PATH__', webhookPath)
		.replace('__WEBHOOK_ID__', crypto.randomUUID());
	const wf = JSON.parse(text);
	wf.name = `Concurrency: webhook → Sivi (${webhookPath})`;
	return wf;
}

async function cliOk(userFolder, args, env, what) {
	const r = await n8nCli(userFolder, args, { env, timeoutMs: 120_000 });
	if (r.rc !== 0 || r.timedOut) {
		throw new Error(`${what} failed (rc=${r.rc}${r.timedOut ? ', timed out' : ''})\n${r.stdout.slice(-2000)}\n${r.stderr.slice(-2000)}`);
	}
	return r;
}

/** Import credential + workflow and publish it (CLI, with the DB env of the instance). */
async function prepareInstance(userFolder, { simBaseUrl, env = {}, processes = 1 }) {
	const dir = path.join(userFolder, 'import');
	fs.mkdirSync(dir, { recursive: true });
	const credFile = path.join(dir, 'conc-credentials.json');
	fs.writeFileSync(credFile, JSON.stringify([{ ...CRED, type: 'siviApi', data: { apiKey: 'sim-test-key', baseUrl: simBaseUrl, plan: 'general', processes } }], null, 2));
	await cliOk(userFolder, ['import:credentials', `--input=${credFile}`], env, 'import:credentials');
	const id = newWorkflowId();
	const webhookPath = `sivi-conc-${token()}`;
	const wfFile = path.join(dir, 'conc-workflow.json');
	fs.writeFileSync(wfFile, JSON.stringify([workflowJson(id, webhookPath)], null, 2));
	const imp = await cliOk(userFolder, ['import:workflow', `--input=${wfFile}`], env, 'import:workflow');
	if (!/Successfully imported/i.test(imp.stdout + imp.stderr)) throw new Error(`import:workflow printed no success\n${imp.stdout.slice(-1500)}`);
	await publishWorkflow(userFolder, id, { env });
	return { workflowId: id, webhookPath };
}

/** Executions of the workflow with id > afterId (REST; newest first from n8n, returned ascending). */
async function listExecutions(n8n, workflowId, { afterId = 0, status } = {}) {
	const filter = { workflowId, ...(status ? { status } : {}) };
	const r = await n8nRest(n8n.url, n8n.cookie, 'GET', '/rest/executions', { query: { filter, limit: '100' } });
	if (r.status !== 200) throw new Error(`GET /rest/executions → ${r.status} ${r.text.slice(0, 300)}`);
	const rows = r.body?.data?.results ?? [];
	return rows.filter((x) => Number(x.id) > afterId).sort((a, b) => Number(a.id) - Number(b.id));
}

/** { id, status, prompt } for each execution: the prompt is found in its stored data. */
async function executionsByPrompt(n8n, rows, prompts) {
	const toks = prompts.map((p) => ({ p, tok: p.match(/tok ([0-9a-f]{8})/)[1] }));
	const out = new Map();
	for (const row of rows) {
		const r = await n8nRest(n8n.url, n8n.cookie, 'GET', `/rest/executions/${row.id}`);
		const hit = toks.find(({ tok }) => r.text.includes(`tok ${tok}`));
		if (hit) out.set(hit.p, { id: String(row.id), status: r.body?.data?.status ?? row.status });
	}
	return out;
}

function printTails(procs, n = 40) {
	for (const p of procs) {
		if (!p) continue;
		console.log(`----- last ${n} lines of ${p.name} (${path.relative(REPO_ROOT, p.logFile)}) -----`);
		console.log(p.tail(n));
	}
}

function runInfo(label, { wallMs, calls }, win) {
	const ms = calls.map((c) => c.ms).sort((a, b) => a - b);
	// How long after its job finished in Sivi each caller got the answer (engine latency).
	const byId = new Map(win.jobs.map((j) => [j.requestId, j]));
	const lags = calls
		.filter((c) => c.status === 200 && byId.get(c.body?.requestId))
		.map((c) => c.end - byId.get(c.body.requestId).endAt)
		.sort((a, b) => a - b);
	info(
		`${label}: wall ${secs(wallMs)}, answers ${calls.filter((c) => c.status === 200).length}/${calls.length} ok ` +
			`(median ${secs(ms[Math.floor(ms.length / 2)] ?? 0)}, max ${secs(ms.at(-1) ?? 0)}), API requests ${win.requests} ` +
			`(submit attempts ${win.submitAttempts}, polls ${win.polls}), 429s received ${win.status429}, ` +
			`busiest 60 s window ${win.busiest ? `${win.busiest.requests} requests (${win.busiest.accepted} accepted, ${win.busiest.refused} refused)` : 'n/a'}` +
			(lags.length ? `; answer after job end: median ${secs(lags[Math.floor(lags.length / 2)])}, max ${secs(lags.at(-1))}` : ''),
	);
}

// ───────────────────────────────────────────────────────────── scenarios
async function withRegular(ctx, label, simOptions, fn) {
	const { sim, taps } = await startTappedSimulator({ ...SIM_PLAN, port: ctx.simPort });
	const closeSim = { name: `simulator ${label}`, fn: () => sim.close() };
	cleanups.push(closeSim);
	if (simOptions) sim.setOptions(simOptions);
	let n8n;
	try {
		n8n = await startN8n(ctx.regular.folder, {
			command: 'start',
			port: await freePort(),
			logFile: path.join(LOG_DIR, `${label}-main.log`),
			owner: OWNER,
			name: `n8n main (${label})`,
		});
		cleanups.push({ name: n8n.name, fn: () => n8n.stop() });
		await waitForProductionWebhook(n8n.url, ctx.regular.webhookPath);
		const ok = await fn({ sim, taps, n8n });
		if (!ok) printTails([n8n]);
	} finally {
		if (n8n) await n8n.stop();
		await sim.close();
	}
}

async function standardRun(label, { sim, n8n, webhookPath, k, budget, extraProcs = [] }) {
	const prompts = makePrompts(label, k);
	const since = Date.now();
	const run = await fireCalls(n8n.url, webhookPath, prompts);
	await sleep(500); // answers are sent before the simulator's last log line is read
	const win = simWindow(sim, since);
	runInfo(label, run, win);
	const ok = report(analyze({ label, calls: run.calls, limitMs: ANSWER_TIMEOUT_MS, win, budget }));
	if (!ok) printTails([n8n, ...extraProcs]);
	return { ok, prompts, since, run, win };
}

async function scenarioA(ctx) {
	await withRegular(ctx, 'a-regular-default', null, async ({ sim, n8n }) =>
		(await standardRun('a regular/default K=20', { sim, n8n, webhookPath: ctx.regular.webhookPath, k: 20, budget: REGULAR_BUDGET })).ok,
	);
}

async function scenarioB(ctx) {
	await withRegular(ctx, 'b-regular-harsh', HARSH, async ({ sim, n8n }) =>
		(await standardRun('b regular/harsh K=20', { sim, n8n, webhookPath: ctx.regular.webhookPath, k: 20, budget: REGULAR_BUDGET })).ok,
	);
}

async function scenarioC(ctx) {
	await withRegular(ctx, 'c-regular-harsh', HARSH, async ({ sim, taps, n8n }) => {
		let ok = true;
		const { webhookPath, workflowId } = ctx.regular;
		// ── c1: one failing job among 10
		{
			const label = 'c1 regular/harsh K=10 one [sim:fail]';
			const prompts = makePrompts('c1', 10, { special: { 3: '[sim:fail]' } });
			const failPrompt = prompts[3];
			const before = (await listExecutions(n8n, workflowId)).reduce((m, x) => Math.max(m, Number(x.id)), 0);
			const since = Date.now();
			const run = await fireCalls(n8n.url, webhookPath, prompts);
			await sleep(500);
			const win = simWindow(sim, since);
			runInfo(label, run, win);
			ok = report(analyze({ label, calls: run.calls, limitMs: ANSWER_TIMEOUT_MS, win, expectError: new Set([failPrompt]) })) && ok;
			const failCall = run.calls.find((c) => c.prompt === failPrompt);
			const failJobs = win.jobs.filter((j) => j.payload?.prompt === failPrompt);
			const execs = await executionsByPrompt(n8n, await listExecutions(n8n, workflowId, { afterId: before }), prompts);
			const failExec = execs.get(failPrompt);
			ok =
				check(
					failCall.status >= 400 && failCall.status !== 0 && !(failCall.body?.status === 'completed'),
					`${label}: the [sim:fail] caller gets an error answer, not a result`,
					{ status: failCall.status, body: failCall.body ?? failCall.text, error: failCall.error },
				) && ok;
			ok =
				check(
					failExec?.status === 'error' && failJobs.length === 1 && failJobs[0].outcome === 'failed',
					`${label}: its execution ended as a workflow error (status 'error'), its one job failed in Sivi`,
					{ execution: failExec, jobs: failJobs.map((j) => ({ requestId: j.requestId, outcome: j.outcome })) },
				) && ok;
			const others = prompts.filter((p) => p !== failPrompt).map((p) => execs.get(p)?.status);
			ok = check(others.every((s) => s === 'success'), `${label}: the other 9 executions succeeded`, others) && ok;
		}
		// ── c2: stop one of 6 slow executions
		{
			const label = 'c2 regular/harsh K=6 [sim:slow], one stopped';
			sim.setOptions({ jobDurationMs: 3000 }); // slow jobs run 5× = 15 s
			const prompts = makePrompts('c2', 6, { all: '[sim:slow]' });
			const before = (await listExecutions(n8n, workflowId)).reduce((m, x) => Math.max(m, Number(x.id)), 0);
			const since = Date.now();
			const tapFrom = taps.length;
			const pending = fireCalls(n8n.url, webhookPath, prompts);
			const ourJobs = () => sim.jobs().filter((j) => j.submittedAt >= since && prompts.includes(j.payload?.prompt));
			// Wait (≤ 90 s) until all 6 jobs are accepted, then 3 s more (the executions are waiting).
			const deadline = Date.now() + 90_000;
			while (Date.now() < deadline && ourJobs().length < 6) await sleep(250);
			await sleep(3000);
			// Choose the running execution whose job runs longest (if the running execution's stored
			// data shows its prompt already; else the first running one).
			const running = await listExecutions(n8n, workflowId, { afterId: before, status: ['running'] });
			const runningByPrompt = await executionsByPrompt(n8n, running, prompts);
			const endOf = (p) => ourJobs().find((j) => j.payload?.prompt === p)?.endAt ?? 0;
			const candidates = [...runningByPrompt].sort((x, y) => endOf(y[0]) - endOf(x[0]));
			const victim = candidates.length ? { id: candidates[0][1].id } : running[0];
			let stopRes = null;
			let tStop = null;
			if (victim) {
				tStop = Date.now();
				stopRes = await n8nRest(n8n.url, n8n.cookie, 'POST', `/rest/executions/${victim.id}/stop`, { body: {} });
			}
			ok = check(victim && stopRes?.status === 200, `${label}: a running execution was found via GET /rest/executions and stopped (POST /rest/executions/:id/stop → 200)`, {
				running: running.map((x) => x.id),
				stop: stopRes ? `${stopRes.status} ${stopRes.text.slice(0, 300)}` : null,
			}) && ok;
			info(`${label}: stopped execution ${victim?.id} of running [${running.map((x) => x.id).join(', ')}] (prompts of running executions visible before the stop: ${runningByPrompt.size})`);
			const run = await pending;
			// Observe at least until the stopped job would have finished (plus grace) or 20 s more.
			const execs = await executionsByPrompt(n8n, await listExecutions(n8n, workflowId, { afterId: before }), prompts);
			const stoppedPrompt = victim ? [...execs].find(([, e]) => e.id === String(victim.id))?.[0] : undefined;
			const stoppedJob = sim.jobs().find((j) => j.submittedAt >= since && j.payload?.prompt === stoppedPrompt);
			// Observe until 10 s after the stopped job ended in Sivi (an engine that still tracked it would
			// have polled it by then), at most 40 s more.
			if (stoppedJob) {
				const until = Math.min(Math.max(stoppedJob.endAt + 10_000, Date.now()), Date.now() + 40_000);
				while (Date.now() < until) await sleep(250);
			}
			const win = simWindow(sim, since);
			runInfo(label, run, win);
			const skip = new Set(stoppedPrompt ? [stoppedPrompt] : []);
			ok = report(analyze({ label, calls: run.calls, limitMs: ANSWER_TIMEOUT_MS, win, skip })) && ok;
			// The stopped execution: status canceled (poll a few seconds; stopping is asynchronous).
			let stoppedStatus = stoppedPrompt ? execs.get(stoppedPrompt)?.status : undefined;
			for (let i = 0; victim && stoppedStatus !== 'canceled' && i < 20; i++) {
				await sleep(500);
				const m = await executionsByPrompt(n8n, [{ id: victim.id }], prompts);
				stoppedStatus = m.get(stoppedPrompt)?.status ?? stoppedStatus;
			}
			const stoppedCall = run.calls.find((c) => c.prompt === stoppedPrompt);
			ok = check(stoppedPrompt && stoppedStatus === 'canceled', `${label}: the stopped execution is 'canceled'`, {
				execution: victim?.id,
				status: stoppedStatus,
				answer: stoppedCall && { status: stoppedCall.status, body: stoppedCall.body ?? stoppedCall.text, ms: stoppedCall.ms },
			}) && ok;
			ok = check(
				stoppedCall && stoppedCall.status !== 0 && !(stoppedCall.status === 200 && stoppedCall.body?.status === 'completed'),
				`${label}: the stopped caller got an answer, and not a completed result`,
				stoppedCall && { status: stoppedCall.status, body: stoppedCall.body ?? stoppedCall.text, ms: stoppedCall.ms, error: stoppedCall.error },
			) && ok;
			const rid = stoppedJob?.requestId;
			const polls = taps.slice(tapFrom).filter((t) => polledRequestId(t) === rid);
			const pollsBefore = polls.filter((t) => t.t <= tStop).length;
			const verdict = stopPollVerdict({ job: stoppedJob, tStop, pollTimes: polls.map((t) => t.t) });
			ok = check(verdict.ok, `${label}: ${STOP_VERDICT_NAME}`, verdict.detail) && ok;
			info(`${label}: answers ${run.calls.map((c) => `${c.prompt === stoppedPrompt ? 'STOPPED ' : ''}${c.status} after ${secs(c.ms)}`).join(', ')}`);
			info(`${label}: stopped execution ${victim?.id} (job ${rid}): ${pollsBefore} polls before the stop, ${polls.length - pollsBefore} after; job ran until +${stoppedJob ? stoppedJob.endAt - tStop : '?'} ms`);
		}
		return ok;
	});
}

/** Redis + PostgreSQL for queue mode (apt-get installs them first when missing). */
async function startQueueServices() {
	const inst = await ensureServiceBinaries();
	if (inst.installed.length) info(`apt-get installed ${inst.installed.join(', ')}`);
	const started = await Promise.allSettled([
		startRedis({ logFile: path.join(LOG_DIR, 'd-queue-redis.log') }),
		startPostgres({ logFile: path.join(LOG_DIR, 'd-queue-postgres.log') }),
	]);
	for (const [i, s] of started.entries()) if (s.status === 'fulfilled') cleanups.push({ name: ['redis', 'postgres'][i], fn: () => s.value.stop() });
	const failed = started.find((s) => s.status === 'rejected');
	if (failed) throw failed.reason;
	const [redis, pg] = started.map((s) => s.value);
	const dbEnv = {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: pg.host,
		DB_POSTGRESDB_PORT: String(pg.port),
		DB_POSTGRESDB_DATABASE: pg.database,
		DB_POSTGRESDB_USER: pg.user,
		DB_POSTGRESDB_PASSWORD: pg.password,
	};
	const queueEnv = {
		...dbEnv,
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
	};
	return { redis, pg, dbEnv, queueEnv };
}

async function scenarioD(ctx, suiteStart) {
	const label = 'd-queue';
	if (ctx.queue.error) throw ctx.queue.error;
	const { redis, pg, queueEnv } = ctx.queue.services;
	const { folder, workflowId, webhookPath } = ctx.queue;
	const { sim } = await startTappedSimulator({ ...SIM_PLAN, port: ctx.simPort });
	cleanups.push({ name: 'simulator d', fn: () => sim.close() });
	sim.setOptions(HARSH);
	const procs = [];
	try {
		const [main, w1, w2] = await phase('d: start main + 2 workers', async () => {
			const mainPort = await freePort();
			const hp1 = await freePort();
			const hp2 = await freePort();
			const starts = [
				startN8n(folder, { command: 'start', port: mainPort, env: queueEnv, logFile: path.join(LOG_DIR, `${label}-main.log`), owner: OWNER, name: 'n8n main (queue)' }),
				...[hp1, hp2].map((hp, i) =>
					startN8n(folder, {
						command: 'worker',
						env: { ...queueEnv, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(hp) },
						readyUrl: `http://127.0.0.1:${hp}/healthz/readiness`,
						logFile: path.join(LOG_DIR, `${label}-worker${i + 1}.log`),
						name: `n8n worker ${i + 1}`,
					}),
				),
			];
			const settled = await Promise.allSettled(starts);
			for (const s of settled) if (s.status === 'fulfilled') procs.push(s.value);
			for (const p of procs) cleanups.push({ name: p.name, fn: () => p.stop() });
			const failed = settled.find((s) => s.status === 'rejected');
			if (failed) throw failed.reason;
			return settled.map((s) => s.value);
		});
		await waitForProductionWebhook(main.url, webhookPath);
		const workers = [w1, w2];
		const workerExecs = () =>
			workers.map((w) => {
				return new Set([...w.logs().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]));
			});
		const queueRun = async (k) => {
			const runLabel = `d queue/harsh 2 workers K=${k}`;
			const before = (await listExecutions(main, workflowId)).reduce((m, x) => Math.max(m, Number(x.id)), 0);
			const res = await standardRun(runLabel, { sim, n8n: main, webhookPath, k, budget: QUEUE_BUDGET, extraProcs: workers });
			await sleep(1000);
			const execs = await listExecutions(main, workflowId, { afterId: before });
			const ran = workerExecs();
			const ids = execs.map((x) => String(x.id));
			const perWorker = ran.map((set) => ids.filter((id) => set.has(id)).length);
			const unowned = ids.filter((id) => ran.filter((set) => set.has(id)).length !== 1);
			const mainRan = [...main.logs().matchAll(/Worker started execution (\d+)/g)].length;
			const ok = check(
				ids.length === k && perWorker.every((n) => n >= 1) && !unowned.length,
				`${runLabel}: both workers ran executions, each of the ${k} on exactly one worker (worker logs 'Worker started execution N')`,
				{ executions: ids.length, perWorker, notOnExactlyOneWorker: unowned.slice(0, 10), mainRan },
			);
			info(`${runLabel}: executions per worker ${perWorker.join(' + ')} (of ${ids.length})`);
			if (!ok) printTails([main, ...workers]);
			return res;
		};
		const r20 = await phase('d: K=20', () => queueRun(20));
		const left = SUITE_TIMEOUT_MS - (Date.now() - suiteStart);
		if (!NO_K40 && left < K40_NEEDS_MS) {
			check(false, `d: K=40 run started`, `only ${secs(left)} left before the ${SUITE_TIMEOUT_MS / 60_000} min suite timeout`);
		} else if (!NO_K40) {
			await phase('d: K=40', () => queueRun(40));
			const both = sim.busiestWindow ? sim.busiestWindow({ since: r20.since }) : null;
			check(both && both.requests <= QUEUE_BUDGET, `d queue/harsh K=20 then K=40: busiest 60 s window over both runs ${both?.requests} ≤ ${QUEUE_BUDGET}`, both);
		} else {
			info('d: K=40 skipped (--no-k40)');
		}
	} finally {
		await Promise.all(procs.map((p) => p.stop()));
		await sim.close();
		await Promise.all([redis.stop(), pg.stop()]);
	}
}

// ───────────────────────────────────────────────────────────── main
async function main() {
	const tStart = Date.now();
	fs.rmSync(LOG_DIR, { recursive: true, force: true });
	fs.mkdirSync(LOG_DIR, { recursive: true });
	selfTest();
	await phase('runtime', () => ensureRuntime());
	const suiteStart = Date.now();
	const watchdog = setTimeout(async () => {
		check(false, `suite finished within ${SUITE_TIMEOUT_MS / 60_000} min after the runtime was ready`);
		await runCleanups();
		summary(tStart);
		process.exit(1);
	}, SUITE_TIMEOUT_MS);
	watchdog.unref();

	await harshKnobsCheck();

	const simPort = await freePort();
	const simBaseUrl = `http://127.0.0.1:${simPort}/api/prod/v2`;
	const ctx = { simPort, simBaseUrl };
	const wantRegular = ['a', 'b', 'c'].some((s) => ONLY.has(s));
	await phase('build + pack + install + import (+ redis, postgres)', async () => {
		// Queue mode's Redis + PostgreSQL start while the package builds.
		const servicesP = ONLY.has('d') ? startQueueServices() : null;
		servicesP?.catch(() => {}); // awaited below; avoid an unhandled rejection meanwhile
		const tgz = await buildAndPack();
		const jobs = [];
		if (wantRegular) {
			ctx.regular = { folder: newUserFolder('conc-regular') };
			jobs.push(
				installPackageTarball(tgz, ctx.regular.folder).then(async () =>
					Object.assign(ctx.regular, await prepareInstance(ctx.regular.folder, { simBaseUrl })),
				),
			);
		}
		if (ONLY.has('d')) {
			ctx.queue = { folder: newUserFolder('conc-queue') };
			jobs.push(
				Promise.all([servicesP, installPackageTarball(tgz, ctx.queue.folder)])
					.then(async ([services]) => {
						ctx.queue.services = services;
						Object.assign(ctx.queue, await prepareInstance(ctx.queue.folder, { simBaseUrl, env: services.dbEnv, processes: QUEUE_WORKERS }));
					})
					.catch((e) => {
						ctx.queue.error = e; // fails scenario d only
					}),
			);
		}
		await Promise.all(jobs);
	});
	const scenario = async (key, name, fn) => {
		if (!ONLY.has(key)) return;
		try {
			await phase(name, fn);
		} catch (e) {
			check(false, `${name}: ran to the end`, e?.stack ?? String(e));
		}
	};
	await scenario('a', 'a: regular mode, default simulator, K=20', () => scenarioA(ctx));
	await scenario('b', 'b: regular mode, harsh simulator, K=20', () => scenarioB(ctx));
	await scenario('c', 'c: regular mode, harsh: one failing job; one stopped execution', () => scenarioC(ctx));
	await scenario('d', 'd: queue mode (redis + postgres + main + 2 workers), harsh', () => scenarioD(ctx, suiteStart));
	clearTimeout(watchdog);
	info(`after the runtime was ready: ${secs(Date.now() - suiteStart)}`);
}


const tStart = Date.now();
let exitCode = 0;
try {
	await main();
} catch (e) {
	check(false, 'concurrency suite ran to the end', e?.stack ?? String(e));
} finally {
	await runCleanups();
	if (!KEEP) {
		for (const name of ['conc-regular', 'conc-queue']) removeUserFolder(name);
	}
	exitCode = summary(tStart) || results.length === 0 ? 1 : 0;
}
process.exit(exitCode);

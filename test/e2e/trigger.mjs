#!/usr/bin/env node
// Sivi Trigger suite: the packed n8n-nodes-sivi in the real n8n 2.41.1 (Node 24), installed the way
// n8n's community-package installer does it, against the Sivi simulator, which now sends webhooks.
//
//   node test/e2e/trigger.mjs [--keep]      (--keep: leave the n8n user folder for inspection)
//
// Workflows (templates in test/e2e/trigger/):
//   T  Sivi Trigger (all events, all kinds) → NoOp; imported and published before `n8n start`
//   S  Manual → Code (3 prompts, one `[sim:fail]`) → Sivi Media › Generate, Wait for Completion off;
//      and Manual → Sivi Design › Create From Prompt (2 variants), Wait for Completion off
//   G  Manual → Code (S's request IDs) → Sivi Request › Get Status (imported once S has run)
// n8n runs as `n8n start` with WEBHOOK_URL = http://127.0.0.1:<port>/ so the simulator can reach the
// URL the trigger registers; S and G run with `n8n execute` in a second process meanwhile.
// Checks:
//   activation   `n8n start` sets the production URL (with a 48-hex secret) with update-webhook
//   jobs         S's 4 jobs (1 failed) start T exactly once each; the simulator duplicated one
//                delivery (still one run) and sent one spoof (unknown requestId: nothing runs); each
//                run's item equals what Get Status (G) outputs for that job
//   spoofing     no secret / wrong secret → 401; unknown requestId, a repeat, a claimed ending of a
//                running job → nothing runs; that job runs once when it really ends, with Sivi's
//                result; a lost delivery runs nothing (Sivi does not retry: a documented limit)
//   test mode    "Listen for test event" (REST /run) sets the test URL; a finished job runs the
//                test execution; afterwards the key points at the production URL again, and
//                production runs still start
//   lifecycle    deactivating sends nothing (Sivi cannot remove a URL) and the old URL answers 404;
//                activating again registers a new secret, the old one gets 401, jobs run again
// One PASS/FAIL line per check, a summary `N passed, M failed`, exit 1 on any failure. Every wait is
// bounded; n8n and its task runners are stopped by process group, the simulator is closed, also on
// failure. Logs: test/e2e/.work/trigger-logs/*.log (kept).
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { ensureRuntime, log, REPO_ROOT } from './lib/runtime.mjs';
import { check, phase, phases, results, summary } from './lib/report.mjs';
import { buildAndPack } from './lib/pack.mjs';
import {
	executeWorkflow,
	freePort,
	importCredentials,
	importWorkflows,
	installPackageTarball,
	n8nRest,
	newUserFolder,
	removeUserFolder,
	newWorkflowId,
	publishWorkflow,
	readExecutions,
	startN8n,
	waitForProductionWebhook,
	WORK_DIR,
} from './lib/n8n.mjs';

const require = createRequire(import.meta.url);
const { startSimulator } = require('../simulator');

const KEEP = process.argv.includes('--keep');
const SUITE_TIMEOUT_MS = 12 * 60_000; // after the runtime is ready (normally ~3 min)
const WAIT_MS = 60_000; // any single wait for deliveries / executions
const SETTLE_MS = 3000; // after the expected executions are there, look again for extra ones
const JOB_MS = 1500;
const CRED = { id: 'siviTrigCred0001', name: 'Sivi account (trigger)' };
const OWNER = { email: 'owner@sivi-e2e.test', password: 'Trigger-e2e-1' };
const FOLDER_NAME = 'trigger';
const LOG_DIR = path.join(WORK_DIR, 'trigger-logs'); // kept after the run
const TEMPLATES = path.join(REPO_ROOT, 'test', 'e2e', 'trigger');
const TRIGGER_NODE = 'Sivi Trigger';
const BRAND = 'b_default0001';

// ───────────────────────────────────────────────────────────── reporting
const info = (...a) => log('INFO', ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

/** Polls `fn` until it returns a truthy value or timeoutMs passes; returns the last value. */
async function waitFor(fn, { timeoutMs = WAIT_MS, intervalMs = 250 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await fn();
		if (value || Date.now() > deadline) return value;
		await sleep(intervalMs);
	}
}

// ───────────────────────────────────────────────────────────── workflows and executions
function fromTemplate(file, replacements) {
	let text = fs.readFileSync(path.join(TEMPLATES, file), 'utf8');
	for (const [key, value] of Object.entries({ __CRED_ID__: CRED.id, __CRED_NAME__: CRED.name, ...replacements }))
		text = text.split(key).join(value);
	const wf = JSON.parse(text);
	wf.name = wf.name.replace(' (template)', '');
	return wf;
}

const runData = (out) => out?.data?.resultData?.runData ?? {};
const itemsOf = (out, node) => runData(out)[node]?.[0]?.data?.main?.[0] ?? [];

/** Executions of the trigger workflow after `afterId`: { id, status, mode, items: json[] }. */
async function triggerRuns(ctx, { afterId = 0 } = {}) {
	const rows = await readExecutions(ctx.folder, { afterId, workflowIds: [ctx.triggerId] });
	return rows.map((row) => ({
		id: row.id,
		status: row.status,
		mode: row.mode,
		items: itemsOf(row.output, TRIGGER_NODE).map((item) => item.json),
	}));
}

/** Waits until `n` finished trigger runs exist after `afterId`, then a little longer for extra ones. */
async function waitForRuns(ctx, n, { afterId = 0, timeoutMs = WAIT_MS } = {}) {
	const done = (runs) => runs.filter((r) => r.status !== 'running' && r.status !== 'new');
	let runs = await waitFor(async () => {
		const all = await triggerRuns(ctx, { afterId });
		return done(all).length >= n ? all : null;
	}, { timeoutMs, intervalMs: 500 });
	await sleep(SETTLE_MS);
	runs = await triggerRuns(ctx, { afterId });
	return runs;
}

async function lastExecutionId(ctx) {
	const rows = await readExecutions(ctx.folder);
	return rows.reduce((m, x) => Math.max(m, Number(x.id)), 0);
}

const runsFor = (runs, requestId) => runs.filter((r) => r.items.some((j) => j.requestId === requestId));

// ───────────────────────────────────────────────────────────── simulator helpers
async function simApi(sim, method, endpoint, body) {
	let url = `${sim.baseUrl}/general/${endpoint}`;
	if (method === 'GET') url += `?queryParams=${encodeURIComponent(JSON.stringify(body))}`;
	const res = await fetch(url, {
		method,
		headers: { 'sivi-api-key': sim.apiKey, 'content-type': 'application/json' },
		body: method === 'POST' ? JSON.stringify(body) : undefined,
		signal: AbortSignal.timeout(15_000),
	});
	return await res.json();
}

/** A media job submitted straight to the simulator (as another tool using the same key would). */
async function submitDirect(sim, prompt) {
	const r = await simApi(sim, 'POST', 'media/generate', {
		prompt,
		model: 'flux-schnell',
		dimensions: { width: 1024, height: 1024 },
		bId: BRAND,
	});
	if (!r.body?.requestId) throw new Error(`direct submit refused: ${JSON.stringify(r)}`);
	return r.body.requestId;
}

const deliveriesFor = (sim, requestId) => sim.webhookDeliveries().filter((d) => d.requestId === requestId);
const envelope = (body) => ({ status: 200, body });

/** Waits until the simulator delivered (or lost) the final event of every job. */
async function waitForDeliveries(sim, requestIds, kinds = ['event', 'lost']) {
	return await waitFor(
		() =>
			sim.webhookPending() === 0 &&
			requestIds.every((id) => deliveriesFor(sim, id).some((d) => kinds.includes(d.kind) && d.status !== 0)),
		{ timeoutMs: WAIT_MS, intervalMs: 200 },
	);
}

function urlParts(url) {
	const u = new URL(url);
	const secret = u.searchParams.get('secret');
	u.search = '';
	return { base: u.toString(), secret };
}

// ───────────────────────────────────────────────────────────── phases
async function setUp(ctx) {
	const tgz = await buildAndPack();
	ctx.folder = newUserFolder(FOLDER_NAME);
	await installPackageTarball(tgz, ctx.folder);
	ctx.simPort = await freePort();
	ctx.sim = await startSimulator({ port: ctx.simPort, jobDurationMs: JOB_MS });
	cleanups.push({ name: 'simulator', fn: () => ctx.sim.close() });
	await importCredentials(ctx.folder, [
		{ ...CRED, type: 'siviApi', data: { apiKey: ctx.sim.apiKey, baseUrl: ctx.sim.baseUrl, plan: 'general' } },
	]);
	ctx.token = crypto.randomBytes(3).toString('hex');
	ctx.triggerId = newWorkflowId();
	ctx.webhookId = crypto.randomUUID();
	ctx.submitterId = newWorkflowId();
	ctx.prompts = [
		`e2e trigger ${ctx.token} one: a paper boat on a pond`,
		`e2e trigger ${ctx.token} two: a red kite over a beach`,
		`e2e trigger ${ctx.token} three: [sim:fail] a broken lamp`,
	];
	await importWorkflows(ctx.folder, [
		fromTemplate('sivi-trigger.json', { __WORKFLOW_ID__: ctx.triggerId, __WEBHOOK_ID__: ctx.webhookId }),
		fromTemplate('submitter.json', {
			__WORKFLOW_ID__: ctx.submitterId,
			__PROMPTS__: JSON.stringify(ctx.prompts).replace(/"/g, '\\"'),
			__DESIGN_PROMPT__: `e2e trigger ${ctx.token} design: yoga studio opening week`,
		}),
	]);
	await publishWorkflow(ctx.folder, ctx.triggerId);
	ctx.port = await freePort();
	ctx.base = `http://127.0.0.1:${ctx.port}`;
	ctx.n8n = await startN8n(ctx.folder, {
		command: 'start',
		port: ctx.port,
		env: { WEBHOOK_URL: `${ctx.base}/`, N8N_WEBHOOK_URL: `${ctx.base}/` },
		logFile: path.join(LOG_DIR, 'n8n-start.log'),
		owner: OWNER,
		name: 'n8n start (trigger)',
	});
	cleanups.push({ name: 'n8n start', fn: () => ctx.n8n.stop() });
	ctx.productionBase = `${ctx.base}/webhook/${ctx.webhookId}/sivi`;
	await waitForProductionWebhook(ctx.n8n.url, `${ctx.webhookId}/sivi`);
}

async function activationChecks(ctx) {
	const regs = await waitFor(() => (ctx.sim.webhookRegistrations().length ? ctx.sim.webhookRegistrations() : null), { timeoutMs: 15_000 });
	check(regs?.length === 1, 'activation: `n8n start` set the webhook URL once with update-webhook', regs);
	const { base, secret } = urlParts(regs?.[0]?.url ?? 'http://x/');
	check(base === ctx.productionBase, "activation: it is the workflow's production webhook URL", { got: base, want: ctx.productionBase });
	check(/^[0-9a-f]{48}$/.test(secret ?? ''), 'activation: the URL carries a 48-hex secret', secret);
	ctx.prodUrl = regs?.[0]?.url;
	ctx.secret = secret;
}

async function jobChecks(ctx) {
	const { sim } = ctx;
	sim.setFaults({ webhook: { duplicate: 1, spoof: 1 } });
	const before = await lastExecutionId(ctx);
	const submit = await executeWorkflow(ctx.folder, ctx.submitterId, { timeoutMs: 120_000 });
	check(submit.rc === 0, 'jobs: the submitting workflow (Wait for Completion off) succeeded', { rc: submit.rc, stderr: submit.stderr.slice(-800) });
	const submitted = [...itemsOf(submit.output, 'Submit Images'), ...itemsOf(submit.output, 'Submit Design')].map((i) => i.json);
	check(submitted.length === 4 && submitted.every((j) => j.status === 'submitted' && j.requestId), 'jobs: 4 jobs submitted without waiting', submitted);
	const ids = submitted.map((j) => j.requestId);
	ctx.ids = ids;
	const delivered = await waitForDeliveries(sim, ids);
	check(delivered, 'jobs: the simulator delivered every final event', sim.webhookDeliveries());
	const runs = await waitForRuns(ctx, ids.length, { afterId: before });
	info(`trigger runs: ${runs.map((r) => `#${r.id} ${r.status} ${r.items.map((j) => `${j.requestId}:${j.status}`).join(',')}`).join('; ')}`);
	check(runs.length === ids.length, `jobs: the trigger workflow ran ${ids.length} times, once per finished job`, runs.map((r) => r.items));
	check(runs.every((r) => r.status === 'success' && r.mode === 'webhook' && r.items.length === 1), 'jobs: each run succeeded in production (webhook) mode with one item', runs.map((r) => [r.status, r.mode, r.items.length]));
	check(ids.every((id) => runsFor(runs, id).length === 1), 'jobs: each requestId ran exactly once', ids.map((id) => [id, runsFor(runs, id).length]));

	const dup = sim.webhookDeliveries().find((d) => d.kind === 'duplicate');
	check(!!dup && ids.includes(dup.requestId), 'duplicate: the simulator sent one delivery twice', sim.webhookDeliveries());
	if (dup) {
		const answers = deliveriesFor(sim, dup.requestId).filter((d) => d.kind === 'event' || d.kind === 'duplicate');
		check(runsFor(runs, dup.requestId).length === 1, 'duplicate: the twice-delivered job ran once');
		check(answers.length === 2 && answers.filter((a) => a.body?.started === false).length === 1, 'duplicate: one copy was answered "already started", the other started the run', answers.map((a) => [a.status, a.body]));
	}
	const spoof = sim.webhookDeliveries().find((d) => d.kind === 'spoof');
	check(spoof?.status === 200 && spoof.body?.started === false && /does not know/.test(spoof.body?.reason ?? ''), 'spoof: a delivery for a made-up requestId was answered "Sivi does not know this requestId"', spoof);
	check(spoof && runsFor(runs, spoof.requestId).length === 0, 'spoof: it started nothing');

	const failedPrompt = ctx.prompts[2];
	const failedId = submitted[2]?.requestId; // Submit Images keeps the prompts' order
	const failedRun = runsFor(runs, failedId)[0]?.items[0];
	check(failedRun?.status === 'failed' && failedRun?.reason === 'Image url invalid', `jobs: the failed job ("${failedPrompt.slice(-25)}") ran with status failed and Sivi's reason`, failedRun);

	// What Get Status outputs for the same jobs, in another workflow.
	const getStatusId = newWorkflowId();
	await importWorkflows(ctx.folder, [fromTemplate('get-status.json', { __WORKFLOW_ID__: getStatusId, __REQUEST_IDS__: JSON.stringify(ids).replace(/"/g, '\\"') })]);
	const got = await executeWorkflow(ctx.folder, getStatusId, { timeoutMs: 120_000 });
	check(got.rc === 0, 'equality: the Get Status workflow succeeded', { rc: got.rc, stderr: got.stderr.slice(-800) });
	const statuses = itemsOf(got.output, 'Get Status').map((i) => i.json);
	for (const id of ids) {
		const fromTrigger = runsFor(runs, id)[0]?.items[0];
		const fromGetStatus = statuses.find((j) => j.requestId === id);
		check(!!fromTrigger && isDeepStrictEqual(fromTrigger, fromGetStatus), `equality: the trigger's item for ${id} (${fromGetStatus?.status}${fromGetStatus?.variants ? ', design' : fromGetStatus?.images ? ', media' : ''}) equals Get Status's output`, { trigger: fromTrigger, getStatus: fromGetStatus });
	}
	const design = statuses.find((j) => j.designId);
	check(design?.variants?.length === 2 && design.variants.every((v) => v.imageUrl && v.editLink) && design.link, 'equality: the design item has variants with image URLs and edit links, and the editor link', design);
	ctx.afterJobs = await lastExecutionId(ctx);
}

async function spoofChecks(ctx) {
	const { sim } = ctx;
	const before = await lastExecutionId(ctx);
	const known = ctx.ids[0];
	const { base } = urlParts(ctx.prodUrl);
	const noSecret = await sim.sendWebhook(envelope({ requestId: known, status: 'completed' }), { url: base });
	check(noSecret.status === 401, 'spoofing: a request without the secret gets 401', noSecret);
	const wrong = new URL(ctx.prodUrl);
	wrong.searchParams.set('secret', crypto.randomBytes(24).toString('hex'));
	const wrongSecret = await sim.sendWebhook(envelope({ requestId: known, status: 'completed' }), { url: wrong.toString() });
	check(wrongSecret.status === 401, 'spoofing: a request with a wrong secret gets 401', wrongSecret);
	const unknown = await sim.sendWebhook(envelope({ requestId: 'NoSuchJob42', status: 'completed', result: { images: [{ remoteUrl: 'https://evil.example/x.jpg' }] } }));
	check(unknown.status === 200 && unknown.body?.started === false, 'spoofing: an unknown requestId with the right secret starts nothing', unknown);
	const repeat = await sim.sendWebhook(envelope({ requestId: known, status: 'completed' }));
	check(repeat.status === 200 && repeat.body?.started === false && /already/.test(repeat.body?.reason ?? ''), 'spoofing: a repeat of a finished job starts nothing', repeat);

	const slow = await submitDirect(sim, `e2e trigger ${ctx.token} slow: [sim:slow] a snail`);
	const early = await sim.sendWebhook(envelope({ requestId: slow, status: 'completed', result: { images: [{ remoteUrl: 'https://evil.example/x.jpg', mId: 'evil' }] } }));
	check(early.status === 200 && early.body?.started === false && early.body?.reason === 'The job has not finished', 'spoofing: a claimed ending of a running job starts nothing (Sivi says it is still running)', early);

	sim.setFaults({ webhook: { lose: 1 } });
	const lostId = await submitDirect(sim, `e2e trigger ${ctx.token} lost: a lost letter`);
	await waitForDeliveries(sim, [slow, lostId]);
	check(deliveriesFor(sim, lostId).some((d) => d.kind === 'lost'), 'lost delivery: the simulator dropped one delivery', deliveriesFor(sim, lostId));
	const runs = await waitForRuns(ctx, 1, { afterId: before });
	check(runs.length === 1 && runsFor(runs, slow).length === 1, 'spoofing: of all these, only the running job started a run, once, when it really ended', runs.map((r) => r.items));
	const slowItem = runsFor(runs, slow)[0]?.items[0];
	const truth = await simApi(sim, 'GET', 'get-request-status', { requestId: slow });
	check(slowItem?.status === 'completed' && slowItem.images?.[0]?.url === truth.body?.result?.images?.[0]?.remoteUrl && !JSON.stringify(slowItem).includes('evil'), "spoofing: its item carries Sivi's result, not the payload's", slowItem);
	check(runsFor(runs, lostId).length === 0, 'lost delivery: nothing ran for it (Sivi does not retry; documented limit)');
}

async function testModeChecks(ctx) {
	const { sim, n8n } = ctx;
	const regsBefore = sim.webhookRegistrations().length;
	const before = await lastExecutionId(ctx);
	const run = await n8nRest(n8n.url, n8n.cookie, 'POST', `/rest/workflows/${ctx.triggerId}/run`, { body: { triggerToStartFrom: { name: TRIGGER_NODE } } });
	check(run.status === 200 && run.body?.data?.waitingForWebhook === true, 'test mode: "Listen for test event" waits for the test webhook', { status: run.status, body: run.text.slice(0, 500) });
	const testReg = await waitFor(() => sim.webhookRegistrations().slice(regsBefore).find((r) => r.url.includes('/webhook-test/')), { timeoutMs: 15_000 });
	const testParts = urlParts(testReg?.url ?? 'http://x/');
	check(testParts.base === `${ctx.base}/webhook-test/${ctx.webhookId}/sivi` && /^[0-9a-f]{48}$/.test(testParts.secret ?? '') && testParts.secret !== ctx.secret, "test mode: the key's webhook points at the test URL, with its own secret", testReg);
	const id = await submitDirect(sim, `e2e trigger ${ctx.token} test mode: a lighthouse`);
	await waitForDeliveries(sim, [id]);
	const runs = await waitForRuns(ctx, 1, { afterId: before });
	const testRun = runsFor(runs, id)[0];
	check(runs.length === 1 && testRun?.mode === 'manual' && testRun.status === 'success', 'test mode: the finished job ran the test execution (manual mode), once', runs.map((r) => [r.mode, r.status, r.items]));
	check(testRun?.items[0]?.status === 'completed' && testRun.items[0].images?.length === 1, 'test mode: its item is the finished job', testRun?.items);
	const restored = await waitFor(() => sim.webhookUrl() === ctx.prodUrl, { timeoutMs: 30_000 });
	check(restored, "test mode: afterwards the key's webhook points at the production URL again", { now: sim.webhookUrl(), want: ctx.prodUrl });
	const after = await lastExecutionId(ctx);
	const prodId = await submitDirect(sim, `e2e trigger ${ctx.token} after test: a harbour`);
	await waitForDeliveries(sim, [prodId]);
	const prodRuns = await waitForRuns(ctx, 1, { afterId: after });
	check(prodRuns.length === 1 && runsFor(prodRuns, prodId)[0]?.mode === 'webhook', 'test mode: production runs start again after the test', prodRuns.map((r) => [r.mode, r.items]));
}

async function lifecycleChecks(ctx) {
	const { sim, n8n } = ctx;
	const regsBefore = sim.webhookRegistrations().length;
	const before = await lastExecutionId(ctx);
	const off = await n8nRest(n8n.url, n8n.cookie, 'POST', `/rest/workflows/${ctx.triggerId}/deactivate`, { body: {} });
	check(off.status === 200, 'deactivate: the workflow was deactivated', { status: off.status, body: off.text.slice(0, 300) });
	await sleep(1000);
	check(sim.webhookRegistrations().length === regsBefore && sim.webhookUrl() === ctx.prodUrl, 'deactivate: nothing was sent to Sivi (update-webhook cannot remove a URL), the old URL stays set there', sim.webhookRegistrations().slice(regsBefore));
	const id = await submitDirect(sim, `e2e trigger ${ctx.token} inactive: a closed shop`);
	await waitForDeliveries(sim, [id]);
	const answer = deliveriesFor(sim, id).find((d) => d.kind === 'event');
	check(answer?.status === 404, 'deactivate: n8n answers a delivery to the old URL with 404', answer);
	await sleep(SETTLE_MS);
	check((await triggerRuns(ctx, { afterId: before })).length === 0, 'deactivate: nothing ran');

	const wf = await n8nRest(n8n.url, n8n.cookie, 'GET', `/rest/workflows/${ctx.triggerId}`);
	const on = await n8nRest(n8n.url, n8n.cookie, 'POST', `/rest/workflows/${ctx.triggerId}/activate`, { body: { versionId: wf.body?.data?.versionId } });
	check(on.status === 200, 'activate again: the workflow was activated', { status: on.status, body: on.text.slice(0, 300) });
	const reg = await waitFor(() => sim.webhookRegistrations()[regsBefore], { timeoutMs: 15_000 });
	const parts = urlParts(reg?.url ?? 'http://x/');
	check(parts.base === ctx.productionBase && /^[0-9a-f]{48}$/.test(parts.secret ?? '') && parts.secret !== ctx.secret, 'activate again: the production URL was set with a new secret', reg);
	await waitForProductionWebhook(n8n.url, `${ctx.webhookId}/sivi`);
	const old = await sim.sendWebhook(envelope({ requestId: id, status: 'completed' }), { url: ctx.prodUrl });
	check(old.status === 401, 'activate again: the old secret gets 401', old);
	const after = await lastExecutionId(ctx);
	const next = await submitDirect(sim, `e2e trigger ${ctx.token} active again: an open shop`);
	await waitForDeliveries(sim, [next]);
	const runs = await waitForRuns(ctx, 1, { afterId: after });
	check(runs.length === 1 && runsFor(runs, next).length === 1, 'activate again: a finished job runs the workflow once', runs.map((r) => r.items));
}

// ───────────────────────────────────────────────────────────── main
async function main() {
	await phase('runtime', () => ensureRuntime());
	const watchdog = setTimeout(async () => {
		check(false, `suite finished within ${SUITE_TIMEOUT_MS / 60_000} min after the runtime was ready`);
		await runCleanups();
		summary(tStart);
		process.exit(1);
	}, SUITE_TIMEOUT_MS);
	watchdog.unref();
	const ctx = {};
	const ready = await phase('build + pack + install + import + publish + n8n start', async () => {
		await setUp(ctx);
		return true;
	});
	if (ready) {
		await phase('activation', () => activationChecks(ctx));
		await phase('jobs from another workflow: one run each, duplicate, spoof, equality with Get Status', () => jobChecks(ctx));
		await phase('spoofed and lost deliveries', () => spoofChecks(ctx));
		await phase('test mode (Listen for test event)', () => testModeChecks(ctx));
		await phase('deactivate and activate again', () => lifecycleChecks(ctx));
		if (results.some((r) => !r.pass) && ctx.n8n) {
			console.log(`----- last 60 lines of ${path.relative(REPO_ROOT, ctx.n8n.logFile)} -----`);
			console.log(ctx.n8n.tail(60));
		}
	}
	clearTimeout(watchdog);
}


const tStart = Date.now();
let exitCode = 0;
try {
	await main();
} catch (e) {
	check(false, 'trigger suite ran to the end', e?.stack ?? String(e));
} finally {
	await runCleanups();
	if (!KEEP) {
		removeUserFolder(FOLDER_NAME);
	}
	exitCode = summary(tStart) || results.length === 0 ? 1 : 0;
}
process.exit(exitCode);

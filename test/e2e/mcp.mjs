#!/usr/bin/env node
// MCP e2e (`node test/e2e/mcp.mjs [--keep] [--skip-build]`): the packed n8n-nodes-sivi behind n8n
// 2.41.1's own MCP Server Trigger, called by an MCP client (@modelcontextprotocol/sdk) over
// Streamable HTTP, with the Sivi simulator behind the tools.
//
// Why: MCP clients give up on a tool call after 60 s by default, a Sivi job can take longer, and a
// model that gets an error tends to call again (a second paid job). The tool must answer within
// its Tool Wait: a job still running is a normal "processing" answer with its requestId, and the
// status tool finishes the story without a second submit.
//
// 1. The shared n8n 2.41.1 of `npm run test:e2e` (lib/instance.mjs), or one of its own. Start the
//    simulator; create a siviApi and an httpBearerAuth credential; import examples/mcp/
//    sivi-mcp-server.json (the README's example: MCP Server Trigger with Bearer auth, the tools
//    "Generate image", "Create ad design" and "Get job status"), changed in memory only in its
//    path (unique per run) and its Tool Wait (TOOL_WAIT_S, so a "long" job is seconds long); publish
//    it and wait until its production URL answers.
// 2. Checks: a client without the token is refused and nothing is sent to Sivi; tools/list shows
//    the three tools with the operation-specific descriptions and their $fromAI parameters; a 3 s
//    job of each submit tool returns the compact JSON with one submit and no download; a job
//    longer than the Tool Wait (LONG_JOB_MS) returns status "processing" with its requestId before
//    the client's own timeout (CLIENT_TIMEOUT_MS, shorter than the job: without Tool Wait the call
//    would time out), not an error; the status tool, called as a model would, returns
//    "processing" (never an error) until the job is completed, and never submits; the request ID
//    is in the execution; a caller that gives up before the Tool Wait and closes its connection
//    (n8n then ends the tool run) gets the node to say "The caller stopped waiting; the job <id>
//    may still finish in Sivi" in n8n's log, the saved execution keeps the request ID (custom
//    data), and the status tool still gets that job; six clients at once each get their own job;
//    across the suite, submits = jobs asked for.
// One PASS/FAIL line per check, then `N passed, M failed`; exit 1 on any failure. Every wait has a
// timeout; the simulator is closed, the workflow unpublished and an own n8n stopped on the way out.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ensureRuntime, log, REPO_ROOT } from './lib/runtime.mjs';
import { useInstance } from './lib/instance.mjs';
import { check, phase, phases, results } from './lib/report.mjs';
import { buildAndPack } from './lib/pack.mjs';

const require = createRequire(import.meta.url);
const ARGS = new Set(process.argv.slice(2));
const KEEP = ARGS.has('--keep');
const SKIP_BUILD = ARGS.has('--skip-build');
const SUITE_TIMEOUT_MS = 8 * 60_000; // everything after the runtime is ready (normally ~1 min)
const EXAMPLE = path.join(REPO_ROOT, 'examples', 'mcp', 'sivi-mcp-server.json');
const SIVI_CRED = { id: 'siviCredential01', name: 'Sivi account' };
const BEARER_CRED = { id: 'mcpBearerToken01', name: 'MCP bearer token' };
const TOKEN = `sivi-e2e-${process.pid}-token`;
const MCP_PATH = `sivi-e2e-${process.pid}`;
// A short Tool Wait, so that a job "longer than the tool wait" is only seconds long.
const TOOL_WAIT_S = 8;
const SHORT_JOB_MS = 3000;
// Longer than the client's timeout: without Tool Wait the call would time out instead of answering.
const LONG_JOB_MS = 25_000;
const CLIENT_TIMEOUT_MS = 15_000;
const MAX_STATUS_CALLS = 8;
const PARALLEL_CLIENTS = 6;
// Shorter than the Tool Wait: this caller gives up before the tool answers.
const SHORT_CLIENT_TIMEOUT_MS = 3000;
const REGISTER_TIMEOUT_MS = 60_000;
const TOOLS = { generate: 'Generate_image', design: 'Create_ad_design', status: 'Get_job_status' };
// The keys toToolJson (nodes/Sivi/output/toolOutput.ts) may emit.
const COMPACT_KEYS = new Set(['status', 'requestId', 'designId', 'editorLink', 'imageUrls', 'editLinks', 'reason', 'progress', 'error', 'errorDescription', 'next', 'credits']);
const NEXT = 'call the status tool with this requestId';
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const isUrl = (u) => typeof u === 'string' && /^https?:\/\//.test(u);

/** The example as the suite imports it: its own path and a short Tool Wait, nothing else. */
function exampleWorkflow() {
	const wf = JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));
	for (const node of wf.nodes) {
		if (node.type === '@n8n/n8n-nodes-langchain.mcpTrigger') node.parameters.path = MCP_PATH;
		if (node.type === 'n8n-nodes-sivi.siviTool') node.parameters.options = { ...(node.parameters.options ?? {}), toolWait: TOOL_WAIT_S };
	}
	return wf;
}

async function connect(url, token) {
	const client = new Client({ name: 'sivi-e2e-mcp', version: '1.0.0' });
	const transport = new StreamableHTTPClientTransport(new URL(url), token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : {});
	await client.connect(transport, { timeout: CLIENT_TIMEOUT_MS });
	return client;
}

/** The JSON object a tool answered with (n8n wraps the node's items in a JSON array). */
function answerOf(result) {
	const text = (result?.content ?? []).filter((c) => c?.type === 'text').map((c) => c.text).join('');
	let value;
	try {
		value = JSON.parse(text);
	} catch {
		return { text, json: undefined };
	}
	for (let i = 0; i < 3 && typeof value === 'string'; i++) value = JSON.parse(value);
	const json = Array.isArray(value) ? value[0] : value;
	return { text, json: json?.response ? (Array.isArray(json.response) ? json.response[0] : json.response) : json };
}

/** Calls a tool with the client's timeout; { result } or { error } (a timeout is an error). */
async function callTool(client, name, args) {
	const t = Date.now();
	try {
		const result = await client.callTool({ name, arguments: args }, undefined, { timeout: CLIENT_TIMEOUT_MS });
		return { result, ms: Date.now() - t, ...answerOf(result) };
	} catch (error) {
		return { error, ms: Date.now() - t };
	}
}

async function waitForMcpEndpoint(url) {
	const deadline = Date.now() + REGISTER_TIMEOUT_MS;
	for (;;) {
		// Registered: the trigger's auth answers (401 without the token); unknown paths get 404.
		const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }).catch((e) => ({ status: 0, e }));
		if (r.status !== 404 && r.status !== 0) return r.status;
		if (Date.now() > deadline) throw new Error(`${url} not registered within ${REGISTER_TIMEOUT_MS / 1000} s (last status ${r.status})`);
		await sleep(250);
	}
}

// ───────────────────────────────────────────────────────────── checks
async function checkAuth(url, sim) {
	const before = sim.counters().requests;
	let refused;
	try {
		const client = await connect(url, undefined);
		await client.close();
	} catch (error) {
		refused = error;
	}
	check(!!refused && /401|unauthori[sz]ed|authorization/i.test(String(refused?.message ?? refused)), 'a client without the Bearer token is refused', String(refused?.message ?? 'connected'));
	check(sim.counters().requests === before, '…and nothing reached Sivi', { requests: sim.counters().requests - before });
}

function checkToolList(tools) {
	const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
	log(`tools/list: ${JSON.stringify(tools.map((t) => ({ name: t.name, description: t.description, params: Object.keys(t.inputSchema?.properties ?? {}) })))}`);
	check(Object.values(TOOLS).every((n) => byName[n]) && tools.length === 3, `tools/list shows the example's three tools (${Object.values(TOOLS).join(', ')})`, tools.map((t) => t.name));
	const gen = byName[TOOLS.generate]?.description ?? '';
	check(gen.includes('Makes an AI image from a text prompt') && /Costs 0\.03–3 Sivi credits per image/.test(gen) && /imageUrls/.test(gen) && /requestId/.test(gen) && /"processing"/.test(gen), 'Generate image: the description says what it makes, its credits, what it returns and what a job still running answers', gen);
	check(!/enhanc/i.test(gen) && !/^Generate or enhance/.test(gen), 'Generate image: the description offers no enhancement (its schema takes no input image)', gen);
	const design = byName[TOOLS.design]?.description ?? '';
	check(/designs from a text description/.test(design) && /Sivi credits per design/.test(design) && /editLinks/.test(design), 'Create ad design: the description is its own (designs, credits per design, edit links)', design);
	const status = byName[TOOLS.status]?.description ?? '';
	check(/never starts a job/.test(status) && /Costs no credits/.test(status) && /"processing"/.test(status), 'Get job status: the description says it never starts a job, costs nothing, and may answer "processing" again', status);
	const params = (n) => Object.keys(byName[n]?.inputSchema?.properties ?? {});
	check(params(TOOLS.generate).includes('prompt') && params(TOOLS.design).includes('prompt') && params(TOOLS.status).includes('requestId'), 'the tools take their $fromAI parameters (prompt, prompt, requestId)', { generate: params(TOOLS.generate), design: params(TOOLS.design), status: params(TOOLS.status) });
}

function checkCompact(label, call, job, { design }) {
	const c = (ok, what, detail) => check(ok, `[${label}] ${what}`, detail);
	const j = call.json ?? {};
	c(!call.error && call.result && !call.result.isError, 'answered, not an error', { error: String(call.error?.message ?? ''), isError: call.result?.isError, text: call.text?.slice(0, 600) });
	c(j.status === 'completed' && j.requestId === job?.requestId, "compact JSON: status completed, requestId = the simulator job's", { status: j.status, requestId: j.requestId, job: job?.requestId });
	c(Array.isArray(j.imageUrls) && j.imageUrls.length > 0 && j.imageUrls.every(isUrl), 'compact JSON: imageUrls are links', j.imageUrls);
	if (design) c(Array.isArray(j.editLinks) && j.editLinks.length > 0, 'compact JSON: editLinks to edit the design in Sivi', j.editLinks);
	c(typeof j.credits?.basis === 'string' && (j.credits.min === null || j.credits.min > 0), 'compact JSON: the job\'s estimated credits and their basis', j.credits);
	const extra = Object.keys(j).filter((k) => !COMPACT_KEYS.has(k));
	c(extra.length === 0 && !('result' in j) && !/base64|"binary"/.test(call.text ?? ''), 'only compact keys: no raw result, no binary, no base64', { extra, keys: Object.keys(j) });
}

// ───────────────────────────────────────────────────────────── main
async function main() {
	const t0 = Date.now();
	await phase('runtime (ensureRuntime)', () => ensureRuntime());
	const watchdog = setTimeout(() => {
		console.log(`FAIL mcp e2e finished within ${SUITE_TIMEOUT_MS / 60000} min after the runtime was ready — watchdog fired`);
		const failed = results.filter((x) => !x.pass).length + 1;
		console.log(`${results.length + 1 - failed} passed, ${failed} failed`);
		process.exit(1); // runtime.mjs kills the tracked process groups on exit
	}, SUITE_TIMEOUT_MS);
	watchdog.unref();

	const ownTgz = process.env.SIVI_E2E_TGZ || (SKIP_BUILD ? await buildAndPack({ skipBuild: true }) : undefined);
	const inst = await phase('n8n instance (the shared one, or install + n8n start)', () => useInstance('2.41.1', { tgz: ownTgz }));
	const n8n = inst.instance;
	const { startSimulator } = require('../simulator');
	let sim;
	let client;
	let workflowId;
	let failedHard = null;
	const summary = [];
	try {
		sim = await phase('simulator', () => startSimulator({ jobDurationMs: SHORT_JOB_MS, concurrency: 4, queueSize: 10, rateLimit: { limit: 50, windowMs: 60_000 } }));
		await phase('credentials + the example workflow, published', async () => {
			await n8n.importCredentials([
				{ ...SIVI_CRED, type: 'siviApi', data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } },
				{ ...BEARER_CRED, type: 'httpBearerAuth', data: { token: TOKEN } },
			]);
			[workflowId] = await n8n.importWorkflows([exampleWorkflow()]);
			await n8n.activate(workflowId);
		});
		const url = `${n8n.url}/mcp/${MCP_PATH}`;
		const status = await phase('MCP endpoint registered', () => waitForMcpEndpoint(url));
		log(`MCP endpoint ${url} answers ${status} without a token; simulator ${sim.baseUrl}`);
		check(status === 401 || status === 403, 'the published example serves /mcp/<path> and wants its Bearer token', status);

		await phase('auth', () => checkAuth(url, sim));
		client = await phase('connect (Streamable HTTP, Bearer token)', () => connect(url, TOKEN));
		const listed = await phase('tools/list', () => client.listTools(undefined, { timeout: CLIENT_TIMEOUT_MS }));
		checkToolList(listed.tools ?? []);

		sim.resetCounters();
		let asked = 0;
		const execBefore = (await n8n.executions({ workflowIds: [workflowId] })).length;

		// ── a 3 s job per submit tool: the compact JSON, one submit each, no download
		for (const [key, label, design] of [['generate', 'Generate image, 3 s job', false], ['design', 'Create ad design, 3 s job', true]]) {
			const jobsBefore = sim.jobs().length;
			const submitsBefore = sim.counters().submits;
			const prompt = `mcp e2e ${key}: a lighthouse at dusk (${process.pid})`;
			const call = await phase(`tools/call ${TOOLS[key]} (3 s job)`, () => callTool(client, TOOLS[key], { prompt }));
			asked++;
			const jobs = sim.jobs().slice(jobsBefore);
			log(`${label}: ${call.ms} ms; answer ${call.text?.slice(0, 800) ?? String(call.error)}`);
			check(sim.counters().submits - submitsBefore === 1 && jobs.length === 1 && jobs[0].payload?.prompt === prompt, `[${label}] exactly one job was submitted, with the client's prompt`, { submits: sim.counters().submits - submitsBefore, prompts: jobs.map((j) => j.payload?.prompt) });
			checkCompact(label, call, jobs[0], { design });
			summary.push(`${label}: ${call.ms} ms → ${call.text?.slice(0, 300)}`);
		}
		const downloads = sim.counters().log.filter((e) => e.method === 'GET' && e.path.startsWith('/files/'));
		check(downloads.length === 0, 'no image was downloaded on the tool path (Download Images is on by default for media)', downloads.map((e) => e.path));

		// ── a job longer than the Tool Wait and than the client's timeout
		sim.setOptions({ jobDurationMs: LONG_JOB_MS });
		const label = `Generate image, ${LONG_JOB_MS / 1000} s job, Tool Wait ${TOOL_WAIT_S} s, client timeout ${CLIENT_TIMEOUT_MS / 1000} s`;
		const jobsBefore = sim.jobs().length;
		const submitsBefore = sim.counters().submits;
		const prompt = `mcp e2e long: a lighthouse in a storm (${process.pid})`;
		const long = await phase('tools/call Generate_image (long job)', () => callTool(client, TOOLS.generate, { prompt }));
		asked++;
		const job = sim.jobs().slice(jobsBefore)[0];
		log(`${label}: ${long.ms} ms; answer ${long.text?.slice(0, 800) ?? String(long.error)}`);
		summary.push(`${label}: ${long.ms} ms → ${long.text?.slice(0, 300) ?? String(long.error)}`);
		const lj = long.json ?? {};
		check(!long.error && long.result && !long.result.isError, `[${label}] answered before the client's timeout, and not as an error`, { error: String(long.error?.message ?? ''), isError: long.result?.isError, ms: long.ms, text: long.text?.slice(0, 600) });
		check(lj.status === 'processing' && lj.requestId === job?.requestId && lj.next === NEXT && typeof lj.progress === 'number', `[${label}] the answer is status "processing" with the job's requestId, its progress and the next step`, { answer: lj, job: job?.requestId });
		check(sim.counters().submits - submitsBefore === 1 && job?.payload?.prompt === prompt, `[${label}] one job was submitted`, { submits: sim.counters().submits - submitsBefore });

		// ── the status tool, called as a model would until the job is done
		const answers = [];
		for (let i = 0; i < MAX_STATUS_CALLS; i++) {
			const call = await phase(`tools/call ${TOOLS.status} #${i + 1}`, () => callTool(client, TOOLS.status, { requestId: lj.requestId ?? 'none' }));
			answers.push(call);
			log(`status #${i + 1}: ${call.ms} ms; ${call.text?.slice(0, 400) ?? String(call.error)}`);
			if (call.error || call.result?.isError || call.json?.status !== 'processing') break;
		}
		const last = answers.at(-1) ?? {};
		summary.push(`status tool: ${answers.map((a) => `${a.json?.status ?? String(a.error?.message ?? a.text)} (${a.ms} ms)`).join(' → ')}`);
		check(answers.every((a) => !a.error && a.result && !a.result.isError), '[status tool] every answer came before the client\'s timeout, none as an error', answers.map((a) => ({ error: String(a.error?.message ?? ''), isError: a.result?.isError, ms: a.ms })));
		check(answers.slice(0, -1).every((a) => a.json?.status === 'processing' && a.json?.requestId === lj.requestId), '[status tool] while the job ran it answered "processing" with the same requestId', answers.map((a) => a.json));
		check(last.json?.status === 'completed' && last.json?.requestId === job?.requestId && Array.isArray(last.json?.imageUrls) && last.json.imageUrls.every(isUrl) && !last.json.next, '[status tool] then it returned the job completed, with its imageUrls', last.json);
		check(sim.counters().submits - submitsBefore === 1, '[status tool] it never submitted', { submits: sim.counters().submits - submitsBefore });

		// ── the executions: the request ID is in them
		// n8n saves an MCP execution just after it has answered the client: wait (bounded) for the last.
		let execs = [];
		for (const until = Date.now() + 30_000; ; await sleep(500)) {
			execs = (await n8n.executions({ workflowIds: [workflowId] })).slice(execBefore);
			if (execs.every((e) => FINISHED.has(e.status)) || Date.now() > until) break;
		}
		const withId = execs.filter((e) => JSON.stringify(e.output?.data ?? {}).includes(lj.requestId ?? '—'));
		log(`executions of the MCP workflow: ${execs.map((e) => `${e.id} ${e.status}`).join(', ')}`);
		check(execs.length > 0 && execs.every((e) => e.status === 'success'), 'the MCP executions succeeded', execs.map((e) => ({ id: e.id, status: e.status })));
		check(withId.length >= 1, "the long job's request ID is in the MCP executions", { executions: execs.length });

		// ── a caller that gives up before the Tool Wait: the node says so, and the job is not lost
		{
			const gaveUp = `caller gives up after ${SHORT_CLIENT_TIMEOUT_MS / 1000} s (Tool Wait ${TOOL_WAIT_S} s, ${LONG_JOB_MS / 1000} s job)`;
			const execsBefore = (await n8n.executions({ workflowIds: [workflowId] })).length;
			const logOffset = n8n.logOffset();
			const jobsBefore2 = sim.jobs().length;
			const t = Date.now();
			let error;
			// Its own connection, closed when it gives up (an MCP client that quits).
			const impatient = await connect(url, TOKEN);
			try {
				await impatient.callTool({ name: TOOLS.generate, arguments: { prompt: `mcp e2e impatient caller (${process.pid})` } }, undefined, { timeout: SHORT_CLIENT_TIMEOUT_MS });
			} catch (e) {
				error = e;
			}
			await impatient.close().catch(() => {});
			asked++;
			const gone = sim.jobs().slice(jobsBefore2)[0];
			check(!!error && /timed out/i.test(String(error?.message)), `[${gaveUp}] the client gave up (its own timeout) and closed its connection`, String(error?.message ?? 'answered'));
			check(sim.jobs().length - jobsBefore2 === 1 && !!gone, `[${gaveUp}] one job was submitted`, { jobs: sim.jobs().length - jobsBefore2 });
			// n8n ends the tool run; the node learns it at its next look at Sivi, at the latest by its Tool Wait.
			const said = `The caller stopped waiting; the job ${gone?.requestId} may still finish in Sivi`;
			const deadline = Date.now() + (TOOL_WAIT_S + 20) * 1000;
			let logged = '';
			while (!logged.includes(said) && Date.now() < deadline) {
				await sleep(500);
				logged = n8n.logFrom(logOffset);
			}
			const execs = (await n8n.executions({ workflowIds: [workflowId] })).slice(execsBefore);
			const stored = execs.map((e) => e.output?.data?.resultData?.metadata?.siviRequestIds);
			log(`${gaveUp}: ${Date.now() - t} ms; executions ${execs.map((e) => `${e.id} ${e.status}`).join(', ')}; custom data siviRequestIds ${JSON.stringify(stored)}; n8n log: ${logged.split('\n').filter((l) => /Sivi|caller|Tool/i.test(l)).join(' | ').slice(0, 1500)}`);
			summary.push(`${gaveUp}: n8n logged "${logged.includes(said) ? said : 'nothing about it'}"; execution custom data siviRequestIds ${JSON.stringify(stored)}`);
			check(logged.includes(said) && !/connection to Sivi was cut/.test(logged), `[${gaveUp}] the node says the caller stopped waiting and names the job (not "the connection to Sivi was cut")`, logged.slice(-1500));
			check(execs.length === 1 && stored[0] === gone?.requestId, `[${gaveUp}] the saved execution holds the job's request ID (custom data siviRequestIds)`, { executions: execs.map((e) => ({ id: e.id, status: e.status })), stored });
			// The job is not lost: the status tool gets it.
			const late = [];
			for (let i = 0; i < MAX_STATUS_CALLS; i++) {
				const call = await callTool(client, TOOLS.status, { requestId: gone?.requestId ?? 'none' });
				late.push(call);
				if (call.error || call.result?.isError || call.json?.status !== 'processing') break;
			}
			check(late.at(-1)?.json?.status === 'completed' && late.at(-1)?.json?.requestId === gone?.requestId && late.every((x) => !x.error && !x.result?.isError), `[${gaveUp}] the status tool later returns that job completed`, late.map((x) => x.json ?? String(x.error?.message)));
		}

		// ── six clients at once: each gets its own job, none is paid twice
		{
			sim.setOptions({ jobDurationMs: SHORT_JOB_MS });
			const jobsBefore6 = sim.jobs().length;
			const prompts = Array.from({ length: PARALLEL_CLIENTS }, (_, i) => `mcp e2e client ${i + 1} of ${PARALLEL_CLIENTS} (${process.pid})`);
			const clients = await phase(`${PARALLEL_CLIENTS} more clients connect`, () => Promise.all(prompts.map(() => connect(url, TOKEN))));
			const calls = await phase(`${PARALLEL_CLIENTS} clients call ${TOOLS.generate} at once`, () =>
				Promise.all(clients.map((x, i) => callTool(x, TOOLS.generate, { prompt: prompts[i] }))),
			);
			await Promise.all(clients.map((x) => x.close().catch(() => {})));
			asked += PARALLEL_CLIENTS;
			const jobs = sim.jobs().slice(jobsBefore6);
			const jobOf = (prompt) => jobs.filter((j) => j.payload?.prompt === prompt);
			summary.push(`${PARALLEL_CLIENTS} clients at once: ${calls.map((x) => `${x.json?.status ?? String(x.error?.message)} (${x.ms} ms)`).join(', ')}`);
			check(calls.every((x) => !x.error && !x.result?.isError && ['completed', 'processing'].includes(x.json?.status)), `[${PARALLEL_CLIENTS} clients at once] every client got an answer, none an error`, calls.map((x) => x.json ?? String(x.error?.message)));
			check(jobs.length === PARALLEL_CLIENTS && prompts.every((p) => jobOf(p).length === 1), `[${PARALLEL_CLIENTS} clients at once] one job per client, with its own prompt (no duplicate)`, jobs.map((j) => j.payload?.prompt));
			check(calls.every((x, i) => x.json?.requestId === jobOf(prompts[i])[0]?.requestId), `[${PARALLEL_CLIENTS} clients at once] each client got the requestId of its own job`, calls.map((x, i) => ({ got: x.json?.requestId, own: jobOf(prompts[i])[0]?.requestId })));
		}

		// ── credits: one paid job per job asked for
		const counters = sim.counters();
		check(counters.submits === asked && sim.jobs().length === asked, `across the suite: ${asked} jobs asked for, ${asked} submitted (no second paid job)`, { asked, submits: counters.submits, jobs: sim.jobs().length, attempts: counters.submitAttempts });
	} catch (e) {
		failedHard = e;
		check(false, 'mcp e2e ran to completion', e.stack ?? String(e));
	} finally {
		await client?.close().catch(() => {});
		if (workflowId) await n8n.deactivate(workflowId).catch((e) => log(`deactivate: ${e.message}`));
		await sim?.close();
	}

	const failed = results.filter((x) => !x.pass);
	console.log('\n──────── mcp e2e summary');
	for (const line of summary) console.log(`  ${line}`);
	for (const p of phases) console.log(`  ${(p.ms / 1000).toFixed(1).padStart(7)} s  ${p.name}`);
	console.log(`  ${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s  total`);
	for (const f of failed) console.log(`  FAILED: ${f.name}`);
	await inst.release({ keep: KEEP || failed.length > 0 || !!failedHard });
	console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
	process.exit(failed.length ? 1 : 0);
}

main().catch((e) => {
	console.log(`FAIL mcp e2e crashed — ${e.stack ?? e}`);
	const failed = results.filter((x) => !x.pass).length + 1;
	console.log(`${results.length + 1 - failed} passed, ${failed} failed`);
	process.exit(1);
});

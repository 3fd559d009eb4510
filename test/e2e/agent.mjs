#!/usr/bin/env node
// Agent e2e (`node test/e2e/agent.mjs [--keep] [--skip-build] [--no-mutant]`): the packed n8n-nodes-sivi used as
// an AI tool by n8n 2.41.1's AI Agent, with n8n's OpenAI Chat Model node pointed at an
// OpenAI-compatible stand-in on 127.0.0.1 (test/e2e/agent/openai-stand-in.mjs) and the Sivi
// simulator behind the tool.
//
// Why: n8n 2.41's ExecuteContext.isToolExecution() is hard-coded to false. AI Agent 3.1 (the
// default) hands tool calls to the workflow engine, which runs the `n8n-nodes-sivi.siviTool` node as
// an ordinary node; AI Agent 2.2 calls the tool in-process (SupplyDataContext, isToolExecution()
// true). Both paths must give the agent the compact tool JSON (toolOutput.ts): no raw `result`, no
// binary download.
//
// 1. The shared n8n 2.41.1 of `npm run test:e2e` (lib/instance.mjs), or, run alone, one of its own
//    (build + pack unless --skip-build, install the community-installer way, `n8n start`), with the
//    pre-fix mutant installed beside the package as n8n-nodes-sivi-mutant (agent/mutant.mjs). Start
//    the simulator and the stand-in, import a siviApi, a siviApiMutant and an openAiApi credential.
// 2. Import test/e2e/agent/agent-sivi-tool.json twice — AI Agent typeVersion 3.1 (engine path) and
//    2.2 (in-process path) — plus a control workflow (the plain Sivi node, same parameters).
// 3. Run each through n8n's REST API (/rest/workflows/:id/run; one at a time; the stand-in and the simulator's counters are
//    reset before each). The stand-in answers the first chat request with a call to the Sivi tool
//    (prompt = a text unique to the run), the second (which carries the tool result) with a final
//    message.
// 4. Per agent version: execution succeeded; exactly 2 chat requests; the tool message content is
//    the compact JSON (requestId of the one simulator job, status completed, served imageUrls, only
//    compact keys, no `result`, no base64); exactly one job accepted, with the stand-in's prompt; no
//    image download reached the simulator; the tool node's run has no binary; the agent's output is
//    the stand-in's final text. Control: the plain node with the same options does download (so
//    "no download" above can fail).
// 4b. A job longer than the tool's Tool Wait (test/e2e/agent/agent-long-job.json: the Sivi tool
//    and a "Job Status" tool, Get Status): per agent version, the first tool answer is status
//    "processing" with the job's requestId, its progress and the next step (not an error); the
//    stand-in calls the status tool with that requestId until it answers "completed" with the
//    images; exactly one job is submitted; the agent ends with the stand-in's final text.
// 5. Pre-fix mutant (the harness can fail, and what n8n hands the node on each path): the mutant
//    package's dist router.js has isToolRun() without the node-type check (isToolExecution() only, as
//    before the fix) plus a probe that records getNode().type and isToolExecution() per call. Agent
//    3.1 must then get the node's full output (raw `result`, downloads) with isToolExecution() false;
//    agent 2.2 must still get the compact JSON, with isToolExecution() true. (--no-mutant skips it.)
// One PASS/FAIL line per check, then `N passed, M failed`; exit 1 on any failure. Every wait has a
// timeout; the simulator, the stand-in and every n8n process are stopped on the way out.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRuntime, log } from './lib/runtime.mjs';
import { useInstance } from './lib/instance.mjs';
import { buildMutantTarball, MUTANT_CREDENTIAL_TYPE, MUTANT_PACKAGE, PROBE_FILE } from './agent/mutant.mjs';
import { check, phase, phases, results } from './lib/report.mjs';
import { buildAndPack } from './lib/pack.mjs';
import { messageText, startOpenAiStandIn } from './agent/openai-stand-in.mjs';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
const ARGS = new Set(process.argv.slice(2));
const KEEP = ARGS.has('--keep');
const SKIP_BUILD = ARGS.has('--skip-build');
const MUTANT = !ARGS.has('--no-mutant');
const SUITE_TIMEOUT_MS = 12 * 60_000; // everything after the runtime is ready (normally ~2 min)
const EXEC_TIMEOUT_MS = 3 * 60_000;
const JOB_DURATION_MS = 1500;
const SIVI_CRED = { id: 'siviCredential01', name: 'Sivi account' };
const OPENAI_CRED = { id: 'openAiStandIn001', name: 'OpenAI stand-in' };
const MUTANT_CRED = { id: 'siviMutantCred01', name: 'Sivi account (mutant)' };
const TOOL_NODE = 'Sivi Tool';
const TOOL_NODE_TYPE = 'n8n-nodes-sivi.siviTool';
const AGENT_NODE = 'AI Agent';
// The keys toToolJson (nodes/Sivi/output/toolOutput.ts) may emit.
const COMPACT_KEYS = new Set(['status', 'requestId', 'designId', 'editorLink', 'imageUrls', 'editLinks', 'reason', 'progress', 'error', 'errorDescription', 'credits']);
const RUNS = [
	{ label: 'agent 3.1 (engine path)', version: 3.1, id: 'siviE2eAgent31v1', prompt: 'e2e agent 3.1: a lighthouse at dusk, watercolour', finalText: 'E2E-FINAL agent 3.1: your lighthouse image is ready.' },
	{ label: 'agent 2.2 (in-process)', version: 2.2, id: 'siviE2eAgent22v1', prompt: 'e2e agent 2.2: a lighthouse at dusk, linocut', finalText: 'E2E-FINAL agent 2.2: your lighthouse image is ready.' },
];
// A job longer than the tool's Tool Wait: the tool answers "processing" with the requestId, the
// stand-in then calls the status tool with it (as the answer says) until the job is completed.
const LONG = { toolWaitS: 3, jobMs: 9000, maxStatusCalls: 6 };
const LONG_RUNS = RUNS.map((run) => ({
	...run,
	label: `${run.label}, job longer than Tool Wait`,
	id: `${run.id.slice(0, -2)}Lj`,
	prompt: `${run.prompt} (long job)`,
	finalText: `${run.finalText} (long job)`,
}));
const CONTROL = { label: 'control: plain node', id: 'siviE2eAgentCtl1', prompt: 'e2e agent control: a lighthouse at dusk, plain node' };

// ───────────────────────────────────────────────────────────── helpers
const runsOf = (out, node) => out?.data?.resultData?.runData?.[node] ?? [];
const runError = (out) => out?.data?.resultData?.error;
const errText = (e) => (e ? `${e.message ?? ''} ${e.description ?? ''}`.trim() : '');
const isUrl = (u) => typeof u === 'string' && /^https?:\/\//.test(u);
const BASE64ISH = /base64|data:[\w.+-]+\/[\w.+-]+;|[A-Za-z0-9+/]{200,}={0,2}/;

function loadTemplate(file, replacements) {
	let text = fs.readFileSync(path.join(HERE, 'agent', file), 'utf8');
	for (const [k, v] of Object.entries(replacements)) text = text.replaceAll(k, v);
	return JSON.parse(text);
}

function agentWorkflow(run) {
	const wf = loadTemplate('agent-sivi-tool.json', { __WORKFLOW_ID__: run.id, __AGENT_VERSION__: String(run.version) });
	const agent = wf.nodes.find((n) => n.name === AGENT_NODE);
	agent.typeVersion = run.version;
	return wf;
}

/**
 * The tool result as objects, whatever the wrapping: a JSON string (maybe JSON-encoded twice), an
 * array of items, `{ response: [...] }` (in-process tool output) or `{ json: {...} }`.
 */
function unwrapToolContent(text) {
	let v = text;
	for (let i = 0; i < 3 && typeof v === 'string'; i++) {
		try {
			v = JSON.parse(v);
		} catch {
			return { parsed: false, objects: [] };
		}
	}
	const objects = [];
	const walk = (x, depth) => {
		if (depth > 4 || x == null) return;
		if (Array.isArray(x)) return x.forEach((y) => walk(y, depth + 1));
		if (typeof x === 'string') {
			try {
				return walk(JSON.parse(x), depth + 1);
			} catch {
				return;
			}
		}
		if (typeof x !== 'object') return;
		if ('response' in x && Object.keys(x).length <= 2) return walk(x.response, depth + 1);
		if ('json' in x && typeof x.json === 'object') return walk(x.json, depth + 1);
		objects.push(x);
	};
	walk(v, 0);
	return { parsed: true, objects };
}

/** What the tool node's stored run(s) hold: per run, connection types, item json keys, binary keys. */
function toolRunSummary(out) {
	return runsOf(out, TOOL_NODE).map((r) => {
		const conns = Object.entries(r?.data ?? {}).map(([type, branches]) => {
			const items = (branches ?? []).flat().filter(Boolean);
			return {
				type,
				items: items.length,
				jsonKeys: [...new Set(items.flatMap((it) => Object.keys(it?.json ?? {})))],
				binaryKeys: [...new Set(items.flatMap((it) => Object.keys(it?.binary ?? {})))],
			};
		});
		return { executionStatus: r?.executionStatus, error: r?.error ? errText(r.error) : undefined, conns, json: (Object.values(r?.data ?? {})[0]?.[0] ?? []).map((it) => it?.json) };
	});
}

// ───────────────────────────────────────────────────────────── one agent run
async function runAgentCase(run, { n8n, sim, standIn }) {
	const c = (ok, what, detail) => check(ok, `[${run.label}] ${what}`, detail);
	standIn.reset();
	standIn.script({ toolPrompt: run.prompt, finalText: run.finalText });
	sim.resetCounters();
	sim.resetRateLimit();
	const jobsBefore = sim.jobs().length;
	const r = await phase(`execute ${run.label}`, () => n8n.runWorkflow(run.id, { timeoutMs: EXEC_TIMEOUT_MS }));
	const out = r.output;
	const counters = sim.counters();
	const chats = standIn.chatRequests();
	log(`${run.label}: ${(r.ms / 1000).toFixed(1)} s, rc=${r.rc}${r.crashedAtExit ? ' (isolated-vm segfault at exit after the result was printed)' : ''}; stand-in: ${chats.length} chat request(s) ${JSON.stringify(chats.map((x) => `${x.body?.stream ? 'stream' : 'json'}→${x.answer}`))}; simulator: ${counters.submits} submit(s), ${counters.polls} poll(s), by route ${JSON.stringify(counters.byRoute)}`);

	c(!r.timedOut, `the run finished within ${EXEC_TIMEOUT_MS / 1000} s`, { ms: r.ms });
	c(r.rc === 0 && out?.status === 'success' && !runError(out), 'execution succeeded', { rc: r.rc, status: out?.status, error: errText(runError(out)), stderr: r.stderr.slice(-1500), stdoutTail: out ? undefined : r.stdout.slice(-1500) });

	// ── the stand-in: exactly the two scripted chat requests
	c(chats.length === 2, 'the stand-in got exactly 2 chat requests', chats.map((x) => ({ answer: x.answer, messages: x.body?.messages?.map((m) => m.role) })));
	c(standIn.unexpected().length === 0, 'no other request reached the stand-in (no Responses API, no model list)', standIn.unexpected());
	const first = chats[0]?.body;
	const offered = (first?.tools ?? []).map((t) => t?.function?.name);
	const call = standIn.toolCalls()[0];
	const fn = (first?.tools ?? []).map((t) => t?.function).find((f) => f?.name === call?.name);
	c(!!call && /sivi/i.test(call.name) && Object.keys(fn?.parameters?.properties ?? {}).includes('prompt'), 'first request offered the Sivi tool with a `prompt` parameter ($fromAI), and the stand-in called it', { offered, call, parameters: fn?.parameters });
	c(call?.arguments?.prompt === run.prompt, "the stand-in's tool call carried this run's prompt", call?.arguments);

	// ── the tool message the agent sent back
	const second = chats[1]?.body;
	const toolMsgs = (second?.messages ?? []).filter((m) => m?.role === 'tool');
	c(toolMsgs.length === 1 && toolMsgs[0].tool_call_id === call?.id, 'second request carries one tool message answering the tool call', toolMsgs.map((m) => ({ tool_call_id: m.tool_call_id, expected: call?.id })));
	const toolText = toolMsgs.length ? messageText(toolMsgs[0].content) : '';
	log(`${run.label}: tool message content (${toolText.length} chars): ${toolText.slice(0, 2000)}`);
	const { parsed, objects } = unwrapToolContent(toolText);
	c(parsed && objects.length === 1, 'tool message content parses as JSON holding one object', { parsed, objects: objects.length, content: toolText.slice(0, 1500) });
	const compact = objects[0] ?? {};

	// ── the simulator: one job, with the stand-in's prompt
	const newJobs = sim.jobs().slice(jobsBefore);
	c(counters.submits === 1, 'the simulator accepted exactly one job', { submits: counters.submits, attempts: counters.submitAttempts, byRoute: counters.byRoute });
	c(newJobs.length === 1 && newJobs[0].payload?.prompt === run.prompt, "that job's prompt is the one the stand-in sent", newJobs.map((j) => ({ requestId: j.requestId, prompt: j.payload?.prompt })));
	const job = newJobs[0];
	c(job?.payload?.model === 'z-image-turbo' && job?.width === 1344 && job?.height === 768 && job?.payload?.bId === 'b_default0001', "the job has the tool node's model, size and brand", job?.payload);

	// ── the compact JSON
	c(typeof compact.requestId === 'string' && compact.requestId === job?.requestId, "tool JSON has requestId = the simulator job's", { got: compact.requestId, job: job?.requestId });
	c(compact.status === 'completed', 'tool JSON has status completed', compact.status);
	const urls = compact.imageUrls;
	c(Array.isArray(urls) && urls.length > 0 && urls.every(isUrl) && urls.every((u) => sim.servedImageSha256(u) !== null), 'tool JSON has imageUrls: non-empty, http URLs the simulator serves', urls);
	c(!('result' in compact), 'tool JSON has no raw `result`', Object.keys(compact));
	c(compact.credits?.min === 0.1 && compact.credits?.max === 0.1 && /^Z Image Turbo/.test(compact.credits?.basis ?? ''), "tool JSON carries the job's estimated credits (Z Image Turbo, 0.1)", compact.credits);
	const extra = Object.keys(compact).filter((k) => !COMPACT_KEYS.has(k));
	c(extra.length === 0, `tool JSON holds only compact keys (${[...COMPACT_KEYS].join(', ')})`, { extra, keys: Object.keys(compact) });
	c(toolText.length > 0 && !BASE64ISH.test(toolText) && !/"binary"|"images"|"variants"/.test(toolText), 'tool message has no binary/base64 data (and no images/variants)', toolText.slice(0, 1500));

	// ── no download, no binary anywhere on the tool path
	const downloads = counters.log.filter((e) => e.method === 'GET' && e.path.startsWith('/files/'));
	c(downloads.length === 0, 'no image download reached the simulator (downloadImages is on, the tool run skips it)', downloads.map((e) => e.path));
	const toolRuns = toolRunSummary(out);
	log(`${run.label}: tool node runs: ${JSON.stringify(toolRuns).slice(0, 2000)}`);
	c(toolRuns.length >= 1 && toolRuns.every((tr) => tr.conns.every((cn) => cn.binaryKeys.length === 0)), `the "${TOOL_NODE}" node ran and its stored output has no binary`, toolRuns);
	c(!/binary data.{0,80}omitted/i.test(r.stdout + r.stderr), 'n8n logged no "binary data … omitted" warning', (r.stdout + r.stderr).match(/.{0,200}binary data.{0,80}omitted.{0,200}/i)?.[0]);

	// ── the agent's answer
	const agentRuns = runsOf(out, AGENT_NODE);
	const last = agentRuns[agentRuns.length - 1];
	const output = last?.data?.main?.[0]?.[0]?.json?.output;
	c(typeof output === 'string' && output.includes(run.finalText), "the agent's output contains the stand-in's final text", { output, runs: agentRuns.length });

	return { label: run.label, toolText, compact, toolRuns, chats: chats.length, submits: counters.submits, ms: r.ms };
}

function longWorkflow(run) {
	const wf = loadTemplate('agent-long-job.json', { __WORKFLOW_ID__: run.id, __AGENT_VERSION__: String(run.version), __TOOL_WAIT__: String(LONG.toolWaitS) });
	wf.nodes.find((n) => n.name === AGENT_NODE).typeVersion = run.version;
	return wf;
}

async function runLongCase(run, { n8n, sim, standIn }) {
	const c = (ok, what, detail) => check(ok, `[${run.label}] ${what}`, detail);
	standIn.reset();
	standIn.script({ toolPrompt: run.prompt, finalText: run.finalText, toolNamePattern: /^sivi_tool$/i, statusToolPattern: /^job_status$/i });
	sim.resetCounters();
	sim.resetRateLimit();
	sim.setOptions({ jobDurationMs: LONG.jobMs });
	const jobsBefore = sim.jobs().length;
	let r;
	try {
		r = await phase(`execute ${run.label}`, () => n8n.runWorkflow(run.id, { timeoutMs: EXEC_TIMEOUT_MS }));
	} finally {
		sim.setOptions({ jobDurationMs: JOB_DURATION_MS });
	}
	const out = r.output;
	const counters = sim.counters();
	const calls = standIn.toolCalls();
	const jobs = sim.jobs().slice(jobsBefore);
	const job = jobs[0];
	// The answer to each tool call: the last tool message of the chat request that followed it.
	const answers = standIn
		.chatRequests()
		.slice(1)
		.map((x) => (x.body?.messages ?? []).filter((m) => m?.role === 'tool').at(-1))
		.map((m) => unwrapToolContent(m ? messageText(m.content) : '').objects[0] ?? {});
	log(`${run.label}: ${(r.ms / 1000).toFixed(1)} s; tool calls ${JSON.stringify(calls.map((x) => `${x.name}(${JSON.stringify(x.arguments)})`))}; answers ${JSON.stringify(answers)}`);

	c(!r.timedOut && r.rc === 0 && out?.status === 'success' && !runError(out), 'execution succeeded', { rc: r.rc, status: out?.status, error: errText(runError(out)) });
	c(counters.submits === 1 && jobs.length === 1 && job?.payload?.prompt === run.prompt, 'exactly one job was submitted, with the stand-in\'s prompt', { submits: counters.submits, prompts: jobs.map((j) => j.payload?.prompt) });
	const first = answers[0] ?? {};
	c(calls[0]?.name === 'Sivi_Tool' && first.status === 'processing' && first.requestId === job?.requestId && first.next === 'call the status tool with this requestId' && typeof first.progress === 'number' && !first.error, `the Sivi tool answered within its Tool Wait (${LONG.toolWaitS} s) with status "processing", the job's requestId, its progress and the next step — not an error`, { call: calls[0], answer: first });
	const statusCalls = calls.slice(1);
	c(statusCalls.length >= 1 && statusCalls.length <= LONG.maxStatusCalls && statusCalls.every((x) => x.name === 'Job_Status' && x.arguments?.requestId === job?.requestId), 'the agent then called the status tool with that requestId', statusCalls);
	const statusAnswers = answers.slice(1);
	c(statusAnswers.length === statusCalls.length && statusAnswers.slice(0, -1).every((a) => a.status === 'processing' && !a.error), 'the status tool answered "processing" (never an error) while the job ran', statusAnswers);
	const last = statusAnswers.at(-1) ?? {};
	c(last.status === 'completed' && last.requestId === job?.requestId && Array.isArray(last.imageUrls) && last.imageUrls.every(isUrl) && !last.next, 'then the status tool returned the job completed, with its imageUrls', last);
	const agentRuns = runsOf(out, AGENT_NODE);
	const output = agentRuns.at(-1)?.data?.main?.[0]?.[0]?.json?.output;
	c(typeof output === 'string' && output.includes(run.finalText), "the agent's output contains the stand-in's final text", { output });
	return { label: run.label, calls: calls.length, answers, ms: r.ms };
}

async function runControl({ n8n, sim }) {
	const c = (ok, what, detail) => check(ok, `[${CONTROL.label}] ${what}`, detail);
	sim.resetCounters();
	sim.resetRateLimit();
	const jobsBefore = sim.jobs().length;
	const r = await phase(`execute ${CONTROL.label}`, () => n8n.runWorkflow(CONTROL.id, { timeoutMs: EXEC_TIMEOUT_MS }));
	const out = r.output;
	const counters = sim.counters();
	c(r.rc === 0 && out?.status === 'success' && !runError(out), 'execution succeeded', { rc: r.rc, status: out?.status, error: errText(runError(out)), stderr: r.stderr.slice(-1500) });
	const newJobs = sim.jobs().slice(jobsBefore);
	c(counters.submits === 1 && newJobs.length === 1 && newJobs[0].payload?.prompt === CONTROL.prompt, 'one job with the control prompt', newJobs.map((j) => j.payload?.prompt));
	const item = runsOf(out, 'Sivi')[0]?.data?.main?.[0]?.[0];
	const downloads = counters.log.filter((e) => e.method === 'GET' && e.path.startsWith('/files/'));
	c(downloads.length >= 1 && !!item?.binary?.data, 'the plain node with the same options downloads the image into binary (so the no-download checks above can fail)', { downloads: downloads.map((e) => e.path), binaryKeys: Object.keys(item?.binary ?? {}) });
	c('result' in (item?.json ?? {}) && !('imageUrls' in (item?.json ?? {})), 'the plain node keeps its full output (raw result, no compact imageUrls)', Object.keys(item?.json ?? {}));
}

// ───────────────────────────────────────────────────────────── pre-fix mutant
// The mutant is its own package beside the real one (agent/mutant.mjs): the same agent workflows,
// with the tool node and the credential of the mutant's types.
const mutantId = (run) => `${run.id.slice(0, -2)}Mu`;
function mutantWorkflow(run) {
	const wf = agentWorkflow(run);
	wf.id = mutantId(run);
	wf.name = `${wf.name} (pre-fix mutant)`;
	for (const node of wf.nodes) {
		if (node.type === TOOL_NODE_TYPE) node.type = `${MUTANT_PACKAGE}.siviTool`;
		if (node.credentials?.siviApi) node.credentials = { [MUTANT_CREDENTIAL_TYPE]: { id: MUTANT_CRED.id, name: MUTANT_CRED.name } };
	}
	return wf;
}

async function runMutantCase(run, { n8n, sim, standIn }) {
	const label = `pre-fix mutant, ${run.label}`;
	const c = (ok, what, detail) => check(ok, `[${label}] ${what}`, detail);
	const probeFile = PROBE_FILE;
	fs.rmSync(probeFile, { force: true });
	const prompt = `${run.prompt} (pre-fix mutant)`;
	standIn.reset();
	standIn.script({ toolPrompt: prompt, finalText: run.finalText });
	sim.resetCounters();
	sim.resetRateLimit();
	const jobsBefore = sim.jobs().length;
	const r = await phase(`execute ${label}`, () => n8n.runWorkflow(mutantId(run), { timeoutMs: EXEC_TIMEOUT_MS }));
	const counters = sim.counters();
	const chats = standIn.chatRequests();
	c(r.rc === 0 && r.output?.status === 'success', 'execution succeeded', { rc: r.rc, status: r.output?.status, error: errText(runError(r.output)), stderr: r.stderr.slice(-1500) });
	c(chats.length === 2 && counters.submits === 1 && sim.jobs().slice(jobsBefore).filter((j) => j.payload?.prompt === prompt).length === 1, '2 chat requests, one job with the stand-in\'s prompt', { chats: chats.length, submits: counters.submits });
	const probes = fs.existsSync(probeFile)
		? fs.readFileSync(probeFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
		: [];
	log(`${label}: what the node saw: ${JSON.stringify(probes)}`);
	const inProcess = run.version < 3;
	c(
		probes.length === 1 && probes[0].nodeType === `${MUTANT_PACKAGE}.siviTool` && probes[0].isToolExecution === inProcess,
		`the node ran once as ${MUTANT_PACKAGE}.siviTool, isToolExecution() = ${inProcess}`,
		probes,
	);
	const toolMsg = (chats[1]?.body?.messages ?? []).find((m) => m?.role === 'tool');
	const toolText = toolMsg ? messageText(toolMsg.content) : '';
	log(`${label}: tool message content (${toolText.length} chars): ${toolText.slice(0, 1500)}${toolText.length > 1500 ? ' …' : ''}`);
	const compact = unwrapToolContent(toolText).objects[0] ?? {};
	const downloads = counters.log.filter((e) => e.method === 'GET' && e.path.startsWith('/files/'));
	const warned = /binary data.{0,80}omitted/i.test(r.stdout + r.stderr);
	if (inProcess) {
		c(Array.isArray(compact.imageUrls) && !('result' in compact) && downloads.length === 0, 'isToolExecution() alone still gives the compact JSON in-process (no result, imageUrls, no download)', { keys: Object.keys(compact), downloads: downloads.length });
	} else {
		c(
			'result' in compact && !('imageUrls' in compact) && downloads.length >= 1,
			'without the node-type check the agent gets the full output (raw result, no imageUrls) and the node downloads — the checks above would fail',
			{ keys: Object.keys(compact), downloads: downloads.length, content: toolText.slice(0, 600) },
		);
		const binaryKeys = toolRunSummary(r.output).flatMap((tr) => tr.conns.flatMap((cn) => cn.binaryKeys));
		c(binaryKeys.length > 0, `…and the "${TOOL_NODE}" node's stored output holds the downloaded binary`, toolRunSummary(r.output));
		log(`${label}: ${downloads.length} download(s) reached the simulator; tool node binary fields ${JSON.stringify(binaryKeys)}; n8n ${warned ? 'logged' : 'did not log'} "binary data … omitted"`);
	}
	return { label, toolText, probes, downloads: downloads.length, warned };
}

// ───────────────────────────────────────────────────────────── main
async function main() {
	const t0 = Date.now();
	await phase('runtime (ensureRuntime)', () => ensureRuntime());
	const watchdog = setTimeout(() => {
		console.log(`FAIL agent e2e finished within ${SUITE_TIMEOUT_MS / 60000} min after the runtime was ready — watchdog fired`);
		const failed = results.filter((x) => !x.pass).length + 1;
		console.log(`${results.length + 1 - failed} passed, ${failed} failed`);
		process.exit(1); // runtime.mjs kills the tracked process groups on exit
	}, SUITE_TIMEOUT_MS);
	watchdog.unref();

	// The shared n8n 2.41.1 (all.mjs) or one of our own, with the mutant package beside the real one.
	const ownTgz = process.env.SIVI_E2E_TGZ || (SKIP_BUILD ? await buildAndPack({ skipBuild: true }) : undefined);
	const inst = await phase('n8n instance (the shared one, or install + n8n start)', () =>
		useInstance('2.41.1', {
			tgz: ownTgz,
			extraTarballs: async (tgz) => (MUTANT ? [(await buildMutantTarball(tgz)).tgz] : []),
		}),
	);
	const n8n = inst.instance;
	const nodesDir = path.join(n8n.folder, '.n8n', 'nodes', 'node_modules');
	const installedName = JSON.parse(fs.readFileSync(path.join(n8n.descriptor.packageDir, 'package.json'), 'utf8')).name;
	check(installedName === 'n8n-nodes-sivi', 'package installed as n8n-nodes-sivi', { packageDir: n8n.descriptor.packageDir, name: installedName });

	const { startSimulator } = require('../simulator');
	let sim;
	let standIn;
	let failedHard = null;
	const reports = [];
	const mutants = [];
	const longs = [];
	try {
		sim = await phase('simulator', () => startSimulator({ jobDurationMs: JOB_DURATION_MS, concurrency: 4, queueSize: 10, rateLimit: { limit: 50, windowMs: 60_000 } }));
		standIn = await phase('OpenAI stand-in', () => startOpenAiStandIn());
		log(`simulator ${sim.baseUrl}; OpenAI stand-in ${standIn.baseUrl}`);
		await phase('import credentials + workflows', async () => {
			await n8n.importCredentials([
				{ ...SIVI_CRED, type: 'siviApi', data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } },
				{ ...OPENAI_CRED, type: 'openAiApi', data: { apiKey: 'sk-test', organizationId: '', url: standIn.baseUrl, header: false } },
				...(MUTANT ? [{ ...MUTANT_CRED, type: MUTANT_CREDENTIAL_TYPE, data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } }] : []),
			]);
			await n8n.importWorkflows([
				...RUNS.map(agentWorkflow),
				...LONG_RUNS.map(longWorkflow),
				loadTemplate('control-plain-node.json', { __WORKFLOW_ID__: CONTROL.id, __PROMPT__: CONTROL.prompt }),
				...(MUTANT ? RUNS.map(mutantWorkflow) : []),
			]);
		});
		for (const run of RUNS) reports.push(await runAgentCase(run, { n8n, sim, standIn }));
		for (const run of LONG_RUNS) longs.push(await runLongCase(run, { n8n, sim, standIn }));
		await runControl({ n8n, sim });
		if (MUTANT) {
			const router = path.join(nodesDir, MUTANT_PACKAGE, 'dist', 'nodes', 'Sivi', 'actions', 'router.js');
			const applied = fs.existsSync(router) && fs.readFileSync(router, 'utf8').includes(JSON.stringify(PROBE_FILE));
			if (check(applied, `[pre-fix mutant] ${MUTANT_PACKAGE} installed beside the package, its isToolRun() rewritten in dist/nodes/Sivi/actions/router.js`)) {
				for (const run of RUNS) mutants.push(await runMutantCase(run, { n8n, sim, standIn }));
			}
		}
	} catch (e) {
		failedHard = e;
		check(false, 'agent e2e ran to completion', e.stack ?? String(e));
	} finally {
		await Promise.all([sim?.close(), standIn?.close()].filter(Boolean));
	}

	const failed = results.filter((x) => !x.pass);
	console.log('\n──────── agent e2e summary');
	for (const rep of reports) console.log(`  ${rep.label}: tool message content = ${rep.toolText}`);
	for (const l of longs) console.log(`  ${l.label}: ${l.calls} tool call(s), answers ${l.answers.map((a) => a.status).join(' → ')} (${(l.ms / 1000).toFixed(1)} s)`);
	for (const m of mutants) console.log(`  ${m.label}: node saw ${JSON.stringify(m.probes)}; ${m.downloads} download(s); tool message = ${m.toolText.slice(0, 400)}${m.toolText.length > 400 ? ' …' : ''}`);
	for (const p of phases) console.log(`  ${(p.ms / 1000).toFixed(1).padStart(7)} s  ${p.name}`);
	console.log(`  ${((Date.now() - t0) / 1000).toFixed(1).padStart(7)} s  total`);
	for (const f of failed) console.log(`  FAILED: ${f.name}`);
	await inst.release({ keep: KEEP || failed.length > 0 || !!failedHard });
	console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
	process.exit(failed.length ? 1 : 0);
}

main().catch((e) => {
	console.log(`FAIL agent e2e crashed — ${e.stack ?? e}`);
	const failed = results.filter((x) => !x.pass).length + 1;
	console.log(`${results.length + 1 - failed} passed, ${failed} failed`);
	process.exit(1);
});

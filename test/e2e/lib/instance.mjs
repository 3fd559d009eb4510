// One long-running n8n per version for every e2e suite (`npm run test:e2e`): the package is
// installed once the community-installer way, `n8n start` boots once, and the suites import,
// activate and run their workflows through its REST API while it runs. Results are read from the
// instance's database (the same rows `n8n execute` used to print).
//
// test/e2e/all.mjs starts the instances and hands them to the suites (separate processes) through
// SIVI_E2E_INSTANCES, a JSON file { "<version>": descriptor }. A suite run on its own
// (`node test/e2e/trigger.mjs`) starts its own instance instead: useInstance() does either.
import fs from 'node:fs';
import path from 'node:path';
import { buildAndPack } from './pack.mjs';
import {
	freePort,
	installPackageTarball,
	n8nMajor,
	n8nRest,
	newUserFolder,
	readExecutions,
	removeUserFolder,
	startN8n,
	WORK_DIR,
} from './n8n.mjs';
import { ensureRuntime, log } from './runtime.mjs';

export const OWNER = { email: 'owner@sivi-e2e.test', password: 'Sivi-e2e-owner-1' };
export const INSTANCE_LOG_DIR = path.join(WORK_DIR, 'instance-logs');
const FINISHED = new Set(['success', 'error', 'crashed', 'canceled']);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Installs the tarball into a fresh user folder of `version` and starts `n8n start` on a free
 * port (WEBHOOK_URL on 127.0.0.1, so simulators can call its webhooks).
 */
export async function startInstance(version, tgz, { name = `instance-${version}`, env = {}, extraTarballs = [] } = {}) {
	await ensureRuntime(version);
	const folder = newUserFolder(name, { n8nVersion: version });
	const installed = await installPackageTarball(tgz, folder);
	// Test-only packages beside it (the agent suite's mutant), installed the same way.
	for (const extra of extraTarballs) await installPackageTarball(extra, folder);
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const n8n = await startN8n(folder, {
		command: 'start',
		port,
		env: { WEBHOOK_URL: `${url}/`, N8N_WEBHOOK_URL: `${url}/`, ...env },
		logFile: path.join(INSTANCE_LOG_DIR, `${name}.log`),
		owner: OWNER,
		name: `n8n ${version} start`,
	});
	const descriptor = { version, folder, url, port, cookie: n8n.cookie, pid: n8n.pid, packageDir: installed.packageDir, logFile: n8n.logFile };
	return { ...client(descriptor), installed, process: n8n, stop: () => n8n.stop(), remove: () => removeUserFolder(name) };
}

/** A running instance from SIVI_E2E_INSTANCES, or null. */
export function sharedInstance(version) {
	const file = process.env.SIVI_E2E_INSTANCES;
	if (!file) return null;
	const all = JSON.parse(fs.readFileSync(file, 'utf8'));
	return all[version] ? client(all[version]) : null;
}

/**
 * The instance a suite runs on: the shared one when all.mjs started it, else one of its own
 * (built and packed here unless `tgz` is given; `extraTarballs(tgz)` names test-only packages to
 * install beside it), stopped by the returned `release()`.
 */
export async function useInstance(version, { tgz, extraTarballs = async () => [] } = {}) {
	const shared = sharedInstance(version);
	if (shared) {
		log(`using the shared n8n ${version} at ${shared.url}`);
		return { instance: shared, tgz: process.env.SIVI_E2E_TGZ, release: async () => {} };
	}
	tgz ??= process.env.SIVI_E2E_TGZ || (await buildAndPack());
	const own = await startInstance(version, tgz, { name: `own-${version}-${process.pid}`, extraTarballs: await extraTarballs(tgz) });
	return {
		instance: own,
		tgz,
		release: async ({ keep = false } = {}) => {
			await own.stop();
			if (!keep) own.remove();
		},
	};
}

/** REST, import, activation and run helpers for one running instance. */
export function client(descriptor) {
	const { version, folder, url, cookie } = descriptor;
	const rest = (method, route, opts) => n8nRest(url, cookie, method, route, opts);
	const major = n8nMajor(version);
	// n8n 2.x keeps the id a workflow is created with; 1.x picks its own. Suites keep using theirs.
	const workflowIds = new Map();
	const real = (id) => workflowIds.get(id) ?? id;
	const given = (id) => [...workflowIds].find(([, r]) => r === id)?.[0] ?? id;

	async function activate(givenId) {
		const id = real(givenId);
		const wf = await rest('GET', `/rest/workflows/${id}`);
		if (wf.status !== 200) throw new Error(`GET workflow ${id} → ${wf.status} ${wf.text.slice(0, 300)}`);
		const versionId = wf.body?.data?.versionId;
		const r =
			major >= 2
				? await rest('POST', `/rest/workflows/${id}/activate`, { body: { versionId } })
				: await rest('PATCH', `/rest/workflows/${id}`, { body: { active: true, versionId } });
		if (r.status !== 200) throw new Error(`activating ${id} → ${r.status} ${r.text.slice(0, 500)}`);
		return r.body?.data;
	}

	async function deactivate(givenId) {
		const id = real(givenId);
		const r =
			major >= 2
				? await rest('POST', `/rest/workflows/${id}/deactivate`, { body: {} })
				: await rest('PATCH', `/rest/workflows/${id}`, { body: { active: false } });
		if (r.status !== 200) throw new Error(`deactivating ${id} → ${r.status} ${r.text.slice(0, 500)}`);
		return r.body?.data;
	}

	/**
	 * Starts a manual run (REST /run, as the editor's "Execute workflow") of the stored workflow;
	 * returns its execution id. (n8n 1.x runs the copy sent in the body, 2.x its stored one: both
	 * get the stored one here.)
	 */
	async function start(givenId, { triggerNode } = {}) {
		const id = real(givenId);
		const wf = (await rest('GET', `/rest/workflows/${id}`)).body?.data;
		if (!wf?.nodes) throw new Error(`workflow ${id} not found in n8n ${version}`);
		const trigger = triggerNode ?? wf.nodes.find((n) => /manualTrigger$/.test(n.type))?.name;
		const body = { workflowData: { ...wf, id }, ...(trigger ? { triggerToStartFrom: { name: trigger } } : {}) };
		const r = await rest('POST', `/rest/workflows/${id}/run`, { body, timeoutMs: 60_000 });
		const executionId = r.body?.data?.executionId;
		if (r.status !== 200 || !executionId) throw new Error(`POST /rest/workflows/${id}/run → ${r.status} ${r.text.slice(0, 500)}`);
		return String(executionId);
	}

	/** Waits until an execution is finished (success, error, crashed or canceled); returns its status. */
	async function waitFinished(executionId, { timeoutMs }) {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const r = await rest('GET', `/rest/executions/${executionId}`);
			const status = r.body?.data?.status;
			if (FINISHED.has(status)) return { status, timedOut: false };
			if (Date.now() > deadline) return { status, timedOut: true };
			await sleep(250);
		}
	}

	/**
	 * Runs workflows (at most `concurrency` at once), waits for each, then reads every execution
	 * from the database. results[id] = { status, output, executionId }, output shaped like
	 * `n8n execute --rawOutput` ({ data: { resultData }, status, mode, … }).
	 */
	async function runWorkflows(ids, { concurrency = 1, timeoutMs = 300_000 } = {}) {
		const t0 = Date.now();
		const started = {};
		const errors = {};
		let timedOut = false;
		const queue = [...ids];
		const worker = async () => {
			for (let id = queue.shift(); id; id = queue.shift()) {
				try {
					const executionId = await start(id);
					started[id] = executionId;
					const w = await waitFinished(executionId, { timeoutMs: Math.max(1000, timeoutMs - (Date.now() - t0)) });
					if (w.timedOut) timedOut = true;
				} catch (e) {
					errors[id] = e;
				}
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
		const rows = await readExecutions(folder, { workflowIds: ids.map(real) });
		const results = {};
		for (const [id, executionId] of Object.entries(started)) {
			const row = rows.find((x) => String(x.id) === executionId);
			if (row) results[id] = { status: row.status, output: row.output, executionId: row.id };
		}
		return { results, errors, timedOut, ms: Date.now() - t0 };
	}

	// What n8n logged (stdout and stderr of `n8n start`, in its log file) from a byte offset on.
	const logOffset = () => (descriptor.logFile && fs.existsSync(descriptor.logFile) ? fs.statSync(descriptor.logFile).size : 0);
	const logFrom = (offset) => {
		if (!descriptor.logFile || !fs.existsSync(descriptor.logFile)) return '';
		const buf = fs.readFileSync(descriptor.logFile);
		return buf.subarray(Math.min(offset, buf.length)).toString('utf8');
	};

	/**
	 * One workflow: { rc, output, status, executionId, timedOut, ms, stdout } (rc 0 = success, as
	 * `n8n execute`); stdout is what n8n logged meanwhile.
	 */
	async function runWorkflow(id, { timeoutMs = 120_000 } = {}) {
		const offset = logOffset();
		const r = await runWorkflows([id], { timeoutMs });
		const res = r.results[id];
		if (r.errors[id]) throw r.errors[id];
		const ok = res?.status === 'success' && !res.output?.data?.resultData?.error;
		await sleep(200); // the log stream's last lines of this run
		return { rc: ok ? 0 : 1, output: res?.output, status: res?.status, executionId: res?.executionId, timedOut: r.timedOut, ms: r.ms, stderr: '', stdout: logFrom(offset) };
	}

	// Imports go through the REST API of the running n8n (an `n8n import:*` process would boot n8n
	// again, ~20 s). n8n gives a new credential its own id: workflows are rewritten to it.
	const credentialIds = new Map();
	async function importCredentials(creds) {
		for (const c of creds) {
			const r = await rest('POST', '/rest/credentials', { body: { name: c.name, type: c.type, data: c.data } });
			const id = r.body?.data?.id;
			if (r.status !== 200 || !id) throw new Error(`creating credential ${c.name} → ${r.status} ${r.text.slice(0, 300)}`);
			credentialIds.set(c.id, id);
		}
	}
	async function importWorkflows(wfs) {
		const ids = [];
		for (const wf of wfs) {
			const body = JSON.parse(JSON.stringify({ settings: { executionOrder: 'v1' }, connections: {}, ...wf, active: false }));
			for (const node of body.nodes ?? []) {
				for (const ref of Object.values(node.credentials ?? {})) if (credentialIds.has(ref?.id)) ref.id = credentialIds.get(ref.id);
			}
			const r = await rest('POST', '/rest/workflows', { body });
			const id = r.body?.data?.id;
			if (r.status !== 200 || !id) throw new Error(`creating workflow ${wf.name} → ${r.status} ${r.text.slice(0, 300)}`);
			if (wf.id && id !== wf.id) workflowIds.set(wf.id, id);
			ids.push(wf.id ?? id);
		}
		return ids;
	}

	return {
		version,
		folder,
		url,
		cookie,
		descriptor,
		rest,
		activate,
		deactivate,
		start,
		waitFinished,
		runWorkflows,
		runWorkflow,
		logOffset,
		logFrom,
		importCredentials,
		importWorkflows,
		/** The id n8n uses for a workflow the suite imported with `id`. */
		workflowId: real,
		executions: async (opts = {}) => {
			const rows = await readExecutions(folder, { ...opts, workflowIds: opts.workflowIds?.map(real) });
			return rows.map((row) => ({ ...row, workflowId: given(row.workflowId) }));
		},
	};
}

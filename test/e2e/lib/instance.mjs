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
	importCredentials as cliImportCredentials,
	importWorkflows as cliImportWorkflows,
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
export async function startInstance(version, tgz, { name = `instance-${version}`, env = {} } = {}) {
	await ensureRuntime(version);
	const folder = newUserFolder(name, { n8nVersion: version });
	const installed = await installPackageTarball(tgz, folder);
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
 * (built and packed here unless `tgz` is given), stopped by the returned `release()`.
 */
export async function useInstance(version, { tgz } = {}) {
	const shared = sharedInstance(version);
	if (shared) {
		log(`using the shared n8n ${version} at ${shared.url}`);
		return { instance: shared, tgz: process.env.SIVI_E2E_TGZ, release: async () => {} };
	}
	tgz ??= process.env.SIVI_E2E_TGZ || (await buildAndPack());
	const own = await startInstance(version, tgz, { name: `own-${version}-${process.pid}` });
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

	async function activate(id) {
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

	async function deactivate(id) {
		const r =
			major >= 2
				? await rest('POST', `/rest/workflows/${id}/deactivate`, { body: {} })
				: await rest('PATCH', `/rest/workflows/${id}`, { body: { active: false } });
		if (r.status !== 200) throw new Error(`deactivating ${id} → ${r.status} ${r.text.slice(0, 500)}`);
		return r.body?.data;
	}

	/** Starts a manual run (REST /run, as the editor's "Execute workflow"); returns its execution id. */
	async function start(id, { workflowData, triggerNode } = {}) {
		const wf = workflowData ?? (await rest('GET', `/rest/workflows/${id}`)).body?.data;
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
	async function runWorkflows(ids, { concurrency = 1, timeoutMs = 300_000, workflowData = {} } = {}) {
		const t0 = Date.now();
		const started = {};
		const errors = {};
		let timedOut = false;
		const queue = [...ids];
		const worker = async () => {
			for (let id = queue.shift(); id; id = queue.shift()) {
				try {
					const executionId = await start(id, { workflowData: workflowData[id] });
					started[id] = executionId;
					const w = await waitFinished(executionId, { timeoutMs: Math.max(1000, timeoutMs - (Date.now() - t0)) });
					if (w.timedOut) timedOut = true;
				} catch (e) {
					errors[id] = e;
				}
			}
		};
		await Promise.all(Array.from({ length: Math.min(concurrency, ids.length) }, worker));
		const rows = await readExecutions(folder, { workflowIds: ids });
		const results = {};
		for (const [id, executionId] of Object.entries(started)) {
			const row = rows.find((x) => String(x.id) === executionId);
			if (row) results[id] = { status: row.status, output: row.output, executionId: row.id };
		}
		return { results, errors, timedOut, ms: Date.now() - t0 };
	}

	/** One workflow: { rc, output, status, executionId, timedOut, ms } (rc 0 = success, as `n8n execute`). */
	async function runWorkflow(id, { timeoutMs = 120_000, workflowData } = {}) {
		const r = await runWorkflows([id], { timeoutMs, workflowData: workflowData ? { [id]: workflowData } : {} });
		const res = r.results[id];
		if (r.errors[id]) throw r.errors[id];
		const ok = res?.status === 'success' && !res.output?.data?.resultData?.error;
		return { rc: ok ? 0 : 1, output: res?.output, status: res?.status, executionId: res?.executionId, timedOut: r.timedOut, ms: r.ms, stderr: '', stdout: '' };
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
		// Imports go through n8n's CLI into the running instance's database (ids kept as given);
		// the running n8n reads workflows from there for every run and activation.
		importCredentials: (creds) => cliImportCredentials(folder, creds),
		importWorkflows: (wfs) => cliImportWorkflows(folder, wfs),
		executions: (opts) => readExecutions(folder, opts),
	};
}

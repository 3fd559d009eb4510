#!/usr/bin/env node
// Proves the e2e harness can fail: a deliberately broken copy of the package, renamed
// `n8n-nodes-sivi-broken` (package.json's `n8n.nodes` points at a file that does not exist, and it
// declares no credentials), is installed the community-installer way beside the real package in
// the same n8n. n8n logs that it cannot load it and goes on; the generate-media example, pointed at
// the broken copy's node type, must then FAIL because n8n does not know that type, and nothing may
// reach the simulator. The repo is never touched: the packed tarball is extracted into the system's
// temp folder, its package.json edited there and re-tarred.
//
//   node test/e2e/harness-can-fail.mjs [--keep] [--n8n=<version>]   (standalone: its own n8n)
// run.mjs runs runHarnessCanFail() on its instance; all.mjs installs the broken copy in each shared
// instance (buildBrokenTarball) before n8n starts, since n8n only loads packages at startup.
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentN8nVersion, log, REPO_ROOT, run, useN8nVersion } from './lib/runtime.mjs';
import { useInstance } from './lib/instance.mjs';

const require = createRequire(import.meta.url);
export const BROKEN_PACKAGE = 'n8n-nodes-sivi-broken';
const MISSING_NODE_FILE = 'dist/nodes/Sivi/DoesNotExist.node.js';

/** Extract tgz, rename it, point n8n.nodes at a missing file, re-tar as package/…; returns the tgz. */
export async function buildBrokenTarball(tgz) {
	// Outside the repo: `npm run lint` would read a leftover copy's dist/ as our source.
	// A folder of its own per call: both n8n versions' instances are prepared at once.
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-sivi-broken-pkg-'));
	const x = await run('tar', ['-xzf', tgz, '-C', dir], { timeoutMs: 60_000 });
	if (x.rc !== 0) throw new Error(`tar -xzf failed: ${x.stderr}`);
	const pjPath = path.join(dir, 'package', 'package.json');
	const pj = JSON.parse(fs.readFileSync(pjPath, 'utf8'));
	pj.name = BROKEN_PACKAGE;
	pj.n8n.nodes = [MISSING_NODE_FILE];
	pj.n8n.credentials = []; // the real package's credential type stays the only `siviApi`
	fs.writeFileSync(pjPath, JSON.stringify(pj, null, 2));
	if (fs.existsSync(path.join(dir, 'package', MISSING_NODE_FILE))) throw new Error('the "missing" node file exists');
	const out = path.join(dir, `${BROKEN_PACKAGE}.tgz`);
	const c = await run('tar', ['-czf', out, '-C', dir, 'package'], { timeoutMs: 60_000 });
	if (c.rc !== 0) throw new Error(`tar -czf failed: ${c.stderr}`);
	// Only the tarball is needed (n8n installs from it): the unpacked copy would pile up per run.
	fs.rmSync(path.join(dir, 'package'), { recursive: true, force: true });
	return out;
}

/**
 * @param {{ instance: ReturnType<typeof import('./lib/instance.mjs').client>, check: (ok: boolean, name: string, detail?: unknown) => boolean }} opts
 */
export async function runHarnessCanFail({ instance, check }) {
	const label = '[harness-can-fail]';
	const { startSimulator } = require('../simulator');
	const sim = await startSimulator({ jobDurationMs: 500 });
	try {
		const pjPath = path.join(instance.folder, '.n8n', 'nodes', 'node_modules', BROKEN_PACKAGE, 'package.json');
		const pj = fs.existsSync(pjPath) ? JSON.parse(fs.readFileSync(pjPath, 'utf8')) : null;
		check(pj?.name === BROKEN_PACKAGE && pj.n8n.nodes[0] === MISSING_NODE_FILE, `${label} broken copy installed beside the package (n8n.nodes -> ${MISSING_NODE_FILE})`, pj?.n8n ?? 'not installed');
		const logText = instance.logFrom(0);
		check(new RegExp(`DoesNotExist\\.node\\.js`).test(logText), `${label} n8n logged that it could not load the broken copy, and went on`, logText.split('\n').filter((l) => /broken|rror/i.test(l)).slice(0, 5));
		await instance.importCredentials([{ id: 'siviBrokenCred01', name: 'Sivi account (broken copy)', type: 'siviApi', data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } }]);
		const wf = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'generate-media.json'), 'utf8'));
		wf.id = 'siviBrokenRun001';
		wf.name = 'harness-can-fail: generate media with the broken copy';
		for (const node of wf.nodes) {
			if (node.type === 'n8n-nodes-sivi.sivi') node.type = `${BROKEN_PACKAGE}.sivi`;
			if (node.credentials?.siviApi) node.credentials.siviApi = { id: 'siviBrokenCred01', name: 'Sivi account (broken copy)' };
		}
		const type = wf.nodes.find((n) => n.type.startsWith(BROKEN_PACKAGE))?.type;
		await instance.importWorkflows([wf]);
		const t0 = Date.now();
		// n8n refuses to start a run with an unknown node type (REST 4xx/5xx), or the run errors.
		let refused = null;
		let r = null;
		try {
			r = await instance.runWorkflow(wf.id, { timeoutMs: 120_000 });
		} catch (e) {
			refused = String(e.message ?? e);
		}
		const err = r?.output?.data?.resultData?.error;
		const text = refused ?? `${err?.message ?? ''} ${err?.description ?? ''}`;
		check(!r?.timedOut && Date.now() - t0 < 120_000, `${label} the run ended within 120 s`, { ms: Date.now() - t0 });
		check(!!refused || r?.rc !== 0, `${label} the run FAILED`, { refused, rc: r?.rc, status: r?.status });
		check(new RegExp(`Unrecognized node type: ${type.replace(/[.-]/g, '\\$&')}`).test(text), `${label} because n8n does not know ${type}`, text.slice(0, 600));
		check(!r?.output?.data?.resultData?.runData?.['Generate Image'], `${label} the Sivi node did not run`);
		check(sim.counters().requests === 0, `${label} nothing reached the simulator`, sim.counters().byRoute);
	} finally {
		await sim.close();
	}
}

// Standalone: `node test/e2e/harness-can-fail.mjs [--n8n=<version>]`
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const version = process.argv.find((a) => a.startsWith('--n8n='))?.slice(6);
	if (version) useN8nVersion(version);
	let passed = 0;
	let failed = 0;
	const check = (ok, name, detail) => {
		console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${ok || detail === undefined ? '' : ` — ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`);
		if (ok) passed++;
		else failed++;
		return ok;
	};
	(async () => {
		const { instance, release } = await useInstance(currentN8nVersion(), { extraTarballs: async (tgz) => [await buildBrokenTarball(tgz)] });
		try {
			await runHarnessCanFail({ instance, check });
		} finally {
			await release({ keep: process.argv.includes('--keep') });
		}
	})()
		.catch((e) => {
			console.error(e);
			failed++;
		})
		.finally(() => {
			log(failed ? `harness-can-fail: ${failed} check(s) failed` : 'harness-can-fail: OK (the harness detects a broken package)');
			console.log(`${passed} passed, ${failed} failed`);
			process.exit(failed ? 1 : 0);
		});
}

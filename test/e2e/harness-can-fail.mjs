#!/usr/bin/env node
// Proves the e2e harness can fail: a deliberately broken copy of the package (package.json's
// `n8n.nodes` points at a file that does not exist) is installed the community-installer way into
// a fresh user folder, the generate-media example is run against the simulator, and the run must
// FAIL because n8n does not know the node type. The repo is never touched: the packed tarball is
// extracted into test/e2e/.work/, its package.json edited there and re-tarred.
//
//   node test/e2e/harness-can-fail.mjs [--keep]     (standalone: builds and packs first)
// run.mjs imports runHarnessCanFail() and runs it as its last check.
import fs from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentN8nVersion, ensureRuntime, log, REPO_ROOT, run } from './lib/runtime.mjs';
import { buildAndPack, WORK_DIR } from './lib/pack.mjs';
import { executeWorkflow, importCredentials, importWorkflows, installPackageTarball, newUserFolder } from './lib/n8n.mjs';

const require = createRequire(import.meta.url);
// Outside the repo: `npm run lint` would read a leftover copy's dist/ as our source.
const BROKEN_DIR = path.join(os.tmpdir(), `n8n-nodes-sivi-broken-pkg-${process.pid}`);
const MISSING_NODE_FILE = 'dist/nodes/Sivi/DoesNotExist.node.js';

/** Extract tgz, point n8n.nodes at a missing file, re-tar as package/… ; returns the broken tgz. */
async function breakPackage(tgz) {
	const dir = BROKEN_DIR;
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	const x = await run('tar', ['-xzf', tgz, '-C', dir], { timeoutMs: 60_000 });
	if (x.rc !== 0) throw new Error(`tar -xzf failed: ${x.stderr}`);
	const pjPath = path.join(dir, 'package', 'package.json');
	const pj = JSON.parse(fs.readFileSync(pjPath, 'utf8'));
	pj.n8n.nodes = [MISSING_NODE_FILE];
	fs.writeFileSync(pjPath, JSON.stringify(pj, null, 2));
	if (fs.existsSync(path.join(dir, 'package', MISSING_NODE_FILE))) throw new Error('the "missing" node file exists');
	const out = path.join(dir, 'n8n-nodes-sivi-broken.tgz');
	const c = await run('tar', ['-czf', out, '-C', dir, 'package'], { timeoutMs: 60_000 });
	if (c.rc !== 0) throw new Error(`tar -czf failed: ${c.stderr}`);
	return out;
}

/**
 * @param {{ tgz: string, check: (ok: boolean, name: string, detail?: unknown) => boolean, keep?: boolean }} opts
 */
export async function runHarnessCanFail({ tgz, check, keep = false }) {
	const label = '[harness-can-fail]';
	const brokenTgz = await breakPackage(tgz);
	const folderName = `e2e-broken-${currentN8nVersion()}`;
	const userFolder = newUserFolder(folderName);
	const { startSimulator } = require('../simulator');
	const sim = await startSimulator({ jobDurationMs: 500 });
	let ok = false;
	try {
		const installed = await installPackageTarball(brokenTgz, userFolder);
		const pj = JSON.parse(fs.readFileSync(path.join(installed.packageDir, 'package.json'), 'utf8'));
		check(installed.packageName === 'n8n-nodes-sivi' && pj.n8n.nodes[0] === MISSING_NODE_FILE, `${label} broken copy installed (n8n.nodes -> ${MISSING_NODE_FILE})`, pj.n8n);
		await importCredentials(userFolder, [
			{ id: 'siviCredential01', name: 'Sivi account', type: 'siviApi', data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl } },
		]);
		const wf = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', 'generate-media.json'), 'utf8'));
		const [id] = await importWorkflows(userFolder, [wf]);
		const r = await executeWorkflow(userFolder, id, { timeoutMs: 120_000 });
		const err = r.output?.data?.resultData?.error;
		const text = `${err?.message ?? ''} ${err?.description ?? ''}\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`;
		check(!r.timedOut, `${label} n8n execute finished within 120 s`, { ms: r.ms });
		check(r.rc !== 0, `${label} the run FAILED (rc=${r.rc})`, { rc: r.rc, status: r.output?.status });
		const unknown = new RegExp(`Unrecognized node type: ${wf.nodes[1].type.replace('.', '\\.')}`);
		check(unknown.test(text), `${label} because n8n does not know ${wf.nodes[1].type}`, (err?.message ?? text).slice(0, 600));
		check(!r.output?.data?.resultData?.runData?.['Generate Image'], `${label} the Sivi node did not run`);
		check(sim.counters().requests === 0, `${label} nothing reached the simulator`, sim.counters().byRoute);
		ok = r.rc !== 0 && unknown.test(text);
	} finally {
		await sim.close();
		if (!keep && ok) {
			fs.rmSync(fs.realpathSync(userFolder), { recursive: true, force: true });
			fs.rmSync(userFolder, { force: true });
			fs.rmSync(BROKEN_DIR, { recursive: true, force: true });
		}
	}
	return ok;
}

// Standalone: `node test/e2e/harness-can-fail.mjs`
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const failures = [];
	const check = (ok, name, detail) => {
		console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${ok || detail === undefined ? '' : ` — ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`);
		if (!ok) failures.push(name);
		return ok;
	};
	const watchdog = setTimeout(() => {
		console.log('FAIL harness-can-fail finished within 30 min — watchdog fired');
		process.exit(1);
	}, 30 * 60_000);
	watchdog.unref();
	(async () => {
		await ensureRuntime();
		const tgz = await buildAndPack();
		await runHarnessCanFail({ tgz, check, keep: process.argv.includes('--keep') });
	})()
		.catch((e) => {
			console.error(e);
			failures.push('crashed');
		})
		.finally(() => {
			log(failures.length ? `harness-can-fail: ${failures.length} check(s) failed` : 'harness-can-fail: OK (the harness detects a broken package)');
			process.exit(failures.length ? 1 : 0);
		});
}

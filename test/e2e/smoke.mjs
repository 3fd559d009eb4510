#!/usr/bin/env node
// Harness smoke test: proves runtime → pack → community-style install → import → execute end to
// end with the real n8n 2.41.1 (Node 24) and the Sivi simulator.
//   node test/e2e/smoke.mjs [--probe-only] [--keep]
// --probe-only: skip the real package (use when `npm run build` is broken); only the throwaway probe
// package generated into test/e2e/.work/probe-pkg (never committed) is used.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ensureRuntime, log, REPO_ROOT, run } from './lib/runtime.mjs';
import { buildAndPack, WORK_DIR } from './lib/pack.mjs';
import {
	executeWorkflow,
	executeWorkflows,
	importCredentials,
	importWorkflows,
	installPackageTarball,
	isN8nCopy,
	newUserFolder,
	probeResolution,
} from './lib/n8n.mjs';

const args = new Set(process.argv.slice(2));
const PROBE_ONLY = args.has('--probe-only');
const failures = [];
const check = (ok, what, detail) => {
	log(`${ok ? 'PASS' : 'FAIL'} ${what}${detail === undefined ? '' : ` — ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`}`);
	if (!ok) failures.push(what);
	return ok;
};

/** Throwaway community package whose node reports, from inside n8n, where its imports resolve. */
async function packProbePackage() {
	const dir = path.join(WORK_DIR, 'probe-pkg');
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(path.join(dir, 'dist', 'nodes', 'Probe'), { recursive: true });
	fs.writeFileSync(
		path.join(dir, 'package.json'),
		JSON.stringify(
			{
				name: 'n8n-nodes-e2eprobe',
				version: '0.0.1',
				license: 'MIT',
				files: ['dist'],
				n8n: { n8nNodesApiVersion: 1, strict: true, nodes: ['dist/nodes/Probe/Probe.node.js'] },
				// same shape as the real package: runtime libs are NOT dependencies
				devDependencies: { zod: '3.25.76', 'p-limit': '3.1.0' },
				peerDependencies: { 'n8n-workflow': '*' },
			},
			null,
			2,
		),
	);
	fs.writeFileSync(
		path.join(dir, 'dist', 'nodes', 'Probe', 'Probe.node.js'),
		`'use strict';
const { NodeConnectionTypes } = require('n8n-workflow');
const { z } = require('zod');
const pLimit = require('p-limit');
class Probe {
	constructor() {
		this.description = {
			displayName: 'E2E Probe', name: 'e2eProbe', group: ['transform'], version: 1,
			description: 'Reports module resolution inside n8n', defaults: { name: 'E2E Probe' },
			inputs: [NodeConnectionTypes.Main], outputs: [NodeConnectionTypes.Main], properties: [],
		};
	}
	async execute() {
		const resolved = {};
		for (const m of ['n8n-workflow', 'zod', 'p-limit']) {
			try { resolved[m] = require.resolve(m); } catch { resolved[m] = null; }
		}
		const limit = pLimit(1);
		return [[{ json: {
			resolved,
			zodWorks: z.object({ a: z.string() }).safeParse({ a: 'x' }).success,
			pLimitWorks: (await limit(async () => 42)) === 42,
			filename: __filename,
			node: process.version,
		} }]];
	}
}
module.exports = { Probe };
`,
	);
	const p = await run('npm', ['pack', '--json', '--pack-destination', WORK_DIR, '--loglevel=error'], { cwd: dir, timeoutMs: 60_000 });
	if (p.rc !== 0) throw new Error(`probe npm pack failed\n${p.stderr}`);
	return path.join(WORK_DIR, JSON.parse(p.stdout.slice(p.stdout.indexOf('[')))[0].filename);
}

async function loadSimulator() {
	const entry = path.join(REPO_ROOT, 'test', 'simulator', 'index.js');
	if (!fs.existsSync(entry)) return null;
	const require = createRequire(import.meta.url);
	const { startSimulator } = require('../../test/simulator');
	return await startSimulator({ apiKey: 'sim-test-key', jobDurationMs: 300 });
}

async function main() {
	const t0 = Date.now();
	const timings = {};
	const time = async (label, fn) => {
		const t = Date.now();
		try {
			return await fn();
		} finally {
			timings[label] = Date.now() - t;
		}
	};

	const rt = await time('runtime', ensureRuntime);
	const v = await run(rt.nodeBin, [rt.n8nBin, '--version'], { env: rt.env, timeoutMs: 30_000 });
	check(v.stdout.trim() === '2.41.1', 'n8n --version under Node 24', `${v.stdout.trim()} on ${(await run(rt.nodeBin, ['--version'], { timeoutMs: 10_000 })).stdout.trim()}`);

	const probeTgz = await time('pack probe', packProbePackage);
	let siviTgz = null;
	if (!PROBE_ONLY) {
		try {
			siviTgz = await time('build+pack sivi', () => buildAndPack());
		} catch (e) {
			check(false, 'npm run build + npm pack of n8n-nodes-sivi', e.message.split('\n').slice(0, 8).join('\n'));
		}
	}

	const userFolder = newUserFolder('smoke');
	log(`user folder ${path.relative(REPO_ROOT, userFolder)} -> ${fs.realpathSync(userFolder)}`);
	const probe = await time('install probe', () => installPackageTarball(probeTgz, userFolder));
	let sivi = null;
	if (siviTgz) {
		sivi = await time('install sivi', () => installPackageTarball(siviTgz, userFolder));
		check(sivi.packageName === 'n8n-nodes-sivi', 'installed package name', sivi.packageName);
		check(!fs.existsSync(path.join(sivi.packageDir, 'node_modules')), 'installed package has no node_modules of its own');
		const ledger = JSON.parse(fs.readFileSync(path.join(userFolder, '.n8n', 'nodes', 'package.json'), 'utf8'));
		check(ledger.dependencies['n8n-nodes-sivi'] === sivi.version, 'nodes/package.json ledger lists n8n-nodes-sivi', ledger.dependencies);
		const res = await probeResolution(sivi.packageDir);
		check(Object.values(res).every(isN8nCopy), "n8n-workflow/zod/p-limit resolve to n8n's copies from n8n-nodes-sivi (NODE_PATH emulation)", res);
	}

	const sim = await time('simulator', loadSimulator);
	if (!sim) log('test/simulator not present; the Sivi node will call an unreachable base URL');
	const baseUrl = sim ? sim.baseUrl : 'http://127.0.0.1:9/api/prod/v2';
	try {
		await time('import:credentials', () =>
			importCredentials(userFolder, [
				{ id: 'siviSimCred00001', name: 'Sivi Simulator', type: 'siviApi', data: { apiKey: 'sim-test-key', baseUrl } },
				{ id: 'siviBadKeyCred01', name: 'Sivi wrong key', type: 'siviApi', data: { apiKey: 'wrong-key', baseUrl } },
			]),
		);
		const nodes = [
			{ id: 'n-trigger', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'n-probe', name: 'Probe', type: 'n8n-nodes-e2eprobe.e2eProbe', typeVersion: 1, position: [250, -150], parameters: {} },
		];
		const connections = { 'Manual Trigger': { main: [[{ node: 'Probe', type: 'main', index: 0 }]] } };
		if (sivi) {
			nodes.push({
				id: 'n-sivi',
				name: 'Sivi',
				type: 'n8n-nodes-sivi.sivi',
				typeVersion: 1,
				position: [250, 150],
				parameters: { resource: 'media', operation: 'generate', prompt: 'Harness smoke test: a red cube', model: 'auto', dimensions: '1024x1024' },
				credentials: { siviApi: { id: 'siviSimCred00001', name: 'Sivi Simulator' } },
			});
			connections['Manual Trigger'].main[0].push({ node: 'Sivi', type: 'main', index: 0 });
		}
		const wfs = [{ name: 'E2E smoke', nodes, connections }];
		if (sivi) {
			// second workflow for the batch path: same Sivi node with a wrong API key → must fail
			const badNodes = nodes
				.filter((n) => n.name !== 'Probe')
				.map((n) => (n.name === 'Sivi' ? { ...n, credentials: { siviApi: { id: 'siviBadKeyCred01', name: 'Sivi wrong key' } } } : n));
			wfs.push({ name: 'E2E smoke (wrong key)', nodes: badNodes, connections: { 'Manual Trigger': { main: [[{ node: 'Sivi', type: 'main', index: 0 }]] } } });
		}
		const [id, badId] = await time('import:workflow', () => importWorkflows(userFolder, wfs));
		const r = await time('execute', () => executeWorkflow(userFolder, id, { timeoutMs: 120_000 }));
		const rd = r.output?.data?.resultData;
		check(!r.timedOut && r.output !== undefined, 'n8n execute --rawOutput printed parseable JSON', `rc=${r.rc} signal=${r.signal ?? '-'} ${r.ms} ms`);
		if (!rd) log(`stdout tail:\n${r.stdout.slice(-2500)}\nstderr tail:\n${r.stderr.slice(-2500)}`);
		const pj = rd?.runData?.Probe?.[0]?.data?.main?.[0]?.[0]?.json;
		check(!!pj, 'probe node (n8n-nodes-e2eprobe.e2eProbe) executed inside n8n');
		if (pj) {
			check(Object.values(pj.resolved).every(isN8nCopy) && pj.zodWorks && pj.pLimitWorks, "require('n8n-workflow'|'zod'|'p-limit') inside n8n resolve to n8n's copies and work", pj.resolved);
			check(pj.node === 'v24.21.0', 'node code runs on Node 24', pj.node);
		}
		if (sivi) {
			const run0 = rd?.runData?.Sivi?.[0];
			check(!!run0, 'n8n recognised node type n8n-nodes-sivi.sivi and ran it', run0 ? `executionStatus=${run0.executionStatus}` : rd?.error?.message);
			const items = run0?.data?.main?.[0] ?? [];
			const err = run0?.error ?? (rd?.lastNodeExecuted === 'Sivi' ? rd?.error : undefined);
			check(!err && items.length > 0, 'Sivi node produced output without error', err ? `${err.message}${err.description ? ` (${err.description})` : ''}` : { items: items.length, firstJsonKeys: Object.keys(items[0]?.json ?? {}), binary: Object.keys(items[0]?.binary ?? {}) });
			if (sim) {
				const c = sim.counters();
				check(c.requests > 0, 'simulator received the node\'s requests', { requests: c.requests, byRoute: c.byRoute });
			}
		}
		check(r.rc === 0, 'n8n execute exit code 0', `rc=${r.rc}${r.crashedAtExit ? ' (isolated-vm segfault at exit, rc derived from output)' : ''}`);
		if (sivi) {
			const b = await time('execute-batch x2', () => executeWorkflows(userFolder, [id, badId], { timeoutMs: 180_000 }));
			const ok = b.results[id];
			const bad = b.results[badId];
			check(ok?.status === 'success' && !!ok.output.data.resultData.runData.Sivi, 'execute-batch: good workflow succeeded, full run data read from DB', ok?.status);
			const badErr = bad?.output?.data?.resultData?.error;
			check(bad?.status === 'error' && !!badErr, 'execute-batch: wrong-key workflow failed with the node error captured', badErr ? `${badErr.message}${badErr.description ? ` — ${badErr.description}` : ''}` : bad?.status);
			check(b.rc === 1, 'execute-batch exit code 1 when a workflow failed', `rc=${b.rc}${b.crashedAtExit ? ' (derived after exit segfault)' : ''}`);
		}
	} finally {
		if (sim) await sim.close();
	}
	log(`timings (ms): ${JSON.stringify(timings)}; total ${Date.now() - t0} ms`);
	if (!args.has('--keep')) {
		fs.rmSync(fs.realpathSync(userFolder), { recursive: true, force: true });
		fs.rmSync(userFolder, { force: true }); // the test/e2e/.work/smoke symlink
	}
	if (failures.length) {
		log(`SMOKE FAILED (${failures.length}): ${failures.join('; ')}`);
		process.exit(1);
	}
	log('SMOKE OK');
}

main().catch((e) => {
	console.error(e);
	process.exit(1);
});

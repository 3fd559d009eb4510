#!/usr/bin/env node
// `npm run test:e2e`: everything that runs a real n8n, on ONE long-running n8n per version.
//
//   node test/e2e/all.mjs [--keep]
//
// 1. Build and pack once (the same tarball for every suite).
// 2. Per n8n version: install the tarball the way that version's community-package installer
//    does and start `n8n start` once. The suites (separate processes) find the instance through
//    SIVI_E2E_INSTANCES and the tarball through SIVI_E2E_TGZ:
//      phase 1, two lanes side by side:
//        n8n 2.41.1:   run.mjs (every example and operation, bad input, harness-can-fail), agent.mjs,
//                      mcp.mjs (an MCP client against the MCP Server Trigger example)
//        n8n 1.123.81: run.mjs
//      phase 2, alone on 2.41.1 (they measure timing): trigger.mjs, concurrency.mjs (its
//        queue-mode scenario keeps its own main and workers with Redis and PostgreSQL)
// 3. A table of checks per suite and version. A suite with fewer checks than its floor (today's
//    coverage) fails the run: no check may disappear.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildAndPack, WORK_DIR } from './lib/pack.mjs';
import { buildMutantTarball } from './agent/mutant.mjs';
import { buildBrokenTarball } from './harness-can-fail.mjs';
import { startInstance } from './lib/instance.mjs';
import { ensureRuntime, log, N8N_VERSIONS, REPO_ROOT, trackGroup } from './lib/runtime.mjs';

const KEEP = process.argv.includes('--keep');
const HERE = path.join(REPO_ROOT, 'test', 'e2e');
// Checks each suite had before the suites shared one instance; fewer means coverage was lost.
const SUITES = {
	e2e241: { version: '2.41.1', suite: 'e2e', script: 'run.mjs', args: ['--n8n=2.41.1'], floor: 514 },
	agent: { version: '2.41.1', suite: 'agent', script: 'agent.mjs', args: [], floor: 71 },
	mcp: { version: '2.41.1', suite: 'mcp', script: 'mcp.mjs', args: [], floor: 39 },
	trigger: { version: '2.41.1', suite: 'trigger', script: 'trigger.mjs', args: [], floor: 44 },
	concurrency: { version: '2.41.1', suite: 'concurrency', script: 'concurrency.mjs', args: [], floor: 46 },
	e2e1123: { version: '1.123.81', suite: 'e2e', script: 'run.mjs', args: ['--n8n=1.123.81'], floor: 514 },
};
// Phase 1 runs two lanes side by side (one per n8n version); phase 2 runs the suites that measure
// timing (trigger answers, the rate window) alone on the 2.41.1 instance.
const PHASE1 = [['e2e241', 'agent', 'mcp'], ['e2e1123']];
const PHASE2 = ['trigger', 'concurrency'];
const SUITE_TIMEOUT_MS = 20 * 60_000;

/** Runs one suite process; its output is printed when it ends. Resolves { rc, passed, failed, ms }. */
function runSuite(key, instancesFile, tgz) {
	const s = SUITES[key];
	return new Promise((resolve) => {
		const t0 = Date.now();
		log(`── n8n ${s.version}: ${s.suite} (${s.script}) started`);
		const child = spawn(process.execPath, [path.join(HERE, s.script), ...s.args, ...(KEEP ? ['--keep'] : [])], {
			cwd: REPO_ROOT,
			env: { ...process.env, SIVI_E2E_INSTANCES: instancesFile, SIVI_E2E_TGZ: tgz },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		const untrack = trackGroup(child.pid);
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		const timer = setTimeout(() => {
			out += `\nFAIL ${s.suite} finished within ${SUITE_TIMEOUT_MS / 60_000} min (killed)\n`;
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}, SUITE_TIMEOUT_MS);
		child.on('close', (code) => {
			clearTimeout(timer);
			untrack();
			const ms = Date.now() - t0;
			console.log(`\n════════ n8n ${s.version}: ${s.suite} (${s.script}), ${(ms / 1000).toFixed(0)} s\n${out}`);
			const m = [...out.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
			const figures = out.split('\n').filter((l) => l.startsWith('FIGURE '));
			resolve({ key, version: s.version, suite: s.suite, floor: s.floor, rc: code ?? 1, passed: m ? Number(m[1]) : 0, failed: m ? Number(m[2]) : 1, ms, figures });
		});
	});
}

async function main() {
	const t0 = Date.now();
	const rows = [];
	const tgz = await buildAndPack();
	// Runtimes install once per machine (both at once on a machine that has none yet).
	const runtimes = Object.fromEntries(N8N_VERSIONS.map((v) => [v, ensureRuntime(v)]));
	for (const v of N8N_VERSIONS) runtimes[v].catch(() => {});
	const instances = {};
	const failedVersions = new Set();
	const startVersion = async (version) => {
		try {
			await runtimes[version];
			log(`── n8n ${version}: install the package and start n8n once`);
			// Beside the package: the harness-can-fail broken copy, and the agent suite's pre-fix mutant.
			const extraTarballs = [await buildBrokenTarball(tgz), ...(version === '2.41.1' ? [(await buildMutantTarball(tgz)).tgz] : [])];
			instances[version] = await startInstance(version, tgz, { name: `shared-${version}`, extraTarballs });
		} catch (e) {
			console.log(`FAIL [n8n ${version}] shared instance started — ${e.stack ?? e}`);
			failedVersions.add(version);
		}
	};
	const stopVersion = async (version) => {
		const instance = instances[version];
		if (!instance) return;
		await instance.stop();
		const ok = rows.filter((r) => r.version === version).every((r) => r.rc === 0 && r.failed === 0);
		if (!KEEP && ok) instance.remove();
		else console.log(`n8n ${version} user folder kept: ${instance.folder} (log ${instance.descriptor.logFile})`);
	};
	const lane = async (keys) => {
		const version = SUITES[keys[0]].version;
		if (!instances[version]) await startVersion(version);
		for (const key of keys) {
			if (!instances[version]) {
				rows.push({ key, ...SUITES[key], rc: 1, passed: 0, failed: 1, ms: 0 });
				continue;
			}
			const file = path.join(WORK_DIR, `instance-${version}.json`);
			fs.writeFileSync(file, JSON.stringify({ [version]: instances[version].descriptor }, null, 2));
			rows.push(await runSuite(key, file, tgz));
		}
	};
	try {
		const tp = Date.now();
		await Promise.all(PHASE1.map(lane));
		log(`phase 1 (${PHASE1.map((l) => l.join(' → ')).join(' ∥ ')}): ${((Date.now() - tp) / 1000).toFixed(0)} s`);
		await stopVersion('1.123.81');
		const t2 = Date.now();
		await lane(PHASE2);
		log(`phase 2 (${PHASE2.join(' → ')}): ${((Date.now() - t2) / 1000).toFixed(0)} s`);
	} finally {
		await stopVersion('2.41.1');
		await stopVersion('1.123.81');
	}

	console.log('\n──────── e2e tier: checks per suite and n8n version');
	let bad = failedVersions.size;
	for (const r of rows) {
		const lost = r.passed + r.failed < r.floor;
		const fail = r.rc !== 0 || r.failed > 0 || lost;
		if (fail) bad++;
		console.log(
			`  ${fail ? 'FAIL' : 'ok  '}  n8n ${r.version.padEnd(9)} ${r.suite.padEnd(12)} ${String(r.passed).padStart(4)} passed, ${r.failed} failed` +
				` (at least ${r.floor} checks)${lost ? ' — CHECKS DISAPPEARED' : ''}  ${(r.ms / 1000).toFixed(0)} s`,
		);
	}
	const figures = rows.flatMap((r) => r.figures ?? []);
	if (figures.length) console.log(`\n──────── figures (measured, not asserted)\n${figures.map((f) => `  ${f.slice('FIGURE '.length)}`).join('\n')}`);
	const passed = rows.reduce((n, r) => n + r.passed, 0);
	const failed = rows.reduce((n, r) => n + r.failed, 0);
	console.log(`  total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	console.log(bad ? 'E2E TIER FAILED' : 'E2E TIER OK');
	console.log(`${passed} passed, ${failed + (bad && !failed ? 1 : 0)} failed`);
	process.exit(bad ? 1 : 0);
}

main().catch((e) => {
	console.error(e);
	console.log('FAIL e2e tier crashed');
	process.exit(1);
});

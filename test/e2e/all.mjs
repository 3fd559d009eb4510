#!/usr/bin/env node
// `npm run test:e2e`: everything that runs a real n8n, on ONE long-running n8n per version.
//
//   node test/e2e/all.mjs [--keep]
//
// 1. Build and pack once (the same tarball for every suite).
// 2. Per n8n version (2.41.1, then 1.123.81): install the tarball the way that version's
//    community-package installer does, start `n8n start` once, and run the suites on it:
//      2.41.1   run.mjs (every example and operation, bad input, harness-can-fail), agent.mjs,
//               trigger.mjs, concurrency.mjs (its queue-mode scenario keeps its own main and
//               workers with Redis and PostgreSQL)
//      1.123.81 run.mjs
//    The suites are separate processes; they find the instance through SIVI_E2E_INSTANCES and
//    the tarball through SIVI_E2E_TGZ. The 1.123.81 runtime is installed (first run on a machine)
//    while the 2.41.1 suites run.
// 3. A table of checks per suite and version. A suite with fewer checks than its floor (today's
//    coverage) fails the run: no check may disappear.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildAndPack, WORK_DIR } from './lib/pack.mjs';
import { buildMutantTarball } from './agent/mutant.mjs';
import { startInstance } from './lib/instance.mjs';
import { ensureRuntime, log, N8N_VERSIONS, REPO_ROOT, trackGroup } from './lib/runtime.mjs';

const KEEP = process.argv.includes('--keep');
const HERE = path.join(REPO_ROOT, 'test', 'e2e');
// Checks each suite had before the suites shared one instance; fewer means coverage was lost.
const PLAN = {
	'2.41.1': [
		{ suite: 'e2e', script: 'run.mjs', args: ['--n8n=2.41.1'], floor: 514 },
		{ suite: 'agent', script: 'agent.mjs', args: [], floor: 57 },
		{ suite: 'trigger', script: 'trigger.mjs', args: [], floor: 44 },
		{ suite: 'concurrency', script: 'concurrency.mjs', args: [], floor: 46 },
	],
	'1.123.81': [{ suite: 'e2e', script: 'run.mjs', args: ['--n8n=1.123.81'], floor: 514 }],
};
const SUITE_TIMEOUT_MS = 20 * 60_000;

/** Runs one suite process, echoing its output; resolves { rc, passed, failed, ms }. */
function runSuite(script, args, env) {
	return new Promise((resolve) => {
		const t0 = Date.now();
		const child = spawn(process.execPath, [path.join(HERE, script), ...args, ...(KEEP ? ['--keep'] : [])], {
			cwd: REPO_ROOT,
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'inherit'],
			detached: true,
		});
		const untrack = trackGroup(child.pid);
		let tail = '';
		child.stdout.on('data', (d) => {
			process.stdout.write(d);
			tail = (tail + d).slice(-4000);
		});
		const timer = setTimeout(() => {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {
				/* gone */
			}
		}, SUITE_TIMEOUT_MS);
		child.on('close', (code) => {
			clearTimeout(timer);
			untrack();
			const m = [...tail.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
			resolve({ rc: code ?? 1, passed: m ? Number(m[1]) : 0, failed: m ? Number(m[2]) : 1, ms: Date.now() - t0 });
		});
	});
}

async function main() {
	const t0 = Date.now();
	const rows = [];
	const tgz = await buildAndPack();
	const instancesFile = path.join(WORK_DIR, 'instances.json');
	const suiteEnv = { SIVI_E2E_INSTANCES: instancesFile, SIVI_E2E_TGZ: tgz };
	// The other runtimes install (first run on a machine) while the first version's suites run.
	const runtimes = Object.fromEntries(N8N_VERSIONS.map((v) => [v, ensureRuntime(v)]));
	for (const v of N8N_VERSIONS) runtimes[v].catch(() => {});
	for (const version of N8N_VERSIONS) {
		const tv = Date.now();
		let instance;
		try {
			await runtimes[version];
			log(`── n8n ${version}: install the package and start n8n once`);
			// The agent suite's pre-fix mutant is a package of its own beside the real one.
			const extraTarballs = PLAN[version].some((s) => s.suite === 'agent') ? [(await buildMutantTarball(tgz)).tgz] : [];
			instance = await startInstance(version, tgz, { name: `shared-${version}`, extraTarballs });
		} catch (e) {
			console.log(`FAIL [n8n ${version}] shared instance started — ${e.stack ?? e}`);
			for (const s of PLAN[version]) rows.push({ version, suite: s.suite, passed: 0, failed: 1, floor: s.floor, ms: 0 });
			continue;
		}
		fs.writeFileSync(instancesFile, JSON.stringify({ [version]: instance.descriptor }, null, 2));
		try {
			for (const s of PLAN[version]) {
				log(`── n8n ${version}: ${s.suite} (${s.script})`);
				const r = await runSuite(s.script, s.args, suiteEnv);
				rows.push({ version, suite: s.suite, ...r, floor: s.floor });
			}
		} finally {
			await instance.stop();
			const ok = rows.filter((r) => r.version === version).every((r) => r.rc === 0 && r.failed === 0);
			if (!KEEP && ok) instance.remove();
			else console.log(`n8n ${version} user folder kept: ${instance.folder} (log ${instance.descriptor.logFile})`);
		}
		log(`n8n ${version}: ${((Date.now() - tv) / 1000).toFixed(0)} s`);
	}

	console.log('\n──────── e2e tier: checks per suite and n8n version');
	let bad = 0;
	for (const r of rows) {
		const lost = r.passed + r.failed < r.floor;
		const fail = r.rc !== 0 || r.failed > 0 || lost;
		if (fail) bad++;
		console.log(
			`  ${fail ? 'FAIL' : 'ok  '}  n8n ${r.version.padEnd(9)} ${r.suite.padEnd(12)} ${String(r.passed).padStart(4)} passed, ${r.failed} failed` +
				` (at least ${r.floor} checks)${lost ? ' — CHECKS DISAPPEARED' : ''}  ${(r.ms / 1000).toFixed(0)} s`,
		);
	}
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

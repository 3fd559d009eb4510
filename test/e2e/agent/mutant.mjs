// The agent suite's pre-fix mutant as a package of its own, so it can be installed next to the real
// package in the same long-running n8n: `n8n-nodes-sivi-mutant`, whose isToolRun() is the one
// before the fix (isToolExecution() only) plus a probe line per call into PROBE_FILE. Its
// credential type is renamed too (`siviApiMutant`), so the two packages share no type name.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WORK_DIR } from '../lib/pack.mjs';
import { run } from '../lib/runtime.mjs';

export const MUTANT_PACKAGE = 'n8n-nodes-sivi-mutant';
export const MUTANT_CREDENTIAL_TYPE = 'siviApiMutant';
export const PROBE_FILE = path.join(WORK_DIR, 'agent-mutant-probe.jsonl');

const mutantIsToolRun = (probeFile) => `function isToolRun(context) {
    try {
        const node = context.getNode();
        require('fs').appendFileSync(${JSON.stringify(probeFile)}, JSON.stringify({
            nodeName: node.name,
            nodeType: node.type,
            isToolExecution: typeof context.isToolExecution === 'function' ? context.isToolExecution() : 'missing',
            context: context.constructor && context.constructor.name,
        }) + '\\n');
    } catch (e) { /* the probe must not change the run */ }
    return typeof context.isToolExecution === 'function' && context.isToolExecution();
}`;

function walk(dir, out = []) {
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory()) walk(p, out);
		else if (p.endsWith('.js')) out.push(p);
	}
	return out;
}

/**
 * Makes the mutant tarball from the packed package; returns { tgz, rewritten } where rewritten
 * says whether isToolRun() was found in dist/nodes/Sivi/actions/router.js (the harness check).
 */
export async function buildMutantTarball(tgz) {
	// Outside the repo: `npm run lint` would read its dist/ as our source.
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-sivi-agent-mutant-'));
	const x = await run('tar', ['-xzf', tgz, '-C', dir], { timeoutMs: 60_000 });
	if (x.rc !== 0) throw new Error(`tar -xzf failed: ${x.stderr}`);
	const pkg = path.join(dir, 'package');
	const pjPath = path.join(pkg, 'package.json');
	const pj = JSON.parse(fs.readFileSync(pjPath, 'utf8'));
	pj.name = MUTANT_PACKAGE;
	fs.writeFileSync(pjPath, JSON.stringify(pj, null, 2));
	for (const file of walk(path.join(pkg, 'dist'))) {
		const src = fs.readFileSync(file, 'utf8');
		const renamed = src.replace(/\bsiviApi\b/g, MUTANT_CREDENTIAL_TYPE);
		if (renamed !== src) fs.writeFileSync(file, renamed);
	}
	const router = path.join(pkg, 'dist', 'nodes', 'Sivi', 'actions', 'router.js');
	const src = fs.readFileSync(router, 'utf8');
	const re = /function isToolRun\(context\) \{[\s\S]*?\n\}/;
	const rewritten = re.test(src);
	if (rewritten) fs.writeFileSync(router, src.replace(re, mutantIsToolRun(PROBE_FILE)));
	const out = path.join(dir, `${MUTANT_PACKAGE}.tgz`);
	const c = await run('tar', ['-czf', out, '-C', dir, 'package'], { timeoutMs: 60_000 });
	if (c.rc !== 0) throw new Error(`tar -czf failed: ${c.stderr}`);
	// Only the tarball is needed (n8n installs from it): the unpacked copy would pile up per run.
	fs.rmSync(path.join(dir, 'package'), { recursive: true, force: true });
	return { tgz: out, rewritten };
}

#!/usr/bin/env node
// `npm run demo` — see the node work in a real n8n without a Sivi account.
// Builds and packs this package, installs it into a pinned n8n 2.41.1 (Node 24, installed on first
// run on a machine into ~/.cache/n8n-nodes-sivi/runtime, ~6 min), starts the Sivi simulator, runs every workflow of examples/ and
// prints what was requested, the result URLs and where the downloaded images were saved.
//   npm run demo                 examples against the simulator
//   SIVI_API_KEY=… npm run demo  examples against the real Sivi API (spends credits!)
//   npm run demo -- --editor     n8n editor on http://localhost:5678 with the node, the examples
//                                and a ready credential (simulator, or real Sivi with SIVI_API_KEY)
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

import { executeWorkflows, startEditor } from '../test/e2e/lib/n8n.mjs';
import { ensureRuntime, REPO_ROOT } from '../test/e2e/lib/runtime.mjs';
import { installWithExamples } from '../test/e2e/lib/setup.mjs';

const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const EDITOR = args.has('--editor');
const REAL_KEY = process.env.SIVI_API_KEY;
const REAL_BASE = process.env.SIVI_BASE_URL || 'https://connect.sivi.ai/api/prod/v2';
const OUT_DIR = path.join(REPO_ROOT, '.demo');
const OWNER = { email: 'demo@example.com', password: 'Demo-Password-1' };

const say = (text = '') => process.stdout.write(`${text}\n`);

/** What a Sivi node was asked to do, in one line. */
function describeRequest(parameters) {
	const what = parameters.prompt ?? parameters.name ?? parameters.requestId ?? parameters.brandUrl ?? parameters.brandName ?? '';
	const size = parameters.dimensions ?? [parameters.designType, parameters.subtype].filter(Boolean).join('/');
	return `${parameters.resource ?? 'design'} → ${parameters.operation}: "${String(what).slice(0, 70)}"${size ? ` (${size})` : ''}`;
}

/** Copies n8n's stored binary files into .demo/images/ under their own file names. */
function saveBinary(userFolder, binary) {
	const id = String(binary?.id ?? '');
	if (!id.startsWith('filesystem-v2:')) return undefined;
	const source = path.join(userFolder, '.n8n', 'storage', id.slice('filesystem-v2:'.length));
	if (!fs.existsSync(source)) return undefined;
	fs.mkdirSync(path.join(OUT_DIR, 'images'), { recursive: true });
	const target = path.join(OUT_DIR, 'images', binary.fileName ?? path.basename(source));
	fs.copyFileSync(source, target);
	return path.relative(REPO_ROOT, target);
}

function printResult(userFolder, example, result) {
	const nodes = example.workflow.nodes.filter((node) => node.type === 'n8n-nodes-sivi.sivi');
	const runData = result?.output?.data?.resultData?.runData ?? {};
	say(`\n▶ ${example.workflow.name}  (examples/${example.file}) — ${result?.status ?? 'not run'}`);
	for (const node of nodes) {
		say(`  ${node.name}: ${describeRequest(node.parameters)}`);
		const run = runData[node.name]?.[0];
		if (run?.error) say(`    ✗ ${run.error.message}${run.error.description ? ` — ${run.error.description}` : ''}`);
		for (const item of run?.data?.main?.[0] ?? []) {
			const json = item.json ?? {};
			const urls = [
				...(json.variants ?? []).flatMap((variant) => [variant.imageUrl, ...(variant.options ?? []).map((option) => option.imageUrl)]),
				...(json.images ?? []).map((image) => image.url),
			].filter(Boolean);
			const state = json.error ? `✗ ${json.error}` : `${json.status}`;
			say(`    • ${json.requestId ? `request ${json.requestId}: ${state}` : json.error ? state : 'answered'}`);
			// What a call or a brand job gave, in one line.
			if (json.brand?.brandName) say(`        brand read: ${json.brand.brandName} (${json.brand.brandUrl ?? ''})`);
			if (json.bId) say(`        brand ${json.bId}${json.brandDetails?.[0]?.brandName ? `: ${json.brandDetails[0].brandName}` : ''}`);
			if (json.content?.title) say(`        copy: "${json.content.title}"`);
			for (const url of urls) say(`        image  ${url}`);
			if (json.link) say(`        editor ${json.link}`);
			for (const binary of Object.values(item.binary ?? {})) {
				const saved = saveBinary(userFolder, binary);
				if (saved) say(`        saved  ${saved} (${binary.mimeType}, ${binary.fileSize ?? '?'})`);
			}
		}
	}
	const error = result?.output?.data?.resultData?.error;
	if (error && !Object.values(runData).some((runs) => runs?.[0]?.error)) say(`  ✗ ${error.message}`);
}

async function main() {
	say(REAL_KEY ? `Sivi demo against the REAL API (${REAL_BASE}) — this spends Sivi credits.` : 'Sivi demo against the local Sivi simulator (no account, no credits).');
	say('Preparing n8n 2.41.1 on Node 24 (first run on this machine installs it into ~/.cache/n8n-nodes-sivi/runtime, about 6 minutes)…');
	await ensureRuntime();
	let sim;
	let credentialData;
	if (REAL_KEY) {
		credentialData = { apiKey: REAL_KEY, baseUrl: REAL_BASE };
	} else {
		const { startSimulator } = require('../test/simulator');
		sim = await startSimulator({ jobDurationMs: EDITOR ? 8000 : 3000, port: EDITOR ? 5680 : 0 });
		credentialData = { apiKey: sim.apiKey, baseUrl: sim.baseUrl };
		say(`Sivi simulator listening at ${sim.baseUrl}`);
	}
	say('Building n8n-nodes-sivi and installing it the way n8n\'s Community Nodes installer does…');
	const { userFolder, examples, ids } = await installWithExamples(EDITOR ? 'demo-editor' : 'demo', credentialData);

	if (EDITOR) {
		const editor = await startEditor(userFolder, { port: 5678, owner: OWNER });
		say(`\nn8n editor: http://localhost:5678  (log in as ${OWNER.email} / ${OWNER.password})`);
		say('The example workflows and the "Sivi account" credential are ready. Press Ctrl+C to stop.');
		const stop = async () => {
			await editor.stop();
			if (sim) await sim.close();
			process.exit(0);
		};
		process.on('SIGINT', stop);
		process.on('SIGTERM', stop);
		return;
	}

	say(`Running ${examples.length} example workflows in n8n…`);
	fs.rmSync(OUT_DIR, { recursive: true, force: true });
	const batch = await executeWorkflows(userFolder, ids, { concurrency: 3, timeoutMs: 15 * 60_000 });
	examples.forEach((example, index) => printResult(userFolder, example, batch.results[ids[index]]));
	if (sim) {
		const counters = sim.counters();
		say(`\nSimulator saw ${counters.requests} requests: ${counters.submits} jobs submitted, ${counters.polls} status checks, ${counters.rateLimited} rate-limited.`);
		await sim.close();
	}
	const failed = examples.filter((_, index) => batch.results[ids[index]]?.status !== 'success');
	say(failed.length ? `\n${failed.length} example(s) did not succeed.` : `\nAll ${examples.length} examples succeeded. Downloaded images are in .demo/images/.`);
	process.exitCode = failed.length ? 1 : 0;
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});

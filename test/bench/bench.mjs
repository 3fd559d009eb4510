#!/usr/bin/env node
// `npm run bench`: the node's execution path (router → JobEngine → transport) against the Sivi
// simulator with plan limits on (4 running, queue 10, 50 requests per Sivi-minute), Sivi time
// scaled down SCALE×: a 40 s job takes T = 40/SCALE s. For each N it measures, in the same run,
// the node with its defaults, the serial baseline (one job at a time: submit, wait, next — what
// other design/image nodes do) and the ideal floor ceil(N/4)·T.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

const SCALE = Number(process.env.BENCH_SCALE ?? 40); // Sivi seconds per wall second
const SIVI_JOB_SECONDS = 40;
const T = (SIVI_JOB_SECONDS / SCALE) * 1000; // wall ms per job
const SIZES = (process.env.BENCH_SIZES ?? '1,4,20,100').split(',').map(Number);
const SERIAL_MAX = Number(process.env.BENCH_SERIAL_MAX ?? 20); // serial runs above this are estimated

console.log(`Building the node for the benchmark (tsc -p tsconfig.bench.json)…`);
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.bench.json'], { cwd: root, stdio: 'inherit' });

const build = resolve(root, 'test/bench/.build');
const { createContext, runNode } = require(resolve(build, 'test/helpers/executeContext.js'));
const { useClock, fasterClock } = require(resolve(build, 'nodes/Sivi/engine/clock.js'));
const { startSimulator } = require(resolve(root, 'test/simulator'));

useClock(fasterClock(SCALE));

let peakRss = 0;
const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);

async function measure(n, options) {
	const sim = await startSimulator({
		jobDurationMs: T,
		concurrency: 4,
		queueSize: 10,
		// 50 requests per Sivi-minute, scaled like the jobs.
		rateLimit: { limit: 50, windowMs: 60_000 / SCALE },
		seed: 42,
	});
	try {
		const items = Array.from({ length: n }, (_, i) => ({ json: { row: i } }));
		const { context } = createContext({
			params: {
				resource: 'design',
				operation: 'createFromPrompt',
				prompt: (i) => `Weekend sale banner for product ${i}`,
				designType: 'instagram',
				subtype: 'instagram-post',
				numOfVariants: 1,
				designMode: 'auto',
				designModel: 'auto',
				language: 'english',
				waitForCompletion: true,
				options,
			},
			items,
			baseUrl: sim.baseUrl,
			apiKey: sim.apiKey,
			continueOnFail: true,
		});
		const started = performance.now();
		const output = await runNode(context);
		const wall = performance.now() - started;
		const counters = sim.counters();
		const completed = output.filter((item) => item.json.status === 'completed').length;
		const surfaced429 = output.filter((item) => /rate limit|429|queue/i.test(String(item.json.error ?? ''))).length;
		const apiRequests = counters.log.filter((entry) => entry.path.startsWith('general/')).length;
		return {
			wall,
			completed,
			submits: counters.submits,
			requestsPerJob: apiRequests / n,
			received429: counters.byStatus['429'] ?? 0,
			surfaced429,
		};
	} finally {
		await sim.close();
	}
}

const defaults = {}; // the node's defaults: 10 jobs in flight, 45 requests per minute, 5 s polls
const serial = { maxJobsInFlight: 1 };

// Warm-up (JIT, first connections) so N = 1 measures the engine, not the process start.
await measure(2, defaults);

const rows = [];
let serialPerItem;
for (const n of SIZES) {
	const floor = Math.ceil(n / 4) * T;
	const node = await measure(n, defaults);
	let serialWall;
	let serialNote = '';
	if (n <= SERIAL_MAX) {
		serialWall = (await measure(n, serial)).wall;
		serialPerItem = serialWall / n;
	} else {
		serialWall = serialPerItem * n;
		serialNote = ' (est.)';
	}
	rows.push({
		N: n,
		'wall (s)': (node.wall / 1000).toFixed(2),
		'floor (s)': (floor / 1000).toFixed(2),
		'ratio to floor': (node.wall / floor).toFixed(2),
		'serial (s)': (serialWall / 1000).toFixed(2) + serialNote,
		'speed-up vs serial': (serialWall / node.wall).toFixed(1) + '×',
		'requests/job': node.requestsPerJob.toFixed(1),
		'429 received': node.received429,
		'429 surfaced': node.surfaced429,
		completed: `${node.completed}/${n}`,
		'submits': node.submits,
	});
	console.log(`N=${n} done: ${(node.wall / 1000).toFixed(2)} s`);
}
clearInterval(rssTimer);

console.log(`\nSivi job = ${SIVI_JOB_SECONDS} s scaled to T = ${(T / 1000).toFixed(2)} s (×${SCALE}); plan: 4 running, queue 10, 50 req/min (scaled).`);
const headers = Object.keys(rows[0]);
const widths = headers.map((h) => Math.max(h.length, ...rows.map((r) => String(r[h]).length)));
const line = (cells) => '| ' + cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ') + ' |';
console.log(line(headers));
console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
for (const row of rows) console.log(line(headers.map((h) => row[h])));
console.log(`peak RSS: ${(peakRss / 1024 / 1024).toFixed(0)} MB`);

const worstRatio = Math.max(...rows.map((r) => Number(r['ratio to floor'])));
const at20 = rows.find((r) => r.N === 20);
const surfaced = rows.reduce((sum, r) => sum + r['429 surfaced'], 0);
const targets = [
	[`ratio to floor ≤ 1.2 at every N (worst ${worstRatio.toFixed(2)})`, worstRatio <= 1.2],
	[`speed-up over serial ≥ 4 at N = 20 (${at20 ? at20['speed-up vs serial'] : 'n/a'})`, !at20 || parseFloat(at20['speed-up vs serial']) >= 4],
	[`0 rate-limit errors surfaced (${surfaced})`, surfaced === 0],
];
for (const [text, ok] of targets) console.log(`${ok ? 'MET ' : 'MISSED'}  ${text}`);

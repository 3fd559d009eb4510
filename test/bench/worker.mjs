// One "n8n worker" of the benchmark's queue-mode rows: a separate Node process that loads the
// compiled node from test/bench/.build (so it has its own module state, like a queue-mode worker)
// and runs executions against the parent's simulator when told to. Protocol over IPC:
//   parent → { type: 'init', scale, op, warmup: { baseUrl, apiKey } }   child → { type: 'ready' }
//   parent → { type: 'run', ...runExecutions options }                  child → { type: 'done', … }
import { loadBuild, runExecutions } from './shared.mjs';

let build;

async function init({ scale, op, warmup }) {
	build = loadBuild();
	build.clock.useClock(build.clock.fasterClock(scale));
	// Warm up (JIT, module init, first connections) against a separate, unlimited simulator,
	// then forget everything learned so the measured run starts cold.
	await runExecutions(build, {
		op,
		count: 1,
		itemsPerExecution: 2,
		tagPrefix: `warmup-${process.pid}`,
		baseUrl: warmup.baseUrl,
		apiKey: warmup.apiKey,
		credentials: { plan: 'general' },
		timeoutMs: 60_000,
	});
	await build.forgetAccounts();
}

process.on('message', async (message) => {
	try {
		if (message.type === 'init') {
			await init(message);
			process.send({ type: 'ready' });
		} else if (message.type === 'run') {
			const started = performance.now();
			const summary = await runExecutions(build, message);
			process.send({
				type: 'done',
				summary,
				elapsedMs: performance.now() - started,
				maxRssKb: process.resourceUsage().maxRSS,
			});
		} else if (message.type === 'exit') {
			process.exit(0);
		}
	} catch (error) {
		process.send({ type: 'error', message: String(error?.stack ?? error) });
	}
});

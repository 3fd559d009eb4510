#!/usr/bin/env node
'use strict';
/**
 * Standalone runner, e.g. the harshest rate limit Sivi's docs allow:
 *   node test/simulator/cli.js --rpm 50 --no-retry-after --count-refused
 * or a leaky bucket (one request per 1.2 s, no burst) instead of the 60 s window:
 *   node test/simulator/cli.js --rpm 50 --leaky --burst 1 --no-retry-after --count-refused
 */
const { startSimulator, DEFAULT_OPTIONS } = require('./index');

const USAGE = `Usage: node test/simulator/cli.js [options]
  --port N            listen port (default: a free port)
  --job-ms N          job duration in ms (default 2000)
  --api-key KEY       accepted sivi-api-key (default sim-test-key)
  --rpm N             rate limit: requests per key per window (default 50)
  --window-ms N       rate-limit sliding window in ms (default 60000)
  --no-retry-after    send no Retry-After header on any 429
  --count-refused     rate-limited (refused) requests count against the window
                      (or, with --leaky, fill the bucket like accepted ones)
  --leaky             rate limit as a leaky bucket instead of a sliding window:
                      one request per window-ms / rpm (1.2 s at 50 per minute)
  --burst N           with --leaky: requests the bucket admits at once (default 1)
  --concurrency N     jobs running at once (default 4)
  --queue N           waiting jobs before 429 queue full (default 10)
  --queue-wait M      what queueWaitTime says: remaining (default), zero, seconds
                      or overstated (see signals.js)
  --progress C        how progress grows: linear (default), ahead, behind or none
  -h, --help          show this help
`;

function parseArgs(argv) {
	const out = {};
	const rateLimit = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const next = () => {
			const val = argv[++i];
			if (val === undefined) throw new Error(`Missing value for ${a}`);
			return val;
		};
		const num = ({ min = 0, integer = true } = {}) => {
			const raw = next();
			const n = Number(raw);
			if (raw.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n)))
				throw new Error(`${a} needs ${integer ? 'an integer' : 'a number'} >= ${min}, got ${raw}`);
			return n;
		};
		if (a === '--port') out.port = num();
		else if (a === '--job-ms') out.jobDurationMs = num({ integer: false });
		else if (a === '--api-key') out.apiKey = next();
		else if (a === '--rpm') rateLimit.limit = num();
		else if (a === '--window-ms') rateLimit.windowMs = num({ min: 1, integer: false });
		else if (a === '--no-retry-after') rateLimit.retryAfterHeader = false;
		else if (a === '--count-refused') rateLimit.countRefused = true;
		else if (a === '--leaky') rateLimit.mode = 'leaky';
		else if (a === '--burst') rateLimit.burst = num({ min: 1 });
		else if (a === '--concurrency') out.concurrency = num({ min: 1 });
		else if (a === '--queue') out.queueSize = num();
		else if (a === '--queue-wait') out.queueWaitMeaning = next();
		else if (a === '--progress') out.progressCurve = next();
		else if (a === '--help' || a === '-h') out.help = true;
		else throw new Error(`Unknown argument ${a}\n${USAGE}`);
	}
	if (Object.keys(rateLimit).length) out.rateLimit = rateLimit;
	return out;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(USAGE);
		return;
	}
	const { help, ...options } = args;
	const sim = await startSimulator(options);
	const rl = { ...DEFAULT_OPTIONS.rateLimit, ...(options.rateLimit || {}) };
	process.stdout.write(
		`Sivi simulator listening\n  base URL: ${sim.baseUrl}\n  API key:  ${sim.apiKey}\n` +
			`  rate limit: ${rl.limit} per ${rl.windowMs} ms ` +
			(rl.mode === 'leaky' ? `(leaky bucket, burst ${rl.burst})` : '(sliding window)') +
			`, Retry-After ${rl.retryAfterHeader ? 'on' : 'off'}, ` +
			`refused ${rl.countRefused ? 'counted' : 'not counted'}\n`,
	);
	const stop = async () => {
		await sim.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

if (require.main === module) {
	main().catch((err) => {
		process.stderr.write(`${err.message}\n`);
		process.exit(1);
	});
}

module.exports = { parseArgs, USAGE };

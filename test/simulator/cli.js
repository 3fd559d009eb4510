#!/usr/bin/env node
'use strict';
/** Standalone runner: node test/simulator/cli.js [--port 5680] [--job-ms 3000] [--api-key KEY] */
const { startSimulator } = require('./index');

function parseArgs(argv) {
	const out = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const next = () => {
			const val = argv[++i];
			if (val === undefined) throw new Error(`Missing value for ${a}`);
			return val;
		};
		if (a === '--port') out.port = Number(next());
		else if (a === '--job-ms') out.jobDurationMs = Number(next());
		else if (a === '--api-key') out.apiKey = next();
		else if (a === '--help' || a === '-h') out.help = true;
		else throw new Error(`Unknown argument ${a}`);
	}
	return out;
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		process.stdout.write(
			'Usage: node test/simulator/cli.js [--port 5680] [--job-ms 3000] [--api-key KEY]\n',
		);
		return;
	}
	const { help, ...options } = args;
	const sim = await startSimulator(options);
	process.stdout.write(
		`Sivi simulator listening\n  base URL: ${sim.baseUrl}\n  API key:  ${sim.apiKey}\n`,
	);
	const stop = async () => {
		await sim.close();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((err) => {
	process.stderr.write(`${err.message}\n`);
	process.exit(1);
});

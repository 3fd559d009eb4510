// Helpers to drive real n8n headlessly (CLI commands + editor) against an isolated
// N8N_USER_FOLDER, with the packed node installed the way n8n's community-package installer does.
// Two n8n versions (runtime.mjs N8N_VERSIONS): 2.41.1 (default) and 1.123.81. A user folder belongs
// to one version (newUserFolder records it); every helper taking a folder runs that version.
//
// ── Findings: n8n 2.41.1 community-package installer (read from the installed dist) ──────────
// Install (`dist/modules/community-packages/community-packages.service.js`, installOrUpdatePackage →
// downloadPackage; npm is spawned via `execFile('npm', args)` in `npm-utils.js`):
//   downloadFolder = InstanceSettings.nodesDownloadDir = <N8N_USER_FOLDER>/.n8n/nodes
//   1. `npm pack <name>@<version> --quiet --registry=<N8N_COMMUNITY_PACKAGES_REGISTRY>` (cwd nodes/)
//   2. `tar -xzf <tgz> -C nodes/node_modules/<name> --strip-components=1`
//   3. package.json rewritten WITHOUT devDependencies/peerDependencies/optionalDependencies
//   4. `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
//       --ignore-scripts=true --package-lock=false --registry=…` (cwd = the package dir, so only the
//       package's own `dependencies` land in <pkg>/node_modules)
//   5. nodes/package.json "ledger" {name:'installed-nodes',private:true,dependencies:{<name>:<ver>}}
//   6. tgz deleted; then (UI path only) rows in `installed_packages` + `installed_nodes`
//      (type `<packageName>.<node name>`).
//   It is NOT `npm install <pkg>` in ~/.n8n/nodes any more (that was n8n ≤ 1.x).
// Discovery at startup (`community-packages.module.js` nodeLoaders() → n8n-core
// `scanDirectoryForPackages`): fast-glob `n8n-nodes-*` and `@*/n8n-nodes-*` (deep 1/2, ignoring
// `*.backup-<digits>`) in <userFolder>/.n8n/nodes/node_modules → LazyPackageDirectoryLoader
// (package name = package.json `name`, so types are `n8n-nodes-sivi.<name>`), skipped if
// `n8nNodesApiVersion` is unsupported or if N8N_COMMUNITY_PACKAGES_PREVENT_LOADING=true.
// NO database row is needed to load/execute; the DB rows only feed Settings › Community nodes and
// the "reinstall missing packages" check. Module resolution: LoadNodesAndCredentials.init() sets
// NODE_PATH = n8n's own module.paths, so a package without node_modules gets n8n's copies of
// `n8n-workflow`, `zod` (3.25.76) and `p-limit` (3.1.0) — unless a node_modules directory on the
// package's *real* path's ancestors has them first. A user folder physically inside this repo
// would pick up the repo's devDependencies from /work/main/node_modules, so newUserFolder() keeps
// the real folder in os.tmpdir() and links it into test/e2e/.work/<name>.
// (`N8N_RUNNERS_ENABLED` is deprecated in 2.41 — runners are always on; we do not set it.)
//
// ── Findings: n8n 1.123.81 (n8n-workflow 1.120.31, n8n-core 1.122.48; read from the installed dist) ──
// Install (`dist/modules/community-packages/community-packages.service.js`, downloadPackage; npm
// via `asyncExecFile('npm', …)` in the service itself, no npm-utils wrapper): the SAME steps as
// 2.41.1 — it is not `npm install <pkg>` in ~/.n8n/nodes either:
//   0. package dir deleted first (no backup/restore), then mkdir
//   1. `npm pack <name>@<version> --registry=<registry> --quiet` (cwd nodes/; flag order differs)
//   2.–3. same tar extract + package.json without dev/peer/optional deps
//   4. `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
//       --ignore-scripts=true --package-lock=false --registry=…` (cwd = the package dir)
//   5.–6. same ledger update and tarball removal; the UI path then loads the package
//      (PackageDirectoryLoader) — if that throws, the package dir is DELETED and the UI says
//      "failed to load" (what a 1.x user saw with the old p-limit import); no n8nNodesApiVersion
//      check (2.41 has one).
// Discovery (LoadNodesAndCredentials.loadNodesFromNodeModules over the community-packages
// module's loadDir <userFolder>/.n8n/nodes/node_modules): fast-glob `n8n-nodes-*` (deep 1) and
// `@*/n8n-nodes-*` (deep 2), LazyPackageDirectoryLoader; no DB row needed. NODE_PATH is set the
// same way (module.paths of load-nodes-and-credentials.js), so a package gets n8n 1.123.81's
// `n8n-workflow` 1.120.31 and `zod` 3.25.67 — and NO p-limit (not in n8n's tree at all).
// Caveat for both versions: the runtimes live inside this repo, so those module.paths also reach
// <repo>/node_modules — a module n8n lacks would load from our devDependencies there (p-limit did),
// unlike on a user's machine. run.mjs therefore checks that every bare require() in the package's
// dist/ resolves to the n8n version's own copy.
// CLI: `execute --id --rawOutput`, `execute-batch --ids --concurrency --retries --shortOutput`,
// `import:credentials`, `import:workflow --activeState=false|fromJson` are the same as 2.41.1
// (execute/execute-batch just skip 2.41's initLicense()/initCommunityPackages()); there is no
// `publish:workflow` — activation is `update:workflow --id=<id> --active=true` (before `start`).
// `--rawOutput` is printed via logger.info as in 2.41. DB: execution_entity/execution_data have the
// columns readExecutions() reads. Env: N8N_DISABLED_MODULES must not name `mcp-registry` (unknown
// module → refuses to start; n8nEnv() drops it on 1.x); task runners are OFF by default
// (N8N_RUNNERS_ENABLED=false; Code nodes run in-process) and left so, like a default install;
// filesystem binary data lives in <userFolder>/.n8n/binaryData (2.41: .n8n/storage), same ids.
// Known n8n 1.123.81 bug: its default `vm` expression engine (isolated-vm) evaluates $('Node')…
// (`.item`, `.first()`) to null, in CLI and webhook runs alike; N8N_EXPRESSION_ENGINE=legacy fixes it.
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { currentN8nVersion, ensureRuntime, log, n8nPaths, REPO_ROOT, run, trackGroup } from './runtime.mjs';

export const WORK_DIR = path.join(REPO_ROOT, 'test', 'e2e', '.work');
export const ENCRYPTION_KEY = 'n8n-nodes-sivi-e2e-encryption-key';
const N8N_REGISTRY = 'https://registry.npmjs.org'; // n8n's CommunityPackagesConfig default
const CLI_TIMEOUT_MS = 120_000;
const VERSION_FILE = '.sivi-e2e-n8n-version'; // in a user folder: the n8n version it belongs to

/** Major version of an n8n version string ('1.123.81' → 1). */
export function n8nMajor(version) {
	return Number(String(version).split('.')[0]);
}

/**
 * The n8n version a user folder (or any path inside it, e.g. an installed package dir) belongs
 * to: recorded by newUserFolder(); otherwise the process-wide currentN8nVersion().
 */
export function n8nVersionOf(p) {
	if (p) {
		for (let dir = path.resolve(p); ; dir = path.dirname(dir)) {
			try {
				const v = fs.readFileSync(path.join(dir, VERSION_FILE), 'utf8').trim();
				if (v) return v;
			} catch {
				/* not here */
			}
			if (path.dirname(dir) === dir) break;
		}
	}
	return currentN8nVersion();
}

/** A free loopback TCP port (the OS picks it). */
export function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/**
 * Environment for every n8n process: isolated, quiet, offline. Each process gets its own task
 * broker port (default 5679 makes a second concurrent n8n process — e.g. `execute` while the
 * editor runs — exit with "Task Broker's port 5679 is already in use").
 */
export async function n8nEnv(userFolder, extra = {}) {
	const version = n8nVersionOf(userFolder);
	const rt = await ensureRuntime(version);
	// Nothing n8n-related leaks in from the caller's shell (N8N_CUSTOM_EXTENSIONS, DB_*, …).
	const inherited = Object.fromEntries(
		Object.entries(rt.env).filter(([k]) => !/^(N8N_|DB_|EXECUTIONS_|QUEUE_|CREDENTIALS_|WEBHOOK_URL$|GENERIC_TIMEZONE$)/.test(k)),
	);
	const env = {
		...inherited,
		N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		N8N_USER_FOLDER: path.resolve(userFolder),
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_LOG_LEVEL: 'info', // --rawOutput is printed via logger.info
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		DB_TYPE: 'sqlite', // DB_SQLITE_POOL_SIZE left at n8n's default (3): editor + CLI side by side work
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_SECURE_COOKIE: 'false',
		GENERIC_TIMEZONE: 'UTC',
		TZ: 'UTC',
		...extra,
	};
	// n8n 1.x has no `mcp-registry` module and refuses to start on an unknown module name
	// ("Unknown module …") — drop it from N8N_DISABLED_MODULES (startEditor/startN8n set it for 2.x).
	if (n8nMajor(version) < 2 && env.N8N_DISABLED_MODULES !== undefined) {
		const kept = env.N8N_DISABLED_MODULES.split(',').filter((m) => m.trim() && m.trim() !== 'mcp-registry');
		if (kept.length) env.N8N_DISABLED_MODULES = kept.join(',');
		else delete env.N8N_DISABLED_MODULES;
	}
	return env;
}

/**
 * Fresh, empty user folder. The real directory lives in os.tmpdir() (no node_modules among its
 * ancestors, like a real ~/.n8n); test/e2e/.work/<name> is a symlink to it for inspection.
 * The folder belongs to one n8n version (default: currentN8nVersion()), recorded in it: every
 * helper taking a user folder (or a path inside it) then runs that version's runtime.
 * @returns {string} the path to use as N8N_USER_FOLDER (the symlink under test/e2e/.work)
 */
export function newUserFolder(name, { n8nVersion = currentN8nVersion() } = {}) {
	if (!/^[\w.-]+$/.test(name)) throw new Error(`bad user folder name ${name}`);
	n8nPaths(n8nVersion); // validates
	const realRoot = path.join(os.tmpdir(), `n8n-nodes-sivi-e2e-${crypto.createHash('sha1').update(REPO_ROOT).digest('hex').slice(0, 8)}`);
	const real = path.join(realRoot, name);
	const link = path.join(WORK_DIR, name);
	fs.rmSync(real, { recursive: true, force: true });
	fs.rmSync(link, { recursive: true, force: true });
	fs.mkdirSync(real, { recursive: true });
	fs.mkdirSync(WORK_DIR, { recursive: true });
	fs.symlinkSync(real, link, 'dir');
	fs.writeFileSync(path.join(real, VERSION_FILE), n8nVersion); // every helper below runs this version
	return link;
}

/** Removes a user folder made by newUserFolder(): the real directory and its link. */
export function removeUserFolder(name) {
	const link = path.join(WORK_DIR, name);
	try {
		fs.rmSync(fs.realpathSync(link), { recursive: true, force: true });
		fs.rmSync(link, { force: true });
	} catch {
		/* not there */
	}
}

/** Run one `n8n <args>` command against userFolder (Node 24). */
export async function n8nCli(userFolder, args, { timeoutMs = CLI_TIMEOUT_MS, env = {} } = {}) {
	const rt = await ensureRuntime(n8nVersionOf(userFolder));
	return await run(rt.nodeBin, [rt.n8nBin, ...args], {
		cwd: path.resolve(userFolder),
		env: await n8nEnv(userFolder, env),
		timeoutMs,
	});
}

function fail(what, r) {
	const tail = (s) => s.split('\n').slice(-30).join('\n');
	return new Error(`${what} failed (rc=${r.rc}${r.timedOut ? ', timed out' : ''})\n--- stdout ---\n${tail(r.stdout)}\n--- stderr ---\n${tail(r.stderr)}`);
}

/**
 * Install a packed tarball into <userFolder>/.n8n/nodes exactly like the user folder's n8n
 * version's CommunityPackagesService.downloadPackage (2.41.1 and 1.123.81: see header; the only
 * difference in the commands is where `npm pack` puts `--registry`). The registry
 * `npm pack <name>@<ver>` step is replaced by `npm pack <abs tgz>` (same command, local spec) —
 * everything else is the same commands with the same flags, run with Node 24 first on PATH like
 * inside n8n.
 * @returns {Promise<{ packageName: string, version: string, packageDir: string, n8nVersion: string }>}
 */
export async function installPackageTarball(tgz, userFolder, { timeoutMs = 180_000 } = {}) {
	const n8nVersion = n8nVersionOf(userFolder);
	const rt = await ensureRuntime(n8nVersion);
	const env = { ...rt.env }; // Node 24 first on PATH, like inside n8n
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	// ensurePackageJson(): ledger created from the (empty) DB when missing.
	const ledgerPath = path.join(nodesDir, 'package.json');
	let ledger;
	try {
		ledger = JSON.parse(fs.readFileSync(ledgerPath, 'utf8'));
	} catch {
		ledger = null;
	}
	if (!ledger?.dependencies) ledger = { name: 'installed-nodes', private: true, dependencies: {} };

	// 1. npm pack <spec> (cwd nodes/) → prints the tarball file name.
	//    2.41.1 (npm-utils executeNpmCommand): pack <spec> --quiet --registry=…
	//    1.123.81 (asyncExecFile in the service): pack <spec> --registry=… --quiet
	const packArgs =
		n8nMajor(n8nVersion) >= 2
			? ['pack', path.resolve(tgz), '--quiet', `--registry=${N8N_REGISTRY}`]
			: ['pack', path.resolve(tgz), `--registry=${N8N_REGISTRY}`, '--quiet'];
	const packed = await run('npm', packArgs, { cwd: nodesDir, env, timeoutMs });
	if (packed.rc !== 0 || packed.timedOut) throw fail('npm pack (installer step 1)', packed);
	const tarballName = packed.stdout.trim().split('\n').pop();
	try {
		const manifest = await run('tar', ['-xzOf', tarballName, 'package/package.json'], { cwd: nodesDir, env, timeoutMs });
		if (manifest.rc !== 0) throw fail('reading package.json from tarball', manifest);
		const { name: packageName } = JSON.parse(manifest.stdout);
		if (!/^(@[a-z0-9][\w.-]*\/)?n8n-nodes-[\w.-]+$/.test(packageName)) {
			throw new Error(`n8n only discovers packages named n8n-nodes-* / @scope/n8n-nodes-*; got ${packageName}`);
		}
		const packageDir = path.join(nodesDir, 'node_modules', packageName);
		fs.rmSync(packageDir, { recursive: true, force: true }); // (2.41: backup + restore on failure; 1.123: deleted first)
		fs.mkdirSync(packageDir, { recursive: true });
		// 2. extract
		const x = await run('tar', ['-xzf', tarballName, '-C', packageDir, '--strip-components=1'], { cwd: nodesDir, env, timeoutMs });
		if (x.rc !== 0) throw fail('tar -xzf (installer step 2)', x);
		// 3. strip dev/peer/optional deps
		const pjPath = path.join(packageDir, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(fs.readFileSync(pjPath, 'utf8'));
		fs.writeFileSync(pjPath, JSON.stringify(packageJson, null, 2), 'utf-8');
		// 4. install the package's own runtime dependencies
		const inst = await run(
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				`--registry=${N8N_REGISTRY}`,
			],
			{ cwd: packageDir, env, timeoutMs },
		);
		if (inst.rc !== 0 || inst.timedOut) throw fail('npm install (installer step 4)', inst);
		// 5. ledger
		ledger.dependencies[packageName] = packageJson.version;
		fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf-8');
		const deps = fs.existsSync(path.join(packageDir, 'node_modules'))
			? fs.readdirSync(path.join(packageDir, 'node_modules')).filter((d) => !d.startsWith('.'))
			: [];
		log(`installed ${packageName}@${packageJson.version} for n8n ${n8nVersion} into ${path.relative(REPO_ROOT, packageDir)} (own node_modules: ${deps.length ? deps.join(', ') : 'none'})`);
		return { packageName, version: packageJson.version, packageDir, n8nVersion };
	} finally {
		fs.rmSync(path.join(nodesDir, tarballName), { force: true }); // 6.
	}
}

/**
 * Where bare imports resolve from inside an installed package, with the NODE_PATH n8n's
 * LoadNodesAndCredentials.init() sets (module.paths of its own file; same code in 2.41.1 and
 * 1.123.81). Runs under Node 24, with the n8n version of the user folder packageDir is in.
 * @returns {Promise<Record<string, string|null>>} module → resolved file (null = not found)
 */
export async function probeResolution(packageDir, modules = ['n8n-workflow', 'zod', 'p-limit']) {
	const rt = await ensureRuntime(n8nVersionOf(packageDir));
	const loaderFile = path.join(rt.n8nDir, 'dist', 'load-nodes-and-credentials.js');
	const script = `
		const Module = require('module'); const path = require('path');
		const [loaderFile, pkgDir, mods] = JSON.parse(process.argv[1]);
		process.env.NODE_PATH = Module._nodeModulePaths(path.dirname(loaderFile)).join(path.delimiter);
		Module._initPaths();
		const req = Module.createRequire(path.join(pkgDir, 'package.json'));
		const out = {};
		for (const m of mods) { try { out[m] = req.resolve(m); } catch { out[m] = null; } }
		console.log(JSON.stringify(out));`;
	const r = await run(rt.nodeBin, ['-e', script, JSON.stringify([loaderFile, fs.realpathSync(packageDir), modules])], { env: rt.env, timeoutMs: 30_000 });
	if (r.rc !== 0) throw fail('probeResolution', r);
	return JSON.parse(r.stdout.trim().split('\n').pop());
}

/**
 * Optional: write the `installed_packages` + `installed_nodes` rows the UI installer's
 * persistPackageWithNodes() writes (loading the package with n8n-core's PackageDirectoryLoader,
 * as n8n does), so Settings › Community nodes lists it. Not needed to load or execute the nodes.
 * The DB must exist (run any n8n command first, e.g. importCredentials). Don't run while n8n runs.
 * @returns {Promise<{ packageName: string, version: string, nodes: { name: string, type: string, latestVersion: number }[] }>}
 */
export async function registerInstalledPackage(userFolder, packageDir, { timeoutMs = 60_000 } = {}) {
	const rt = await ensureRuntime(n8nVersionOf(userFolder));
	const dbFile = path.join(path.resolve(userFolder), '.n8n', 'database.sqlite');
	if (!fs.existsSync(dbFile)) throw new Error(`registerInstalledPackage: no DB yet at ${dbFile}; run an n8n command first`);
	const script = `
		const Module = require('module'); const path = require('path');
		const [n8nDir, pkgDir, dbFile] = JSON.parse(process.argv[1]);
		process.env.NODE_PATH = Module._nodeModulePaths(path.join(n8nDir, 'dist')).join(path.delimiter);
		Module._initPaths();
		const req = Module.createRequire(path.join(n8nDir, 'package.json'));
		const { PackageDirectoryLoader } = req('n8n-core');
		const sqlite3 = req('sqlite3');
		(async () => {
			const l = new PackageDirectoryLoader(pkgDir);
			await l.loadAll();
			const { name: packageName, version, author } = l.packageJson;
			const nodes = l.loadedNodes.map((n) => ({ name: l.nodeTypes[n.name].type.description.displayName, type: packageName + '.' + n.name, latestVersion: n.version }));
			const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
			const db = new sqlite3.Database(dbFile);
			const exec = (sql, p) => new Promise((res, rej) => db.run(sql, p, (e) => (e ? rej(e) : res())));
			await exec('PRAGMA foreign_keys = ON');
			await exec('BEGIN');
			await exec('DELETE FROM installed_packages WHERE packageName = ?', [packageName]);
			await exec('INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail, createdAt, updatedAt) VALUES (?,?,?,?,?,?)', [packageName, version, author?.name ?? null, author?.email ?? null, now, now]);
			for (const n of nodes) await exec('INSERT OR REPLACE INTO installed_nodes (name, type, latestVersion, package) VALUES (?,?,?,?)', [n.name, n.type, n.latestVersion, packageName]);
			await exec('COMMIT');
			db.close();
			console.log(JSON.stringify({ packageName, version, nodes }));
		})().catch((e) => { console.error(e); process.exit(1); });`;
	const r = await run(rt.nodeBin, ['-e', script, JSON.stringify([rt.n8nDir, fs.realpathSync(packageDir), dbFile])], { env: rt.env, timeoutMs });
	if (r.rc !== 0 || r.timedOut) throw fail('registerInstalledPackage', r);
	return JSON.parse(r.stdout.trim().split('\n').pop());
}

/**
 * True when a resolved path is inside an n8n runtime (n8n's own copy): the given version's, else
 * currentN8nVersion()'s. (Non-string second arguments are ignored, so `.every(isN8nCopy)` works.)
 */
export function isN8nCopy(resolved, n8nVersion) {
	const version = typeof n8nVersion === 'string' ? n8nVersion : currentN8nVersion();
	return typeof resolved === 'string' && resolved.startsWith(n8nPaths(version).nodeModules + path.sep);
}

/**
 * Where n8n keeps binary data in filesystem mode (N8N_DEFAULT_BINARY_DATA_MODE=filesystem) for a
 * user folder: 2.41.1 `<userFolder>/.n8n/storage` (storage config), 1.123.81
 * `<userFolder>/.n8n/binaryData` (n8n-core binary-data.config.js). Ids look the same in both:
 * `filesystem-v2:workflows/<wfId>/executions/<execId>/binary_data/<uuid>`, relative to this dir.
 */
export function binaryDataDir(userFolder) {
	return path.join(path.resolve(userFolder), '.n8n', n8nMajor(n8nVersionOf(userFolder)) >= 2 ? 'storage' : 'binaryData');
}

/** The installed version of a module file's package (walks up to its package.json), or null. */
export function packageVersionOf(resolvedFile) {
	if (typeof resolvedFile !== 'string') return null;
	for (let dir = path.dirname(resolvedFile); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
		try {
			const pj = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
			if (pj.name && pj.version) return pj.version;
		} catch {
			/* keep walking */
		}
	}
	return null;
}

function writeInput(userFolder, kind, data) {
	const dir = path.join(userFolder, 'import');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${kind}-${Date.now()}-${crypto.randomBytes(3).toString('hex')}.json`);
	fs.writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

/**
 * `n8n import:credentials` of an array of { id, name, type, data } (plain `data` gets encrypted
 * with N8N_ENCRYPTION_KEY on import). The first command on a fresh folder also runs migrations.
 */
export async function importCredentials(userFolder, creds, { timeoutMs = CLI_TIMEOUT_MS } = {}) {
	const file = writeInput(userFolder, 'credentials', creds);
	const r = await n8nCli(userFolder, ['import:credentials', `--input=${file}`], { timeoutMs });
	if (r.rc !== 0 || r.timedOut) throw fail('import:credentials', r);
	return r;
}

/** n8n-style id: 16 chars [A-Za-z0-9]; always contains a digit (execute-batch filters ids by /\d+/). */
export function newWorkflowId() {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	const b = crypto.randomBytes(15);
	return 'w' + Array.from(b, (x) => abc[x % abc.length]).join('').slice(0, 14) + (b[0] % 10);
}

function normaliseWorkflow(wf) {
	return {
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {},
		...wf,
		id: wf.id ?? newWorkflowId(),
		name: wf.name ?? 'e2e workflow',
	};
}

/** `n8n import:workflow` of one workflow; returns its id (assigned here if missing). */
export async function importWorkflow(userFolder, wfJson, opts = {}) {
	return (await importWorkflows(userFolder, [wfJson], opts))[0];
}

/** Import several workflows with a single n8n process (an array in one file); returns their ids. */
export async function importWorkflows(userFolder, wfs, { timeoutMs = CLI_TIMEOUT_MS } = {}) {
	const list = wfs.map(normaliseWorkflow);
	const file = writeInput(userFolder, 'workflows', list);
	const r = await n8nCli(userFolder, ['import:workflow', `--input=${file}`], { timeoutMs });
	if (r.rc !== 0 || r.timedOut || !/Successfully imported/i.test(r.stdout + r.stderr)) throw fail('import:workflow', r);
	return list.map((w) => w.id);
}

/** Parse the JSON printed by --rawOutput: from the first line that is exactly `{`. */
export function parseRawOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l.trimEnd() === '{');
	if (start < 0) return undefined;
	const rest = lines.slice(start);
	// Prefer the first top-level closing brace; fall back to everything that follows.
	for (let end = 1; end < rest.length; end++) {
		if (rest[end].trimEnd() !== '}') continue;
		try {
			return JSON.parse(rest.slice(0, end + 1).join('\n'));
		} catch {
			/* keep looking */
		}
	}
	try {
		return JSON.parse(rest.join('\n'));
	} catch {
		return undefined;
	}
}

/**
 * `n8n execute --id=<id> --rawOutput`, bounded by timeoutMs (kills the process group).
 * @returns {Promise<{ rc: number, output: any, stdout: string, stderr: string, timedOut: boolean, ms: number }>}
 *   output = parsed run data (`{ data: { resultData: { runData, error?, lastNodeExecuted } }, status, … }`),
 *   undefined when nothing parseable was printed. rc=0 success, rc=1 execution error.
 */
export async function executeWorkflow(userFolder, id, { timeoutMs = 90_000, env = {} } = {}) {
	const r = await n8nCli(userFolder, ['execute', `--id=${id}`, '--rawOutput'], { timeoutMs, env });
	const output = parseRawOutput(r.stdout);
	let rc = r.rc;
	// isolated-vm (the default 'vm' expression engine) occasionally segfaults in its thread-pool
	// teardown at process exit (≈1 in 30 runs here; core shows ivm::thread_pool_t::resize joining an
	// isolate thread) — AFTER the result was printed and stored. Derive rc from the printed result then.
	const crashedAtExit = r.signal === 'SIGSEGV' && !r.timedOut && typeof output?.status === 'string';
	if (crashedAtExit) rc = output.status === 'success' && !output.data?.resultData?.error ? 0 : 1;
	return { rc, signal: r.signal, crashedAtExit, output, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut, ms: r.ms };
}

/**
 * Stored executions, read straight from <userFolder>/.n8n/database.sqlite with n8n's own sqlite3 +
 * flatted (run under Node 24). Each: { id, workflowId, status, finished, mode, startedAt, stoppedAt,
 * output } where output has the same shape as `execute --rawOutput` ({ data, mode, startedAt,
 * stoppedAt, status, finished }).
 * @param {{ afterId?: number, workflowIds?: string[], timeoutMs?: number }} [opts]
 */
export async function readExecutions(userFolder, { afterId = 0, workflowIds, timeoutMs = 60_000 } = {}) {
	const rt = await ensureRuntime(n8nVersionOf(userFolder));
	const dbFile = path.join(path.resolve(userFolder), '.n8n', 'database.sqlite');
	const outFile = path.join(path.resolve(userFolder), 'import', `executions-${Date.now()}-${crypto.randomBytes(3).toString('hex')}.json`);
	fs.mkdirSync(path.dirname(outFile), { recursive: true });
	const script = `
		const { createRequire } = require('module'); const fs = require('fs');
		const [n8nDir, dbFile, afterId, outFile] = JSON.parse(process.argv[1]);
		const req = createRequire(n8nDir + '/package.json');
		const sqlite3 = req('sqlite3'); const { parse } = req('flatted');
		const db = new sqlite3.Database(dbFile, sqlite3.OPEN_READONLY);
		db.all('SELECT e.id, e.workflowId, e.status, e.finished, e.mode, e.startedAt, e.stoppedAt, d.data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id WHERE e.id > ? ORDER BY e.id', [afterId], (err, rows) => {
			if (err) { console.error(err); process.exit(2); }
			const toIso = (v) => (v == null ? v : new Date(String(v).replace(' ', 'T') + (/[Zz+]/.test(String(v)) ? '' : 'Z')).toISOString());
			const out = rows.map((r) => {
				const data = parse(r.data);
				const meta = { mode: r.mode, startedAt: toIso(r.startedAt), stoppedAt: toIso(r.stoppedAt), status: r.status, finished: !!r.finished };
				return { id: r.id, workflowId: r.workflowId, ...meta, output: { data, ...meta } };
			});
			// A stored error can hold a circular HTTP response (manual runs keep it): cut the cycles only.
			const stack = [];
			fs.writeFileSync(outFile, JSON.stringify(out, function (k, v) {
				if (typeof v !== 'object' || v === null) return v;
				while (stack.length && stack[stack.length - 1] !== this) stack.pop();
				if (stack.includes(v)) return '[Circular]';
				stack.push(v);
				return v;
			}));
			db.close();
		});`;
	const r = await run(rt.nodeBin, ['-e', script, JSON.stringify([rt.n8nDir, dbFile, afterId, outFile])], { env: rt.env, timeoutMs });
	if (r.rc !== 0 || r.timedOut) throw fail('readExecutions', r);
	const rows = JSON.parse(fs.readFileSync(outFile, 'utf8'));
	fs.rmSync(outFile, { force: true });
	return workflowIds ? rows.filter((x) => workflowIds.includes(x.workflowId)) : rows;
}

/**
 * Execute several workflows in ONE n8n process (`n8n execute-batch --ids=… --retries=0`), then read
 * each one's full stored execution from the DB (errors included — execute-batch itself only prints a
 * summary). Same WorkflowRunner path and 'cli' mode as `n8n execute`.
 * @returns {Promise<{ rc: number, signal: string|null, results: Record<string, { status: string, output: any, executionId: number }|undefined>, summary: any, stdout: string, stderr: string, timedOut: boolean, ms: number }>}
 */
export async function executeWorkflows(userFolder, ids, { concurrency = 1, timeoutMs = 300_000, env = {} } = {}) {
	if (!ids.length) throw new Error('executeWorkflows: no ids');
	const bad = ids.filter((id) => !/\d/.test(id) || id.includes(','));
	if (bad.length) throw new Error(`execute-batch only accepts ids containing a digit: ${bad.join(', ')}`);
	const before = await readExecutions(userFolder).then((rows) => rows.reduce((m, x) => Math.max(m, x.id), 0)).catch(() => 0);
	const r = await n8nCli(userFolder, ['execute-batch', `--ids=${ids.join(',')}`, `--concurrency=${concurrency}`, '--retries=0', '--shortOutput'], { timeoutMs, env });
	const rows = await readExecutions(userFolder, { afterId: before, workflowIds: ids });
	const results = {};
	for (const row of rows) results[row.workflowId] = { status: row.status, output: row.output, executionId: row.id };
	const summary = parseRawOutput(r.stdout);
	let rc = r.rc;
	// Same isolated-vm exit-time segfault as in executeWorkflow: results are already stored.
	const crashedAtExit = r.signal === 'SIGSEGV' && !r.timedOut && !!summary?.summary && ids.every((id) => results[id]);
	if (crashedAtExit) rc = ids.every((id) => results[id].status === 'success') ? 0 : 1;
	return { rc, signal: r.signal, crashedAtExit, results, summary, stdout: r.stdout, stderr: r.stderr, timedOut: r.timedOut, ms: r.ms };
}

/**
 * Start the editor/server (`n8n start`) on 127.0.0.1:<port>; resolves once /healthz/readiness is 200.
 * `owner: { email, password }` also creates (first run) or logs in the owner and returns its cookie.
 * @returns {Promise<{ url: string, child: import('node:child_process').ChildProcess, cookie?: string, logs: () => string, stop: () => Promise<void> }>}
 */
export async function startEditor(userFolder, { port = 5678, timeoutMs = 120_000, env = {}, owner } = {}) {
	const rt = await ensureRuntime(n8nVersionOf(userFolder));
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(rt.nodeBin, [rt.n8nBin, 'start'], {
		cwd: path.resolve(userFolder),
		env: await n8nEnv(userFolder, {
			N8N_PORT: String(port),
			N8N_EDITOR_BASE_URL: `http://localhost:${port}`,
			WEBHOOK_URL: `http://localhost:${port}/`,
			// offline: skip the vetted-community-nodes and MCP-server catalogues on api.n8n.io
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_DISABLED_MODULES: 'mcp-registry',
			...env,
		}),
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	child.stdout.on('data', (d) => (out += d));
	child.stderr.on('data', (d) => (out += d));
	let exited = null;
	const untrack = trackGroup(child.pid);
	child.on('exit', (code, sig) => {
		exited = { code, sig };
		untrack();
	});
	const killGroup = (sig) => {
		try {
			process.kill(-child.pid, sig);
		} catch {
			/* gone */
		}
	};
	const stop = async () => {
		if (exited) return;
		killGroup('SIGTERM');
		const deadline = Date.now() + 15_000;
		while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
		killGroup('SIGKILL');
	};
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exited) throw new Error(`n8n start exited early (${JSON.stringify(exited)})\n${out.slice(-3000)}`);
		try {
			const res = await fetch(`${url}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			if (res.status === 200) break;
		} catch {
			/* not up yet */
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`n8n start not ready after ${timeoutMs} ms\n${out.slice(-3000)}`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	log(`n8n editor ready at http://localhost:${port} (user folder ${userFolder})`);
	let cookie;
	if (owner) {
		try {
			cookie = await ensureOwner(url, owner);
		} catch (e) {
			await stop();
			throw e;
		}
	}
	return { url, child, cookie, logs: () => out, stop };
}

/** Create the instance owner on first run (POST /rest/owner/setup) or log in; returns the auth cookie. */
export async function ensureOwner(url, { email, password, firstName = 'E2E', lastName = 'Owner' }) {
	const post = (p, body) =>
		fetch(url + p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) });
	// n8n 1.x answers /healthz/readiness before its REST routes are mounted: wait for them.
	let settings;
	for (const deadline = Date.now() + 60_000; ; ) {
		const res = await fetch(`${url}/rest/settings`, { signal: AbortSignal.timeout(15_000) });
		if (res.status === 200) {
			settings = await res.json();
			break;
		}
		if (Date.now() > deadline) throw new Error(`GET /rest/settings → ${res.status} for 60 s`);
		await new Promise((r) => setTimeout(r, 250));
	}
	const res = settings.data?.userManagement?.showSetupOnFirstLoad
		? await post('/rest/owner/setup', { email, password, firstName, lastName })
		: await post('/rest/login', { emailOrLdapLoginId: email, password });
	if (res.status !== 200) throw new Error(`owner setup/login failed: ${res.status} ${await res.text()}`);
	return res.headers.get('set-cookie')?.split(';')[0];
}

// ───────────────────────────────────────────────────────────── long-running processes with log files
// (added for test/e2e/concurrency.mjs; the functions above are unchanged)

/**
 * Start a long-running n8n process (`n8n start`, `n8n worker`, `n8n webhook`) against userFolder,
 * its stdout+stderr written to logFile (kept after it ends). Same environment as startEditor for
 * `start` (port, editor/webhook URL, offline catalogues off); `env` is applied last, so it can switch
 * the process to queue mode / PostgreSQL. Resolves once `readyUrl` (default: for `start`
 * http://127.0.0.1:<port>/healthz/readiness) answers 200; rejects (after stopping the process) when
 * it exits early or is not ready within timeoutMs.
 * @param {string} userFolder
 * @param {{ command?: 'start'|'worker'|'webhook', args?: string[], port?: number, env?: Record<string,string>,
 *   logFile: string, readyUrl?: string, timeoutMs?: number, name?: string, owner?: { email: string, password: string } }} opts
 * @returns {Promise<{ name: string, url?: string, pid: number, child: import('node:child_process').ChildProcess, cookie?: string,
 *   logFile: string, logs: () => string, tail: (n?: number) => string, exited: () => object|null, stop: () => Promise<void> }>}
 */
export async function startN8n(userFolder, { command = 'start', args = [], port, env = {}, logFile, readyUrl, timeoutMs = 180_000, name, owner } = {}) {
	if (!logFile) throw new Error('startN8n: logFile is required');
	const rt = await ensureRuntime(n8nVersionOf(userFolder));
	name ??= `n8n ${command}`;
	const url = port ? `http://127.0.0.1:${port}` : undefined;
	const base =
		command === 'start' || command === 'webhook'
			? {
					N8N_PORT: String(port),
					N8N_EDITOR_BASE_URL: `http://localhost:${port}`,
					WEBHOOK_URL: `http://localhost:${port}/`,
					N8N_VERIFIED_PACKAGES_ENABLED: 'false',
					N8N_DISABLED_MODULES: 'mcp-registry',
				}
			: { N8N_VERIFIED_PACKAGES_ENABLED: 'false', N8N_DISABLED_MODULES: 'mcp-registry' };
	if ((command === 'start' || command === 'webhook') && !port) throw new Error(`startN8n(${command}): port is required`);
	readyUrl ??= url ? `${url}/healthz/readiness` : undefined;
	if (!readyUrl) throw new Error(`startN8n(${command}): readyUrl is required`);
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const logStream = fs.createWriteStream(logFile, { flags: 'w' });
	const child = spawn(rt.nodeBin, [rt.n8nBin, command, ...args], {
		cwd: path.resolve(userFolder),
		env: await n8nEnv(userFolder, { ...base, ...env }),
		detached: true,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let out = '';
	const onData = (d) => {
		out += d;
		if (out.length > 4_000_000) out = out.slice(-2_000_000); // the file has everything
		logStream.write(d);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	let exited = null;
	const untrack = trackGroup(child.pid);
	const exitedPromise = new Promise((resolve) =>
		child.on('exit', (code, sig) => {
			exited = { code, sig };
			untrack();
			resolve();
		}),
	);
	child.on('error', (e) => {
		exited ??= { error: String(e) };
		untrack();
	});
	const killGroup = (sig) => {
		try {
			process.kill(-child.pid, sig);
		} catch {
			/* gone */
		}
	};
	let stopping = null;
	const stop = () =>
		(stopping ??= (async () => {
			if (!exited) {
				killGroup('SIGTERM');
				await Promise.race([exitedPromise, new Promise((r) => setTimeout(r, 15_000))]);
			}
			killGroup('SIGKILL'); // the task runners of the group, and the process if it ignored SIGTERM
			await Promise.race([exitedPromise, new Promise((r) => setTimeout(r, 5_000))]);
			await new Promise((r) => logStream.end(r));
		})());
	const tail = (n = 60) => out.split('\n').slice(-n).join('\n');
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (exited) {
			await stop();
			throw new Error(`${name} exited early (${JSON.stringify(exited)}); log ${logFile}\n${tail()}`);
		}
		try {
			const res = await fetch(readyUrl, { signal: AbortSignal.timeout(2000) });
			if (res.status === 200) break;
		} catch {
			/* not up yet */
		}
		if (Date.now() > deadline) {
			await stop();
			throw new Error(`${name} not ready after ${timeoutMs} ms; log ${logFile}\n${tail()}`);
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	log(`${name} ready (pid ${child.pid}${url ? `, ${url}` : ''}, log ${path.relative(REPO_ROOT, logFile)})`);
	let cookie;
	if (owner) {
		try {
			cookie = await ensureOwner(url, owner);
		} catch (e) {
			await stop();
			throw e;
		}
	}
	return { name, url, pid: child.pid, child, cookie, logFile, logs: () => out, tail, exited: () => exited, stop };
}

/** `n8n publish:workflow --id=<id>` (activates a workflow headless; run before `n8n start`). */
export async function publishWorkflow(userFolder, id, { timeoutMs = CLI_TIMEOUT_MS, env = {} } = {}) {
	const r = await n8nCli(userFolder, ['publish:workflow', `--id=${id}`], { timeoutMs, env });
	if (r.rc !== 0 || r.timedOut) throw fail('publish:workflow', r);
	return r;
}

/**
 * Call n8n's internal REST API (`/rest/…`) with an owner cookie (startEditor/startN8n `owner`).
 * @returns {Promise<{ status: number, body: any, text: string }>} body = parsed JSON (or undefined)
 */
export async function n8nRest(url, cookie, method, route, { body, query, timeoutMs = 30_000 } = {}) {
	const u = new URL(url + route);
	for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
	const res = await fetch(u, {
		method,
		headers: { cookie: cookie ?? '', ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'browser-id': 'e2e' },
		body: body === undefined ? undefined : JSON.stringify(body),
		signal: AbortSignal.timeout(timeoutMs),
	});
	const text = await res.text();
	let parsed;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = undefined;
	}
	return { status: res.status, body: parsed, text };
}

/**
 * Waits until the production webhook `path` is registered for POST: n8n answers a GET to it with
 * 404 "… is not registered for GET requests. Did you mean to make a POST request?".
 */
export async function waitForProductionWebhook(url, webhookPath, { timeoutMs = 60_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let last = '';
	for (;;) {
		try {
			const res = await fetch(`${url}/webhook/${webhookPath}`, { signal: AbortSignal.timeout(5000) });
			last = `${res.status} ${await res.text()}`;
			if (/not registered for GET requests\. Did you mean to make a [A-Z, ]*POST/.test(last)) return;
		} catch (e) {
			last = String(e);
		}
		if (Date.now() > deadline) throw new Error(`production webhook /webhook/${webhookPath} not registered after ${timeoutMs} ms (last answer: ${last.slice(0, 300)})`);
		await new Promise((r) => setTimeout(r, 500));
	}
}

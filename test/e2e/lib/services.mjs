// Throwaway Redis and PostgreSQL servers for the queue-mode e2e scenario: each on a free loopback
// port, with its data in a fresh temp dir, run in the foreground as our child (own process group,
// registered with trackGroup so it dies with us) and stopped by PID.
//
//   ensureServiceBinaries()  apt-get update && apt-get install -y redis-server postgresql, only
//                            when a binary is missing (CI sometimes runs on a fresh machine; we are root)
//   startRedis({ logFile })  redis-server --port P --bind 127.0.0.1 --save '' --appendonly no
//   startPostgres({ logFile }) initdb + postgres as the `postgres` user (Postgres refuses root):
//                            data dir and unix socket dir in a temp dir owned by postgres, listens on
//                            127.0.0.1:<free port>, trust auth, database `n8n` created.
// Every wait has a timeout; stop() sends SIGTERM/SIGINT to the process group, waits, then SIGKILL,
// and removes the temp dir.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { log, run, trackGroup } from './runtime.mjs';
import { freePort } from './n8n.mjs';

const APT_TIMEOUT_MS = 15 * 60_000;
const START_TIMEOUT_MS = 60_000;

/** Directory of the newest installed PostgreSQL's binaries (/usr/lib/postgresql/<ver>/bin), or null. */
export function postgresBinDir() {
	const root = '/usr/lib/postgresql';
	let versions = [];
	try {
		versions = fs.readdirSync(root).filter((v) => /^\d+(\.\d+)?$/.test(v));
	} catch {
		return null;
	}
	versions.sort((a, b) => Number(b) - Number(a));
	for (const v of versions) {
		const bin = path.join(root, v, 'bin');
		if (fs.existsSync(path.join(bin, 'postgres')) && fs.existsSync(path.join(bin, 'initdb'))) return bin;
	}
	return null;
}

function which(cmd) {
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		const f = path.join(dir, cmd);
		try {
			fs.accessSync(f, fs.constants.X_OK);
			return f;
		} catch {
			/* next */
		}
	}
	return null;
}

/** Installs redis-server and postgresql with apt-get when either binary is missing. */
export async function ensureServiceBinaries() {
	const missing = [];
	if (!which('redis-server')) missing.push('redis-server');
	if (!postgresBinDir()) missing.push('postgresql');
	if (!which('setpriv')) missing.push('util-linux');
	if (!missing.length) return { installed: [] };
	log(`installing ${missing.join(', ')} with apt-get (missing on this machine)`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const upd = await run('apt-get', ['update'], { env, timeoutMs: APT_TIMEOUT_MS });
	if (upd.rc !== 0 || upd.timedOut) throw new Error(`apt-get update failed (rc=${upd.rc})\n${upd.stderr.slice(-3000)}`);
	const inst = await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, timeoutMs: APT_TIMEOUT_MS });
	if (inst.rc !== 0 || inst.timedOut) throw new Error(`apt-get install ${missing.join(' ')} failed (rc=${inst.rc})\n${inst.stderr.slice(-3000)}`);
	if (!which('redis-server') || !postgresBinDir()) throw new Error('apt-get install finished but redis-server/postgres is still missing');
	return { installed: missing };
}

/** Resolves true once a TCP connect to 127.0.0.1:port succeeds (false at the deadline). */
async function waitForPort(port, deadline, isExited) {
	while (Date.now() < deadline) {
		if (isExited()) return false;
		const ok = await new Promise((resolve) => {
			const s = net.connect({ host: '127.0.0.1', port });
			const done = (v) => {
				s.destroy();
				resolve(v);
			};
			s.once('connect', () => done(true));
			s.once('error', () => done(false));
			s.setTimeout(1000, () => done(false));
		});
		if (ok) return true;
		await new Promise((r) => setTimeout(r, 250));
	}
	return false;
}

/**
 * Spawn a long-running foreground server in its own process group, logging to logFile.
 * @returns {{ child, pid, exited: () => object|null, tail: (n?: number) => string, stop: (sig?: string) => Promise<void> }}
 */
function spawnServer(name, cmd, args, { logFile, env = process.env, cwd } = {}) {
	fs.mkdirSync(path.dirname(logFile), { recursive: true });
	const fd = fs.openSync(logFile, 'w');
	const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
	fs.closeSync(fd);
	let exited = null;
	const untrack = trackGroup(child.pid);
	child.on('exit', (code, sig) => {
		exited = { code, sig };
		untrack();
	});
	child.on('error', (e) => {
		exited = { error: String(e) };
		untrack();
	});
	const killGroup = (sig) => {
		try {
			process.kill(-child.pid, sig);
		} catch {
			/* gone */
		}
	};
	const tail = (n = 40) => {
		try {
			return fs.readFileSync(logFile, 'utf8').split('\n').slice(-n).join('\n');
		} catch {
			return '';
		}
	};
	const stop = async (sig = 'SIGTERM', graceMs = 10_000) => {
		if (exited) return;
		killGroup(sig);
		const deadline = Date.now() + graceMs;
		while (!exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
		if (!exited) {
			log(`${name} (pid ${child.pid}) ignored ${sig}; SIGKILL`);
			killGroup('SIGKILL');
			const d2 = Date.now() + 5000;
			while (!exited && Date.now() < d2) await new Promise((r) => setTimeout(r, 100));
		}
	};
	return { child, pid: child.pid, exited: () => exited, tail, stop, logFile };
}

/**
 * redis-server on a free loopback port, no persistence, in the foreground.
 * @returns {Promise<{ host: string, port: number, pid: number, tail: () => string, stop: () => Promise<void> }>}
 */
export async function startRedis({ logFile, timeoutMs = START_TIMEOUT_MS } = {}) {
	const bin = which('redis-server');
	if (!bin) throw new Error('redis-server not installed (call ensureServiceBinaries first)');
	const port = await freePort();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sivi-e2e-redis-'));
	const srv = spawnServer(
		'redis',
		bin,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--dir', dir],
		{ logFile, cwd: dir },
	);
	const ok = await waitForPort(port, Date.now() + timeoutMs, srv.exited);
	const stop = async () => {
		await srv.stop('SIGTERM');
		fs.rmSync(dir, { recursive: true, force: true });
	};
	if (!ok) {
		const t = srv.tail();
		await stop();
		throw new Error(`redis-server did not listen on 127.0.0.1:${port} within ${timeoutMs} ms (${JSON.stringify(srv.exited())})\n${t}`);
	}
	log(`redis-server pid ${srv.pid} on 127.0.0.1:${port}`);
	return { host: '127.0.0.1', port, pid: srv.pid, tail: srv.tail, stop };
}

function userIds(name) {
	const line = fs
		.readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((l) => l.startsWith(`${name}:`));
	if (!line) throw new Error(`no user ${name} in /etc/passwd`);
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/** argv prefix that runs a command as `postgres` (Postgres refuses to run as root). */
function asPostgres(argv) {
	if (process.getuid && process.getuid() !== 0) return argv; // already unprivileged: run as ourselves
	return ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--', ...argv];
}

/**
 * A throwaway PostgreSQL cluster (initdb into a temp dir owned by postgres; trust auth; unix socket
 * in that dir; TCP on 127.0.0.1:<free port>) with database `database` created.
 * @returns {Promise<{ host: string, port: number, user: string, password: string, database: string, pid: number, version: string, psql: (sql: string) => Promise<string>, tail: () => string, stop: () => Promise<void> }>}
 */
export async function startPostgres({ logFile, database = 'n8n', timeoutMs = START_TIMEOUT_MS } = {}) {
	const bin = postgresBinDir();
	if (!bin) throw new Error('PostgreSQL not installed (call ensureServiceBinaries first)');
	const version = path.basename(path.dirname(bin));
	const port = await freePort();
	const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sivi-e2e-pg-'));
	const dataDir = path.join(root, 'data');
	const sockDir = path.join(root, 'sock');
	fs.mkdirSync(sockDir);
	if (process.getuid && process.getuid() === 0) {
		const { uid, gid } = userIds('postgres');
		fs.chmodSync(root, 0o700);
		fs.chownSync(root, uid, gid);
		fs.chownSync(sockDir, uid, gid);
	}
	const env = { ...process.env, LC_ALL: 'C', LANG: 'C', PGTZ: 'UTC' };
	const [initCmd, ...initArgs] = asPostgres([path.join(bin, 'initdb'), '-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
	const init = await run(initCmd, initArgs, { env, cwd: root, timeoutMs });
	if (init.rc !== 0 || init.timedOut) {
		fs.rmSync(root, { recursive: true, force: true });
		throw new Error(`initdb failed (rc=${init.rc}${init.timedOut ? ', timed out' : ''})\n${init.stdout.slice(-2000)}\n${init.stderr.slice(-2000)}`);
	}
	const [pgCmd, ...pgArgs] = asPostgres([
		path.join(bin, 'postgres'),
		'-D', dataDir,
		'-p', String(port),
		'-k', sockDir,
		'-c', 'listen_addresses=127.0.0.1',
		'-c', 'fsync=off',
		'-c', 'synchronous_commit=off',
		'-c', 'full_page_writes=off',
		'-c', 'max_connections=200',
	]);
	const srv = spawnServer('postgres', pgCmd, pgArgs, { logFile, env, cwd: root });
	const stop = async () => {
		await srv.stop('SIGINT', 15_000); // SIGINT = fast shutdown
		fs.rmSync(root, { recursive: true, force: true });
	};
	const psqlBin = path.join(bin, 'psql');
	const psql = async (sql, db = database) => {
		const [c, ...a] = asPostgres([psqlBin, '-h', sockDir, '-p', String(port), '-U', 'postgres', '-d', db, '-v', 'ON_ERROR_STOP=1', '-X', '-A', '-t', '-c', sql]);
		const r = await run(c, a, { env, cwd: root, timeoutMs: 30_000 });
		if (r.rc !== 0 || r.timedOut) throw new Error(`psql failed (rc=${r.rc}): ${sql}\n${r.stderr.slice(-2000)}`);
		return r.stdout;
	};
	try {
		const deadline = Date.now() + timeoutMs;
		if (!(await waitForPort(port, deadline, srv.exited))) {
			throw new Error(`postgres did not listen on 127.0.0.1:${port} within ${timeoutMs} ms (${JSON.stringify(srv.exited())})\n${srv.tail()}`);
		}
		// Accepting TCP is not the same as accepting queries (startup/recovery): retry a trivial query.
		for (;;) {
			try {
				await psql('SELECT 1', 'postgres');
				break;
			} catch (e) {
				if (Date.now() > deadline || srv.exited()) throw e;
				await new Promise((r) => setTimeout(r, 300));
			}
		}
		await psql(`CREATE DATABASE ${database}`, 'postgres');
	} catch (e) {
		await stop();
		throw e;
	}
	log(`postgres ${version} pid ${srv.pid} on 127.0.0.1:${port} (data ${dataDir})`);
	return { host: '127.0.0.1', port, user: 'postgres', password: 'postgres', database, pid: srv.pid, version, psql, tail: srv.tail, stop };
}

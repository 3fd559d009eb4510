// Builds the package and packs it exactly as it would be published (`files` field honoured).
// Runs on the host Node (20) — the package itself targets Node >= 20.15.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, RUNTIME_DIR, log, run } from './runtime.mjs';

export const WORK_DIR = path.join(REPO_ROOT, 'test', 'e2e', '.work');

/**
 * `npm run build` then `npm pack --pack-destination test/e2e/.work`.
 * @param {{ skipBuild?: boolean, timeoutMs?: number }} [opts]
 * @returns {Promise<string>} absolute path of the .tgz
 */
export async function buildAndPack({ skipBuild = false, timeoutMs = 5 * 60_000 } = {}) {
	fs.mkdirSync(WORK_DIR, { recursive: true });
	// Host Node/npm (20): never the runtime's Node 24, even if a caller put it on PATH.
	const env = { ...process.env };
	env.PATH = (env.PATH ?? '')
		.split(path.delimiter)
		.filter((p) => p && !path.resolve(p).startsWith(RUNTIME_DIR + path.sep))
		.join(path.delimiter);
	if (!skipBuild) {
		log('npm run build');
		const b = await run('npm', ['run', 'build'], { cwd: REPO_ROOT, env, timeoutMs });
		if (b.rc !== 0 || b.timedOut) {
			throw new Error(`npm run build failed (rc=${b.rc}${b.timedOut ? ', timed out' : ''})\n${b.stdout}\n${b.stderr}`);
		}
		log(`build done in ${(b.ms / 1000).toFixed(1)} s`);
	}
	const p = await run('npm', ['pack', '--json', '--pack-destination', WORK_DIR, '--loglevel=error'], {
		cwd: REPO_ROOT,
		env,
		timeoutMs,
	});
	if (p.rc !== 0 || p.timedOut) throw new Error(`npm pack failed (rc=${p.rc})\n${p.stdout}\n${p.stderr}`);
	// --json prints an array; scripts (prepack etc.) may print before it.
	const json = JSON.parse(p.stdout.slice(p.stdout.indexOf('[')));
	const tgz = path.join(WORK_DIR, json[0].filename);
	if (!fs.existsSync(tgz)) throw new Error(`npm pack did not produce ${tgz}`);
	const files = json[0].files.map((f) => f.path);
	if (files.some((f) => f.startsWith('node_modules/'))) throw new Error('tarball contains node_modules/');
	log(`packed ${path.relative(REPO_ROOT, tgz)} (${files.length} files, ${json[0].size} bytes)`);
	return tgz;
}

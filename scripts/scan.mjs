#!/usr/bin/env node
// Runs n8n's verification scanner (@n8n/scan-community-package) locally, the way the hosted scan
// does: once on the source tree, once on the contents of the packed tarball. The hosted CLI
// only accepts published packages, so we call its exported analyzePackage() directly.
// Usage: node scripts/scan.mjs [--no-build]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import {
	SOURCE_FILE_PATTERNS,
	analyzePackage,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = resolve(import.meta.dirname, '..');
const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

function run(command, args, cwd) {
	return execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

async function scan(label, dir, patterns) {
	const result = await analyzePackage(dir, patterns);
	console.log(`scan ${label}: ${result.passed ? 'passed' : 'FAILED'}${result.message ? ` (${result.message})` : ''}`);
	if (result.details) console.log(result.details);
	return result.passed;
}

const work = mkdtempSync(join(tmpdir(), 'sivi-scan-'));
try {
	if (!process.argv.includes('--no-build')) run('npm', ['run', 'build', '--silent'], root);
	run('npm', ['pack', '--silent', '--pack-destination', work], root);
	const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
	const extracted = join(work, 'package');
	run('tar', ['-xzf', join(work, tarball), '-C', work], root);

	const files = run('find', ['.', '-type', 'f'], extracted).split('\n').filter(Boolean).sort();
	const required = [
		'./dist/credentials/SiviApi.credentials.js',
		'./dist/nodes/Sivi/Sivi.node.js',
		'./dist/nodes/Sivi/Sivi.node.json',
		'./dist/nodes/SiviTrigger/SiviTrigger.node.js',
		'./dist/nodes/SiviTrigger/SiviTrigger.node.json',
		'./dist/icons/sivi.svg',
		'./dist/icons/sivi.dark.svg',
	];
	const missing = required.filter((file) => !files.includes(file));
	const strays = files.filter((file) => !file.startsWith('./dist/') && !['./package.json', './README.md', './LICENSE.md', './LICENSE'].includes(file));
	const testAssets = files.filter((file) => /simulator|\/test\//.test(file));
	console.log(`tarball ${tarball}: ${files.length} files`);
	if (missing.length) console.log(`tarball is missing: ${missing.join(', ')}`);
	if (strays.length) console.log(`tarball has files outside dist/: ${strays.join(', ')}`);
	if (testAssets.length) console.log(`tarball ships test assets: ${testAssets.join(', ')}`);

	const sourceOk = await scan('source', root, SOURCE_FILE_PATTERNS);
	const tarballOk = await scan('tarball', extracted, TARBALL_PATTERNS);
	process.exitCode = sourceOk && tarballOk && !missing.length && !strays.length && !testAssets.length ? 0 : 1;
} finally {
	rmSync(work, { recursive: true, force: true });
}

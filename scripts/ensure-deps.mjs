#!/usr/bin/env node
// Runs before `npm test` and `npm run demo`, so both work on a fresh clone as the only command:
// installs the devDependencies when node_modules is missing or older than the lockfile.
// (--ignore-scripts: eslint-plugin-n8n-nodes-base's preinstall demands pnpm.)
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
	process.stdout.write('Installing devDependencies (npm ci --ignore-scripts)…\n');
	execFileSync('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

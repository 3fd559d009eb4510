// The setup `npm run demo` and `npm run screenshots` share: this package built, packed and
// installed into a fresh n8n user folder, the "Sivi account" credential the examples use, and
// every examples/*.json workflow imported.
import fs from 'node:fs';
import path from 'node:path';

import { importCredentials, importWorkflows, installPackageTarball, newUserFolder } from './n8n.mjs';
import { buildAndPack } from './pack.mjs';
import { REPO_ROOT } from './runtime.mjs';

export const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');

/** The credential every example workflow refers to. */
export const EXAMPLE_CREDENTIAL = { id: 'siviCredential01', name: 'Sivi account', type: 'siviApi' };

/** examples/*.json, sorted by file name, as { file, workflow }. */
export function loadExamples() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({ file, workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')) }));
}

/**
 * Builds, packs and installs the package into a fresh user folder `name`, then imports the
 * credential (with `credentialData` = { apiKey, baseUrl }) and the examples.
 * @returns {Promise<{ userFolder: string, tarball: string, examples: Array<{ file: string, workflow: any }>, ids: string[] }>}
 */
export async function installWithExamples(name, credentialData) {
	const tarball = await buildAndPack();
	const userFolder = newUserFolder(name);
	await installPackageTarball(tarball, userFolder);
	await importCredentials(userFolder, [{ ...EXAMPLE_CREDENTIAL, data: credentialData }]);
	const examples = loadExamples();
	const ids = await importWorkflows(
		userFolder,
		examples.map((example) => example.workflow),
	);
	return { userFolder, tarball, examples, ids };
}

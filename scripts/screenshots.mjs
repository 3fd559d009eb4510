#!/usr/bin/env node
// `npm run screenshots` — README screenshots of the node in the REAL n8n editor, from the current code.
// Builds and packs this package, installs it into the pinned n8n 2.41.1 (same runtime as
// `npm run demo -- --editor`), starts the Sivi simulator, imports the "Sivi account" credential and
// the examples/*.json workflows, starts the editor on a free port, drives headless Chromium with
// playwright-core and writes 1400×900 light-theme PNGs into docs/screenshots/:
//   crm-to-ad-workflow.png        CRM-to-ad example canvas after "Execute workflow" (green checks, item counts)
//   design-from-content-node.png  the Sivi node panel of the "designs from content" example
//   generate-media-node.png       the Generate Image node panel with the Model dropdown open
//   node-output.png               the executed Create Ad Designs node with its JSON output
//   brand-picker.png              the Brand resource locator list (listSearch → simulator brand/get)
// Needs Chromium: `apt-get install -y chromium` (Debian), or CHROMIUM_PATH=/path/to/chrome.
// Exits non-zero when any screenshot could not be taken. No Sivi account, no credits.
//   npm run screenshots                  all of them
//   npm run screenshots -- brand-picker  only the named ones (file names without .png)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

import { freePort, startEditor } from '../test/e2e/lib/n8n.mjs';
import { ensureRuntime, REPO_ROOT } from '../test/e2e/lib/runtime.mjs';
import { installWithExamples } from '../test/e2e/lib/setup.mjs';

const require = createRequire(import.meta.url);
const OUT_DIR = path.join(REPO_ROOT, 'docs', 'screenshots');
const OWNER = { email: 'screenshots@example.com', password: 'Screenshots-Password-1' };
const VIEWPORT = { width: 1400, height: 900 };
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
// Chromium must not phone home: on a closed network its background connections are refused.
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const NDV_HANDLE_X = 570; // x of the NDV parameters column's drag handle (centre), see placeParametersColumn
const STEP_TIMEOUT_MS = 30_000; // any single wait in the browser
const RUN_TIMEOUT_MS = 90_000; // a workflow execution against the simulator
const TOTAL_TIMEOUT_MS = 20 * 60_000; // the whole script, runtime install excluded

const say = (text = '') => process.stdout.write(`${text}\n`);

// ─── page helpers ─────────────────────────────────────────────────────────────────────────────

const node = (name) => `[data-test-id="canvas-node"][data-node-name="${name.replace(/"/g, '\\"')}"]`;

/** Closes toasts, banners and any onboarding/survey modal that is in the way. Best effort. */
async function dismissOverlays(page, { modals = true } = {}) {
	const clickAll = async (selector) => {
		for (const element of await page.locator(selector).all()) {
			if (await element.isVisible().catch(() => false)) await element.click({ timeout: 2000 }).catch(() => {});
		}
	};
	await clickAll('.el-notification .el-notification__closeBtn');
	await clickAll('[data-test-id="banner-stack"] button:has([data-icon="x"])');
	if (modals) {
		// n8n's modals (personalization survey, NPS survey, "what's new", …) are element-plus dialogs.
		await clickAll('.el-overlay-dialog .el-dialog__headerbtn');
		await clickAll('[data-test-id="nps-survey-modal"] button:has([data-icon="x"])');
	}
	await page
		.locator('.el-notification')
		.first()
		.waitFor({ state: 'hidden', timeout: 5000 })
		.catch(() => {});
}

/** Opens a workflow; logs in through the form if the auth cookie was not accepted. */
async function openWorkflow(page, base, id) {
	await page.goto(`${base}/workflow/${id}`, { timeout: STEP_TIMEOUT_MS });
	const canvas = page.locator('[data-test-id="canvas-node"]').first();
	const signin = page.locator('input[name="emailOrLdapLoginId"], input[type="email"]').first();
	await Promise.race([canvas.waitFor({ timeout: STEP_TIMEOUT_MS }), signin.waitFor({ timeout: STEP_TIMEOUT_MS })]);
	if (await signin.isVisible().catch(() => false)) {
		await signin.fill(OWNER.email);
		await page.locator('input[type="password"]').first().fill(OWNER.password);
		await page.locator('[data-test-id="form-submit-button"], button[type="submit"]').first().click();
		await page.waitForURL(/\/(home|workflow)/, { timeout: STEP_TIMEOUT_MS });
		await page.goto(`${base}/workflow/${id}`, { timeout: STEP_TIMEOUT_MS });
		await canvas.waitFor({ timeout: STEP_TIMEOUT_MS });
	}
	await page.waitForLoadState('networkidle', { timeout: STEP_TIMEOUT_MS }).catch(() => {});
	await dismissOverlays(page);
}

/** Clicks "Execute workflow" and waits until every given node shows its success mark. */
async function executeWorkflow(page, nodeNames) {
	await page.locator('[data-test-id="execute-workflow-button"]').click({ timeout: STEP_TIMEOUT_MS });
	for (const name of nodeNames) {
		await page.locator(`${node(name)} [data-test-id="canvas-node-status-success"]`).waitFor({ timeout: RUN_TIMEOUT_MS });
	}
	await dismissOverlays(page);
}

/** Opens a node's panel (NDV) and waits for its parameters. */
async function openNode(page, name) {
	await page.locator(node(name)).dblclick({ timeout: STEP_TIMEOUT_MS });
	await page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"]').waitFor({ timeout: STEP_TIMEOUT_MS });
	await page.waitForLoadState('networkidle', { timeout: STEP_TIMEOUT_MS }).catch(() => {});
	await dismissOverlays(page, { modals: false });
	await placeParametersColumn(page);
}

/**
 * Same NDV layout in every shot, whatever n8n remembered: the parameters column's drag handle is
 * moved to NDV_HANDLE_X, which narrows the input column and leaves more room for the output.
 */
async function placeParametersColumn(page) {
	let lastX;
	for (let attempt = 0; attempt < 4; attempt++) {
		const box = await page.locator('[data-test-id="ndv"] [data-test-id="panel-drag-button"]').boundingBox();
		if (!box) return;
		const x = box.x + box.width / 2;
		const y = box.y + box.height / 2;
		if (Math.abs(x - NDV_HANDLE_X) < 3 || (attempt > 0 && Math.abs(x - lastX) < 1)) return; // there, or as far as n8n lets it go
		lastX = x;
		await page.mouse.move(x, y);
		await page.mouse.down();
		await page.mouse.move(NDV_HANDLE_X, y, { steps: 12 });
		await page.mouse.up();
		await page.waitForTimeout(300);
	}
}

async function closeNode(page) {
	const close = page.locator('[data-test-id="ndv-close-button"]');
	if (await close.isVisible().catch(() => false)) await close.click();
	await page.locator('[data-test-id="ndv"]').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS }).catch(() => {});
}

/** Waits until an options parameter's select shows a label containing `text` (e.g. loaded loadOptions). */
async function waitForSelectLabel(page, parameterName, text) {
	await page.waitForFunction(
		([name, needle]) => document.querySelector(`[data-test-id="ndv"] [data-test-id="parameter-input-${name}"] input`)?.value?.includes(needle),
		[parameterName, text],
		{ timeout: STEP_TIMEOUT_MS },
	);
}

/** Scrolls the parameter list so that a parameter sits right under the Parameters/Settings tabs. */
async function scrollParameterToTop(page, parameterName) {
	const ndv = page.locator('[data-test-id="ndv"]');
	const tabsBottom = await ndv
		.locator('[data-test-id="tab-params"]')
		.first()
		.evaluate((tab) => tab.parentElement.getBoundingClientRect().bottom);
	await ndv
		.locator(`[data-test-id="${parameterName}-parameter-input-options-container"]`)
		.first()
		.evaluate((element, top) => {
			const item = element.closest('[data-test-id="parameter-item"]') ?? element;
			let scroller = item.parentElement;
			while (scroller && !(scroller.scrollHeight > scroller.clientHeight && /(auto|scroll)/.test(getComputedStyle(scroller).overflowY))) {
				scroller = scroller.parentElement;
			}
			if (!scroller) return;
			scroller.scrollTop += item.getBoundingClientRect().top - (top + 10);
		}, tabsBottom);
	await page.waitForTimeout(300);
}

/** Fails when something that must not be in a README screenshot is on screen. */
async function assertClean(page) {
	if (/\/signin/.test(page.url())) throw new Error(`on the sign-in page (${page.url()})`);
	const spinner = page.locator('.el-loading-mask, [data-test-id="loading"]').first();
	await spinner.waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS }).catch(() => {
		throw new Error('a loading spinner is still visible');
	});
	const errorToast = page.locator('.el-notification--error, .el-notification:has(.el-notification__icon.el-icon-error)');
	if (await errorToast.first().isVisible().catch(() => false)) {
		throw new Error(`error toast: ${(await errorToast.first().innerText()).slice(0, 300)}`);
	}
}

async function save(page, file) {
	await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height - 5).catch(() => {});
	await page.waitForTimeout(400); // let hover styles and transitions settle
	await assertClean(page);
	const target = path.join(OUT_DIR, file);
	await page.screenshot({ path: target, animations: 'disabled', caret: 'hide', timeout: STEP_TIMEOUT_MS });
	say(`  ✓ ${path.relative(REPO_ROOT, target)}`);
}

// ─── the screenshots ──────────────────────────────────────────────────────────────────────────

const SHOTS = [
	{
		name: 'crm-to-ad-workflow',
		workflow: 'crm-to-ad.json',
		async take(page, { workflow }) {
			const names = workflow.nodes.map((n) => n.name);
			await executeWorkflow(page, names);
			await page.locator('[data-test-id="edge-label"]', { hasText: /item/ }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
			await save(page, 'crm-to-ad-workflow.png');
		},
	},
	{
		name: 'node-output',
		workflow: 'crm-to-ad.json',
		async take(page, { workflow, executed }) {
			const sivi = workflow.nodes.find((n) => n.type === 'n8n-nodes-sivi.sivi');
			if (!executed) await executeWorkflow(page, workflow.nodes.map((n) => n.name));
			await openNode(page, sivi.name);
			const output = page.locator('[data-test-id="output-panel"]');
			await output.locator('[data-test-id="radio-button-json"]').click({ timeout: STEP_TIMEOUT_MS });
			await output.locator('[data-test-id="ndv-data-container"]', { hasText: '"variants"' }).waitFor({ timeout: STEP_TIMEOUT_MS });
			await save(page, 'node-output.png');
			await closeNode(page);
		},
	},
	{
		name: 'design-from-content-node',
		workflow: 'design-from-content.json',
		async take(page, { workflow }) {
			const sivi = workflow.nodes.find((n) => n.type === 'n8n-nodes-sivi.sivi');
			await openNode(page, sivi.name);
			// The dependent Size dropdown (loadOptions) shows its label with the pixel size once loaded.
			await waitForSelectLabel(page, 'subtype', '×');
			await page.locator('[data-test-id="parameter-input-designMode"]').waitFor({ timeout: STEP_TIMEOUT_MS });
			await scrollParameterToTop(page, 'designType');
			await save(page, 'design-from-content-node.png');
			await closeNode(page);
		},
	},
	{
		name: 'generate-media-node',
		workflow: 'generate-media.json',
		async take(page, { workflow }) {
			const sivi = workflow.nodes.find((n) => n.type === 'n8n-nodes-sivi.sivi');
			await openNode(page, sivi.name);
			await waitForSelectLabel(page, 'dimensions', '×');
			await page.locator('[data-test-id="parameter-input-model"] input').click({ timeout: STEP_TIMEOUT_MS });
			await page
				.locator('.el-select-dropdown__item:visible', { hasText: 'credits per image' })
				.first()
				.waitFor({ timeout: STEP_TIMEOUT_MS });
			await save(page, 'generate-media-node.png');
			await page.keyboard.press('Escape');
			await closeNode(page);
		},
	},
	{
		name: 'brand-picker',
		workflow: 'generate-media.json',
		async take(page, { workflow }) {
			const sivi = workflow.nodes.find((n) => n.type === 'n8n-nodes-sivi.sivi');
			await openNode(page, sivi.name);
			await page.locator('[data-test-id="resource-locator-brandId"] [data-test-id="rlc-input"]').click({ timeout: STEP_TIMEOUT_MS });
			await page.locator('[data-test-id="rlc-item"]', { hasText: 'Brand' }).first().waitFor({ timeout: STEP_TIMEOUT_MS });
			await save(page, 'brand-picker.png');
			await page.keyboard.press('Escape');
			await closeNode(page);
		},
	},
];

// ─── main ─────────────────────────────────────────────────────────────────────────────────────

async function main() {
	const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
	const unknown = wanted.filter((name) => !SHOTS.some((shot) => shot.name === name.replace(/\.png$/, '')));
	if (unknown.length) throw new Error(`unknown screenshot(s): ${unknown.join(', ')} (known: ${SHOTS.map((s) => s.name).join(', ')})`);
	const shots = wanted.length ? SHOTS.filter((shot) => wanted.some((name) => name.replace(/\.png$/, '') === shot.name)) : SHOTS;

	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`Chromium not found at ${CHROMIUM}: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH`);
	}
	let chromium;
	try {
		({ chromium } = await import('playwright-core'));
	} catch {
		throw new Error('playwright-core is missing: run npm install');
	}

	say('Preparing n8n 2.41.1 on Node 24 (first run on this machine installs it into ~/.cache/n8n-nodes-sivi/runtime, about 6 minutes)…');
	await ensureRuntime();
	const watchdog = setTimeout(() => {
		process.stderr.write(`screenshots: gave up after ${TOTAL_TIMEOUT_MS / 60_000} minutes\n`);
		process.exit(1); // runtime.mjs kills the editor's process group on exit
	}, TOTAL_TIMEOUT_MS);
	watchdog.unref();

	const { startSimulator } = require('../test/simulator');
	const sim = await startSimulator({ jobDurationMs: 1500, port: 0 });
	say('Building n8n-nodes-sivi and installing it with the examples…');
	const { userFolder, examples, ids } = await installWithExamples('screenshots', { apiKey: sim.apiKey, baseUrl: sim.baseUrl });
	let editor;
	let context;
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sivi-screenshots-chromium-'));
	const failures = [];
	try {
		const byFile = Object.fromEntries(examples.map((example, index) => [example.file, { id: ids[index], workflow: example.workflow }]));

		const port = await freePort();
		editor = await startEditor(userFolder, { port, owner: OWNER });
		const base = `http://localhost:${port}`; // N8N_EDITOR_BASE_URL, where the cookie belongs
		say(`n8n editor on ${base}, Sivi simulator on ${sim.baseUrl}`);

		context = await chromium.launchPersistentContext(userDataDir, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			viewport: VIEWPORT,
			deviceScaleFactor: 1,
			colorScheme: 'light',
			locale: 'en-US',
			timezoneId: 'UTC',
		});
		context.setDefaultTimeout(STEP_TIMEOUT_MS);
		context.setDefaultNavigationTimeout(STEP_TIMEOUT_MS);
		await context.addInitScript(() => {
			try {
				window.localStorage.setItem('N8N_THEME', 'light');
			} catch {
				/* storage not ready */
			}
		});
		if (editor.cookie) {
			const [name, value] = editor.cookie.split(/=(.*)/s);
			await context.addCookies([{ name, value, domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Lax' }]);
		}
		const page = context.pages()[0] ?? (await context.newPage());

		fs.mkdirSync(OUT_DIR, { recursive: true });
		say(`Taking ${shots.length} screenshot(s) into ${path.relative(REPO_ROOT, OUT_DIR)}/`);
		let current; // { file, executed } of the workflow open in the page
		for (const shot of shots) {
			const example = byFile[shot.workflow];
			try {
				if (!example) throw new Error(`examples/${shot.workflow} not found`);
				if (current?.file !== shot.workflow) {
					await openWorkflow(page, base, example.id);
					current = { file: shot.workflow, executed: false };
				}
				await shot.take(page, { workflow: example.workflow, executed: current.executed });
				if (shot.name === 'crm-to-ad-workflow' || shot.name === 'node-output') current.executed = true;
			} catch (error) {
				failures.push(shot.name);
				say(`  ✗ ${shot.name}.png: ${String(error?.message ?? error).split('\n')[0]}`);
				const debug = path.join(os.tmpdir(), `sivi-screenshot-failed-${shot.name}.png`);
				await page.screenshot({ path: debug }).then(() => say(`    (page at that moment: ${debug})`)).catch(() => {});
				current = undefined; // reload the workflow for the next shot
				await page.keyboard.press('Escape').catch(() => {});
			}
		}
	} finally {
		await context?.close().catch(() => {});
		await editor?.stop();
		await sim.close();
		fs.rmSync(userDataDir, { recursive: true, force: true });
		clearTimeout(watchdog);
	}
	if (failures.length) {
		say(`\n${failures.length} screenshot(s) failed: ${failures.join(', ')}`);
		process.exitCode = 1;
	} else {
		say(`\nAll ${shots.length} screenshot(s) written.`);
	}
}

main().catch((error) => {
	process.stderr.write(`${error.stack ?? error}\n`);
	process.exit(1);
});

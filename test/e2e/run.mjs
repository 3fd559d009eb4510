#!/usr/bin/env node
// End-to-end suite (`npm run test:e2e`): the packed n8n-nodes-sivi inside real n8n (Node 24),
// installed the way each n8n version's community-package installer does it, against the Sivi
// simulator on loopback. The same suite runs against every n8n version of the matrix, one after
// the other: n8n 2.41.1 and n8n 1.123.81 (the last 1.x line), both on Node 24.21.0.
//
//   node test/e2e/run.mjs [--n8n=all|2.41.1|1.123.81|<v>,<v>] [--only=<areas>] [--keep]
//     --n8n:  which versions (default all, in the order of N8N_VERSIONS: 2.41.1 first)
//     --keep: leave the n8n user folders for inspection
//     --only: only the workflows of test/e2e/specs/<area>.mjs, e.g. --only=brand,font
//
// Build + pack once (host Node 20; under all.mjs the tier's tarball, SIVI_E2E_TGZ). Then per n8n
// version:
// 1. The n8n instance (lib/instance.mjs): the shared long-running `n8n start` of `npm run
//    test:e2e`, or, run alone, one of its own (runtime from the per-machine cache, the tarball
//    installed the community-installer way, the broken copy of step 5 beside it, `n8n start`).
//    Check that every bare module the package requires at runtime resolves to that n8n's own copy.
// 2. Start the simulator (1.5 s jobs, 4 running, queue of 10; 600 requests/min, matched in the
//    credential's Custom plan: this suite checks operations, the concurrency suite the window),
//    create the credentials and every workflow of examples/ and test/e2e/workflows/ over REST.
// 3. Run them in batches, up to 10 at once, through REST (/rest/workflows/:id/run, as the editor's
//    "Execute workflow"); results are read from n8n's DB (same tables in both versions):
//      examples   – every shipped example (examples/*.json)
//      extras-1/2 – test/e2e/workflows/* that need no special simulator state
//      areas      – the batches of test/e2e/specs/*.mjs: brands, media library, fonts, design
//                   copy and variants (each area file holds its workflows' expectations)
//      poll-429   – first and alone, with a burst of 429 answers on status polls set beforehand
//      bad-input  – alone, so "nothing reached the simulator" can be asserted on its counters
//    The rate-limit window and the counters are reset before each batch, so counters are per batch.
// 4. Assert outputs, binaries (sha256 of n8n's stored file vs. what the simulator serves),
//    per-item errors, the simulator's counters and jobs (every job belongs to exactly one
//    workflow, matched by unique prompt/name text: no duplicate submits).
// 5. Last: harness-can-fail.mjs (a broken copy of the package, installed beside it, must fail its run).
// One PASS/FAIL line per check, each labelled with its n8n version ("PASS [n8n 1.123.81] …"),
// a summary per version, then one line `N passed, M failed`; exit 1 on any failure. Every wait has
// a timeout; the watchdog allows SUITE_TIMEOUT_MS per version after its runtime is ready.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureRuntime, log, N8N_VERSIONS, REPO_ROOT, useN8nVersion } from './lib/runtime.mjs';
import { buildAndPack } from './lib/pack.mjs';
import { useInstance } from './lib/instance.mjs';
import { binaryDataDir, isN8nCopy, n8nMajor, packageVersionOf, probeResolution } from './lib/n8n.mjs';
import { buildBrokenTarball, runHarnessCanFail } from './harness-can-fail.mjs';

const require = createRequire(import.meta.url);
const ARGS = new Set(process.argv.slice(2));
const KEEP = ARGS.has('--keep');
const N8N_ARG = [...ARGS].find((a) => a.startsWith('--n8n='))?.slice('--n8n='.length) ?? 'all';
const VERSIONS = N8N_ARG === 'all' ? N8N_VERSIONS : N8N_ARG.split(',').filter(Boolean);
// --only=<area>[,<area>]: just the workflows of test/e2e/specs/<area>.mjs (while developing an area).
const ONLY = [...ARGS].find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',').filter(Boolean);
for (const a of ARGS) if (a !== '--keep' && !a.startsWith('--n8n=') && !a.startsWith('--only=')) throw new Error(`unknown argument ${a} (use --n8n=<versions|all>, --only=<areas>, --keep)`);
for (const v of VERSIONS) if (!N8N_VERSIONS.includes(v)) throw new Error(`--n8n=${v}: not one of ${N8N_VERSIONS.join(', ')}`);
const SUITE_TIMEOUT_MS = 20 * 60_000; // per version, everything after its runtime is ready (normally ~2 min)
const BATCH_TIMEOUT_MS = 4 * 60_000;
const JOB_DURATION_MS = 1500;
// This suite checks what each operation does, not the rate window (the concurrency suite does, on
// the General plan): a plan with more requests per minute, matched in the simulator, keeps ~125
// requests per version from waiting on a 50-per-minute window.
const PLAN = { requestsPerMinute: 600, concurrency: 4, queueSize: 10 };
const NODE_TYPE = 'n8n-nodes-sivi.sivi';
const CRED = { id: 'siviCredential01', name: 'Sivi account' };
const BAD_CRED = { id: 'siviBadKeyCred01', name: 'Sivi wrong key' };
const EXAMPLES_DIR = path.join(REPO_ROOT, 'examples');
const WORKFLOWS_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'workflows');
const SEEDED_PHOTO = '/files/media-0001.jpg'; // a seeded media file of the simulator's workspace

// ───────────────────────────────────────────────────────────── reporting
const results = [];
let current = null; // the n8n version whose suite is running; labels every check
const tag = () => (current ? `[n8n ${current}] ` : '');
function check(ok, name, detail) {
	const pass = !!ok;
	results.push({ pass, name: `${tag()}${name}`, version: current });
	const d = detail === undefined ? '' : ` — ${typeof detail === 'string' ? detail : JSON.stringify(detail)}`;
	console.log(`${pass ? 'PASS' : 'FAIL'} ${tag()}${name}${pass ? '' : d.slice(0, 1500)}`);
	return pass;
}
const info = (...a) => log(`INFO ${tag()}`.trimEnd(), ...a);
const phases = [];
async function phase(name, fn) {
	const t = Date.now();
	const label = `${tag()}${name}`;
	log(`── ${label}`);
	try {
		return await fn();
	} finally {
		phases.push({ name: label, ms: Date.now() - t, version: current });
	}
}

// ───────────────────────────────────────────────────────────── output helpers
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex');
const runOf = (out, node) => out?.data?.resultData?.runData?.[node]?.[0];
const itemsOf = (out, node) => runOf(out, node)?.data?.main?.[0] ?? [];
const runError = (out) => out?.data?.resultData?.error;
const errText = (e) => (e ? `${e.message ?? ''} ${e.description ?? ''}` : '');
const isUrl = (u) => typeof u === 'string' && /^https?:\/\//.test(u);

/** Bytes of a binary entry as n8n stored them (filesystem mode), or null. */
function binaryBytes(userFolder, bin) {
	if (!bin) return null;
	const id = String(bin.id ?? '');
	const m = /^filesystem(?:-v2)?:(.+)$/.exec(id);
	if (m) {
		const file = path.join(binaryDataDir(userFolder), m[1]);
		return fs.existsSync(file) ? fs.readFileSync(file) : null;
	}
	if (bin.data && bin.data !== 'filesystem' && bin.data !== 'filesystem-v2') return Buffer.from(bin.data, 'base64');
	return null;
}

// ───────────────────────────────────────────────────────────── per-workflow context
function makeCtx({ label, result, sim, userFolder, counters }) {
	const out = result?.output;
	const c = (ok, what, detail) => check(ok, `[${label}] ${what}`, detail);
	const ctx = {
		label,
		result,
		out,
		sim,
		userFolder,
		counters,
		check: c,
		items: (node) => itemsOf(out, node),
		error: () => runError(out),
		ran: (node) => !!runOf(out, node),
		jobs: (marker) => sim.jobs().filter((j) => JSON.stringify(j.payload).includes(marker)),
		succeeded() {
			return c(result?.status === 'success' && !runError(out), 'execution succeeded', { status: result?.status, error: errText(runError(out)) });
		},
		failedWith(re) {
			const e = runError(out);
			c(result?.status === 'error' && !!e, 'execution failed', { status: result?.status });
			return c(re.test(errText(e)), `error says ${re}`, errText(e));
		},
		/** Exactly `n` simulator jobs carry `marker`; returns them. */
		expectJobs(marker, n) {
			const js = ctx.jobs(marker);
			c(js.length === n, `${n} simulator job(s) for "${marker}"`, js.map((j) => j.requestId));
			return js;
		},
		/** The binary entry's stored bytes hash to what the simulator serves at url. */
		binaryMatches(bin, url, what) {
			const bytes = binaryBytes(userFolder, bin);
			const served = sim.servedImageSha256(url);
			return c(
				!!bytes && bytes.length > 0 && !!served && sha256(bytes) === served && bin.mimeType === 'image/jpeg' && (bin.bytes === undefined || bin.bytes === bytes.length),
				`${what}: stored binary (${bin?.fileName ?? 'missing'}) sha256 = simulator's bytes for ${url}`,
				{ id: bin?.id, stored: bytes ? sha256(bytes) : null, served, mimeType: bin?.mimeType, bytes: bin?.bytes, storedBytes: bytes?.length },
			);
		},
		completedMedia(item, { download, field = 'data' } = {}, what = 'item') {
			const j = item?.json ?? {};
			c(j.status === 'completed' && typeof j.requestId === 'string' && j.requestId.length > 0, `${what}: status completed with requestId`, j);
			const img = j.images?.[0];
			c(Array.isArray(j.images) && j.images.length === 1 && isUrl(img?.url) && typeof img?.mId === 'string' && sim.servedImageSha256(img.url) !== null, `${what}: images[0] has a served url and mId`, j.images);
			c(!!j.result, `${what}: raw result kept`);
			if (download) ctx.binaryMatches(item?.binary?.[field], img?.url, `${what} binary.${field}`);
			else c(!item?.binary || Object.keys(item.binary).length === 0, `${what}: no binary (download off)`, Object.keys(item?.binary ?? {}));
			return j;
		},
		completedDesign(item, { variants, job, download }, what = 'item') {
			const j = item?.json ?? {};
			c(j.status === 'completed' && typeof j.requestId === 'string', `${what}: status completed with requestId`, { status: j.status, requestId: j.requestId });
			c(typeof j.designId === 'string' && isUrl(j.link) && isUrl(j.shareLink), `${what}: designId, link and shareLink`, { designId: j.designId, link: j.link, shareLink: j.shareLink });
			const vs = j.variants ?? [];
			c(vs.length === variants, `${what}: ${variants} variant(s)`, vs.length);
			const okVariants = vs.every(
				(v) =>
					typeof v.id === 'string' &&
					isUrl(v.imageUrl) &&
					sim.servedImageSha256(v.imageUrl) !== null &&
					isUrl(v.editLink) &&
					v.type === 'GENERATED' &&
					(!job || (v.width === job.width && v.height === job.height)),
			);
			c(okVariants, `${what}: every variant has id, served imageUrl, editLink, type and the job's size`, vs);
			c(Array.isArray(vs[0]?.options) && vs[0].options.length === 1 && isUrl(vs[0].options[0].imageUrl), `${what}: variant 1 carries its option`, vs[0]?.options);
			if (job) c(j.requestId === job.requestId && j.designId === job.designId, `${what}: requestId/designId are the simulator job's`, { got: [j.requestId, j.designId], job: [job.requestId, job.designId] });
			if (download) {
				const urls = [];
				for (const v of vs) {
					urls.push(v.imageUrl);
					for (const o of v.options ?? []) urls.push(o.imageUrl);
				}
				const keys = urls.map((_, i) => (i === 0 ? 'data' : `data_${i}`));
				c(JSON.stringify(Object.keys(item?.binary ?? {}).sort()) === JSON.stringify([...keys].sort()), `${what}: binary fields ${keys.join(', ')}`, Object.keys(item?.binary ?? {}));
				urls.forEach((u, i) => ctx.binaryMatches(item?.binary?.[keys[i]], u, `${what} binary.${keys[i]}`));
			} else {
				c(!item?.binary || Object.keys(item.binary).length === 0, `${what}: no binary (download off)`, Object.keys(item?.binary ?? {}));
			}
			return j;
		},
		paired(items, expected, what) {
			return c(
				items.length === expected.length && items.every((it, i) => (Array.isArray(it.pairedItem) ? it.pairedItem[0] : it.pairedItem)?.item === expected[i]),
				`${what}: pairedItem ${JSON.stringify(expected)}`,
				items.map((it) => it.pairedItem),
			);
		},
	};
	return ctx;
}

// ───────────────────────────────────────────────────────────── expectations per workflow
// jobs: marker text → number of simulator jobs the workflow must create (0 = must not submit).
const SPECS = {
	// ── examples/
	siviExGenMedia01: {
		batch: 'examples',
		jobs: { 'Flat-lay of a ceramic mug on linen': 1 },
		assert(x) {
			x.succeeded();
			const items = x.items('Generate Image');
			x.check(items.length === 1, '1 output item', items.length);
			const [job] = x.expectJobs('Flat-lay of a ceramic mug on linen', 1);
			x.completedMedia(items[0], { download: true });
			if (job) {
				x.check(items[0]?.json.requestId === job.requestId, 'requestId is the simulator job', [items[0]?.json.requestId, job.requestId]);
				x.check(job.payload.model === 'flux-schnell' && job.payload.negativePrompt === 'text, watermark' && job.width === 1344 && job.height === 768, 'submitted model, negative prompt and size 1344x768', job.payload);
				x.check(job.payload.bId === 'b_default0001', "empty brand became the workspace's default brand", job.payload.bId);
			}
		},
	},
	siviExEnhance001: {
		batch: 'examples',
		jobs: { 'Place this product on a marble kitchen counter': 1 },
		assert(x) {
			x.succeeded();
			const items = x.items('Enhance Photo');
			x.check(items.length === 1, '1 output item', items.length);
			const [job] = x.expectJobs('Place this product on a marble kitchen counter', 1);
			x.completedMedia(items[0], { download: true });
			if (job) {
				x.check(
					job.payload.model === 'nano-banana:1k' && JSON.stringify(job.payload.assets) === JSON.stringify({ photo: [{ url: 'https://images.example.com/products/mug.jpg' }] }),
					'submitted model and the image URL to enhance as assets.photo',
					job.payload,
				);
			}
		},
	},
	siviExContent001: {
		batch: 'examples',
		jobs: { 'Spring sale banner': 1 },
		assert(x) {
			x.succeeded();
			const items = x.items('Create Designs');
			x.check(items.length === 1, '1 output item', items.length);
			const [job] = x.expectJobs('Spring sale banner', 1);
			x.completedDesign(items[0], { variants: 2, job, download: false });
			if (job) {
				const p = job.payload;
				x.check(
					p.type === 'instagram' && p.subtype === 'instagram-post' && p.numOfVariants === 2 && p.content?.title === 'Fresh styles for spring' && Array.isArray(p.content?.bulletlist) && p.content.bulletlist.length === 2,
					'submitted type, subtype, 2 variants, title and bullet list',
					p,
				);
				x.check(job.width === 1080 && job.height === 1080, 'instagram-post is 1080x1080', [job.width, job.height]);
				x.check(p.assets?.images?.[0]?.imagePreference?.crop === true && p.assets?.logos?.[0]?.logoStyles?.join() === 'direct,neutral', 'submitted image preference and logo styles', p.assets);
			}
		},
	},
	siviExPrompt0001: {
		batch: 'examples',
		jobs: { 'Autumn coffee promo for a neighbourhood cafe': 1 },
		assert(x) {
			x.succeeded();
			const items = x.items('Create Designs');
			x.check(items.length === 1, '1 output item', items.length);
			const [job] = x.expectJobs('Autumn coffee promo for a neighbourhood cafe', 1);
			x.completedDesign(items[0], { variants: 1, job, download: true });
			if (job) x.check(job.payload.subtype === 'displayAds-inline-rectangle' && job.numOfVariants === 1, 'submitted subtype and 1 variant', job.payload);
		},
	},
	siviExStatus0001: {
		batch: 'examples',
		jobs: { 'Grand opening poster for a bakery': 1 },
		assert(x) {
			x.succeeded();
			const sub = x.items('Submit Design');
			const res = x.items('Get Result');
			const [job] = x.expectJobs('Grand opening poster for a bakery', 1);
			x.check(sub.length === 1 && sub[0].json.status === 'submitted' && sub[0].json.requestId === job?.requestId && typeof sub[0].json.designId === 'string', 'Submit Design (wait off): status submitted with the requestId and designId', sub[0]?.json);
			x.check(!sub[0]?.binary, 'Submit Design: no binary');
			x.check(res.length === 1, 'Get Result: 1 item', res.length);
			x.completedDesign(res[0], { variants: 1, job, download: false }, 'Get Result (wait on)');
			x.check(res[0]?.json.designId === sub[0]?.json.designId, 'Get Result: same designId as the submit', [res[0]?.json.designId, sub[0]?.json.designId]);
		},
	},
	siviExCrmToAd001: {
		batch: 'examples',
		jobs: { 'Linen Shirt ad': 1, 'Canvas Sneakers ad': 1, 'Leather Backpack ad': 1 },
		assert(x) {
			x.succeeded();
			const products = ['Linen Shirt', 'Canvas Sneakers', 'Leather Backpack'];
			const ads = x.items('Create Ad Designs');
			const shaped = x.items('Shape For Delivery');
			x.check(ads.length === 3, 'Create Ad Designs: 3 items', ads.length);
			x.paired(ads, [0, 1, 2], 'Create Ad Designs');
			products.forEach((p, i) => {
				const [job] = x.expectJobs(`${p} ad`, 1);
				x.completedDesign(ads[i], { variants: 1, job, download: false }, `item ${i} (${p})`);
				if (job) x.check(job.payload.content?.title === p && job.payload.assets?.images?.[0]?.imagePreference?.removeBg === true, `item ${i}: submitted title "${p}" and image with removeBg`, job.payload);
			});
			x.check(shaped.length === 3, 'Shape For Delivery: 3 items', shaped.length);
			x.paired(shaped, [0, 1, 2], 'Shape For Delivery');
			// n8n 1.123.81 (its default `vm` expression engine) evaluates $('Products From CRM').item —
			// any $('…') — to null, with or without the Sivi node in between (checked with Code/Set
			// nodes only, in CLI and webhook runs; N8N_EXPRESSION_ENGINE=legacy gives the right value).
			// That is n8n's bug, not the node's: on 1.x `product` may be null, everything else must line up.
			const exprBug = n8nMajor(current) < 2;
			x.check(
				shaped.every((s, i) => (s.json.product === products[i] || (exprBug && s.json.product === null)) && s.json.adImageUrl === ads[i]?.json.variants?.[0]?.imageUrl && s.json.editInSivi === ads[i]?.json.variants?.[0]?.editLink && s.json.requestId === ads[i]?.json.requestId),
				exprBug
					? "Shape For Delivery: ad image, edit link and requestId line up per item; product is right or null (n8n 1.123.81's vm expression engine returns null for $('…'))"
					: 'Shape For Delivery: product, ad image, edit link and requestId line up per item',
				shaped.map((s) => s.json),
			);
			if (exprBug) info(`crm-to-ad on n8n ${current}: Shape For Delivery product = ${JSON.stringify(shaped.map((s) => s.json.product))} ($('Products From CRM').item under n8n's default expression engine)`);
			x.check(new Set(ads.map((a) => a.json.requestId)).size === 3, '3 distinct requestIds');
		},
	},

	// ── test/e2e/workflows/
	siviE2eMediaNW01: {
		batch: 'extras-1',
		jobs: { 'e2e media-nowait': 1 },
		assert(x) {
			x.succeeded();
			const sub = x.items('Submit Image');
			const st = x.items('Check Status');
			const [job] = x.expectJobs('e2e media-nowait', 1);
			x.check(sub.length === 1 && sub[0].json.status === 'submitted' && sub[0].json.requestId === job?.requestId && !sub[0].json.images, 'Submit Image (wait off): status submitted with the requestId, no images', sub[0]?.json);
			x.check(!sub[0]?.binary, 'Submit Image: no binary (nothing downloaded without waiting)');
			x.check(st.length === 1 && st[0].json.requestId === job?.requestId && ['pending', 'processing'].includes(st[0].json.status) && !st[0].json.images, 'Check Status (wait off): same requestId, still pending/processing, no images', st[0]?.json);
			x.check(!st[0]?.binary, 'Check Status: no binary');
		},
	},
	siviE2eContNW001: {
		batch: 'extras-1',
		jobs: { 'e2e content-nowait poster': 1 },
		assert(x) {
			x.succeeded();
			const it = x.items('Submit Design');
			const [job] = x.expectJobs('e2e content-nowait poster', 1);
			const j = it[0]?.json ?? {};
			x.check(it.length === 1 && j.status === 'submitted' && j.requestId === job?.requestId && j.designId === job?.designId && isUrl(j.link) && isUrl(j.shareLink) && !j.variants, 'design from content (wait off): submitted, requestId, designId, links, no variants', j);
		},
	},
	siviE2ePromNW001: {
		batch: 'extras-1',
		jobs: { 'e2e prompt-nowait': 1 },
		assert(x) {
			x.succeeded();
			const it = x.items('Submit Design');
			const [job] = x.expectJobs('e2e prompt-nowait', 1);
			const j = it[0]?.json ?? {};
			x.check(it.length === 1 && j.status === 'submitted' && j.requestId === job?.requestId && j.designId === job?.designId && !j.variants, 'design from prompt (wait off): submitted, requestId, designId, no variants', j);
		},
	},
	siviE2eResume001: {
		batch: 'extras-1',
		jobs: { 'e2e resume': 1 },
		assert(x) {
			x.succeeded();
			const sub = x.items('Submit Image');
			const res = x.items('Get Result');
			const [job] = x.expectJobs('e2e resume', 1);
			x.check(sub[0]?.json.status === 'submitted' && sub[0]?.json.requestId === job?.requestId, 'Submit Image (wait off): submitted', sub[0]?.json);
			x.check(res.length === 1, 'Get Result: 1 item', res.length);
			const j = x.completedMedia(res[0], { download: true }, 'Get Result (wait on, download)');
			x.check(j.requestId === job?.requestId, 'Get Result: resumed the same job', [j.requestId, job?.requestId]);
		},
	},
	siviE2eFailCont1: {
		batch: 'extras-2',
		jobs: { 'e2e fail-continue ok': 1, 'e2e fail-continue bad': 1 },
		assert(x) {
			x.succeeded();
			const items = x.items('Generate Images');
			const [okJob] = x.expectJobs('e2e fail-continue ok', 1);
			const [badJob] = x.expectJobs('e2e fail-continue bad', 1);
			x.check(items.length === 2, '2 output items (one per input, in order)', items.length);
			x.paired(items, [0, 1], 'Generate Images');
			const ok = x.completedMedia(items[0], { download: false }, 'item 0');
			x.check(ok.requestId === okJob?.requestId, 'item 0: requestId of its job');
			x.check(badJob?.status === 'failed', 'the [sim:fail] job ended failed in the simulator', badJob?.status);
			const e = items[1]?.json ?? {};
			x.check(typeof e.error === 'string' && /failed/.test(e.error) && e.error.includes('Image url invalid'), 'item 1: json.error names the failure and Sivi\'s reason', e);
			x.check(e.requestId === badJob?.requestId && !!e.requestId, 'item 1: json.requestId is the failed job', [e.requestId, badJob?.requestId]);
			x.check(typeof e.errorDescription === 'string' && e.errorDescription.includes('Image url invalid') && e.errorDescription.includes(String(badJob?.requestId)), 'item 1: json.errorDescription has the reason and requestId', e.errorDescription);
			x.check(!items[1]?.binary, 'item 1: no binary');
		},
	},
	siviE2eFailOut01: {
		batch: 'extras-2',
		jobs: { 'e2e fail-output ok': 1, 'e2e fail-output bad': 1 },
		assert(x) {
			x.succeeded();
			const [okJob] = x.expectJobs('e2e fail-output ok', 1);
			const [badJob] = x.expectJobs('e2e fail-output bad', 1);
			const main = runOf(x.out, 'Generate Images')?.data?.main ?? [];
			const good = main[0] ?? [];
			const bad = main[1] ?? [];
			x.check(good.length === 1 && good[0].json.status === 'completed' && good[0].json.requestId === okJob?.requestId, 'success output: the completed item only', good.map((i) => i.json));
			x.check(bad.length === 1 && typeof bad[0].json.error === 'string' && bad[0].json.error.includes('Image url invalid') && bad[0].json.error.includes(String(badJob?.requestId)), "error output: the failed item, json.error with Sivi's reason and the requestId", bad.map((i) => i.json));
			x.paired(bad, [1], 'error output');
			x.check(x.items('On Success').length === 1 && x.items('On Error').length === 1, 'one item reached each branch', { success: x.items('On Success').length, error: x.items('On Error').length });
		},
	},
	siviE2eFailStop1: {
		batch: 'extras-1',
		jobs: { 'e2e fail-stop': 1 },
		assert(x) {
			const [job] = x.expectJobs('e2e fail-stop', 1);
			x.failedWith(/ended as failed: Image url invalid/);
			x.check(job && errText(x.error()).includes(job.requestId), 'the error names the failed requestId', errText(x.error()));
			x.check(x.out?.data?.resultData?.lastNodeExecuted === 'Create Designs' && !x.ran('After Sivi'), 'the run stopped at the Sivi node (next node never ran)', x.out?.data?.resultData?.lastNodeExecuted);
		},
	},
	siviE2eWrongKey1: {
		batch: 'extras-1',
		jobs: { 'e2e wrong-key': 0 },
		assert(x) {
			x.failedWith(/Sivi rejected the API key/);
			x.expectJobs('e2e wrong-key', 0);
			x.check((x.counters.byStatus['401'] ?? 0) >= 1, 'the simulator answered 401 to the wrong key', x.counters.byStatus);
		},
	},
	siviE2eBinary001: {
		batch: 'extras-2',
		jobs: { 'e2e binary-input': 1 },
		assert(x) {
			x.succeeded();
			const fetched = x.items('Fetch Photo');
			const photoUrl = `${x.sim.origin}${SEEDED_PHOTO}`;
			const bin = fetched[0]?.binary?.data;
			x.check(fetched.length === 1 && !!bin, 'HTTP Request produced binary field "data"', Object.keys(fetched[0]?.binary ?? {}));
			x.binaryMatches(bin, photoUrl, 'Fetch Photo binary.data');
			const fetchedBytes = binaryBytes(x.userFolder, bin);
			const items = x.items('Enhance Photo');
			const [job] = x.expectJobs('e2e binary-input', 1);
			x.completedMedia(items[0], { download: false }, 'Enhance Photo');
			const mId = job?.payload?.siviAssets?.[0]?.mId;
			x.check(Array.isArray(job?.payload?.siviAssets) && job.payload.siviAssets.length === 1 && typeof mId === 'string', 'the job got one siviAssets mId', job?.payload);
			const rec = x.sim.mediaRecords().find((m) => m.mId === mId);
			x.check(!!rec && rec.type === 'photo' && !!fetchedBytes && rec.sha256 === sha256(fetchedBytes) && rec.source?.bytes === fetchedBytes.length, "siviAssets mId is the media created from the upload, whose sha256 equals the fetched bytes", { rec, fetched: fetchedBytes ? sha256(fetchedBytes) : null });
			const routes = x.counters.byRoute;
			const puts = Object.entries(routes).filter(([k]) => k.startsWith('PUT /upload/'));
			x.check(routes['POST general/files/get-presigned-url'] === 1, 'one presigned-URL request', routes['POST general/files/get-presigned-url']);
			x.check(puts.length === 1 && puts[0][1] === 1, 'one PUT to the presigned upload URL', puts);
			x.check(routes['POST general/media/create'] === 1, 'one media/create', routes['POST general/media/create']);
			const put = x.counters.log.find((l) => l.method === 'PUT' && l.path.startsWith('/upload/'));
			x.check(put && put.status === 200 && !put.headers['sivi-api-key'], 'the upload PUT succeeded and did not carry the Sivi API key', put && { status: put.status, hasKey: !!put.headers['sivi-api-key'] });
			x.check(job?.payload?.bId === 'b_default0001', 'default brand used for upload and job', job?.payload?.bId);
		},
	},
	siviE2eSplit0001: {
		batch: 'extras-2',
		jobs: { 'e2e split': 1 },
		assert(x) {
			x.succeeded();
			const items = x.items('Create Designs');
			const [job] = x.expectJobs('e2e split', 1);
			x.check(items.length === 3, '3 items: variant 1, its option, variant 2', items.length);
			x.paired(items, [0, 0, 0], 'split items');
			const ids = items.map((i) => i.json.imageId);
			x.check(job && JSON.stringify(ids) === JSON.stringify([`${job.requestId}V1`, `${job.requestId}V1_1`, `${job.requestId}V2`]), 'imageId order V1, V1_1, V2', ids);
			items.forEach((it, i) => {
				const j = it.json;
				x.check(j.status === 'completed' && j.requestId === job?.requestId && j.designId === job?.designId && j.imageIndex === i && isUrl(j.imageUrl) && !j.variants && !j.result, `item ${i}: common fields, imageIndex ${i}, imageUrl, no variants/result`, j);
				x.check(JSON.stringify(Object.keys(it.binary ?? {})) === '["image"]', `item ${i}: one binary, in the custom field "image"`, Object.keys(it.binary ?? {}));
				x.binaryMatches(it.binary?.image, j.imageUrl, `item ${i} binary.image`);
			});
		},
	},
	siviE2ePoll429a1: {
		batch: 'poll-429',
		jobs: { 'e2e poll429': 1 },
		assert(x) {
			x.succeeded();
			const items = x.items('Generate Image');
			const [job] = x.expectJobs('e2e poll429', 1);
			const j = x.completedMedia(items[0], { download: true });
			x.check(j.requestId === job?.requestId, 'requestId is the simulator job');
			const c = x.counters;
			x.check(c.rateLimited === 3 && (c.byStatus['429'] ?? 0) === 3, 'the three 429 answers of the burst were served', { rateLimited: c.rateLimited, byStatus: c.byStatus });
			x.check(c.submitAttempts === 1 && c.submits === 1, 'exactly one submit (429 on polls never resubmits)', { submitAttempts: c.submitAttempts, submits: c.submits });
			x.check(c.polls >= 4, 'kept polling after the 429s', c.polls);
			const polls = c.log.filter((l) => l.path === 'general/get-request-status');
			const gaps = [];
			polls.forEach((p, i) => {
				if (p.status === 429 && polls[i + 1]) gaps.push(polls[i + 1].t - p.t);
			});
			x.check(gaps.length === 3 && gaps.every((g) => g >= 900), 'each poll after a 429 waited for Retry-After (1 s)', gaps);
		},
	},
	siviE2eBadVar001: {
		batch: 'bad-input',
		jobs: { 'e2e bad-variants': 0 },
		assert(x) {
			x.failedWith(/Number of Variants|numOfVariants/i);
			x.check(/between 1 and 4/.test(errText(x.error())), 'error says the allowed range 1–4', errText(x.error()));
			x.check(/Nothing was sent to Sivi/.test(errText(x.error())), 'error says nothing was sent', errText(x.error()));
		},
	},
	siviE2eBadSize01: {
		batch: 'bad-input',
		jobs: { 'e2e bad-size': 0 },
		assert(x) {
			x.failedWith(/1548x672 is not a size Flux Schnell supports/);
		},
	},
};

const BATCHES = [
	// First, while the account is new in the long-running n8n, as it was when every batch had an
	// n8n process of its own: what the scheduler learns from the slow jobs of later batches
	// makes its next look after the 429 burst land past this workflow's 60 s Max Wait.
	{ name: 'poll-429', before: (sim) => sim.setFaults({ poll429Burst: { count: 3, retryAfterSec: 1 } }) },
	{ name: 'examples', before: () => {} },
	{ name: 'extras-1', before: () => {} },
	{ name: 'extras-2', before: () => {} },
	{ name: 'bad-input', before: () => {} },
];
// Area specs (test/e2e/specs/*.mjs): each exports `specs` (more of the above, for workflows of
// test/e2e/workflows/) and optionally `batches` ({ name, before(sim), after(sim, counters) }),
// which run after extras-2 and before bad-input (or at the very end with `last: true`).
const SPECS_DIR = path.join(REPO_ROOT, 'test', 'e2e', 'specs');
const areaBatches = [];
const specArea = {};
const areaAfter = {};
for (const f of fs.existsSync(SPECS_DIR) ? fs.readdirSync(SPECS_DIR).filter((n) => n.endsWith('.mjs')).sort() : []) {
	const area = await import(pathToFileURL(path.join(SPECS_DIR, f)).href);
	for (const id of Object.keys(area.specs ?? {})) if (SPECS[id]) throw new Error(`${f}: spec ${id} is defined twice`);
	Object.assign(SPECS, area.specs ?? {});
	for (const id of Object.keys(area.specs ?? {})) specArea[id] = f.replace(/\.mjs$/, '');
	for (const b of area.batches ?? []) {
		areaBatches.push({ name: b.name, before: b.before ?? (() => {}), last: b.last === true });
		if (b.after) areaAfter[b.name] = b.after;
	}
}
// `last: true`: after every other batch (e.g. a workflow that changes the workspace's default brand).
BATCHES.splice(BATCHES.findIndex((b) => b.name === 'bad-input'), 0, ...areaBatches.filter((b) => !b.last));
BATCHES.push(...areaBatches.filter((b) => b.last));
if (ONLY) for (const id of Object.keys(SPECS)) if (!ONLY.includes(specArea[id])) delete SPECS[id];
const BATCH_AFTER = {
	...areaAfter,
	'poll-429': (sim) => sim.setFaults({ poll429Burst: null }),
	'bad-input': (sim, counters) => check(counters.requests === 0, '[bad-input] 0 requests reached the simulator for the bad-input workflows', { requests: counters.requests, byRoute: counters.byRoute }),
};

// ───────────────────────────────────────────────────────────── workflow loading
function loadWorkflows(sim) {
	const list = [];
	for (const [dir, kind] of [
		[EXAMPLES_DIR, 'example'],
		[WORKFLOWS_DIR, 'e2e'],
	]) {
		for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
			// Run-time substitution: the simulator's origin (its port is chosen by the OS).
			const text = fs.readFileSync(path.join(dir, f), 'utf8').replaceAll('__SIM_ORIGIN__', sim.origin);
			const wf = JSON.parse(text);
			if (kind === 'example') {
				// The ONLY change to an example: Sivi's default poll interval (5 s) and max wait (10 min)
				// are replaced in this in-memory copy by 1 s / 60 s to keep the suite fast.
				for (const n of wf.nodes) if (n.type === NODE_TYPE) n.parameters.options = { ...(n.parameters.options ?? {}), pollInterval: 1, maxWait: 60 };
			}
			list.push({ file: `${path.basename(dir)}/${f}`, kind, wf });
		}
	}
	return list;
}

// ───────────────────────────────────────────────────────────── runtime imports
/**
 * Bare module names the installed package's dist/ requires (relative paths and Node built-ins
 * left out) — what it needs from the n8n it runs in, since it ships no node_modules.
 */
function bareRequires(packageDir) {
	const names = new Set();
	const walk = (dir) => {
		for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
			const f = path.join(dir, e.name);
			if (e.isDirectory()) walk(f);
			else if (e.name.endsWith('.js')) {
				for (const m of fs.readFileSync(f, 'utf8').matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) {
					const spec = m[1];
					if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
					names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
				}
			}
		}
	};
	walk(path.join(packageDir, 'dist'));
	return [...names].sort();
}

// ───────────────────────────────────────────────────────────── one n8n version
async function runSuite(version, tgz) {
	// A fresh runtime install has its own per-step timeouts (runtime.mjs); the rest of this
	// version's suite must finish within SUITE_TIMEOUT_MS after it.
	try {
		await phase('runtime (ensureRuntime)', () => ensureRuntime(version));
	} catch (e) {
		check(false, `runtime for n8n ${version} installed`, e.stack ?? String(e));
		return { failedHard: e };
	}
	const watchdog = setTimeout(() => {
		console.log(`FAIL ${tag()}suite finished within ${SUITE_TIMEOUT_MS / 60000} min after the runtime was ready — watchdog fired`);
		console.log(`${results.filter((r) => r.pass).length} passed, ${results.filter((r) => !r.pass).length + 1} failed`);
		process.exit(1);
	}, SUITE_TIMEOUT_MS);
	watchdog.unref();
	// The shared long-running n8n of this version (all.mjs), or one of our own when run alone.
	let inst;
	try {
		inst = await phase('n8n instance (install + n8n start, or the shared one)', () =>
			useInstance(version, { tgz, extraTarballs: async (t) => (ONLY ? [] : [await buildBrokenTarball(t)]) }),
		);
	} catch (e) {
		check(false, `n8n ${version} instance running`, e.stack ?? String(e));
		clearTimeout(watchdog);
		return { failedHard: e };
	}
	const n8n = inst.instance;
	const userFolder = n8n.folder;

	let failedHard = null;
	try {
		const packageDir = n8n.descriptor.packageDir;
		const installed = { packageName: JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8')).name, packageDir };
		check(installed.packageName === 'n8n-nodes-sivi' && !fs.existsSync(path.join(installed.packageDir, 'node_modules')), 'package installed as n8n-nodes-sivi with no node_modules of its own', installed);

		// Every bare module the package requires must be one this n8n provides. (The runtime lives
		// inside the repo, so the NODE_PATH n8n sets also reaches <repo>/node_modules — a module n8n
		// lacks would still load there from our devDependencies, unlike on a user's machine.)
		await phase('runtime imports', async () => {
			const mods = bareRequires(installed.packageDir);
			check(mods.includes('n8n-workflow'), 'the package requires n8n-workflow at runtime', mods);
			const res = await probeResolution(installed.packageDir, mods);
			const foreign = Object.entries(res).filter(([, f]) => !isN8nCopy(f, version));
			check(foreign.length === 0, `every module the package requires (${mods.join(', ')}) resolves to n8n ${version}'s own copy`, Object.fromEntries(foreign));
			const extra = await probeResolution(installed.packageDir, ['p-limit']);
			const provided = (f) => (isN8nCopy(f, version) ? packageVersionOf(f) : 'not provided by n8n');
			info(`resolved from the installed package: ${[...Object.entries(res), ...Object.entries(extra)].map(([m, f]) => `${m} ${provided(f)}`).join(', ')}`);
		});

		const { startSimulator } = require('../simulator');
		const sim = await phase('simulator', () =>
			startSimulator({
				jobDurationMs: JOB_DURATION_MS,
				concurrency: 4,
				queueSize: 10,
				rateLimit: { limit: PLAN.requestsPerMinute, windowMs: 60_000 },
			}),
		);
		try {
			const workflows = loadWorkflows(sim).filter((w) => !ONLY || SPECS[w.wf.id]);
			await phase('import credentials + workflows', async () => {
				await n8n.importCredentials([
					{ ...CRED, type: 'siviApi', data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl, plan: 'custom', ...PLAN } },
					{ ...BAD_CRED, type: 'siviApi', data: { apiKey: 'wrong-key-for-e2e', baseUrl: sim.baseUrl } },
				]);
				await n8n.importWorkflows(workflows.map((w) => w.wf));
			});
			const exampleCount = workflows.filter((w) => w.kind === 'example').length;
			const exampleFiles = fs.readdirSync(EXAMPLES_DIR).filter((n) => n.endsWith('.json'));
			if (!ONLY) check(exampleCount === exampleFiles.length && exampleCount >= 7, `all ${exampleFiles.length} examples/ workflows imported`, workflows.filter((w) => w.kind === 'example').map((w) => w.file));
			for (const w of workflows) {
				check(!!SPECS[w.wf.id], `${w.file} (${w.wf.id}) has expectations in run.mjs`);
			}
			for (const id of Object.keys(SPECS)) check(workflows.some((w) => w.wf.id === id), `expected workflow ${id} exists`);

			const batchCounters = {};
			for (const b of BATCHES) {
				const ws = workflows.filter((w) => SPECS[w.wf.id]?.batch === b.name);
				if (!ws.length) continue;
				sim.resetRateLimit();
				sim.resetCounters();
				b.before(sim);
				const r = await phase(`batch ${b.name} (${ws.length} workflows)`, () =>
					n8n.runWorkflows(
						ws.map((w) => w.wf.id),
						{ concurrency: Math.min(ws.length, 10), timeoutMs: BATCH_TIMEOUT_MS },
					),
				);
				const counters = sim.counters();
				BATCH_AFTER[b.name]?.(sim, counters);
				batchCounters[b.name] = counters;
				check(!r.timedOut && !Object.keys(r.errors).length, `[${b.name}] batch finished within ${BATCH_TIMEOUT_MS / 1000} s`, { ms: r.ms, errors: Object.fromEntries(Object.entries(r.errors).map(([k, e]) => [k, String(e)])) });
				info(
					`${b.name}: ${(r.ms / 1000).toFixed(1)} s; simulator: ${counters.requests} requests, ${counters.submits} submits / ${counters.submitAttempts} attempts, ${counters.polls} polls, ${counters.rateLimited} rate-limited, by status ${JSON.stringify(counters.byStatus)}`,
				);
				for (const w of ws) {
					const result = r.results[w.wf.id];
					const label = w.file.replace(/\.json$/, '');
					if (!check(!!result, `[${label}] execution stored`, { error: String(r.errors[w.wf.id] ?? '') })) continue;
					SPECS[w.wf.id].assert(makeCtx({ label, result, sim, userFolder, counters }));
				}
			}

			// ── suite-wide: every simulator job belongs to exactly one expected marker; no duplicates.
			await phase('suite-wide checks', async () => {
				const jobs = sim.jobs();
				const markers = Object.values(SPECS).flatMap((s) => Object.entries(s.jobs));
				const expected = markers.reduce((n, [, k]) => n + k, 0);
				check(jobs.length === expected, `simulator holds exactly the ${expected} expected jobs (no duplicate or stray submits)`, jobs.map((j) => JSON.stringify(j.payload).slice(0, 80)));
				const orphans = jobs.filter((j) => markers.filter(([m]) => JSON.stringify(j.payload).includes(m)).length !== 1);
				check(orphans.length === 0, 'every job matches exactly one workflow marker', orphans.map((j) => j.payload));
				const submits = Object.values(batchCounters).reduce((n, c) => n + c.submits, 0);
				check(submits === jobs.length, 'accepted submits across batches = jobs', { submits, jobs: jobs.length });
				const notDone = jobs.filter((j) => j.outcome === 'completed' && j.status !== 'completed' && !j.slow);
				check(notDone.length === 0, 'all non-slow jobs have finished in the simulator', notDone.map((j) => j.requestId));
				const refused = Object.entries(batchCounters).map(([n, c]) => `${n}: ${c.submitAttempts - c.submits} refused submits, ${c.rateLimited} rate-limited`);
				info(`refusals per batch (429 queue/rate; these are retried, never double-charged): ${refused.join('; ')}`);
			});
		} finally {
			await sim.close();
		}
	} catch (e) {
		failedHard = e;
		check(false, 'suite ran to completion', e.stack ?? String(e));
	}

	// ── the harness itself can fail: a broken copy installed beside the package must fail its run
	await phase('harness-can-fail', async () => {
		try {
			if (!ONLY && !failedHard) await runHarnessCanFail({ instance: n8n, check });
		} catch (e) {
			check(false, 'harness-can-fail ran', e.stack ?? String(e));
		}
	});
	clearTimeout(watchdog);

	const failedHere = results.some((r) => r.version === version && !r.pass);
	await inst.release({ keep: KEEP || failedHere || !!failedHard });
	return { failedHard };
}

// ───────────────────────────────────────────────────────────── main
async function main() {
	const t0 = Date.now();
	log(`n8n versions: ${VERSIONS.join(', ')}`);
	let tgz;
	try {
		tgz = process.env.SIVI_E2E_TGZ || (await phase('build + pack', () => buildAndPack()));
	} catch (e) {
		check(false, 'build + pack', e.stack ?? String(e));
	}
	const totals = [];
	if (tgz) {
		for (const version of VERSIONS) {
			current = useN8nVersion(version);
			const t = Date.now();
			console.log(`\n════════ n8n ${version}`);
			await runSuite(version, tgz);
			totals.push({ version, ms: Date.now() - t });
			current = null;
		}
	}

	const failed = results.filter((r) => !r.pass);
	const total = Date.now() - t0;
	console.log('\n──────── e2e summary');
	for (const p of phases) console.log(`  ${(p.ms / 1000).toFixed(1).padStart(7)} s  ${p.name}`);
	for (const { version, ms } of totals) {
		const mine = results.filter((r) => r.version === version);
		const bad = mine.filter((r) => !r.pass).length;
		console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  n8n ${version}: ${mine.length - bad} passed, ${bad} failed of ${mine.length} checks`);
	}
	console.log(`  ${(total / 1000).toFixed(1).padStart(7)} s  total`);
	for (const f of failed) console.log(`  FAILED: ${f.name}`);
	console.log(failed.length ? `E2E FAILED (n8n ${VERSIONS.join(', ')})` : `E2E OK (n8n ${VERSIONS.join(', ')})`);
	console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
	process.exit(failed.length ? 1 : 0);
}

main().catch((e) => {
	console.error(e);
	console.log('FAIL e2e suite crashed');
	console.log(`${results.filter((r) => r.pass).length} passed, ${results.filter((r) => !r.pass).length + 1} failed`);
	process.exit(1);
});

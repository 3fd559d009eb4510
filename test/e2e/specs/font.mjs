// e2e expectations for fonts (Font → Get Many, Upload; test/e2e/workflows/font-*.json).
// Batch 'font' runs them side by side: the lists ask only for Google fonts (and names no
// uploaded font has), so the upload next to them cannot change what they see. The upload's
// job carries the marker 'e2e-font-upload' as its abstractUserId (font/create's payload holds
// only presigned URLs besides). Bad input runs in the shared 'bad-input' batch.
import { checkNothingSent, route } from '../lib/specHelpers.mjs';

export const batches = [{ name: 'font' }];

export const specs = {
	siviE2eFontLst01: {
		batch: 'font',
		jobs: {},
		assert(x) {
			x.succeeded();
			const names = (node) => x.items(node).map((it) => it.json.name);
			const five = x.items('Serif And Mono').map((it) => it.json);
			x.check(JSON.stringify(five.map((f) => f.name)) === JSON.stringify(['EB Garamond', 'Fira Code', 'IBM Plex Mono', 'Inconsolata', 'JetBrains Mono']) && five.every((f) => ['serif', 'monospace'].includes(f.classification) && typeof f.id === 'string'), 'Get Many (Limit 5, serif + monospace): the first five such fonts, one item each', five);
			const google = x.items('All Google Fonts');
			x.check(google.length === 35 && new Set(google.map((it) => it.json.id)).size === 35, 'Get Many (Return All, Google fonts): all 35 system fonts', google.length);
			x.check(JSON.stringify(names('Fonts Named Rob')) === JSON.stringify(['Roboto', 'Roboto Mono', 'Roboto Slab']), 'Get Many (name "rob"): Roboto, Roboto Mono, Roboto Slab', names('Fonts Named Rob'));
		},
	},
	siviE2eFontUp001: {
		batch: 'font',
		jobs: { 'e2e-font-upload': 1 },
		assert(x) {
			x.succeeded();
			const [job] = x.expectJobs('e2e-font-upload', 1);
			const urls = job?.payload?.uploadedURL;
			x.check(Array.isArray(urls) && urls.length === 2 && urls.every((u) => typeof u === 'string' && u.startsWith(`${x.sim.origin}/upload/`)) && job.payload.abstractUserId === 'e2e-font-upload' && Object.keys(job.payload).length === 2, 'font/create got both presigned URLs as a list, and the end user', job?.payload);
			const items = x.items('Upload Fonts');
			const j = items[0]?.json ?? {};
			x.check(items.length === 1 && j.status === 'completed' && j.requestId === job?.requestId, 'Upload: waited until completed, requestId is the job', j);
			x.check(Array.isArray(j.fonts) && j.fonts.length === 2 && j.fonts.every((f) => typeof f.id === 'string' && typeof f.name === 'string'), 'Upload: the created fonts in `fonts`', j.fonts);
			x.check(JSON.stringify(j.result?.data) === JSON.stringify(j.fonts), 'Upload: raw result kept', j.result);
			const listed = x.items('List Uploaded Fonts').map((it) => it.json.id);
			x.check((j.fonts ?? []).every((f) => listed.includes(f.id)), 'Get Many (uploaded fonts) lists both new fonts', { listed, created: j.fonts });
			// The whole 'font' batch (this workflow and the lists).
			const c = x.counters;
			const puts = Object.entries(c.byRoute ?? {}).filter(([k]) => k.startsWith('PUT /upload/'));
			x.check(route(c, 'POST general/files/get-presigned-url') === 2 && puts.length === 2 && puts.every(([, n]) => n === 1), 'batch: two presigned URLs and one PUT to each (one per font file)', c.byRoute);
			x.check(route(c, 'POST general/font/create') === 1 && c.submits === 1, 'batch: one font/create job', c.byRoute);
			x.check(route(c, 'POST general/font/get') === 4, 'batch: four font/get calls (one page each)', c.byRoute);
		},
	},
	siviE2eFontBad01: {
		batch: 'bad-input',
		jobs: {},
		assert(x) {
			x.failedWith(/Input Binary Fields: "data" is application\/pdf, e2e-menu\.pdf; Sivi takes TrueType fonts \(\.ttf\) only/);
			checkNothingSent(x);
		},
	},
};

// e2e expectations for the Design additions (test/e2e/workflows/designx-*.json): Generate Copy
// mapped into Create From Content in one expression, Get Variants, binary images and logos,
// fonts, a catalog value given by ID that Sivi refuses, and bad input refused before any request.
// The designx workflows run side by side in the batch 'designx'; their bad-input workflows join
// the suite's 'bad-input' batch (nothing may reach the simulator there).
import fs from 'node:fs';
import path from 'node:path';
import { binaryDataDir } from '../lib/n8n.mjs';
import { apiRoute as route, canonical, checkNothingSent, sha256 } from '../lib/specHelpers.mjs';

const isUrl = (u) => typeof u === 'string' && /^https?:\/\//.test(u);

/** Bytes of a binary entry as n8n stored them (filesystem mode), or null. */
function storedBytes(userFolder, bin) {
	const m = /^filesystem(?:-v2)?:(.+)$/.exec(String(bin?.id ?? ''));
	if (m) {
		const file = path.join(binaryDataDir(userFolder), m[1]);
		return fs.existsSync(file) ? fs.readFileSync(file) : null;
	}
	return bin?.data ? Buffer.from(bin.data, 'base64') : null;
}

export const batches = [{ name: 'designx' }];

export const specs = {
	siviDesignxCopy1: {
		batch: 'designx',
		jobs: { 'designx-c2c-job-0': 1, 'designx-c2c-job-1': 1 },
		assert(x) {
			x.succeeded();
			const copy = x.items('Write Copy');
			x.check(copy.length === 2, 'Generate Copy: one item per suggestion (2)', copy.length);
			x.paired(copy, [0, 0], 'Write Copy');
			x.check(
				copy.every((it, i) => it.json.suggestionIndex === i && typeof it.json.content?.title === 'string' && it.json.prompt === 'designx copy beach towels for summer' && Array.isArray(it.json.assetSuggestions?.images)),
				'Generate Copy: content blocks, suggestionIndex, prompt and assetSuggestions per item',
				copy.map((it) => it.json),
			);
			const designs = x.items('Create Designs');
			x.check(designs.length === 2, 'Create From Content: 2 items', designs.length);
			x.paired(designs, [0, 1], 'Create Designs');
			[0, 1].forEach((i) => {
				const [job] = x.expectJobs(`designx-c2c-job-${i}`, 1);
				x.completedDesign(designs[i], { variants: 1, job, download: false }, `design ${i}`);
				x.check(
					!!job && canonical(job.payload.content) === canonical(copy[i]?.json.content),
					`design ${i}: submitted content is suggestion ${i}'s content, mapped with {{ $json.content }}`,
					{ sent: job?.payload?.content, copy: copy[i]?.json.content },
				);
			});
			x.check(route(x.counters, 'content-from-prompt') === 1, 'one content-from-prompt call', x.counters.byRoute);
		},
	},
	siviDesignxVars1: {
		batch: 'designx',
		jobs: { 'designx-variants-job': 1 },
		assert(x) {
			x.succeeded();
			const [job] = x.expectJobs('designx-variants-job', 1);
			const design = x.items('Create Design')[0]?.json ?? {};
			x.check(design.status === 'completed' && design.designId === job?.designId, 'Create From Prompt: completed design of the simulator job', design);
			const wanted = (design.variants ?? []).flatMap((v) => [v.id, ...(v.options ?? []).map((o) => o.id)]);
			const variants = x.items('Get Variants');
			x.check(variants.length === 3 && wanted.length === 3, 'Get Variants: one item per variant (2 variants + 1 option)', variants.length);
			x.check(JSON.stringify(variants.map((it) => it.json.id)) === JSON.stringify(wanted), 'Get Variants: the design job\'s variant IDs, in order', { got: variants.map((it) => it.json.id), wanted });
			x.check(
				variants.every((it) => it.json.designId === design.designId && isUrl(it.json.imageUrl) && x.sim.servedImageSha256(it.json.imageUrl) !== null && isUrl(it.json.editLink) && it.json.width === 1080 && it.json.height === 1080 && it.json.type === 'GENERATED'),
				'Get Variants: designId, served imageUrl, editLink, size and type on every item',
				variants.map((it) => it.json),
			);
			x.paired(variants, [0, 0, 0], 'Get Variants');
			x.check(route(x.counters, 'get-design-variants') === 1, 'one get-design-variants call (Return All, one page)', x.counters.byRoute);
		},
	},
	siviDesignxBin01: {
		batch: 'designx',
		jobs: { 'designx-binary-job': 1 },
		assert(x) {
			x.succeeded();
			const fetched = storedBytes(x.userFolder, x.items('Fetch Photo')[0]?.binary?.data);
			x.check(!!fetched && fetched.length > 0, 'Fetch Photo: binary "data" stored', fetched?.length);
			const [job] = x.expectJobs('designx-binary-job', 1);
			x.completedDesign(x.items('Create Designs')[0], { variants: 1, job, download: false }, 'Create Designs');
			const images = job?.payload?.assets?.images ?? [];
			const logos = job?.payload?.assets?.logos ?? [];
			x.check(images.length === 1 && logos.length === 1 && !job?.payload?.siviAssets, 'one image and one logo in assets, by URL', job?.payload?.assets);
			const records = x.sim.mediaRecords();
			const photo = records.find((m) => m.url === images[0]?.url);
			const logo = records.find((m) => m.url === logos[0]?.url);
			x.check(photo?.type === 'photo' && logo?.type === 'logo', 'the image URL is a photo media record, the logo URL a logo record', { photo: photo?.type, logo: logo?.type });
			x.check(!!fetched && photo?.sha256 === sha256(fetched) && logo?.sha256 === sha256(fetched), 'both records hold the fetched bytes', { photo: photo?.sha256, logo: logo?.sha256, fetched: fetched && sha256(fetched) });
			const puts = x.counters.log.filter((l) => l.method === 'PUT' && l.path.startsWith('/upload/'));
			x.check(route(x.counters, 'files/get-presigned-url') === 2 && route(x.counters, 'media/create') === 2 && puts.length === 2 && puts.every((p) => p.status === 200 && !p.headers['sivi-api-key']), 'two presigned URLs, two PUTs without the Sivi key, two media/create', { byRoute: x.counters.byRoute, puts: puts.length });
		},
	},
	siviDesignxFont1: {
		batch: 'designx',
		jobs: { 'designx-fonts-job': 1 },
		assert(x) {
			x.succeeded();
			const [job] = x.expectJobs('designx-fonts-job', 1);
			const out = x.items('Create Designs')[0]?.json ?? {};
			x.check(out.status === 'submitted' && out.requestId === job?.requestId, 'Create From Content (wait off): submitted', out);
			const expected = [
				{ id: 'f_sys0028', name: 'Roboto', type: 'heading', status: 'enabled', addedBy: 'system' },
				{ id: 'f_sys0026', name: 'Raleway', type: 'subHeading', status: 'enabled', addedBy: 'system' },
				{ id: 'f_sys0013', name: 'Lato', type: 'body', status: 'enabled', addedBy: 'system' },
			];
			x.check(JSON.stringify(job?.payload?.settings?.fontGroups) === JSON.stringify(expected), 'settings.fontGroups: the three fonts with names and addedBy looked up in font/get', job?.payload?.settings);
			x.check(route(x.counters, 'font/get') >= 3, 'fonts looked up in font/get', route(x.counters, 'font/get'));
		},
	},
	siviDesignxCat01: {
		batch: 'designx',
		jobs: { 'designx-catalog-id-job': 0 },
		assert(x) {
			x.failedWith(/Sivi refused the input: Design model 'sivi-gen-4-preview' is not supported\./);
			x.expectJobs('designx-catalog-id-job', 0);
			x.check((x.counters.byStatus['422'] ?? 0) >= 1, "the design model given by ID reached Sivi, whose 422 refused it", x.counters.byStatus);
		},
	},
	siviDesignxBad01: {
		batch: 'bad-input',
		jobs: { 'designx-bad-json': 0 },
		assert(x) {
			x.failedWith(/Content \(JSON\) has an unknown content block "headline"/);
			checkNothingSent(x);
		},
	},
	siviDesignxBad02: {
		batch: 'bad-input',
		jobs: { 'designx-bad-fonts': 0 },
		assert(x) {
			x.failedWith(/Fonts need all three fonts, Heading Font, Subheading Font and Body Font, or none \(missing: Body Font\)/);
		},
	},
	siviDesignxBad03: {
		batch: 'bad-input',
		jobs: { 'designx-bad-copy': 0 },
		assert(x) {
			x.failedWith(/Language must be a language ID/);
		},
	},
};

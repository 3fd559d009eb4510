// e2e expectations for examples/brand-onboarding.json: website → Extract From Website → Create
// (brand) and, in parallel, Generate Copy → Merge → Create From Content in that brand → a Slack
// message. It runs last ('onboarding', last: true) because Create makes the new brand the
// workspace's default and Sivi archives the previous one, which other batches rely on.
import { canonical } from '../lib/specHelpers.mjs';

const WEBSITE = 'northwind-coffee.example.com';
const DESIGN = 'Northwind onboarding ad';

export const batches = [{ name: 'onboarding', last: true }];

export const specs = {
	siviExOnboard001: {
		batch: 'onboarding',
		jobs: { [WEBSITE]: 1, [DESIGN]: 1 },
		assert(x) {
			x.succeeded();
			const [extractJob] = x.expectJobs(WEBSITE, 1);
			const read = x.items('Read Brand From Website');
			const brand = read[0]?.json.brand ?? {};
			x.check(read.length === 1 && read[0].json.status === 'completed' && read[0].json.requestId === extractJob?.requestId, 'Read Brand From Website: the extract job, completed', read[0]?.json);
			x.check(typeof brand.brandName === 'string' && brand.brandUrl === `https://${WEBSITE}` && Array.isArray(brand.brandColors), 'Read Brand From Website: brand details at the top as `brand`', brand);

			const saved = x.items('Save Brand');
			const bId = saved[0]?.json.bId;
			x.check(saved.length === 1 && /^b_\w+$/.test(String(bId)), 'Save Brand: the new brand ID at the top', saved[0]?.json);
			const details = saved[0]?.json.brandDetails?.[0] ?? {};
			x.check(details.brandName === brand.brandName && details.brandUrl === brand.brandUrl && details.brandPersona?.industry === brand.brandPersona?.industry, 'Save Brand: saved what was read (name, website, industry)', details);

			const copy = x.items('Write Ad Copy');
			x.check(copy.length >= 1 && typeof copy[0].json.content?.title === 'string', 'Write Ad Copy: content suggestions with a title', copy.map((it) => it.json));

			const designs = x.items('Create Designs In Brand');
			const [job] = x.expectJobs(DESIGN, 1);
			x.check(designs.length === 1, 'Create Designs In Brand: 1 item (one brand paired with the first suggestion)', designs.length);
			x.completedDesign(designs[0], { variants: 2, job, download: false }, 'Create Designs In Brand');
			x.check(job?.payload.settings?.mode === 'brand' && job?.payload.settings?.currentbId === bId, 'the design job was submitted in the new brand', job?.payload.settings);
			x.check(canonical(job?.payload.content) === canonical(copy[0]?.json.content) && Object.keys(job?.payload.content ?? {}).length >= 2, 'the design job carries the first suggestion as its content, mapped in one expression', { sent: job?.payload.content, copy: copy[0]?.json.content });
			const workspace = x.sim.brands();
			x.check(workspace.filter((b) => b.isDefault && !b.archived).map((b) => b.bId).join() === bId, "the saved brand is now the workspace's default (Sivi's documented Create behaviour)", workspace.filter((b) => b.isDefault || b.archived));

			const message = x.items('Message For Slack');
			const urls = (designs[0]?.json.variants ?? []).map((v) => v.imageUrl);
			x.check(message.length === 1 && urls.length === 2 && urls.every((u) => message[0].json.text.includes(u)) && message[0].json.requestId === job?.requestId, 'Message For Slack: the text names every design image and the requestId', message[0]?.json);
		},
	},
};

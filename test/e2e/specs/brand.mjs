// e2e expectations for the Brand resource (test/e2e/workflows/brand-*.json).
// Batches: 'brand' runs the read-only workflows and Extract side by side; 'brand-lifecycle' runs
// alone because it changes the workspace (Create archives the default brand of the moment). It
// first makes b_sim00000021 the default, so that brand is what Create archives, and ends by
// making b_default0001 the default again, as the workspace started.
import { apiRoute as route, oneItemOf } from '../lib/specHelpers.mjs';

const BRAND_ID = /^b_\w+$/;

export const batches = [{ name: 'brand' }, { name: 'brand-lifecycle' }];

export const specs = {
	siviE2eBrandRd01: {
		batch: 'brand',
		jobs: {},
		assert(x) {
			x.succeeded();
			const all = x.items('Get All Brands');
			x.check(all.length === 23, 'Get Many (Return All): one item per brand, 23 brands', all.length);
			x.check(new Set(all.map((it) => it.json.bId)).size === 23 && all.every((it) => BRAND_ID.test(it.json.bId) && typeof it.json.brandName === 'string'), 'Get Many: distinct brands with bId and brandName', all.map((it) => it.json.bId));
			const five = x.items('Get Five Brands');
			x.check(five.length === 5 && five.map((it) => it.json.bId).join() === all.slice(0, 5).map((it) => it.json.bId).join(), 'Get Many (Limit 5): the first 5 brands', five.map((it) => it.json.bId));
			const one = x.items('Get Brand');
			x.check(one.length === 1 && one[0].json.bId === 'b_sim00000002' && one[0].json.brandName === 'Simulated Brand 2', 'Get: the brand asked for', one[0]?.json);
			const byDefault = x.items('Get Default Brand');
			x.check(byDefault.length === 1 && byDefault[0].json.bId === 'b_default0001', 'Get Default: b_default0001', byDefault[0]?.json);
			const missing = x.items('Get Missing Brand');
			x.check(missing.length === 1 && /Brand b_e2eMissing01 was not found in the workspace/.test(String(missing[0].json.error)), 'Get of an unknown ID: error item naming the ID', missing[0]?.json);
			const c = x.counters;
			x.check(route(c, 'brand/get') === 5, '5 brand/get calls (one page each: Return All, Limit, Get, Get Default, unknown ID)', c.byRoute);
		},
	},
	siviE2eBrandExt1: {
		batch: 'brand',
		jobs: { 'e2e-brand-extract.example.com': 1 },
		assert(x) {
			x.succeeded();
			const items = x.items('Extract Brand');
			const [job] = x.expectJobs('e2e-brand-extract.example.com', 1);
			const j = items[0]?.json ?? {};
			x.check(items.length === 1 && j.status === 'completed' && j.requestId === job?.requestId, 'Extract: completed, requestId is the simulator job', j);
			x.check(JSON.stringify(job?.payload) === JSON.stringify({ brandUrl: 'https://e2e-brand-extract.example.com/about' }), 'Extract: submitted body is { brandUrl }', job?.payload);
			x.check(j.brand?.brandName === 'E2e-brand-extract' && j.brand?.brandUrl === 'https://e2e-brand-extract.example.com/about' && Array.isArray(j.brand?.brandColors) && typeof j.brand?.brandPersona?.industry === 'string', 'Extract: brandDetails at the top as `brand`', j.brand);
			x.check(JSON.stringify(j.brand) === JSON.stringify(j.result?.brandDetails), 'Extract: raw result kept', j.result);
			x.check(!items[0]?.binary || Object.keys(items[0].binary).length === 0, 'Extract: no binary');
		},
	},
	siviE2eBrandLc01: {
		batch: 'brand-lifecycle',
		jobs: {},
		assert(x) {
			x.succeeded();
			const one = oneItemOf(x);
			const first = one('Make Brand 21 Default');
			x.check(first.bId === 'b_sim00000021' && first.isDefault === true && /Default brand updated/.test(first.message), 'Set Default: says what it did', first);
			const created = one('Create Brand');
			const bId = created.bId;
			x.check(BRAND_ID.test(bId ?? '') && created.message === 'Successfully set the brand details' && created.brandDetails?.[0]?.bId === bId, 'Create: message, brandDetails and the new bId at the top', created);
			const details = created.brandDetails?.[0] ?? {};
			x.check(
				details.brandName === 'e2e brand lifecycle' && details.brandColors?.map((c) => c.color).join() === '#5662EC,#EF9AB2' && details.brandPersona?.industry === 'restaurant_cuisine' && details.brandPersona?.emotions?.join() === 'happy,trust' && details.brandPersona?.audience?.join() === 'commuters,students',
				'Create: Sivi stored name, colors and persona',
				details,
			);
			const afterCreate = one('Get Default After Create');
			x.check(afterCreate.bId === bId, 'Create made the new brand the default', afterCreate.bId);
			const updated = one('Update Brand');
			x.check(updated.bId === bId && updated.message === 'Brand updated successfully' && updated.brandDetail?.brandName === 'e2e brand lifecycle (renamed)', 'Update: message and brandDetail with the new name', updated);
			x.check(updated.brandDetail?.imageGenPreference?.model === 'flux-schnell' && updated.brandDetail?.textGenPreference?.model === 'auto', 'Update: image and text model preferences stored', updated.brandDetail);
			const got = one('Get Updated Brand');
			x.check(got.bId === bId && got.brandName === 'e2e brand lifecycle (renamed)' && got.brandDescription === 'Coffee and cake in the e2e suite', 'Get: the renamed brand, description unchanged', got);
			const archived = one('Archive Brand');
			x.check(JSON.stringify(archived) === JSON.stringify({ bId, archived: true, message: 'Brand archived successfully' }), 'Archive: { bId, archived: true, message }', archived);
			const restored = one('Restore Default');
			x.check(restored.bId === 'b_default0001' && restored.isDefault === true, 'Set Default: b_default0001 is the default again', restored);
			const list = x.items('List Brands').map((it) => it.json.bId);
			x.check(list.length === 22 && list.includes('b_default0001') && !list.includes(bId) && !list.includes('b_sim00000021'), 'Get Many: the archived new brand and the default Create archived (b_sim00000021) are gone', list);
			const c = x.counters;
			x.check(
				route(c, 'brand/create') === 1 && route(c, 'brand/update') === 1 && route(c, 'brand/archive') === 1 && route(c, 'brand/set-default') === 2 && route(c, 'brand/get') === 3,
				'exactly one request per operation (Archive once)',
				c.byRoute,
			);
		},
	},
	siviE2eBrandBad1: {
		batch: 'bad-input',
		jobs: {},
		assert(x) {
			x.failedWith(/Additional Fields → Colors \(item 2\) must be a hex color like #5662EC/);
			x.check(/Nothing was sent to Sivi/.test(`${x.error()?.description ?? ''}`), 'error says nothing was sent', x.error()?.description);
		},
	},
	siviE2eBrandBad2: {
		batch: 'bad-input',
		jobs: {},
		assert(x) {
			x.failedWith(/Update Fields must hold at least one field to change/);
		},
	},
};

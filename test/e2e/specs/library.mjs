// e2e expectations for the media library (Media → Get Many, Upload, Update, Delete;
// test/e2e/workflows/library-*.json). Batch 'library' runs them side by side; they only delete
// what they uploaded themselves, so the seeded media other areas use stay. Bad input runs in the
// shared 'bad-input' batch (nothing may reach the simulator).
import { checkNothingSent, oneItemOf, route, sha256 } from '../lib/specHelpers.mjs';

// The photo library-lifecycle.json makes (its Code node holds the same base64).
const PHOTO = Buffer.from('/9j/4GUyZSBsaWJyYXJ5IHBob3RvIGJ5dGVz/9k=', 'base64');
const SEEDED = Array.from({ length: 12 }, (_, i) => {
	const type = ['photo', 'logo', 'screenshot', 'backdrop', 'inspiration'][i % 5];
	return `w_sim----${type}_${String(i + 1).padStart(4, '0')}.jpeg`;
});

export const batches = [{ name: 'library' }];

export const specs = {
	siviE2eLibLife01: {
		batch: 'library',
		jobs: {},
		assert(x) {
			x.succeeded();
			const one = oneItemOf(x);
			const uploaded = one('Upload Photo');
			const mId = uploaded.mId;
			x.check(/^w_sim----photo_\d{4}\.jpeg$/.test(mId ?? ''), 'Upload: the media record, its mId at the top', uploaded);
			x.check(uploaded.type === 'photo' && uploaded.subType === 'photograph' && uploaded.bId === 'b_sim00000002', 'Upload: type, default sub type and brand', uploaded);
			const record = x.sim.mediaRecords().find((m) => m.mId === mId);
			x.check(!!record && record.sha256 === sha256(PHOTO) && record.source?.bytes === PHOTO.length, "Upload: Sivi stored the binary's bytes (sha256)", record && { sha256: record.sha256, source: record.source });
			const updated = one('Update Photo');
			x.check(updated.mId === mId, 'Update: the same media', updated.mId);
			x.check(
				JSON.stringify(updated.meta?.imagePreference) === JSON.stringify({ crop: true, removeBg: false, enhancement: null }) && updated.meta?.touchPosition?.bottom === true && JSON.stringify(updated.meta?.hueRotations) === '[0,180]',
				'Update: touch position and hue rotations changed, preferences from the upload kept',
				updated.meta,
			);
			const deleted = one('Delete Photo');
			x.check(JSON.stringify(deleted) === JSON.stringify({ mId, deleted: true, deletedCount: 1 }), 'Delete: { mId, deleted: true, deletedCount: 1 }', deleted);
			x.check(record?.deleted === true, 'Delete: the simulator soft-deleted the record', record?.deleted);
			const listed = x.items('List Brand Photos').map((it) => it.json);
			x.check(listed.length >= 1 && listed.every((m) => m.type === 'photo' && m.bId === 'b_sim00000002'), 'Get Many with filters: only photos of brand b_sim00000002', listed.map((m) => [m.mId, m.type, m.bId]));
			x.check(listed.some((m) => m.mId === 'w_sim----photo_0011.jpeg') && !listed.some((m) => m.mId === mId), 'Get Many: the seeded brand photo is listed, the deleted one is not', listed.map((m) => m.mId));
			const again = one('Delete Again');
			x.check(again.error === `Nothing was deleted: Sivi deleted no media for ${mId}` && again.deleted === undefined, 'Delete of a deleted image: an error item saying nothing was deleted', again);
			// The whole 'library' batch (this workflow, the lists and the URL upload).
			const c = x.counters;
			const puts = Object.entries(c.byRoute ?? {}).filter(([k]) => k.startsWith('PUT /upload/'));
			x.check(route(c, 'POST general/files/get-presigned-url') === 1 && puts.length === 1, 'batch: one presigned URL and one PUT (the binary upload only)', c.byRoute);
			x.check(route(c, 'POST general/media/create') === 2, 'batch: two media/create (binary and URL)', c.byRoute);
			x.check(route(c, 'POST general/media/update') === 1 && route(c, 'POST general/media/delete') === 2, 'batch: one media/update, two media/delete', c.byRoute);
			x.check(c.submits === 0, 'batch: no jobs (the media library creates nothing billable)', c.submits);
		},
	},
	siviE2eLibList01: {
		batch: 'library',
		jobs: {},
		assert(x) {
			x.succeeded();
			const oldest = x.items('Oldest Three').map((it) => it.json.mId);
			x.check(JSON.stringify(oldest) === JSON.stringify(SEEDED.slice(0, 3)), 'Get Many (Limit 3, oldest first): the first three seeded media', oldest);
			const all = x.items('All Media').map((it) => it.json);
			const ids = all.map((m) => m.mId);
			x.check(all.length >= 12 && new Set(ids).size === ids.length && SEEDED.every((id) => ids.includes(id)), 'Get Many (Return All): every seeded media, once each, one item per record', ids);
			x.check(all.every((m) => typeof m.url === 'string' && m.system === 'USER' && typeof m.meta === 'object'), 'Get Many: records carry url, system and meta', all[0]);
			const created = all.map((m) => m.createdOn);
			x.check(created.every((t, i) => i === 0 || created[i - 1] >= t), 'Get Many (default sort): newest first', created);
			const phones = x.items('iPhone Screenshots').map((it) => it.json);
			x.check(phones.length >= 2 && phones.every((m) => m.type === 'screenshot' && m.subType === 'iphone') && ['w_sim----screenshot_0003.jpeg', 'w_sim----screenshot_0008.jpeg'].every((id) => phones.some((m) => m.mId === id)), 'Get Many (Screenshot: iPhone): only iPhone screenshots, the seeded ones included', phones.map((m) => m.mId));
			x.paired(x.items('Oldest Three'), [0, 0, 0], 'Oldest Three');
		},
	},
	siviE2eLibUrl001: {
		batch: 'library',
		jobs: {},
		assert(x) {
			x.succeeded();
			const items = x.items('Upload Logo');
			const logo = items[0]?.json ?? {};
			x.check(items.length === 1 && /^w_sim----logo_\d{4}\.png$/.test(logo.mId ?? '') && logo.type === 'logo' && logo.subType === 'logo' && logo.bId === null, 'Upload from a URL: a logo record with its mId', logo);
			x.check(logo.meta?.imagePreference?.removeBg === true && JSON.stringify(logo.meta?.hueRotations) === '[45]', 'Upload from a URL: preferences and hue rotations stored', logo.meta);
			const record = x.sim.mediaRecords().find((m) => m.mId === logo.mId);
			x.check(record?.source?.url === 'https://images.example.com/e2e-library/logo.png', 'Upload from a URL: Sivi got the URL (no file upload)', record?.source);
		},
	},
	siviE2eLibBad001: {
		batch: 'bad-input',
		jobs: {},
		assert(x) {
			x.failedWith(/Input Data Field Name: "data" is text\/plain, e2e-notes\.txt; Sivi accepts jpg, jpeg, png, webp files for Type Photo/);
			checkNothingSent(x);
			x.check(!x.ran('Upload Notes') || x.items('Upload Notes').length === 0, 'Upload Notes produced no item');
		},
	},
	siviE2eLibBad002: {
		batch: 'bad-input',
		jobs: {},
		assert(x) {
			x.failedWith(/Nothing to update: set Image Preferences, Touch Position or Hue Rotations/);
			checkNothingSent(x);
		},
	},
};

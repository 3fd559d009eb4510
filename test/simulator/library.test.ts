// The simulator's media library: media/update, media/delete (soft delete) and how deleted media
// leave media/get; documented 401/404/422 answers.
import { callApi, expectError, useSimulator, type Json } from '../helpers/simulatorApi';

jest.setTimeout(20000);

const FOREIGN = 'w_other----photo_0001.jpeg';

const sim = useSimulator({ rateLimit: { limit: 100000, windowMs: 60000 }, jobDurationMs: 200 });
const api = (endpoint: string, body: Json) => callApi(sim, 'POST', endpoint, body);

async function allMedia(): Promise<Json[]> {
	return (await api('media/get', { limit: 50, sort: 'ASC' })).json.body.media;
}

describe('media/update', () => {
	it('merges touchPosition and imagePreference, replaces hueRotations, answers the record', async () => {
		const [first] = await allMedia();
		const r = await api('media/update', {
			mId: first.mId,
			touchPosition: { bottom: true, center: false },
			imagePreference: { crop: true },
			hueRotations: [0, 90],
		});
		expect(r.status).toBe(200);
		expect(Object.keys(r.json.body)).toEqual(['media']);
		expect(r.json.body.media.meta).toEqual({
			touchPosition: { left: null, right: null, bottom: true, top: null, center: false },
			imagePreference: { crop: true, removeBg: null, enhancement: null },
			hueRotations: [0, 90],
			logoStyle: [],
		});
		const again = await api('media/update', {
			mId: first.mId,
			imagePreference: { removeBg: false },
			hueRotations: [180],
		});
		expect(again.json.body.media.meta.imagePreference).toEqual({
			crop: true,
			removeBg: false,
			enhancement: null,
		});
		expect(again.json.body.media.meta.touchPosition.bottom).toBe(true);
		expect(again.json.body.media.meta.hueRotations).toEqual([180]);
		const listed = (await api('media/get', { mId: first.mId })).json.body.media[0];
		expect(listed.meta).toEqual(again.json.body.media.meta);
	});

	it('answers the documented 404, 401 and 422', async () => {
		expectError(
			await api('media/update', { mId: 'w_sim----photo_9999.jpeg', hueRotations: [] }),
			404,
			'Media not found: w_sim----photo_9999.jpeg',
		);
		expectError(
			await api('media/update', { mId: FOREIGN, hueRotations: [] }),
			401,
			`Media does not belong to this workspace: ${FOREIGN}`,
		);
		const [first] = await allMedia();
		expectError(await api('media/update', {}), 422, 'mId is required');
		expectError(
			await api('media/update', { mId: first.mId, touchPosition: { bottom: 1 } }),
			422,
			'touchPosition.bottom must be a boolean',
		);
		expectError(
			await api('media/update', { mId: first.mId, touchPosition: { middle: true } }),
			422,
			"Unknown field 'touchPosition.middle'",
		);
		expectError(
			await api('media/update', { mId: first.mId, imagePreference: { crop: 'yes' } }),
			422,
			'imagePreference.crop must be a boolean',
		);
		expectError(
			await api('media/update', { mId: first.mId, hueRotations: ['90'] }),
			422,
			'hueRotations must be an array of numbers',
		);
		expectError(
			await api('media/update', { mId: first.mId, type: 'logo' }),
			422,
			"Unknown field 'type'",
		);
	});
});

describe('media/delete', () => {
	it('soft-deletes: deletedCount, gone from media/get and updates, counted once', async () => {
		const before = await allMedia();
		expect(before).toHaveLength(12);
		const [a, b] = [before[2].mId, before[5].mId];
		const r = await api('media/delete', { mIds: [a, b] });
		expect(r.status).toBe(200);
		expect(r.json.body).toEqual({ deletedCount: 2 });
		const after = await allMedia();
		expect(after.map((m) => m.mId)).toEqual(
			before.map((m) => m.mId).filter((mId) => mId !== a && mId !== b),
		);
		expect((await api('media/get', { mId: a })).json.body.media).toEqual([]);
		const record = sim.mediaRecords().find((m) => m.mId === a)!;
		expect(record).toMatchObject({ deleted: true });
		// Deleting again deletes nothing; the media is still this workspace's.
		expect((await api('media/delete', { mIds: [a] })).json.body).toEqual({ deletedCount: 0 });
		expectError(
			await api('media/update', { mId: a, hueRotations: [] }),
			404,
			`Media not found: ${a}`,
		);
		// A deleted image cannot be an input image either.
		expectError(
			await api('media/generate', {
				prompt: 'x',
				model: 'nano-banana:1k',
				dimensions: { width: 1024, height: 1024 },
				bId: 'b_default0001',
				siviAssets: [{ mId: a }],
			}),
			404,
			`Media not found: ${a}`,
		);
	});

	it('checks every mId before deleting any: 401 foreign, 404 unknown', async () => {
		const [first] = await allMedia();
		expectError(
			await api('media/delete', { mIds: [first.mId, FOREIGN] }),
			401,
			`Media does not belong to this workspace: ${FOREIGN}`,
		);
		expectError(
			await api('media/delete', { mIds: [first.mId, 'w_sim----photo_9999.jpeg'] }),
			404,
			'Media not found: w_sim----photo_9999.jpeg',
		);
		expect(await allMedia()).toHaveLength(12);
	});

	it('validates mIds: required, an array of 1 to 20 IDs', async () => {
		expectError(await api('media/delete', {}), 422, 'mIds is required');
		expectError(
			await api('media/delete', { mIds: 'w_sim----photo_0001.jpeg' }),
			422,
			'mIds must be an array of media IDs',
		);
		expectError(await api('media/delete', { mIds: [] }), 422, /between 1 and 20/);
		const many = Array.from({ length: 21 }, (_, i) => `w_sim----photo_${i}.jpeg`);
		expectError(await api('media/delete', { mIds: many }), 422, /between 1 and 20/);
		expectError(
			await api('media/delete', { mId: 'w_sim----photo_0001.jpeg' }),
			422,
			"Unknown field 'mId'",
		);
		expect(await allMedia()).toHaveLength(12);
	});
});

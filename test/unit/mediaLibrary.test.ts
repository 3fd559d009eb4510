// Media library operations (Get Many, Upload, Update, Delete) run through n8n-core against the
// simulator: exact request bodies, one output item per record, bad input refused before any
// request with an error naming the field.
import { createHash } from 'node:crypto';

import type { INodeExecutionData } from 'n8n-workflow';

import {
	executeNode,
	perItemParams,
	runNode,
	type NodeParams,
	type NodeRunOptions,
} from '../helpers/n8nEngine';
import {
	bodiesTo,
	expectRefused as expectRefusedBy,
	nodeOn,
	rl as byId,
	useSimulator,
} from '../helpers/simulatorCalls';

const sim = useSimulator({ rateLimit: { limit: 10_000, windowMs: 60_000 } });
const node = nodeOn(sim);

const BRAND = 'b_default0001';
const FIRST_PHOTO = 'w_sim----photo_0001.jpeg';
const FOREIGN = 'w_other----photo_0001.jpeg';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

function fileItem(name: string, bytes: Buffer, mimeType: string, fileName: string) {
	return {
		json: {},
		binary: { [name]: { data: bytes.toString('base64'), mimeType, fileName } },
	} as INodeExecutionData;
}

const JPEG = Buffer.concat([
	Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
	Buffer.from('library photo bytes'),
	Buffer.from([0xff, 0xd9]),
]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

async function listedMIds(): Promise<string[]> {
	const res = await fetch(`${sim.baseUrl}/general/media/get`, {
		method: 'POST',
		headers: { 'sivi-api-key': sim.apiKey, 'content-type': 'application/json' },
		body: JSON.stringify({ limit: 50 }),
	});
	const json = (await res.json()) as { body: { media: Array<{ mId: string }> } };
	return json.body.media.map((media) => media.mId);
}

/** The run refused every item before any request, naming `label`. */
const expectRefused = (options: NodeRunOptions, label: string, rule: RegExp) =>
	expectRefusedBy(sim, options, label, rule);

// ------------------------------------------------------------------------------ Get Many

const getMany = (overrides: NodeParams = {}): NodeParams => ({
	resource: 'media',
	operation: 'getMany',
	...overrides,
});

describe('Media → Get Many', () => {
	it('sends the filters, sort and end user, and outputs one item per media record', async () => {
		const { output, requests } = await executeNode(
			node(
				getMany({
					limit: 5,
					filters: { mediaType: 'photo', subType: 'photograph', brandId: byId(BRAND) },
					additionalFields: { sort: 'ASC', abstractUserId: 'customer-4711' },
				}),
			),
		);
		expect(bodiesTo(requests, 'media/get')).toEqual([
			{
				type: 'photo',
				subType: 'photograph',
				bId: BRAND,
				sort: 'ASC',
				abstractUserId: 'customer-4711',
				limit: 5,
			},
		]);
		expect(output.map((item) => item.json.mId)).toEqual([FIRST_PHOTO]);
		expect(output[0].json).toMatchObject({ type: 'photo', bId: BRAND, system: 'USER' });
		expect(output[0].pairedItem).toEqual({ item: 0 });
	});

	it('Limit stops after that many records, in as few pages of at most 50 as it needs', async () => {
		await sim.restart({ media: 120, rateLimit: { limit: 10_000, windowMs: 60_000 } });
		const { output, requests } = await executeNode(node(getMany({ limit: 70 })));
		const bodies = bodiesTo(requests, 'media/get') as Array<Record<string, unknown>>;
		expect(bodies.map((body) => body.limit)).toEqual([50, 20]);
		expect(bodies[0].cursor).toBeUndefined();
		expect(typeof bodies[1].cursor).toBe('string');
		expect(output).toHaveLength(70);
		expect(new Set(output.map((item) => item.json.mId)).size).toBe(70);
	});

	it('Return All follows the cursor to the end', async () => {
		await sim.restart({ media: 120, rateLimit: { limit: 10_000, windowMs: 60_000 } });
		const { output, requests } = await executeNode(node(getMany({ returnAll: true })));
		expect(
			bodiesTo(requests, 'media/get').map((body) => (body as { limit: number }).limit),
		).toEqual([50, 50, 50]);
		expect(output).toHaveLength(120);
		expect(new Set(output.map((item) => item.json.mId)).size).toBe(120);
	});

	it('refuses a sub type of another media type, or without one, before any request', async () => {
		await expectRefused(
			node(getMany({ filters: { mediaType: 'photo', subType: 'iphone' } })),
			'Filters → Sub Type',
			/"iphone" is not a sub type of Photo \(choose photograph\)/,
		);
		await expectRefused(
			node(getMany({ filters: { subType: 'iphone' } })),
			'Filters → Sub Type',
			/needs Media Type to be set too \(for "iphone" that is Screenshot\)/,
		);
		await expectRefused(
			node(getMany({ filters: { mediaType: '={{ "video" }}' } })),
			'Filters → Media Type',
			/must be one of photo, logo/,
		);
		await expectRefused(node(getMany({ limit: '={{ 0 }}' })), 'Limit', /at least 1/);
	});
});

// ------------------------------------------------------------------------------ Upload

const upload = (overrides: NodeParams = {}): NodeParams => ({
	resource: 'media',
	operation: 'upload',
	...overrides,
});

describe('Media → Upload', () => {
	it('uploads a binary via a presigned URL, then media/create with uploadUrl and every option', async () => {
		const item = fileItem('photo', JPEG, 'image/jpeg', 'mug.jpg');
		const { output, requests } = await executeNode(
			node(
				upload({
					source: 'binary',
					binaryPropertyName: 'photo',
					mediaType: 'photo',
					brandId: byId(BRAND),
					imagePreference: { crop: true, removeBg: false, enhancement: true },
					touchPosition: { bottom: true, center: false },
					additionalFields: {
						subType: 'photograph',
						hueRotations: '0, 90',
						abstractUserId: 'customer-4711',
					},
				}),
				{ items: [item] },
			),
		);
		expect(requests.map((request) => request.method)).toEqual(['POST', 'PUT', 'POST']);
		expect(bodiesTo(requests, 'files/get-presigned-url')).toEqual([
			{
				type: 'photo',
				extension: 'jpeg',
				contentType: 'image/jpeg',
				bId: BRAND,
				abstractUserId: 'customer-4711',
			},
		]);
		const put = requests[1];
		expect(put.headers['content-type']).toBe('image/jpeg');
		expect(put.headers['sivi-api-key']).toBeUndefined();
		expect(bodiesTo(requests, 'media/create')).toEqual([
			{
				type: 'photo',
				subType: 'photograph',
				uploadUrl: put.url,
				bId: BRAND,
				imagePreference: { crop: true, removeBg: false, enhancement: true },
				touchPosition: { bottom: true, center: false },
				hueRotations: [0, 90],
				abstractUserId: 'customer-4711',
			},
		]);
		expect(output).toHaveLength(1);
		const media = output[0].json;
		expect(media.mId).toMatch(/^w_sim----photo_\d{4}\.jpeg$/);
		expect(media).toMatchObject({
			type: 'photo',
			subType: 'photograph',
			bId: BRAND,
			meta: {
				imagePreference: { crop: true, removeBg: false, enhancement: true },
				hueRotations: [0, 90],
			},
		});
		const record = sim.mediaRecords().find((entry) => entry.mId === media.mId)!;
		expect(record.sha256).toBe(sha(JPEG));
		expect(await listedMIds()).toContain(media.mId);
	});

	it('adds an image from a URL with media/create alone', async () => {
		const { output, requests } = await executeNode(
			node(upload({ source: 'url', url: 'https://example.com/brand/logo.png', mediaType: 'logo' })),
		);
		expect(requests).toHaveLength(1);
		expect(bodiesTo(requests, 'media/create')).toEqual([
			{ type: 'logo', url: 'https://example.com/brand/logo.png' },
		]);
		expect(output[0].json).toMatchObject({ type: 'logo', subType: 'logo', bId: null });
		expect(output[0].json.mId).toMatch(/^w_sim----logo_\d{4}\.png$/);
	});

	it('uploads one image per item, each from its own binary', async () => {
		const items = [
			fileItem('data', JPEG, 'image/jpeg', 'one.jpg'),
			fileItem('data', PNG, 'image/png', 'two.png'),
		];
		const output = await runNode(node(upload({ mediaType: 'screenshot' }), { items }));
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const records = output.map(
			(item) => sim.mediaRecords().find((entry) => entry.mId === item.json.mId)!,
		);
		expect(records.map((record) => [record.type, record.subType, record.sha256])).toEqual([
			['screenshot', 'iphone', sha(JPEG)],
			['screenshot', 'iphone', sha(PNG)],
		]);
	});

	it('refuses a file the type does not take, naming the binary field, before any request', async () => {
		await expectRefused(
			node(upload({ mediaType: 'illustration' }), {
				items: [fileItem('data', PNG, 'image/png', 'drawing.png')],
			}),
			'Input Data Field Name',
			/"data" is image\/png, drawing\.png; Sivi accepts svg files for Type Illustration/,
		);
		await expectRefused(
			node(upload({ binaryPropertyName: 'photo', mediaType: 'photo' }), {
				items: [fileItem('data', JPEG, 'image/jpeg', 'mug.jpg')],
			}),
			'Input Data Field Name',
			/no binary field "photo"/,
		);
		await expectRefused(
			node(upload({ mediaType: 'icon' }), {
				items: [fileItem('data', PNG, 'image/svg+xml', 'star.svg')],
			}),
			'Type Icon',
			/can only be added from a URL/,
		);
		await expectRefused(
			node(upload({ source: 'url', url: 'not a url', mediaType: 'photo' })),
			'Image URL',
			/must be a public http or https URL/,
		);
		await expectRefused(
			node(
				upload({
					source: 'url',
					url: 'https://example.com/a.jpg',
					mediaType: 'photo',
					additionalFields: { subType: 'pattern' },
				}),
			),
			'Additional Fields → Sub Type',
			/"pattern" is not a sub type of Photo/,
		);
	});

	it('validates every item before any upload: a bad item stops the run, or fails alone', async () => {
		const { params, items } = perItemParams(
			[{ ...upload({ mediaType: 'photo' }) }, { ...upload({ mediaType: 'logo' }) }],
			[
				fileItem('data', JPEG, 'image/jpeg', 'ok.jpg'),
				fileItem('data', Buffer.from('%PDF-1.4'), 'application/pdf', 'brochure.pdf'),
			],
		);
		const stopped = await executeNode(node(params, { items }));
		expect(stopped.nodeFailed).toBe(true);
		expect(stopped.error?.message).toMatch(/Input Data Field Name: "data" is application\/pdf/);
		expect(stopped.requests).toHaveLength(0);

		const output = await runNode(node(params, { items, continueOnFail: true }));
		expect(output[0].json.mId).toMatch(/^w_sim----photo_/);
		expect(output[1].json.error).toMatch(/Sivi accepts jpeg, png, svg, webp files for Type Logo/);
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(sim.counters().byRoute['POST general/media/create']).toBe(1);
	});
});

// ------------------------------------------------------------------------------ Update

const update = (overrides: NodeParams = {}): NodeParams => ({
	resource: 'media',
	operation: 'update',
	mediaId: byId(FIRST_PHOTO),
	...overrides,
});

describe('Media → Update', () => {
	it('sends only what changes and outputs the merged record', async () => {
		const { output, requests } = await executeNode(
			node(
				update({
					touchPosition: { bottom: true },
					imagePreference: { removeBg: true },
					additionalFields: { hueRotations: '15', abstractUserId: 'customer-4711' },
				}),
			),
		);
		expect(bodiesTo(requests, 'media/update')).toEqual([
			{
				mId: FIRST_PHOTO,
				touchPosition: { bottom: true },
				imagePreference: { removeBg: true },
				hueRotations: [15],
				abstractUserId: 'customer-4711',
			},
		]);
		expect(output).toHaveLength(1);
		expect(output[0].json.mId).toBe(FIRST_PHOTO);
		expect(output[0].json.meta).toEqual({
			touchPosition: { left: null, right: null, bottom: true, top: null, center: null },
			imagePreference: { crop: null, removeBg: true, enhancement: null },
			hueRotations: [15],
			logoStyle: [],
		});
	});

	it('refuses an update with nothing to change, or bad values, before any request', async () => {
		await expectRefused(
			node(update({ additionalFields: { abstractUserId: 'customer-4711' } })),
			'Nothing to update',
			/set Image Preferences, Touch Position or Hue Rotations/,
		);
		await expectRefused(
			node(update({ additionalFields: { hueRotations: '10, warm' } })),
			'Additional Fields → Hue Rotations (item 2)',
			/must be numbers separated by commas/,
		);
		await expectRefused(
			node(update({ mediaId: byId('={{ "" }}'), touchPosition: { top: true } })),
			'Media',
			/is required/,
		);
	});

	it("says an mId of another workspace is the ID's problem, not the API key's", async () => {
		const run = await executeNode(
			node(update({ mediaId: byId(FOREIGN), touchPosition: { top: true } })),
		);
		expect(run.nodeFailed).toBe(true);
		expect(run.error?.message).toBe(
			`Sivi refused the ID: Media does not belong to this workspace: ${FOREIGN}`,
		);
		expect(run.error?.message).not.toMatch(/API key/);
		const missing = await executeNode(
			node(update({ mediaId: byId('w_sim----photo_9999.jpeg'), touchPosition: { top: true } })),
		);
		expect(missing.error?.message).toBe(
			'Sivi could not find it: Media not found: w_sim----photo_9999.jpeg',
		);
	});
});

// ------------------------------------------------------------------------------ Delete

const remove = (mId: string, overrides: NodeParams = {}): NodeParams => ({
	resource: 'media',
	operation: 'delete',
	mediaId: byId(mId),
	...overrides,
});

describe('Media → Delete', () => {
	it('deletes exactly one mId per item and says so', async () => {
		const targets = ['w_sim----logo_0002.jpeg', 'w_sim----screenshot_0003.jpeg'];
		const { params, items } = perItemParams(targets.map((mId) => remove(mId)));
		const { output, requests } = await executeNode(node(params, { items }));
		expect(bodiesTo(requests, 'media/delete')).toEqual(
			expect.arrayContaining([{ mIds: [targets[0]] }, { mIds: [targets[1]] }]),
		);
		expect(bodiesTo(requests, 'media/delete')).toHaveLength(2);
		expect(output.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ mId: targets[0], deleted: true, deletedCount: 1 }, { item: 0 }],
			[{ mId: targets[1], deleted: true, deletedCount: 1 }, { item: 1 }],
		]);
		const listed = await listedMIds();
		expect(listed).toHaveLength(10);
		expect(listed).not.toContain(targets[0]);
		expect(listed).not.toContain(targets[1]);
	});

	it('fails an item Sivi deleted nothing for, and sends the end user', async () => {
		const target = 'w_sim----logo_0002.jpeg';
		await runNode(node(remove(target)));
		const { requests, error } = await executeNode(
			node(remove(target, { additionalFields: { abstractUserId: 'customer-4711' } })),
		);
		expect(bodiesTo(requests, 'media/delete')).toEqual([
			{ mIds: [target], abstractUserId: 'customer-4711' },
		]);
		expect(error?.message).toBe(`Nothing was deleted: Sivi deleted no media for ${target}`);
		const output = await runNode(node(remove(target), { continueOnFail: true }));
		expect(output[0].json.error).toBe(`Nothing was deleted: Sivi deleted no media for ${target}`);
		expect(output[0].json.deleted).toBeUndefined();
	});

	it('refuses an empty media ID before any request, and names a foreign one', async () => {
		await expectRefused(
			node(remove('={{ $json.mId }}'), { items: [{ json: { mId: '' } }] }),
			'Media',
			/is required/,
		);
		const foreign = await executeNode(node(remove(FOREIGN)));
		expect(foreign.error?.message).toBe(
			`Sivi refused the ID: Media does not belong to this workspace: ${FOREIGN}`,
		);
		expect(await listedMIds()).toHaveLength(12);
	});
});

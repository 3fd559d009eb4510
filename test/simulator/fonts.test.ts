// The simulator's fonts: font/get (seeded Google fonts, filters, cursor in meta) and the
// font/create job (presigned .ttf uploads only), whose fonts then appear as source "user".
import {
	callApi,
	expectError,
	useSimulator,
	waitForJob,
	type ApiResult,
	type Json,
} from '../helpers/simulatorApi';

jest.setTimeout(20000);

const sim = useSimulator({ rateLimit: { limit: 100000, windowMs: 60000 }, jobDurationMs: 100 });
const api = (method: 'GET' | 'POST', endpoint: string, body: Json) =>
	callApi(sim, method, endpoint, body);

const TTF = Buffer.from([0x00, 0x01, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x80, 1, 2, 3, 4]);

/** A presigned font URL; its bytes are PUT unless `put` is false. */
async function presignedFont(put = true, type = 'font', extension = 'ttf'): Promise<string> {
	const p = await api('POST', 'files/get-presigned-url', { type, extension });
	expect(p.status).toBe(200);
	const { uploadUrl, headers } = p.json.body;
	if (put) {
		const res = await fetch(uploadUrl, { method: 'PUT', headers, body: TTF });
		expect(res.status).toBe(200);
	}
	return uploadUrl;
}

async function completed(requestId: string): Promise<Json> {
	return (await waitForJob(sim, requestId, (status) => status === 'completed')).body;
}

async function allFonts(body: Json = {}): Promise<Json[]> {
	const found: Json[] = [];
	let cursor: string | null = null;
	do {
		const r: ApiResult = await api('POST', 'font/get', { ...body, limit: 100, cursor });
		expect(r.status).toBe(200);
		found.push(...r.json.body.data);
		cursor = r.json.body.meta.cursor;
	} while (cursor);
	return found;
}

describe('font/get', () => {
	it('lists the seeded Google fonts deterministically, paginated with meta.cursor', async () => {
		const pages: number[] = [];
		const names: string[] = [];
		let cursor: string | null = null;
		do {
			const r: ApiResult = await api(
				'POST',
				'font/get',
				cursor ? { limit: 10, cursor } : { limit: 10 },
			);
			expect(Object.keys(r.json.body)).toEqual(['data', 'meta']);
			pages.push(r.json.body.data.length);
			names.push(...r.json.body.data.map((f: Json) => f.name));
			cursor = r.json.body.meta.cursor;
		} while (cursor);
		expect(pages).toEqual([10, 10, 10, 5]);
		expect(names[0]).toBe('Abril Fatface');
		expect(new Set(names).size).toBe(35);
		const first = (await api('POST', 'font/get', {})).json.body;
		expect(first.data).toHaveLength(10);
		expect(first.data[0]).toEqual({
			id: 'f_sys0001',
			name: 'Abril Fatface',
			classification: 'display',
		});
		// The documented example sends cursor: null.
		const withNull = await api('POST', 'font/get', { cursor: null, limit: 100 });
		expect(withNull.json.body.data).toHaveLength(35);
		expect(withNull.json.body.meta).toEqual({ cursor: null });
	});

	it('filters by classification, partial name and source', async () => {
		const mono = await allFonts({ classification: ['monospace'] });
		expect(mono.map((f) => f.name)).toEqual([
			'Fira Code',
			'IBM Plex Mono',
			'Inconsolata',
			'JetBrains Mono',
			'Roboto Mono',
			'Source Code Pro',
		]);
		const two = await allFonts({ classification: ['serif', 'handwriting'] });
		expect(two.every((f) => ['serif', 'handwriting'].includes(f.classification))).toBe(true);
		expect(two).toHaveLength(12);
		expect((await allFonts({ name: 'rob' })).map((f) => f.name)).toEqual([
			'Roboto',
			'Roboto Mono',
			'Roboto Slab',
		]);
		expect(await allFonts({ source: 'system' })).toHaveLength(35);
		expect(await allFonts({ source: 'user' })).toEqual([]);
	});

	it('validates its body', async () => {
		expectError(
			await api('POST', 'font/get', { classification: 'serif' }),
			422,
			'classification must be an array',
		);
		expectError(
			await api('POST', 'font/get', { classification: ['script'] }),
			422,
			"Invalid classification 'script'",
		);
		expectError(await api('POST', 'font/get', { source: 'google' }), 422, /source must be one of/);
		expectError(await api('POST', 'font/get', { limit: 101 }), 422, /limit/);
		expectError(await api('POST', 'font/get', { limit: 0 }), 422, /limit/);
		expectError(await api('POST', 'font/get', { cursor: 'garbage' }), 422, 'Invalid cursor');
		expectError(await api('POST', 'font/get', { type: 'serif' }), 422, "Unknown field 'type'");
		expectError(await api('POST', 'font/get', { name: 5 }), 422, 'name must be a string');
	});
});

describe('font/create', () => {
	it('is a job whose result lists the created fonts, which font/get then lists as user fonts', async () => {
		const one = await presignedFont();
		const two = await presignedFont();
		const submit = await api('POST', 'font/create', {
			uploadedURL: [one, two],
			abstractUserId: 'u1',
		});
		expect(submit.status).toBe(200);
		expect(Object.keys(submit.json.body)).toEqual(['requestId']);
		const job = sim.jobs().find((j) => j.requestId === submit.json.body.requestId)!;
		expect(String(job.kind)).toBe('font');
		expect(job.cost).toBe(0);
		const done = await completed(submit.json.body.requestId);
		expect(done.result.data).toHaveLength(2);
		expect(done.result.data[0]).toEqual({
			id: 'f_usr0001',
			name: expect.stringMatching(/^Uploaded [0-9a-f]+$/),
			classification: 'display',
		});
		const user = await allFonts({ source: 'user' });
		expect(user).toEqual(done.result.data);
		// The result is made once: polling again shows the same fonts.
		expect((await completed(submit.json.body.requestId)).result).toEqual(done.result);
		const single = await api('POST', 'font/create', { uploadedURL: await presignedFont() });
		expect(single.status).toBe(200);
		await completed(single.json.body.requestId);
		expect(await allFonts({ source: 'user' })).toHaveLength(3);
		expect(await allFonts()).toHaveLength(38);
	});

	it('refuses what is not a PUT presigned .ttf URL', async () => {
		expectError(await api('POST', 'font/create', {}), 422, 'uploadedURL is required');
		expectError(
			await api('POST', 'font/create', { uploadedURL: 'https://example.com/MyFont.ttf' }),
			422,
			'Invalid uploadedURL format',
		);
		expectError(
			await api('POST', 'font/create', { uploadedURL: [5] }),
			422,
			'Invalid uploadedURL format',
		);
		expectError(
			await api('POST', 'font/create', { uploadedURL: [] }),
			422,
			'Invalid uploadedURL format',
		);
		const photo = await presignedFont(true, 'photo', 'jpeg');
		expectError(
			await api('POST', 'font/create', { uploadedURL: photo }),
			422,
			'Invalid uploadedURL format',
		);
		const notPut = await presignedFont(false);
		expectError(
			await api('POST', 'font/create', { uploadedURL: [await presignedFont(), notPut] }),
			400,
			'Uploaded file not found in S3. Ensure the upload to the presigned URL completed successfully.',
		);
		expectError(
			await api('POST', 'font/create', { uploadedURL: `${sim.origin}/upload/abcdef` }),
			400,
			/^Uploaded file not found in S3/,
		);
		expectError(
			await api('POST', 'font/create', { uploadedURL: await presignedFont(), name: 'x' }),
			422,
			"Unknown field 'name'",
		);
		expect(sim.jobs()).toHaveLength(0);
		expect(await allFonts({ source: 'user' })).toEqual([]);
	});
});

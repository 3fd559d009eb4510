'use strict';
/**
 * Fonts (REFERENCE §6; Sivi's Get Fonts / Upload Fonts pages).
 *
 * font/get lists the seeded system fonts (Google fonts, fixed list, always in this order) and
 * then the workspace's uploaded fonts in upload order, filtered by `classification` (any of),
 * `name` (case-insensitive part of the name) and `source` (`system` | `user`; both when absent).
 * Answer: `{ data: [{ id, name, classification }], meta: { cursor } }`; cursor is null on the
 * last page. `limit` is 1–100 (default 10).
 *
 * font/create is a job: `uploadedURL` is one presigned URL or an array of them, each from
 * files/get-presigned-url with type `font` / extension `ttf` and actually PUT; a URL that is not
 * such a presigned URL is 422 "Invalid uploadedURL format", one whose bytes were never PUT is
 * 400 "Uploaded file not found in S3. …". Its completed result is `{ data: [fonts created] }`
 * (Sivi does not document it; Sivi's explorer reads `result.data`). The fonts are created when
 * the job is first shown completed (status poll or webhook) and from then on font/get with
 * source `user` lists them. Uploaded fonts are named after the upload's file name.
 * `abstractUserId` is accepted on both and does not scope the list (the simulator has one user).
 */
const { ApiError } = require('../errors');
const { paginate, decodeCursor } = require('../store');
const fontCatalog = require('../../../nodes/Sivi/catalog/fonts.json');

const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 10;
const UPLOAD_NOT_FOUND =
	'Uploaded file not found in S3. Ensure the upload to the presigned URL completed successfully.';

/** Google fonts Sivi offers (a deterministic sample), as [name, classification]. */
const SYSTEM_FONTS = [
	['Abril Fatface', 'display'],
	['Anton', 'display'],
	['Bebas Neue', 'display'],
	['Caveat', 'handwriting'],
	['Dancing Script', 'handwriting'],
	['EB Garamond', 'serif'],
	['Fira Code', 'monospace'],
	['Great Vibes', 'handwriting'],
	['IBM Plex Mono', 'monospace'],
	['Inconsolata', 'monospace'],
	['Inter', 'sans-serif'],
	['JetBrains Mono', 'monospace'],
	['Lato', 'sans-serif'],
	['Libre Baskerville', 'serif'],
	['Lobster', 'display'],
	['Lora', 'serif'],
	['Merriweather', 'serif'],
	['Montserrat', 'sans-serif'],
	['Nunito', 'sans-serif'],
	['Open Sans', 'sans-serif'],
	['Oswald', 'sans-serif'],
	['Pacifico', 'handwriting'],
	['Playfair Display', 'serif'],
	['Poppins', 'sans-serif'],
	['PT Serif', 'serif'],
	['Raleway', 'sans-serif'],
	['Righteous', 'display'],
	['Roboto', 'sans-serif'],
	['Roboto Mono', 'monospace'],
	['Roboto Slab', 'serif'],
	['Satisfy', 'handwriting'],
	['Source Code Pro', 'monospace'],
	['Source Sans 3', 'sans-serif'],
	['Space Grotesk', 'sans-serif'],
	['Work Sans', 'sans-serif'],
].map(([name, classification], i) => ({
	id: `f_sys${String(i + 1).padStart(4, '0')}`,
	name,
	classification,
	source: 'system',
}));

const fail = (message, status = 422) => {
	throw new ApiError(status, message);
};
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function checkUnknown(obj, allowed) {
	for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(`Unknown field '${k}'`);
}

function checkAbstractUser(body) {
	if (body.abstractUserId !== undefined && typeof body.abstractUserId !== 'string')
		fail('abstractUserId must be a string');
}

const userFonts = (env) => env.state('fonts', () => ({ list: [], seq: 0 })).list;

const view = (font) => ({ id: font.id, name: font.name, classification: font.classification });

function getFonts(env, body) {
	checkUnknown(body, ['classification', 'name', 'source', 'limit', 'cursor', 'abstractUserId']);
	const { classification, name, source } = body;
	if (classification !== undefined) {
		if (!Array.isArray(classification)) fail('classification must be an array');
		for (const c of classification)
			if (!fontCatalog.classifications.includes(c)) fail(`Invalid classification '${c}'`);
	}
	if (name !== undefined && typeof name !== 'string') fail('name must be a string');
	if (source !== undefined && !fontCatalog.sources.includes(source))
		fail(`source must be one of ${fontCatalog.sources.join(', ')}`);
	let limit = DEFAULT_LIMIT;
	if (body.limit !== undefined) {
		if (!Number.isInteger(body.limit) || body.limit < 1 || body.limit > MAX_LIMIT)
			fail(`limit must be an integer between 1 and ${MAX_LIMIT}`);
		limit = body.limit;
	}
	if (body.cursor !== undefined && body.cursor !== null) {
		if (typeof body.cursor !== 'string' || decodeCursor(body.cursor) === null)
			fail('Invalid cursor');
	}
	checkAbstractUser(body);
	const needle = (name ?? '').trim().toLowerCase();
	const list = [...SYSTEM_FONTS, ...userFonts(env)].filter(
		(font) =>
			(source === undefined || font.source === source) &&
			(classification === undefined ||
				classification.length === 0 ||
				classification.includes(font.classification)) &&
			(!needle || font.name.toLowerCase().includes(needle)),
	);
	const { page, cursor } = paginate(list, limit, body.cursor);
	return { data: page.map(view), meta: { cursor } };
}

/** The upload behind a presigned URL of this simulator, or a 422/400. */
function fontUpload(env, url) {
	const prefix = `${env.origin()}/upload/`;
	const m =
		typeof url === 'string' && url.startsWith(prefix)
			? /^\/upload\/([0-9a-f]+)$/.exec(new URL(url).pathname)
			: null;
	if (!m) fail('Invalid uploadedURL format');
	const upload = env.store.uploads.get(m[1]);
	if (!upload) fail(UPLOAD_NOT_FOUND, 400);
	if (upload.type !== 'font' || upload.extension !== 'ttf') fail('Invalid uploadedURL format');
	if (!upload.bytes) fail(UPLOAD_NOT_FOUND, 400);
	return upload;
}

const createFonts = {
	kind: 'font',
	validate(env, payload) {
		checkUnknown(payload, ['uploadedURL', 'abstractUserId']);
		const { uploadedURL } = payload;
		if (uploadedURL === undefined || uploadedURL === null || uploadedURL === '')
			fail('uploadedURL is required');
		const urls = Array.isArray(uploadedURL) ? uploadedURL : [uploadedURL];
		if (!urls.length || urls.some((u) => typeof u !== 'string' || isObject(u)))
			fail('Invalid uploadedURL format');
		checkAbstractUser(payload);
		const uploads = urls.map((url) => fontUpload(env, url));
		return { uploads };
	},
	// Sivi publishes no price for fonts; uploading one creates nothing billable.
	cost: () => 0,
	result(env, _job, info) {
		const state = env.state('fonts', () => ({ list: [], seq: 0 }));
		const created = info.uploads.map((upload) => {
			state.seq++;
			const font = {
				id: `f_usr${String(state.seq).padStart(4, '0')}`,
				name: `Uploaded ${upload.fileName.replace(/\.ttf$/, '')}`,
				classification: 'display',
				source: 'user',
				sha256: upload.sha256,
			};
			state.list.push(font);
			return font;
		});
		return { data: created.map(view) };
	},
};

module.exports = {
	jsonRoutes: { 'POST general/font/get': getFonts },
	jobRoutes: { 'POST general/font/create': createFonts },
	SYSTEM_FONTS,
};

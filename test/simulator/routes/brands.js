'use strict';
/**
 * brands: brand/create, brand/set-default, brand/archive, brand/update (immediate) and
 * brand/extract (a job). See routes/index.js for the shape. Sivi's Brand pages (REFERENCE §6):
 * - create: the new brand becomes the default and the previous default is archived;
 * - set-default: the previous default stays a normal brand;
 * - archive: archived brands disappear from brand/get; every brand endpoint answers them
 *   404 "Brand not found in workspace";
 * - update: partial, 404 for unknown/archived bId, 422 "bId is required", image/text model
 *   preferences only from Sivi's Supported Models.
 * brand/get itself is in server.js (it lists only store.activeBrands()).
 */
const crypto = require('crypto');
const { ApiError, MESSAGES } = require('../errors');
const { imageModels } = require('../catalog');
const brandCatalog = require('../../../nodes/Sivi/catalog/brand.json');

const INDUSTRIES = brandCatalog.industries.map((i) => i.value);
const EMOTIONS = brandCatalog.emotions.map((e) => e.value);
const IMAGE_MODELS = imageModels.map((m) => m.value);
const TEXT_MODELS = brandCatalog.textModels.map((m) => m.value);

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const IDENTITY_FIELDS = [
	'brandName',
	'brandDescription',
	'brandUrl',
	'brandLogo',
	'brandColors',
	'brandFonts',
	'brandPersona',
	'abstractUserId',
];
const PERSONA_FIELDS = ['emotions', 'industry', 'audience', 'designTags'];

const fail = (message, status = 422) => {
	throw new ApiError(status, message);
};
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNonEmptyString = (v) => typeof v === 'string' && v.trim() !== '';
function isHttpUrl(v) {
	if (typeof v !== 'string') return false;
	try {
		const url = new URL(v);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

function checkUnknown(obj, allowed, prefix = '') {
	for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(`Unknown field '${prefix}${k}'`);
}

function checkStringList(v, name) {
	if (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))
		fail(`${name} must be an array of strings`);
}

function checkUrl(body, key) {
	if (body[key] !== undefined && !isHttpUrl(body[key]))
		fail(`${key} must be a valid HTTP/HTTPS URL`);
}

/** Shape of the fields brand/create and brand/update share (all optional here). */
function checkIdentity(body) {
	for (const key of ['brandName', 'brandDescription']) {
		if (body[key] !== undefined && !isNonEmptyString(body[key]))
			fail(`${key} must be a non-empty string`);
	}
	checkUrl(body, 'brandUrl');
	checkUrl(body, 'brandLogo');
	if (body.brandColors !== undefined) {
		if (!Array.isArray(body.brandColors)) fail('brandColors must be an array of hex colors');
		for (const c of body.brandColors) {
			if (typeof c !== 'string' || !HEX.test(c))
				fail(
					`Invalid color '${typeof c === 'string' ? c : JSON.stringify(c)}' in brandColors (hex expected)`,
				);
		}
	}
	// Sivi documents brandFonts only as "List of brand fonts" (always [] in its examples).
	if (body.brandFonts !== undefined && !Array.isArray(body.brandFonts))
		fail('brandFonts must be an array');
	if (body.brandPersona !== undefined) {
		const p = body.brandPersona;
		if (!isObject(p)) fail('brandPersona must be an object');
		checkUnknown(p, PERSONA_FIELDS, 'brandPersona.');
		if (p.industry !== undefined && !INDUSTRIES.includes(p.industry))
			fail(`Invalid industry '${p.industry}' in brandPersona.industry`);
		if (p.emotions !== undefined) {
			checkStringList(p.emotions, 'brandPersona.emotions');
			for (const e of p.emotions)
				if (!EMOTIONS.includes(e)) fail(`Invalid emotion '${e}' in brandPersona.emotions`);
		}
		if (p.audience !== undefined) checkStringList(p.audience, 'brandPersona.audience');
		if (p.designTags !== undefined) checkStringList(p.designTags, 'brandPersona.designTags');
	}
	if (body.abstractUserId !== undefined && typeof body.abstractUserId !== 'string')
		fail('abstractUserId must be a string');
}

function checkBId(body) {
	if (body.bId === undefined || body.bId === null || body.bId === '') fail('bId is required');
	if (typeof body.bId !== 'string') fail('bId must be a string');
}

/** The active brand `bId`, or 404 (after every shape check). */
function activeBrand(env, bId) {
	const brand = env.store.findBrand(bId);
	if (!brand) fail(MESSAGES.brandNotFound, 404);
	return brand;
}

const pad = (n, w) => String(n).padStart(w, '0');

function persona(p = {}) {
	return {
		industry: p.industry ?? null,
		emotions: p.emotions ? [...p.emotions] : [],
		audience: p.audience ? [...p.audience] : [],
		designTags: p.designTags ? [...p.designTags] : [],
	};
}

const colorRecords = (colors) =>
	colors.map((color) => ({ color, addedBy: 'user', primary: false }));

/** A logo Sivi copies into its own storage: served by the simulator under a new name. */
function storeLogo(env, bId, n) {
	const file = `brand-${bId}-logo-${n}.jpg`;
	env.store.staticFiles.set(file, { width: 256, height: 256 });
	return file;
}

const seq = (env) => env.state('brands', () => ({ created: 0, logos: 0 }));

// ---------------------------------------------------------------- brand/create

function create(env, body) {
	checkUnknown(body, IDENTITY_FIELDS);
	if (!isNonEmptyString(body.brandName)) fail('brandName is required');
	if (!isNonEmptyString(body.brandDescription)) fail('brandDescription is required');
	checkIdentity(body);
	const counters = seq(env);
	counters.created++;
	const bId = `b_new${pad(counters.created, 8)}`;
	// Documented: the previous default is archived and the new brand becomes the default.
	for (const b of env.store.activeBrands()) {
		if (b.isDefault) {
			b.isDefault = false;
			b.archived = true;
		}
	}
	const brand = {
		bId,
		isDefault: true,
		archived: false,
		logoFile: body.brandLogo ? storeLogo(env, bId, ++counters.logos) : null,
		record: {
			bId,
			brandName: body.brandName,
			brandDescription: body.brandDescription,
			brandUrl: body.brandUrl ?? '',
			brandColors: colorRecords(body.brandColors ?? []),
			brandFonts: JSON.parse(JSON.stringify(body.brandFonts ?? [])),
			brandPersona: persona(body.brandPersona),
			brandLogos: [],
			brandImages: [],
		},
	};
	env.store.brands.push(brand);
	return {
		message: 'Successfully set the brand details',
		brandDetails: [env.store.brandView(brand)],
	};
}

/** A brand given inside another body (super/login-user's `brand`): brand/create's fields. */
function checkBrandDetails(brand) {
	checkUnknown(
		brand,
		IDENTITY_FIELDS.filter((k) => k !== 'abstractUserId'),
		'brand.',
	);
	if (!isNonEmptyString(brand.brandName)) fail('brand.brandName is required');
	if (!isNonEmptyString(brand.brandDescription)) fail('brand.brandDescription is required');
	checkIdentity(brand);
}

// ---------------------------------------------------------------- brand/set-default, archive

function byId(body) {
	checkUnknown(body, ['bId', 'abstractUserId']);
	checkBId(body);
	if (body.abstractUserId !== undefined && typeof body.abstractUserId !== 'string')
		fail('abstractUserId must be a string');
}

function setDefault(env, body) {
	byId(body);
	const brand = activeBrand(env, body.bId);
	for (const b of env.store.brands) b.isDefault = false;
	brand.isDefault = true;
	return { message: 'Default brand updated successfully', bId: brand.bId };
}

function archive(env, body) {
	byId(body);
	const brand = activeBrand(env, body.bId);
	brand.archived = true;
	// The workspace has no default until one is set again (Sivi's Archive Brand page).
	brand.isDefault = false;
	return { message: 'Brand archived successfully', bId: brand.bId };
}

// ---------------------------------------------------------------- brand/update

function checkPreference(body, key, allowed) {
	const pref = body[key];
	if (pref === undefined) return;
	if (!isObject(pref)) fail(`${key} must be an object`);
	checkUnknown(pref, ['model'], `${key}.`);
	if (pref.model === undefined) return;
	if (typeof pref.model !== 'string' || !allowed.includes(pref.model))
		fail(`${key} model '${pref.model}' is not supported. Allowed: ${allowed.join(', ')}`);
}

function update(env, body) {
	checkUnknown(body, ['bId', ...IDENTITY_FIELDS, 'imageGenPreference', 'textGenPreference']);
	checkBId(body);
	checkIdentity(body);
	checkPreference(body, 'imageGenPreference', IMAGE_MODELS);
	checkPreference(body, 'textGenPreference', TEXT_MODELS);
	if (Object.keys(body).every((k) => k === 'bId' || k === 'abstractUserId'))
		fail(MESSAGES.invalidInput);
	const brand = activeBrand(env, body.bId);
	const r = brand.record;
	for (const key of ['brandName', 'brandDescription', 'brandUrl'])
		if (body[key] !== undefined) r[key] = body[key];
	if (body.brandColors !== undefined) r.brandColors = colorRecords(body.brandColors);
	if (body.brandFonts !== undefined) r.brandFonts = JSON.parse(JSON.stringify(body.brandFonts));
	if (body.brandLogo !== undefined) brand.logoFile = storeLogo(env, brand.bId, ++seq(env).logos);
	if (body.brandPersona !== undefined) {
		const merged = { ...r.brandPersona };
		for (const key of PERSONA_FIELDS)
			if (body.brandPersona[key] !== undefined)
				merged[key] = JSON.parse(JSON.stringify(body.brandPersona[key]));
		r.brandPersona = merged;
	}
	for (const key of ['imageGenPreference', 'textGenPreference'])
		if (body[key] !== undefined) r[key] = { ...(r[key] || {}), ...body[key] };
	return {
		message: 'Brand updated successfully',
		bId: brand.bId,
		brandDetail: env.store.brandView(brand),
	};
}

// ---------------------------------------------------------------- brand/extract (job)

function validateExtract(env, body) {
	checkUnknown(body, ['brandUrl', 'abstractUserId']);
	if (body.brandUrl === undefined || body.brandUrl === null || body.brandUrl === '')
		fail('brandUrl is required');
	checkUrl(body, 'brandUrl');
	if (body.abstractUserId !== undefined && typeof body.abstractUserId !== 'string')
		fail('abstractUserId must be a string');
	return {};
}

/** What Sivi "reads" from the website: deterministic per host. */
function extractResult(env, job) {
	const url = new URL(job.payload.brandUrl);
	const host = url.hostname.replace(/^www\./, '');
	const word = host.split('.')[0] || 'brand';
	const hash = crypto.createHash('sha256').update(host).digest('hex');
	const logo = `extract-${host}-logo.jpg`;
	env.store.staticFiles.set(logo, { width: 256, height: 256 });
	return {
		brandDetails: {
			brandName: word.charAt(0).toUpperCase() + word.slice(1),
			brandDescription: `Brand read from ${job.payload.brandUrl} by the Sivi simulator.`,
			brandUrl: job.payload.brandUrl,
			brandLogo: env.fileUrl(logo),
			brandColors: [`#${hash.slice(0, 6)}`, `#${hash.slice(6, 12)}`],
			brandFonts: [],
			brandPersona: {
				emotions: [EMOTIONS[parseInt(hash.slice(12, 14), 16) % EMOTIONS.length]],
				industry: INDUSTRIES[parseInt(hash.slice(14, 16), 16) % INDUSTRIES.length],
				audience: ['small business owners'],
				designTags: ['modern', 'clean'],
			},
		},
	};
}

module.exports = {
	checkBrandDetails,
	jsonRoutes: {
		'POST general/brand/create': create,
		'POST general/brand/set-default': setDefault,
		'POST general/brand/archive': archive,
		'POST general/brand/update': update,
	},
	jobRoutes: {
		'POST general/brand/extract': {
			kind: 'brand',
			validate: validateExtract,
			// Sivi publishes no price for brand extraction.
			cost: () => 0,
			result: extractResult,
		},
	},
};

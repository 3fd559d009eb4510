'use strict';
/**
 * Strict request validation (422, messages naming the problem) so that a wrong
 * field name or shape in the client fails loudly. Existence checks (404) run
 * after all shape checks. Enums come from the node's catalog JSON.
 */
const {
	imageModelByValue,
	imageSizes,
	designModelValues,
	languageSet,
	subtypesByType,
	contentBlocks,
	designSettings,
	limits,
} = require('./catalog');
const { ApiError, MESSAGES } = require('./errors');
const { decodeCursor } = require('./store');

const fail = (message, status = 422) => {
	throw new ApiError(status, message);
};

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isHttpUrl = (v) => typeof v === 'string' && /^https?:\/\/[^\s/]+\S*$/i.test(v);
const isNonEmptyString = (v) => typeof v === 'string' && v.trim() !== '';
const isInt = (v) => typeof v === 'number' && Number.isInteger(v);

function checkUnknown(obj, allowed, prefix = '') {
	for (const k of Object.keys(obj)) {
		if (!allowed.includes(k)) fail(`Unknown field '${prefix}${k}'`);
	}
}

function requireObject(v, name) {
	if (!isObject(v)) fail(`${name} must be an object`);
}

function optionalString(obj, key, prefix = '') {
	if (obj[key] !== undefined && typeof obj[key] !== 'string')
		fail(`${prefix}${key} must be a string`);
}

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const NUM = '\\s*\\d{1,3}(?:\\.\\d+)?%?\\s*';
const ALPHA = '\\s*(?:0|1|0?\\.\\d+|1\\.0+|\\d{1,3}%)\\s*';
const RGB = new RegExp(`^rgb\\(${NUM},${NUM},${NUM}\\)$`, 'i');
const RGBA = new RegExp(`^rgba\\(${NUM},${NUM},${NUM},${ALPHA}\\)$`, 'i');
const isColor = (v) => typeof v === 'string' && (HEX.test(v) || RGB.test(v) || RGBA.test(v));

function checkColors(v, name) {
	if (!Array.isArray(v)) fail(`${name} must be an array of color strings`);
	for (const c of v)
		if (!isColor(c))
			fail(`Invalid color '${typeof c === 'string' ? c : JSON.stringify(c)}' in ${name}`);
}

function checkStringArray(v, name) {
	if (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))
		fail(`${name} must be an array of strings`);
}

const FONT_GROUP_TYPES = ['heading', 'subHeading', 'body'];
function checkFontGroups(v, name) {
	if (!Array.isArray(v) || v.length !== 3)
		fail(`${name} must contain exactly 3 entries (heading, subHeading, body)`);
	const seen = new Set();
	v.forEach((g, i) => {
		const p = `${name}[${i}].`;
		requireObject(g, `${name}[${i}]`);
		checkUnknown(g, ['id', 'name', 'type', 'status', 'addedBy'], p);
		if (!(typeof g.id === 'string' || typeof g.id === 'number')) fail(`${p}id is required`);
		if (!isNonEmptyString(g.name)) fail(`${p}name is required`);
		if (!FONT_GROUP_TYPES.includes(g.type))
			fail(`${p}type must be one of ${FONT_GROUP_TYPES.join(', ')}`);
		// §7.8 / Sivi's settings page: all five fields are required.
		if (!['enabled', 'disabled'].includes(g.status)) fail(`${p}status must be enabled or disabled`);
		if (!['system', 'user'].includes(g.addedBy)) fail(`${p}addedBy must be system or user`);
		seen.add(g.type);
	});
	if (seen.size !== 3) fail(`${name} must contain one each of heading, subHeading and body`);
}

const TOUCH_KEYS = ['left', 'right', 'top', 'bottom', 'center'];
function checkTouchPosition(v, name) {
	requireObject(v, name);
	checkUnknown(v, TOUCH_KEYS, `${name}.`);
	for (const k of Object.keys(v)) {
		const x = v[k];
		if (!(x === null || typeof x === 'boolean' || typeof x === 'number'))
			fail(`${name}.${k} must be a boolean, number or null`);
	}
}

function checkBoolOrNull(obj, key, prefix) {
	if (obj[key] !== undefined && obj[key] !== null && typeof obj[key] !== 'boolean')
		fail(`${prefix}${key} must be true, false or null`);
}

function checkSiviAssets(v, deferred, store) {
	if (!Array.isArray(v)) fail('siviAssets must be an array of { mId }');
	v.forEach((a, i) => {
		requireObject(a, `siviAssets[${i}]`);
		checkUnknown(a, ['mId'], `siviAssets[${i}].`);
		if (!isNonEmptyString(a.mId)) fail(`siviAssets[${i}].mId is required`);
		deferred.push(() => {
			if (!store.findMedia(a.mId)) fail(`Media not found: ${a.mId}`, 404);
		});
	});
	return v.length;
}

function checkBrand(bId, deferred, store) {
	deferred.push(() => {
		if (!store.brandExists(bId)) fail(MESSAGES.brandNotFound, 404);
	});
}

// ---------------------------------------------------------------- media/generate

const MEDIA_GENERATE_FIELDS = [
	'prompt',
	'dimensions',
	'bId',
	'model',
	'siviAssets',
	'assets',
	'negativePrompt',
	'abstractUserId',
];

function validateMediaGenerate(body, store) {
	const deferred = [];
	checkUnknown(body, MEDIA_GENERATE_FIELDS);
	if (!isNonEmptyString(body.prompt)) fail('Prompt is required and must be a string.');
	if (body.model === undefined || body.model === null || body.model === '')
		fail('model is required');
	const model = imageModelByValue.get(body.model);
	if (!model) fail(`Model '${body.model}' is not supported.`);
	const d = body.dimensions;
	if (!isObject(d)) fail('dimensions is required and must be an object { width, height }');
	checkUnknown(d, ['width', 'height'], 'dimensions.');
	if (
		!(typeof d.width === 'number' && d.width > 0 && typeof d.height === 'number' && d.height > 0)
	) {
		fail('dimensions.width and dimensions.height must be positive numbers');
	}
	const size = `${d.width}x${d.height}`;
	if (!imageSizes[size] || !model.sizes.includes(size))
		fail(`Dimensions ${size} are not supported by model '${model.value}'.`);
	if (body.bId === undefined || body.bId === null || body.bId === '') fail('bId is required');
	if (typeof body.bId !== 'string') fail('bId must be a string');
	checkBrand(body.bId, deferred, store);
	let assetCount = 0;
	if (body.siviAssets !== undefined)
		assetCount += checkSiviAssets(body.siviAssets, deferred, store);
	if (body.assets !== undefined) {
		requireObject(body.assets, 'assets');
		checkUnknown(body.assets, Object.keys(designSettings.mediaTypes), 'assets.');
		for (const [group, list] of Object.entries(body.assets)) {
			if (!Array.isArray(list)) fail(`assets.${group} must be an array of { url }`);
			list.forEach((a, i) => {
				requireObject(a, `assets.${group}[${i}]`);
				checkUnknown(a, ['url'], `assets.${group}[${i}].`);
				if (!isHttpUrl(a.url)) fail(`assets.${group}[${i}].url must be an http(s) URL`);
			});
			assetCount += list.length;
		}
	}
	if (assetCount > limits.maxAssets)
		fail(`At most ${limits.maxAssets} image assets are allowed (siviAssets and assets combined).`);
	if (assetCount > 0 && !model.canEnhance)
		fail(`Model '${model.value}' does not support image enhancement.`);
	if (assetCount === 0 && !model.canGenerate)
		fail(`Model '${model.value}' does not support image generation.`);
	optionalString(body, 'negativePrompt');
	optionalString(body, 'abstractUserId');
	for (const f of deferred) f();
	return { model: model.value, width: d.width, height: d.height, enhancement: assetCount > 0 };
}

// ---------------------------------------------------------------- designs

const DESIGN_COMMON = [
	'type',
	'subtype',
	'dimension',
	'numOfVariants',
	'assets',
	'language',
	'colors',
	'fontGroups',
	'outputFormat',
	'settings',
	'abstractUserId',
	'siviAssets',
	'webhookUrl',
];
const DESIGN_FIELDS = {
	'designs-from-content': ['name', 'content', 'designInstructions', ...DESIGN_COMMON],
	'designs-from-prompt': ['prompt', ...DESIGN_COMMON],
	// Generate Copy (immediate): the design format and a prompt, nothing about the designs.
	'content-from-prompt': ['prompt', 'type', 'subtype', 'dimension', 'language', 'abstractUserId'],
};
const TEXT_BLOCKS = contentBlocks.text;
const LIST_BLOCKS = contentBlocks.list;
const PRIMARY_TEXT = ['title', 'supertext', 'subtext', 'text', 'caption'];
const SETTINGS_KEYS = [
	'mode',
	'currentbId',
	'colors',
	'fontGroups',
	'theme',
	'frameStyle',
	'backdropStyle',
	'focus',
	'imageStyle',
	'designModel',
];
const STYLE_KEYS = ['theme', 'frameStyle', 'backdropStyle', 'focus', 'imageStyle'];

function checkContent(content) {
	if (content === undefined || content === null) fail('content is required');
	requireObject(content, 'content');
	for (const [k, v] of Object.entries(content)) {
		if (TEXT_BLOCKS.includes(k)) {
			if (typeof v !== 'string') fail(`Content block '${k}' must be a string`);
		} else if (LIST_BLOCKS.includes(k)) {
			if (!Array.isArray(v) || v.some((s) => typeof s !== 'string'))
				fail(`Content block '${k}' must be an array of strings`);
		} else {
			fail(`Unknown content block '${k}'`);
		}
	}
	if (!PRIMARY_TEXT.some((k) => isNonEmptyString(content[k]))) {
		fail(`content needs at least one non-empty text block (${PRIMARY_TEXT.join(', ')})`);
	}
}

function checkDesignAssets(assets) {
	requireObject(assets, 'assets');
	checkUnknown(assets, ['images', 'logos', 'icons', 'inspiration'], 'assets.');
	const shapes = {
		images: ['url', 'imagePreference', 'touchPosition'],
		logos: ['url', 'logoStyles', 'touchPosition'],
		icons: ['url', 'touchPosition'],
		inspiration: ['url'],
	};
	let count = 0;
	for (const [group, list] of Object.entries(assets)) {
		if (!Array.isArray(list)) fail(`assets.${group} must be an array`);
		list.forEach((a, i) => {
			const p = `assets.${group}[${i}]`;
			requireObject(a, p);
			checkUnknown(a, shapes[group], `${p}.`);
			if (!isHttpUrl(a.url)) fail(`${p}.url must be an http(s) URL`);
			if (a.imagePreference !== undefined && a.imagePreference !== null) {
				requireObject(a.imagePreference, `${p}.imagePreference`);
				checkUnknown(a.imagePreference, ['crop', 'removeBg'], `${p}.imagePreference.`);
				checkBoolOrNull(a.imagePreference, 'crop', `${p}.imagePreference.`);
				checkBoolOrNull(a.imagePreference, 'removeBg', `${p}.imagePreference.`);
			}
			if (a.logoStyles !== undefined) {
				if (!Array.isArray(a.logoStyles)) fail(`${p}.logoStyles must be an array`);
				for (const s of a.logoStyles) {
					if (!designSettings.logoStyles.includes(s))
						fail(`Invalid logo style '${s}' in ${p}.logoStyles`);
				}
			}
			if (a.touchPosition !== undefined) checkTouchPosition(a.touchPosition, `${p}.touchPosition`);
		});
		count += list.length;
	}
	return count;
}

function checkSettings(settings, deferred, store) {
	requireObject(settings, 'settings');
	checkUnknown(settings, SETTINGS_KEYS, 'settings.');
	if (settings.mode === undefined) fail('settings.mode is required');
	if (!designSettings.modes.includes(settings.mode))
		fail(`Invalid settings.mode '${settings.mode}'`);
	if (settings.mode === 'brand') {
		if (!isNonEmptyString(settings.currentbId))
			fail('settings.currentbId is required for brand mode');
	}
	if (settings.currentbId !== undefined) {
		if (typeof settings.currentbId !== 'string') fail('settings.currentbId must be a string');
		checkBrand(settings.currentbId, deferred, store);
	}
	if (settings.colors !== undefined) checkColors(settings.colors, 'settings.colors');
	if (settings.fontGroups !== undefined)
		checkFontGroups(settings.fontGroups, 'settings.fontGroups');
	for (const k of STYLE_KEYS) {
		if (settings[k] === undefined) continue;
		if (!Array.isArray(settings[k])) fail(`settings.${k} must be an array`);
		for (const v of settings[k])
			if (!designSettings[k].includes(v)) fail(`Invalid value '${v}' for settings.${k}`);
	}
	if (settings.designModel !== undefined && !designModelValues.has(settings.designModel)) {
		fail(`Design model '${settings.designModel}' is not supported.`);
	}
}

function validateDesign(endpoint, body, store) {
	const deferred = [];
	checkUnknown(body, DESIGN_FIELDS[endpoint]);
	if (endpoint === 'designs-from-content') {
		if (!isNonEmptyString(body.name)) fail('name is required and must be a string');
	} else if (!isNonEmptyString(body.prompt)) {
		fail('Prompt is required and must be a string.');
	}
	if (!isNonEmptyString(body.type)) fail('type is required');
	if (!isNonEmptyString(body.subtype)) fail('subtype is required');
	const subs = subtypesByType.get(body.type);
	const sub = subs && subs.get(body.subtype);
	if (!sub) fail('Invalid type and subType combination');
	let width = sub.width;
	let height = sub.height;
	const { min, max } = limits.customDimension;
	if (body.dimension !== undefined) {
		requireObject(body.dimension, 'dimension');
		checkUnknown(body.dimension, ['width', 'height'], 'dimension.');
		const { width: w, height: h } = body.dimension;
		if (!(typeof w === 'number' && w > 0 && typeof h === 'number' && h > 0))
			fail('dimension.width and dimension.height must be positive numbers');
	}
	if (body.type === 'custom') {
		if (body.dimension === undefined) fail('dimension is required for type custom');
		const { width: w, height: h } = body.dimension;
		if (!(w >= min && w <= max && h >= min && h <= max))
			fail(`dimension width and height must be between ${min} and ${max} for custom designs`);
		width = w;
		height = h;
	}
	const n = body.numOfVariants;
	// content-from-prompt makes no designs: everything else is checked as for designs-from-prompt.
	if (endpoint !== 'content-from-prompt') {
		if (n === undefined) fail('numOfVariants is required');
		if (!isInt(n) || n < limits.numOfVariants.min || n > limits.numOfVariants.max) {
			fail(
				`numOfVariants must be an integer between ${limits.numOfVariants.min} and ${limits.numOfVariants.max}`,
			);
		}
	}
	if (endpoint === 'designs-from-content') checkContent(body.content);
	let assetCount = 0;
	if (body.assets !== undefined) assetCount += checkDesignAssets(body.assets);
	if (body.siviAssets !== undefined)
		assetCount += checkSiviAssets(body.siviAssets, deferred, store);
	if (assetCount > limits.maxAssets)
		fail(`At most ${limits.maxAssets} assets are allowed in total.`);
	if (body.language !== undefined && !languageSet.has(body.language))
		fail(`Language '${body.language}' is not supported.`);
	if (body.colors !== undefined) checkColors(body.colors, 'colors');
	if (body.fontGroups !== undefined) checkFontGroups(body.fontGroups, 'fontGroups');
	if (body.outputFormat !== undefined) {
		const ok =
			Array.isArray(body.outputFormat) &&
			body.outputFormat.length === limits.outputFormats.length &&
			body.outputFormat.every((f, i) => f === limits.outputFormats[i]);
		if (!ok) fail(`outputFormat must be ${JSON.stringify(limits.outputFormats)}`);
	}
	if (body.designInstructions !== undefined)
		checkStringArray(body.designInstructions, 'designInstructions');
	if (body.settings !== undefined) checkSettings(body.settings, deferred, store);
	if (body.webhookUrl !== undefined && !isHttpUrl(body.webhookUrl))
		fail('webhookUrl must be an http(s) URL');
	optionalString(body, 'abstractUserId');
	for (const f of deferred) f();
	return { numOfVariants: n, width, height };
}

// ---------------------------------------------------------------- status

function validateStatusQuery(q) {
	checkUnknown(q, ['requestId', 'abstractUserId']);
	if (!isNonEmptyString(q.requestId)) fail('requestId is required');
	optionalString(q, 'abstractUserId');
	return q.requestId;
}

// ---------------------------------------------------------------- lists

function checkLimit(v) {
	if (v === undefined) return 10;
	if (!isInt(v) || v < 1 || v > 50) fail('limit must be an integer between 1 and 50');
	return v;
}

function checkCursor(v) {
	if (v === undefined || v === null) return;
	if (typeof v !== 'string' || decodeCursor(v) === null) fail('Invalid cursor');
}

function validateBrandGet(body, store) {
	checkUnknown(body, ['bId', 'isDefault', 'limit', 'cursor', 'abstractUserId']);
	optionalString(body, 'bId');
	if (body.isDefault !== undefined && typeof body.isDefault !== 'boolean')
		fail('isDefault must be a boolean');
	const limit = checkLimit(body.limit);
	checkCursor(body.cursor);
	optionalString(body, 'abstractUserId');
	if (body.bId !== undefined && !body.isDefault && !store.brandExists(body.bId))
		fail(MESSAGES.brandNotFound, 404);
	return { limit };
}

function checkTypeSubType(type, subType, required) {
	const types = designSettings.mediaTypes;
	if (type === undefined) {
		if (required) fail('type is required');
		if (subType !== undefined && !Object.values(types).some((t) => t.subTypes.includes(subType)))
			fail('Invalid type and subType combination');
		return;
	}
	if (!types[type]) fail(`Invalid media type '${type}'`);
	if (subType !== undefined && !types[type].subTypes.includes(subType))
		fail('Invalid type and subType combination');
}

function validateMediaGet(body, store) {
	checkUnknown(body, [
		'type',
		'subType',
		'mId',
		'bId',
		'limit',
		'cursor',
		'sort',
		'abstractUserId',
	]);
	checkTypeSubType(body.type, body.subType, false);
	optionalString(body, 'mId');
	optionalString(body, 'bId');
	const limit = checkLimit(body.limit);
	checkCursor(body.cursor);
	if (body.sort !== undefined && !['ASC', 'DESC'].includes(body.sort))
		fail('sort must be ASC or DESC');
	optionalString(body, 'abstractUserId');
	if (body.bId !== undefined && !store.brandExists(body.bId)) fail(MESSAGES.brandNotFound, 404);
	return { limit, sort: body.sort || 'DESC' };
}

// ---------------------------------------------------------------- files / media create

const CONTENT_TYPES = {
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	png: 'image/png',
	svg: 'image/svg+xml',
	webp: 'image/webp',
	gif: 'image/gif',
	bmp: 'image/bmp',
	tiff: 'image/tiff',
	ttf: 'font/ttf',
};

function validatePresigned(body, store) {
	checkUnknown(body, ['type', 'extension', 'contentType', 'bId', 'expiresIn', 'abstractUserId']);
	if (!isNonEmptyString(body.type)) fail('type is required');
	if (!designSettings.presignedTypes.includes(body.type)) fail(`Invalid type '${body.type}'`);
	const extension = body.extension === undefined ? 'jpeg' : body.extension;
	if (!designSettings.presignedExtensions.includes(extension))
		fail(`Invalid extension '${extension}'`);
	if ((body.type === 'font') !== (extension === 'ttf'))
		fail(`Extension '${extension}' is not supported for type '${body.type}'`);
	if (
		body.contentType !== undefined &&
		!(typeof body.contentType === 'string' && /^[\w.+-]+\/[\w.+-]+$/.test(body.contentType))
	) {
		fail('contentType must be a MIME type string');
	}
	let expiresIn = 3600;
	if (body.expiresIn !== undefined) {
		if (!isInt(body.expiresIn) || body.expiresIn < 60 || body.expiresIn > 3600)
			fail('expiresIn must be an integer between 60 and 3600');
		expiresIn = body.expiresIn;
	}
	optionalString(body, 'bId');
	optionalString(body, 'abstractUserId');
	if (body.bId !== undefined && !store.brandExists(body.bId)) fail(MESSAGES.brandNotFound, 404);
	return {
		type: body.type,
		extension,
		contentType: body.contentType || CONTENT_TYPES[extension],
		bId: body.bId,
		expiresIn,
	};
}

function validateMediaCreate(body, store, origin) {
	checkUnknown(body, [
		'type',
		'subType',
		'url',
		'uploadUrl',
		'bId',
		'touchPosition',
		'imagePreference',
		'hueRotations',
		'abstractUserId',
	]);
	checkTypeSubType(body.type, body.subType, true);
	const subType =
		body.subType === undefined ? designSettings.mediaTypes[body.type].subTypes[0] : body.subType;
	const hasUrl = body.url !== undefined && body.url !== null && body.url !== '';
	const hasUpload =
		body.uploadUrl !== undefined && body.uploadUrl !== null && body.uploadUrl !== '';
	if (!hasUrl && !hasUpload) fail('Either url or uploadUrl is required');
	if (hasUrl && hasUpload) fail('Provide either url or uploadUrl, not both');
	if (hasUrl && !isHttpUrl(body.url)) fail('url must be an http(s) URL');
	let token = null;
	if (hasUpload) {
		const m =
			typeof body.uploadUrl === 'string' && body.uploadUrl.startsWith(`${origin}/upload/`)
				? /^\/upload\/([0-9a-f]+)$/.exec(new URL(body.uploadUrl).pathname)
				: null;
		if (!m) fail('Invalid uploadUrl format');
		token = m[1];
	}
	optionalString(body, 'bId');
	if (body.touchPosition !== undefined) checkTouchPosition(body.touchPosition, 'touchPosition');
	if (body.imagePreference !== undefined) {
		requireObject(body.imagePreference, 'imagePreference');
		checkUnknown(body.imagePreference, ['crop', 'removeBg', 'enhancement'], 'imagePreference.');
		for (const k of ['crop', 'removeBg', 'enhancement'])
			checkBoolOrNull(body.imagePreference, k, 'imagePreference.');
	}
	if (
		body.hueRotations !== undefined &&
		(!Array.isArray(body.hueRotations) || body.hueRotations.some((h) => typeof h !== 'number'))
	) {
		fail('hueRotations must be an array of numbers');
	}
	optionalString(body, 'abstractUserId');
	if (body.bId !== undefined && !store.brandExists(body.bId)) fail(MESSAGES.brandNotFound, 404);
	let upload = null;
	if (token) {
		upload = store.uploads.get(token);
		if (!upload || !upload.bytes) fail(MESSAGES.uploadMissing, 400);
		if (!designSettings.mediaTypes[body.type].extensions.includes(upload.extension)) {
			fail(`Extension '${upload.extension}' is not supported for type '${body.type}'`);
		}
	}
	return { type: body.type, subType, url: hasUrl ? body.url : null, upload };
}

module.exports = {
	validateMediaGenerate,
	validateDesign,
	validateStatusQuery,
	validateBrandGet,
	validateMediaGet,
	validatePresigned,
	validateMediaCreate,
	isObject,
	checkUnknownFields: checkUnknown,
};

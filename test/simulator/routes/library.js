'use strict';
/**
 * The media library beyond media/get and media/create (those live in server.js):
 * media/update and media/delete (REFERENCE §4.4, §4.5; Sivi's Update Media / Delete Media pages).
 *
 * Workspaces: every mId has the form `w_<workspace>----<file>`. This workspace's media are
 * `w_sim----…` (seeded and created ones). An mId of any other workspace, e.g.
 * `w_other----photo_0001.jpeg`, is answered 401 "Media does not belong to this workspace: <mId>";
 * an mId of this workspace that does not exist (or was deleted) is 404 "Media not found: <mId>".
 *
 * media/update merges touchPosition and imagePreference into the record's meta (as documented)
 * and replaces hueRotations. media/delete is a soft delete of up to 20 mIds; the record stays
 * but media/get no longer lists it; `deletedCount` counts the media this call deleted, so an
 * mId deleted before counts 0. Validation is strict: unknown fields and values the docs do not
 * allow (touch positions and image preferences are booleans) are 422.
 */
const { ApiError } = require('../errors');

const OWN_WORKSPACE = 'w_sim';
const MAX_DELETE = 20;
const TOUCH_KEYS = ['left', 'right', 'bottom', 'top', 'center'];
const PREFERENCE_KEYS = ['crop', 'removeBg', 'enhancement'];

const fail = (message, status = 422) => {
	throw new ApiError(status, message);
};
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const isNonEmptyString = (v) => typeof v === 'string' && v.trim() !== '';

function checkUnknown(obj, allowed, prefix = '') {
	for (const k of Object.keys(obj)) if (!allowed.includes(k)) fail(`Unknown field '${prefix}${k}'`);
}

function checkFlags(value, name, keys) {
	if (!isObject(value)) fail(`${name} must be an object`);
	checkUnknown(value, keys, `${name}.`);
	for (const [k, v] of Object.entries(value))
		if (typeof v !== 'boolean') fail(`${name}.${k} must be a boolean`);
}

function checkAbstractUser(body) {
	if (body.abstractUserId !== undefined && typeof body.abstractUserId !== 'string')
		fail('abstractUserId must be a string');
}

/** The workspace part of an mId (`w_sim` of `w_sim----photo_0001.jpeg`), or null. */
function workspaceOf(mId) {
	const m = /^(w_[A-Za-z0-9]+)----/.exec(mId);
	return m ? m[1] : null;
}

/** This workspace's live record for mId; 401 for another workspace's, 404 when missing. */
function ownMedia(store, mId) {
	const workspace = workspaceOf(mId);
	if (workspace && workspace !== OWN_WORKSPACE)
		fail(`Media does not belong to this workspace: ${mId}`, 401);
	const record = store.findMedia(mId);
	if (!record) fail(`Media not found: ${mId}`, 404);
	return record;
}

function update(env, body) {
	checkUnknown(body, ['mId', 'touchPosition', 'imagePreference', 'hueRotations', 'abstractUserId']);
	if (!isNonEmptyString(body.mId)) fail('mId is required');
	if (body.touchPosition !== undefined) checkFlags(body.touchPosition, 'touchPosition', TOUCH_KEYS);
	if (body.imagePreference !== undefined)
		checkFlags(body.imagePreference, 'imagePreference', PREFERENCE_KEYS);
	if (
		body.hueRotations !== undefined &&
		(!Array.isArray(body.hueRotations) ||
			body.hueRotations.some((h) => typeof h !== 'number' || !Number.isFinite(h)))
	)
		fail('hueRotations must be an array of numbers');
	checkAbstractUser(body);
	const record = ownMedia(env.store, body.mId);
	const meta = record.meta;
	if (body.touchPosition) meta.touchPosition = { ...meta.touchPosition, ...body.touchPosition };
	if (body.imagePreference)
		meta.imagePreference = { ...meta.imagePreference, ...body.imagePreference };
	if (body.hueRotations) meta.hueRotations = [...body.hueRotations];
	return { media: env.store.mediaView(record) };
}

function remove(env, body, ctx) {
	checkUnknown(body, ['mIds', 'abstractUserId']);
	if (body.mIds === undefined) fail('mIds is required');
	if (!Array.isArray(body.mIds) || body.mIds.some((id) => !isNonEmptyString(id)))
		fail('mIds must be an array of media IDs');
	if (body.mIds.length < 1 || body.mIds.length > MAX_DELETE)
		fail(`mIds must hold between 1 and ${MAX_DELETE} media IDs`);
	checkAbstractUser(body);
	// Every mId is checked before anything is deleted: one bad mId deletes nothing.
	const live = [];
	for (const mId of body.mIds) {
		const workspace = workspaceOf(mId);
		if (workspace && workspace !== OWN_WORKSPACE)
			fail(`Media does not belong to this workspace: ${mId}`, 401);
		const everCreated = env.store.media.some((m) => m.mId === mId);
		if (!everCreated) fail(`Media not found: ${mId}`, 404);
		if (env.store.findMedia(mId)) live.push(mId);
	}
	let deletedCount = 0;
	for (const mId of new Set(live)) if (env.store.deleteMedia(mId, ctx.t)) deletedCount++;
	return { deletedCount };
}

module.exports = {
	jsonRoutes: {
		'POST general/media/update': update,
		'POST general/media/delete': remove,
	},
	jobRoutes: {},
};

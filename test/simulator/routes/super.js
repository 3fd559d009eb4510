'use strict';
/**
 * super: the User Management API of Super and Enterprise keys (REFERENCE §10; Sivi's Login User
 * and Set Credit Limit pages), called as `super/<endpoint>`: user management has its own prefix (REFERENCE §1).
 * - login-user `{ abstractUserId*, planId?, brand? }`: creates the end user and their workspace
 *   when new (a deleted one comes back as new), answers `{ accessToken, refreshToken,
 *   workspaceId }`. A brand is checked like brand/create (name and description, since Sivi marks
 *   them "Conditional") and kept with the end user, not in the key's own workspace.
 * - set-user-credit-limit `{ abstractUserId*, creditLimit* }`: an integer, -1 = unlimited (the
 *   default); Sivi's page: "-ve values are not allowed". Unknown user: 400 "User does not exist".
 * - delete-user `{ abstractUserId* }`: the end user is deleted (Sivi purges the data after 15 days).
 * Submits (see beforeSubmit/afterSubmit): a job for an end user with a limit >= 0 whose used
 * credits plus the job's cost exceed it gets 429 "Insufficient credit limit"; a job for a
 * deleted end user 400 "User does not exist". End users never logged in have no limit.
 * Tokens are random and distinctive (`sim-access-…`, `sim-refresh-…`) so tests can search for
 * them; `endUsers(env)` lists every end user with the tokens issued to them.
 */
const crypto = require('crypto');
const { ApiError, MESSAGES } = require('../errors');
const v = require('../validation');
const { checkBrandDetails } = require('./brands');

const USER_MISSING = 'User does not exist';

const fail = (message, status = 422) => {
	throw new ApiError(status, message);
};

const users = (env) => env.state('endUsers', () => new Map());

function checkKeys(body, allowed) {
	if (!v.isObject(body)) fail(MESSAGES.invalidInput);
	v.checkUnknownFields(body, allowed);
	if (
		body.abstractUserId === undefined ||
		body.abstractUserId === null ||
		body.abstractUserId === ''
	)
		fail('abstractUserId is required');
	if (typeof body.abstractUserId !== 'string' || body.abstractUserId.trim() === '')
		fail('abstractUserId must be a non-empty string');
}

/** An end user that exists now (not deleted), or 400 as Sivi answers. */
function existing(env, abstractUserId) {
	const user = users(env).get(abstractUserId);
	if (!user || user.deleted) fail(USER_MISSING, 400);
	return user;
}

const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT-shaped access token (header.payload.signature) whose payload names its marker. */
function accessToken(user) {
	const jti = `sim-access-${crypto.randomBytes(12).toString('hex')}`;
	const payload = { sub: user.abstractUserId, wid: user.workspaceId, jti, exp: 3600 };
	return {
		token: `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(payload)}.${crypto.randomBytes(24).toString('base64url')}`,
		marker: jti,
	};
}

function loginUser(env, body) {
	checkKeys(body, ['abstractUserId', 'planId', 'brand']);
	if (body.planId !== undefined && (typeof body.planId !== 'string' || body.planId === ''))
		fail('planId must be a non-empty string');
	if (body.brand !== undefined) {
		if (!v.isObject(body.brand)) fail('brand must be an object');
		checkBrandDetails(body.brand);
	}
	const all = users(env);
	let user = all.get(body.abstractUserId);
	if (!user || user.deleted) {
		user = {
			abstractUserId: body.abstractUserId,
			workspaceId: crypto.randomUUID(),
			creditLimit: -1,
			usedCredits: 0,
			deleted: false,
			brands: [],
			tokens: [],
		};
		all.set(body.abstractUserId, user);
	}
	if (body.brand !== undefined) user.brands.push(JSON.parse(JSON.stringify(body.brand)));
	const access = accessToken(user);
	const tokens = {
		accessToken: access.token,
		accessMarker: access.marker,
		refreshToken: `sim-refresh-${crypto.randomBytes(16).toString('hex')}`,
	};
	user.tokens.push(tokens);
	return {
		accessToken: tokens.accessToken,
		refreshToken: tokens.refreshToken,
		workspaceId: user.workspaceId,
	};
}

function setUserCreditLimit(env, body) {
	checkKeys(body, ['abstractUserId', 'creditLimit']);
	const limit = body.creditLimit;
	if (limit === undefined || limit === null) fail('creditLimit is required');
	if (typeof limit !== 'number' || !Number.isInteger(limit))
		fail('creditLimit must be an integer (-1 for no limit)');
	if (limit < -1) fail('creditLimit must not be negative (-1 for no limit)');
	existing(env, body.abstractUserId).creditLimit = limit;
	return { message: 'Credit limit set successfully.' };
}

function deleteUser(env, body) {
	checkKeys(body, ['abstractUserId']);
	const user = existing(env, body.abstractUserId);
	user.deleted = true;
	return { message: 'User deleted successfully' };
}

const endUserOf = (env, payload) =>
	v.isObject(payload) && typeof payload.abstractUserId === 'string'
		? users(env).get(payload.abstractUserId)
		: undefined;

/** Before a job is accepted: refuses one a deleted end user or their credit limit does not allow. */
function beforeSubmit(env, payload, cost) {
	const user = endUserOf(env, payload);
	if (!user) return;
	if (user.deleted) fail(USER_MISSING, 400);
	if (user.creditLimit >= 0 && user.usedCredits + cost > user.creditLimit + 1e-9)
		fail(MESSAGES.creditMedia, 429);
}

/** After a job is accepted: its cost counts against its end user's limit. */
function afterSubmit(env, payload, cost) {
	const user = endUserOf(env, payload);
	if (user) user.usedCredits = Math.round((user.usedCredits + cost) * 1e6) / 1e6;
}

/** Every end user, for tests: limit, used credits, deleted, brands and the tokens issued. */
function endUsers(env) {
	return [...users(env).values()].map((user) => JSON.parse(JSON.stringify(user)));
}

module.exports = {
	jsonRoutes: {
		'POST super/login-user': loginUser,
		'POST super/set-user-credit-limit': setUserCreditLimit,
		'POST super/delete-user': deleteUser,
	},
	beforeSubmit,
	afterSubmit,
	endUsers,
};

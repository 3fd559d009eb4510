'use strict';
/**
 * Endpoints beyond jobs and status, one module per API area. Each module exports:
 *   jsonRoutes: { 'POST general/<path>': (env, body, ctx) => responseBody }   (immediate calls;
 *               throw ApiError for documented errors)
 *   jobRoutes:  { 'POST general/<path>': { kind, validate(env, payload) => info,
 *               cost(info) => credits, result(env, job) => result object of the completed job } }
 * `env` (see server.js): store, origin(), fileUrl(name), state(name, init) for a module's own
 * workspace data, now(). Validation is strict: a body the docs do not allow is a 422.
 * Optional submit hooks: beforeSubmit(env, payload, cost) may refuse a job (throw ApiError),
 * afterSubmit(env, payload, cost) sees each accepted one.
 */
module.exports = [
	require('./brands'),
	require('./design'),
	require('./fonts'),
	require('./library'),
	require('./super'),
];

'use strict';
/**
 * Design calls (REFERENCE §3.3, §3.4); the design jobs themselves are server.js's.
 *
 * content-from-prompt (Generate Copy) is validated like designs-from-prompt without
 * numOfVariants: unknown fields, the type/subtype combination, the custom dimension and the
 * language are 422s with the same messages. It answers the documented
 * `{ contentSuggestions: [...], assetSuggestions: { images: [{ url }] } }` as the envelope's body.
 * The docs' example leaves the envelope out, and Sivi's explorer reads `body.content`,
 * `body.result.content` or `body.result.contentSuggestions` (§11.10), so a marker in the prompt
 * moves the suggestions, to test clients against each of those shapes:
 *   [sim:copy=contentSuggestions]         body.contentSuggestions (the default)
 *   [sim:copy=result.contentSuggestions]  body.result.contentSuggestions (+ result.assetSuggestions)
 *   [sim:copy=content]                    body.content: the list of suggestions
 *   [sim:copy=result.content]             body.result.content: the first suggestion, one object
 *   [sim:copy-extra]                      adds `hashtag`, a block Sivi's skills mention but the
 *                                         content-block docs do not
 * There are always two suggestions, made from the prompt's words (markers left out). Sivi
 * publishes no price for it; the simulator charges nothing.
 *
 * get-design-variants lists the variants of a design job: each variant, then its option, as
 * flat `variations` (the docs' response has no `options`), once the job has completed; a job
 * still running or failed has none. All simulated variants are GENERATED, so type `edited`
 * lists none. Body: one of designId / userId / workspaceId (priority in that order; the
 * simulator has one user and one workspace, so userId or workspaceId alone lists every design's
 * variants), type all|generated|edited (default all), limit 1–100 (default 100), cursor,
 * abstractUserId. Answer `{ designId, variations, cursor }`, cursor null on the last page.
 * An unknown designId: the docs say nothing, so the simulator takes the harsh reading, a 404
 * "Design not found" (a client must not take it for a design without variants).
 */
const { ApiError, MESSAGES } = require('../errors');
const { paginate, decodeCursor } = require('../store');
const v = require('../validation');

const fail = (message, status = 422) => {
	throw new ApiError(status, message);
};

const DESIGN_NOT_FOUND = 'Design not found';
const VARIANT_TYPES = ['all', 'generated', 'edited'];
const COPY_SHAPES = [
	'contentSuggestions',
	'result.contentSuggestions',
	'content',
	'result.content',
];

// ---------------------------------------------------------------- content-from-prompt

function suggestionsFor(prompt, extra) {
	const words = prompt
		.replace(/\[sim:[^\]]*\]/g, ' ')
		.split(/\s+/)
		.filter(Boolean)
		.slice(0, 6);
	const topic = words.join(' ') || 'Your product';
	const title = topic.charAt(0).toUpperCase() + topic.slice(1);
	const suggestions = [
		{
			title,
			offer: 'Limited time: 20% off',
			bulletlist: ['Free shipping', 'Easy returns', 'Made to last'],
			button: 'Shop now',
		},
		{
			supertext: 'New season',
			title: `Discover ${topic}`,
			subtext: 'Made for every day',
			button: 'Learn more',
		},
	];
	if (extra) suggestions[0].hashtag = '#summer';
	return suggestions;
}

function contentFromPrompt(env, body) {
	v.validateDesign('content-from-prompt', body, env.store);
	const shape = /\[sim:copy=([\w.]+)\]/.exec(body.prompt)?.[1] ?? 'contentSuggestions';
	if (!COPY_SHAPES.includes(shape)) fail(`Unknown simulator copy shape '${shape}'`);
	const contentSuggestions = suggestionsFor(body.prompt, body.prompt.includes('[sim:copy-extra]'));
	const assetSuggestions = { images: [{ url: env.fileUrl('media-0001.jpg') }] };
	switch (shape) {
		case 'result.contentSuggestions':
			return { result: { contentSuggestions, assetSuggestions } };
		case 'content':
			return { content: contentSuggestions, assetSuggestions };
		case 'result.content':
			return { result: { content: contentSuggestions[0], assetSuggestions } };
		default:
			return { contentSuggestions, assetSuggestions };
	}
}

// ---------------------------------------------------------------- get-design-variants

/** A design's variants as get-design-variants lists them: each variant, then its options. */
function variantsOf(design) {
	const list = [];
	for (const variation of design.result?.variations ?? []) {
		const { options, ...variant } = variation;
		list.push(variant);
		for (const option of options ?? []) list.push(option);
	}
	return list;
}

function getDesignVariants(env, body) {
	v.checkUnknownFields(body, [
		'designId',
		'userId',
		'workspaceId',
		'type',
		'cursor',
		'limit',
		'abstractUserId',
	]);
	for (const key of ['designId', 'userId', 'workspaceId', 'abstractUserId']) {
		if (body[key] !== undefined && typeof body[key] !== 'string') fail(`${key} must be a string`);
	}
	const ids = ['designId', 'userId', 'workspaceId'].filter((key) => body[key]?.trim());
	if (!ids.length) fail(MESSAGES.invalidInput);
	const type = body.type === undefined ? 'all' : body.type;
	if (!VARIANT_TYPES.includes(type)) fail(`type must be one of ${VARIANT_TYPES.join(', ')}`);
	let limit = 100;
	if (body.limit !== undefined) {
		if (!Number.isInteger(body.limit) || body.limit < 1 || body.limit > 100)
			fail('limit must be an integer between 1 and 100');
		limit = body.limit;
	}
	if (body.cursor !== undefined && body.cursor !== null) {
		if (typeof body.cursor !== 'string' || decodeCursor(body.cursor) === null)
			fail('Invalid cursor');
	}
	const designs = env.designJobs();
	let chosen = designs;
	if (ids[0] === 'designId') {
		chosen = designs.filter((design) => design.designId === body.designId);
		if (!chosen.length) fail(DESIGN_NOT_FOUND, 404);
	}
	const variants = chosen
		.flatMap(variantsOf)
		.filter((variant) => type === 'all' || variant.variantType === type.toUpperCase());
	const { page, cursor } = paginate(variants, limit, body.cursor);
	return { designId: body.designId ?? null, variations: page, cursor };
}

module.exports = {
	jsonRoutes: {
		'POST general/content-from-prompt': contentFromPrompt,
		'POST general/get-design-variants': getDesignVariants,
	},
	jobRoutes: {},
};

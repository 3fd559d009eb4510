// zod schemas of the brand/* request bodies (REFERENCE §6, Sivi's Brand pages). Messages state
// the rule only; `describeIssues` puts the UI label in front ("Website URL must be …").
import { z } from 'zod';

import { brandCatalog, imageModels } from '../catalog';
import { isHttpUrl } from './requestSchemas';

const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
/** A model ID as Sivi spells them: flux-schnell, nano-banana:1k, zai-org/glm-5-maas. */
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]*$/;

const requiredText = (max: number) =>
	z
		.string({ required_error: 'is required', invalid_type_error: 'must be text' })
		.trim()
		.min(1, 'is required')
		.max(max, `must be at most ${max} characters`);

const brandId = requiredText(200).refine(
	(value) => !/\s/.test(value),
	'must be a brand ID without spaces (e.g. b_s87vFxpfM0R)',
);

const httpUrl = z
	.string({ required_error: 'is required', invalid_type_error: 'must be a URL' })
	.trim()
	.refine(isHttpUrl, 'must be a public http or https URL (e.g. https://example.com)');

const textList = (what: string) =>
	z.array(requiredText(200), { invalid_type_error: `must be a list of ${what}` });

const hexColors = z
	.array(
		z
			.string({ invalid_type_error: 'must be text' })
			.trim()
			.refine((value) => HEX_COLOR.test(value), 'must be a hex color like #5662EC'),
		{ invalid_type_error: 'must be a list of hex colors' },
	)
	.min(1, 'must not be empty');

const oneOf = (values: string[], what: string) =>
	z
		.string({ required_error: 'is required', invalid_type_error: 'must be text' })
		.refine((value) => values.includes(value), {
			message: `must be a known ${what} (${values.slice(0, 6).join(', ')}${values.length > 6 ? ', …' : ''})`,
		});

const modelId = z
	.string({ invalid_type_error: 'must be text' })
	.trim()
	.min(1, 'is required')
	.max(100, 'must be at most 100 characters')
	.refine((value) => MODEL_ID.test(value), 'must be a model ID such as auto or flux-schnell');

export const industryValues = brandCatalog.industries.map((industry) => industry.value);
export const emotionValues = brandCatalog.emotions.map((emotion) => emotion.value);
export const imageModelValues = imageModels.map((model) => model.value);

const brandPersona = z
	.object({
		industry: oneOf(industryValues, 'industry').optional(),
		emotions: z.array(oneOf(emotionValues, 'emotion')).optional(),
		audience: textList('audiences').optional(),
		designTags: textList('design tags').optional(),
	})
	.strict();

const abstractUserId = z.string({ invalid_type_error: 'must be text' }).max(200).optional();

/** What brand/create and brand/update share: the brand's identity. */
const identity = {
	brandUrl: httpUrl.optional(),
	brandLogo: httpUrl.optional(),
	brandColors: hexColors.optional(),
	brandFonts: textList('font names').optional(),
	brandPersona: brandPersona.optional(),
	abstractUserId,
};

// ---- brand/get (Get Many, Get, Get Default) ----------------------------------------------------

export const brandListSchema = z.object({ abstractUserId }).strict();

export const brandByIdSchema = z.object({ bId: brandId, abstractUserId }).strict();

// ---- brand/create --------------------------------------------------------------------------------

export const brandCreateSchema = z
	.object({
		brandName: requiredText(200),
		brandDescription: requiredText(5000),
		...identity,
	})
	.strict();

// ---- brand/extract -------------------------------------------------------------------------------

export const brandExtractSchema = z.object({ brandUrl: httpUrl, abstractUserId }).strict();

// ---- brand/update --------------------------------------------------------------------------------

export const brandUpdateSchema = z
	.object({
		bId: brandId,
		brandName: requiredText(200).optional(),
		brandDescription: requiredText(5000).optional(),
		...identity,
		imageGenPreference: z.object({ model: modelId }).strict().optional(),
		textGenPreference: z.object({ model: modelId }).strict().optional(),
	})
	.strict();

/** Body keys that change nothing about the brand (who and which). */
export const UPDATE_NON_CHANGES = ['bId', 'abstractUserId'];

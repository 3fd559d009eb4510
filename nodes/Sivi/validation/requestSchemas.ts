// One zod schema per Sivi request body, built from the API reference and the catalog.
// Messages state the rule only ("must be between 1 and 4"); `describeIssues` puts the UI
// label of the field in front, so users read "Number of Variants must be between 1 and 4".
import { z } from 'zod';

import {
	CUSTOM_DESIGN_TYPE,
	contentBlocks,
	designModels,
	designSettings,
	designTypes,
	findImageModel,
	findSubtype,
	imageModels,
	languages,
	limits,
	sizeKey,
} from '../catalog';

const MAX_TEXT = 5000;
const MAX_PROMPT = 4000;

const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const RGB_COLOR =
	/^rgba?\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*(?:,\s*(?:0|1|0?\.\d+|\d{1,3}%)\s*)?\)$/i;

export function isHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
}

const requiredText = (max: number) =>
	z
		.string({ required_error: 'is required', invalid_type_error: 'must be text' })
		.trim()
		.min(1, 'is required')
		.max(max, `must be at most ${max} characters`);

const optionalText = (max: number) =>
	z.string({ invalid_type_error: 'must be text' }).max(max, `must be at most ${max} characters`);

const httpUrl = z
	.string({ required_error: 'is required', invalid_type_error: 'must be a URL' })
	.trim()
	.refine(isHttpUrl, 'must be a public http or https URL (e.g. https://example.com/photo.jpg)');

const color = z
	.string({ invalid_type_error: 'must be text' })
	.trim()
	.refine(
		(value) => HEX_COLOR.test(value) || RGB_COLOR.test(value),
		'must be a hex color like #FF5733 or an rgba() color like rgba(255, 87, 51, 1)',
	);

const oneOf = (values: string[], what: string) =>
	z
		.string({ required_error: 'is required', invalid_type_error: 'must be text' })
		.refine((value) => values.includes(value), {
			message: `must be a known ${what} (${values.slice(0, 6).join(', ')}${values.length > 6 ? ', …' : ''})`,
		});

const manyOf = (values: string[], what: string) =>
	z.array(oneOf(values, what)).min(1, 'must not be empty');

const dimension = (min: number, max: number) =>
	z
		.number({ required_error: 'is required', invalid_type_error: 'must be a number' })
		.int('must be a whole number of pixels')
		.min(min, `must be between ${min} and ${max} pixels`)
		.max(max, `must be between ${min} and ${max} pixels`);

// ---- Generate Media (POST general/media/generate) -------------------------------------------

export const mediaGenerateSchema = z
	.object({
		prompt: requiredText(MAX_PROMPT),
		model: oneOf(
			imageModels.map((model) => model.value),
			'image model',
		),
		dimensions: z.object(
			{ width: z.number().int().positive(), height: z.number().int().positive() },
			{ required_error: 'is required', invalid_type_error: 'must be a size such as 1024x1024' },
		),
		bId: requiredText(200),
		negativePrompt: optionalText(MAX_PROMPT).optional(),
		siviAssets: z.array(z.object({ mId: requiredText(500) }).strict()).optional(),
		assets: z
			.object({ photo: z.array(z.object({ url: httpUrl }).strict()) })
			.strict()
			.optional(),
		abstractUserId: optionalText(200).optional(),
	})
	.strict()
	.superRefine((body, ctx) => {
		const model = findImageModel(body.model);
		if (!model) return;
		const size = sizeKey(body.dimensions);
		if (!model.sizes.includes(size)) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['dimensions'],
				message: `${size} is not a size ${model.name} supports (choose one of ${model.sizes.join(', ')})`,
			});
		}
		const inputs = (body.siviAssets?.length ?? 0) + (body.assets?.photo.length ?? 0);
		if (inputs > limits.maxAssets) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['siviAssets'],
				message: `must hold at most ${limits.maxAssets} input images in total with Image URLs and binary inputs (got ${inputs})`,
			});
		}
		if (inputs > 0 && !model.canEnhance) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['model'],
				message: `${model.name} cannot enhance input images; choose a model that can (${enhanceModels()})`,
			});
		}
		if (inputs === 0 && !model.canGenerate) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['model'],
				message: `${model.name} needs input images to enhance`,
			});
		}
	});

function enhanceModels(): string {
	return imageModels
		.filter((model) => model.canEnhance)
		.map((model) => model.name)
		.join(', ');
}

// ---- Designs (POST general/designs-from-content, general/designs-from-prompt) ---------------

const textBlock = z
	.string({ invalid_type_error: 'must be text (got a list or object from an expression?)' })
	.max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`);
const listBlock = z
	.array(textBlock, { invalid_type_error: 'must be a list of text lines' })
	.max(20, 'must have at most 20 lines');

const contentShape: Record<string, z.ZodTypeAny> = {};
for (const block of contentBlocks.text) contentShape[block] = textBlock.optional();
for (const block of contentBlocks.list) contentShape[block] = listBlock.optional();

const MAIN_TEXT_BLOCKS = ['title', 'supertext', 'subtext', 'text', 'caption'];

const contentSchema = z
	.object(contentShape, { required_error: 'is required', invalid_type_error: 'must be an object' })
	.strict()
	.refine(
		(content) =>
			MAIN_TEXT_BLOCKS.some(
				(block) => typeof content[block] === 'string' && (content[block] as string).trim(),
			),
		{ message: 'needs at least one of Title, Supertext, Subtext, Text or Caption' },
	);

const imagePreference = z
	.object({ crop: z.boolean().nullable().optional(), removeBg: z.boolean().nullable().optional() })
	.strict();

const designAssetsSchema = z
	.object({
		images: z
			.array(z.object({ url: httpUrl, imagePreference: imagePreference.optional() }).strict())
			.optional(),
		logos: z
			.array(
				z
					.object({
						url: httpUrl,
						logoStyles: manyOf(designSettings.logoStyles, 'logo style').optional(),
					})
					.strict(),
			)
			.optional(),
		icons: z.array(z.object({ url: httpUrl }).strict()).optional(),
		inspiration: z.array(z.object({ url: httpUrl }).strict()).optional(),
	})
	.strict()
	.refine(
		(assets) =>
			(assets.images?.length ?? 0) +
				(assets.logos?.length ?? 0) +
				(assets.icons?.length ?? 0) +
				(assets.inspiration?.length ?? 0) <=
			limits.maxAssets,
		{ message: `must hold at most ${limits.maxAssets} assets in total` },
	);

const settingsSchema = z
	.object({
		mode: oneOf(designSettings.modes, 'mode'),
		currentbId: requiredText(200).optional(),
		designModel: oneOf(
			designModels.map((model) => model.value),
			'design model',
		).optional(),
		colors: z.array(color).max(10, 'must have at most 10 colors').optional(),
		theme: manyOf(designSettings.theme, 'theme').optional(),
		frameStyle: manyOf(designSettings.frameStyle, 'frame style').optional(),
		backdropStyle: manyOf(designSettings.backdropStyle, 'backdrop style').optional(),
		focus: manyOf(designSettings.focus, 'focus').optional(),
		imageStyle: manyOf(designSettings.imageStyle, 'image style').optional(),
	})
	.strict()
	.superRefine((settings, ctx) => {
		if (settings.mode === 'brand' && !settings.currentbId) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['currentbId'],
				message: 'is required when Mode is Brand',
			});
		}
	});

const designCommon = {
	type: oneOf(
		designTypes.map((type) => type.value),
		'design type',
	),
	subtype: requiredText(100),
	dimension: z
		.object({
			width: dimension(limits.customDimension.min, limits.customDimension.max),
			height: dimension(limits.customDimension.min, limits.customDimension.max),
		})
		.strict()
		.optional(),
	numOfVariants: z
		.number({ required_error: 'is required', invalid_type_error: 'must be a number' })
		.int('must be a whole number')
		.min(
			limits.numOfVariants.min,
			`must be between ${limits.numOfVariants.min} and ${limits.numOfVariants.max}`,
		)
		.max(
			limits.numOfVariants.max,
			`must be between ${limits.numOfVariants.min} and ${limits.numOfVariants.max}`,
		),
	assets: designAssetsSchema.optional(),
	language: oneOf(languages, 'language').optional(),
	colors: z.array(color).max(10, 'must have at most 10 colors').optional(),
	outputFormat: z.array(oneOf(limits.outputFormats, 'output format')).optional(),
	settings: settingsSchema.optional(),
	abstractUserId: optionalText(200).optional(),
};

function checkDesignType(
	body: { type: string; subtype: string; dimension?: unknown },
	ctx: z.RefinementCtx,
): void {
	if (!designTypes.some((type) => type.value === body.type)) return;
	if (!findSubtype(body.type, body.subtype)) {
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			path: ['subtype'],
			message: `"${body.subtype}" is not a size of design type "${body.type}"`,
		});
	}
	if (body.type === CUSTOM_DESIGN_TYPE && !body.dimension) {
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			path: ['dimension'],
			message: `must be set for custom designs (each between ${limits.customDimension.min} and ${limits.customDimension.max} pixels)`,
		});
	}
}

export const designsFromContentSchema = z
	.object({
		...designCommon,
		name: requiredText(200),
		content: contentSchema,
		designInstructions: z.array(textBlock).max(20, 'must have at most 20 lines').optional(),
	})
	.strict()
	.superRefine(checkDesignType);

export const designsFromPromptSchema = z
	.object({ ...designCommon, prompt: requiredText(MAX_PROMPT) })
	.strict()
	.superRefine(checkDesignType);

// One zod schema per Sivi request body, built from the API reference and the catalog.
// Messages state the rule only ("must be between 1 and 4"); `describeIssues` puts the UI
// label of the field in front, so users read "Number of Variants must be between 1 and 4".
//
// Catalog values (design type, size, language, design model, image model, image size) chosen from
// the node's lists are checked against the catalog. Given by ID, i.e. by an expression, they are
// only checked for their shape: a value Sivi adds after this node's release still works, and if
// Sivi does not know it, its own 422 says so before any credits are used.
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

export const requiredText = (max: number) =>
	z
		.string({ required_error: 'is required', invalid_type_error: 'must be text' })
		.trim()
		.min(1, 'is required')
		.max(max, `must be at most ${max} characters`);

export const optionalText = (max: number) =>
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

/** Catalog fields that can be given by ID (an expression) instead of from the list. */
export type CatalogField = 'type' | 'subtype' | 'language' | 'designModel' | 'model' | 'dimensions';
export type ById = Partial<Record<CatalogField, boolean>>;

/** What a catalog ID must look like when it is not one of the listed values. */
const ID_SHAPES: Record<Exclude<CatalogField, 'dimensions'>, { pattern: RegExp; rule: string }> = {
	type: {
		pattern: /^[A-Za-z][A-Za-z0-9_-]{0,59}$/,
		rule: 'must be a design type ID such as instagram or displayAds (letters, digits, - and _)',
	},
	subtype: {
		pattern: /^[A-Za-z0-9][A-Za-z0-9:._-]{0,99}$/,
		rule: 'must be a size ID such as instagram-post (letters, digits, -, _, . and :)',
	},
	language: {
		pattern: /^[a-z]+(?: [a-z]+){0,3}$/,
		rule: 'must be a language ID: its lowercase English name, such as english or scottish gaelic',
	},
	designModel: {
		pattern: /^[a-z0-9][a-z0-9._:-]{0,99}$/,
		rule: 'must be a design model ID such as sivi-gen-3h-preview (lowercase letters, digits, -, _, . and :)',
	},
	model: {
		pattern: /^[a-z0-9][a-z0-9._:/-]{0,99}$/,
		rule: 'must be an image model ID such as nano-banana:1k (lowercase letters, digits, -, _, ., : and /)',
	},
};

const idShaped = (field: Exclude<CatalogField, 'dimensions'>) =>
	z
		.string({ required_error: 'is required', invalid_type_error: 'must be text' })
		.regex(ID_SHAPES[field].pattern, ID_SHAPES[field].rule);

/** From the list: one of `values`. By ID: anything of the field's shape. */
const catalogValue = (
	field: Exclude<CatalogField, 'dimensions'>,
	values: string[],
	what: string,
	byId: ById,
) => (byId[field] ? idShaped(field) : oneOf(values, what));

/**
 * What resolve() will still add to a body (no request has run yet): the prepare step checks the
 * fields against the endpoint's schema told of it; after resolve the schema is applied to the
 * body as sent, with nothing incoming.
 */
export interface Incoming {
	/** Binary fields of the item that resolve() uploads, by the body key they end up in. */
	uploads?: Partial<
		Record<'siviAssets' | 'images' | 'logos' | 'uploadedURL' | 'uploadUrl', string[]>
	>;
	/** Parts that resolve() looks up: the default brand, the fonts' names and sources. */
	lookups?: Array<'bId' | 'fontGroups'>;
}

const uploadsOf = (incoming: Incoming | undefined, key: keyof NonNullable<Incoming['uploads']>) =>
	incoming?.uploads?.[key]?.length ?? 0;
const looksUp = (incoming: Incoming | undefined, part: 'bId' | 'fontGroups') =>
	incoming?.lookups?.includes(part) ?? false;

/** A schema builder that builds each By-ID and incoming combination once (prepare runs per item). */
function perById<T>(build: (byId: ById, incoming?: Incoming) => T) {
	const built = new Map<string, T>();
	return (byId: ById = {}, incoming?: Incoming): T => {
		// Counts, not names: the names of the binary fields do not change the schema.
		const counts = Object.entries(incoming?.uploads ?? {}).map(
			([at, names]) => `${at}${names.length}`,
		);
		const key = `${(Object.keys(byId) as CatalogField[])
			.filter((field) => byId[field])
			.sort()
			.join()}|${counts.join()}|${[...(incoming?.lookups ?? [])].sort().join()}`;
		let schema = built.get(key);
		if (!schema) built.set(key, (schema = build(byId, incoming)));
		return schema;
	};
}

const manyOf = (values: string[], what: string) =>
	z.array(oneOf(values, what)).min(1, 'must not be empty');

const dimension = (min: number, max: number) =>
	z
		.number({ required_error: 'is required', invalid_type_error: 'must be a number' })
		.int('must be a whole number of pixels')
		.min(min, `must be between ${min} and ${max} pixels`)
		.max(max, `must be between ${min} and ${max} pixels`);

// ---- Generate Media (POST general/media/generate) -------------------------------------------

/**
 * The media/generate body. `byId.model`: the model came from an expression, so only its shape is
 * checked, and nothing that depends on the catalog's entry for it (sizes, enhance or generate).
 * `byId.dimensions`: the size came from an expression; any width × height is sent.
 */
export const mediaGenerateSchemaFor = perById((byId, incoming) =>
	z
		.object({
			prompt: requiredText(MAX_PROMPT),
			model: catalogValue(
				'model',
				imageModels.map((model) => model.value),
				'image model',
				byId,
			),
			dimensions: z.object(
				{ width: z.number().int().positive(), height: z.number().int().positive() },
				{ required_error: 'is required', invalid_type_error: 'must be a size such as 1024x1024' },
			),
			// Left empty, the default brand is looked up before the submit.
			bId: looksUp(incoming, 'bId') ? requiredText(200).optional() : requiredText(200),
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
			const inputs =
				(body.siviAssets?.length ?? 0) +
				(body.assets?.photo.length ?? 0) +
				uploadsOf(incoming, 'siviAssets');
			if (inputs > limits.maxAssets) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['siviAssets'],
					message: `must hold at most ${limits.maxAssets} input images in total with Image URLs and binary inputs (got ${inputs})`,
				});
			}
			const model = byId.model ? undefined : findImageModel(body.model);
			if (!model) return;
			const size = sizeKey(body.dimensions);
			if (!byId.dimensions && !model.sizes.includes(size)) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['dimensions'],
					message: `${size} is not a size ${model.name} supports (choose one of ${model.sizes.join(', ')})`,
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
		}),
);

function enhanceModels(): string {
	return imageModels
		.filter((model) => model.canEnhance)
		.map((model) => model.name)
		.join(', ');
}

// ---- Designs (POST general/designs-from-content, general/designs-from-prompt) ---------------

/** "a list", "an object", "null", "number": what an expression gave instead. */
function describe(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (value === null) return 'null';
	return typeof value === 'object' ? 'an object' : typeof value;
}

const textBlock = z
	.string({
		errorMap: (issue, ctx) =>
			issue.code === 'invalid_type'
				? { message: `must be text (got ${describe(ctx.data)})` }
				: { message: ctx.defaultError },
	})
	.max(MAX_TEXT, `must be at most ${MAX_TEXT} characters`);
const MAX_LIST_LINES = 20;
const listBlock = z
	.array(
		z.string({ invalid_type_error: 'must be a list of text lines' }).max(MAX_TEXT, {
			message: `lines must be at most ${MAX_TEXT} characters`,
		}),
		{ invalid_type_error: 'must be a list of text lines' },
	)
	.max(MAX_LIST_LINES, `must have at most ${MAX_LIST_LINES} lines`);

const contentShape: Record<string, z.ZodTypeAny> = {};
for (const block of contentBlocks.text) contentShape[block] = textBlock.optional();
for (const block of contentBlocks.list) contentShape[block] = listBlock.optional();

const MAIN_TEXT_BLOCKS = ['title', 'supertext', 'subtext', 'text', 'caption'];

/** The content blocks Sivi knows and the rules of each: the fields and Content (JSON) alike. */
const contentBlocksSchema = z
	.object(contentShape, { required_error: 'is required', invalid_type_error: 'must be an object' })
	.strict();

const contentSchema = contentBlocksSchema.refine(
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
	.strict();

/** Assets, uploads still to come and uploads sent by media ID count towards one limit. */
const assetCount = (
	body: { assets?: Record<string, unknown[] | undefined>; siviAssets?: unknown[] },
	incoming?: Incoming,
) =>
	Object.values(body.assets ?? {}).reduce((sum, list) => sum + (list?.length ?? 0), 0) +
	(body.siviAssets?.length ?? 0) +
	uploadsOf(incoming, 'images') +
	uploadsOf(incoming, 'logos');

export const FONT_GROUP_TYPES = ['heading', 'subHeading', 'body'] as const;

/**
 * settings.fontGroups (REFERENCE §7.8): exactly one font each for heading, subHeading and body,
 * each with its name and source (`addedBy`). The fields give the IDs; the names and sources are
 * looked up in font/get before the submit (`incoming`), and required in the body as sent.
 */
const fontGroupsSchema = (incoming?: Incoming) => {
	const found = looksUp(incoming, 'fontGroups');
	return z
		.array(
			z
				.object({
					// Sivi's order (REFERENCE §7.8): the parsed body is the one sent.
					id: requiredText(200),
					name: found ? requiredText(200).optional() : requiredText(200),
					type: z.enum(FONT_GROUP_TYPES),
					status: z.enum(['enabled', 'disabled']),
					addedBy: found
						? z.enum(['system', 'user']).optional()
						: z.enum(['system', 'user'], { required_error: 'is required' }),
				})
				.strict(),
		)
		.superRefine((groups, ctx) => {
			const missing = FONT_GROUP_TYPES.filter(
				(type) => !groups.some((group) => group.type === type),
			);
			if (missing.length || groups.length !== FONT_GROUP_TYPES.length) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					message: `need all three fonts, Heading Font, Subheading Font and Body Font, or none (missing: ${missing.map(fontLabel).join(', ') || 'none'})`,
				});
			}
		});
};

function fontLabel(type: (typeof FONT_GROUP_TYPES)[number]): string {
	return type === 'heading'
		? 'Heading Font'
		: type === 'subHeading'
			? 'Subheading Font'
			: 'Body Font';
}

const settingsSchemaFor = (byId: ById, incoming?: Incoming) =>
	z
		.object({
			mode: oneOf(designSettings.modes, 'mode'),
			currentbId: requiredText(200).optional(),
			designModel: catalogValue(
				'designModel',
				designModels.map((model) => model.value),
				'design model',
				byId,
			).optional(),
			colors: z.array(color).max(10, 'must have at most 10 colors').optional(),
			fontGroups: fontGroupsSchema(incoming).optional(),
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

const customDimension = z
	.object({
		width: dimension(limits.customDimension.min, limits.customDimension.max),
		height: dimension(limits.customDimension.min, limits.customDimension.max),
	})
	.strict()
	.optional();

/** type, subtype, dimension and language: what every design endpoint (and Generate Copy) takes. */
const designFormat = (byId: ById) => ({
	type: catalogValue(
		'type',
		designTypes.map((type) => type.value),
		'design type',
		byId,
	),
	subtype: byId.subtype ? idShaped('subtype') : requiredText(100),
	dimension: customDimension,
	language: catalogValue('language', languages, 'language', byId).optional(),
	abstractUserId: optionalText(200).optional(),
});

const designCommon = (byId: ById, incoming?: Incoming) => ({
	...designFormat(byId),
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
	// Uploaded files Sivi answered without a URL for (see design/binaryAssets.ts).
	siviAssets: z.array(z.object({ mId: requiredText(500) }).strict()).optional(),
	colors: z.array(color).max(10, 'must have at most 10 colors').optional(),
	outputFormat: z.array(oneOf(limits.outputFormats, 'output format')).optional(),
	settings: settingsSchemaFor(byId, incoming).optional(),
});

/** At most `limits.maxAssets` assets, counting uploads still to come. */
const checkAssetCount =
	(incoming?: Incoming) =>
	(
		body: { assets?: Record<string, unknown[] | undefined>; siviAssets?: unknown[] },
		ctx: z.RefinementCtx,
	): void => {
		const count = assetCount(body, incoming);
		if (count > limits.maxAssets) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				path: ['assets'],
				message: `must hold at most ${limits.maxAssets} assets in total (got ${count})`,
			});
		}
	};

/** The size must belong to the type, unless either came by ID (then Sivi decides). */
const checkDesignType =
	(byId: ById) =>
	(body: { type: string; subtype: string; dimension?: unknown }, ctx: z.RefinementCtx): void => {
		if (!designTypes.some((type) => type.value === body.type)) return;
		if (!byId.type && !byId.subtype && !findSubtype(body.type, body.subtype)) {
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
	};

export const designsFromContentSchemaFor = perById((byId, incoming) =>
	z
		.object({
			...designCommon(byId, incoming),
			name: requiredText(200),
			content: contentSchema,
			designInstructions: z.array(textBlock).max(20, 'must have at most 20 lines').optional(),
		})
		.strict()
		.superRefine(checkDesignType(byId))
		.superRefine(checkAssetCount(incoming)),
);

export const designsFromPromptSchemaFor = perById((byId) =>
	z
		.object({ ...designCommon(byId), prompt: requiredText(MAX_PROMPT) })
		.strict()
		.superRefine(checkDesignType(byId))
		.superRefine(checkAssetCount()),
);

// ---- Generate Copy (POST general/content-from-prompt) ----------------------------------------

export const contentFromPromptSchemaFor = perById((byId) =>
	z
		.object({ ...designFormat(byId), prompt: requiredText(MAX_PROMPT) })
		.strict()
		.superRefine(checkDesignType(byId)),
);

// ---- Get Status (GET general/get-request-status) ----------------------------------------------

/** The status query of Request → Get Status: the job's request ID, and its end user's. */
export const requestStatusSchema = z
	.object({ requestId: requiredText(200), abstractUserId: optionalText(200).optional() })
	.strict();

// ---- Get Variants (POST general/get-design-variants) -----------------------------------------

export const VARIANT_TYPES = ['all', 'generated', 'edited'] as const;

export const designVariantsSchema = z
	.object({
		designId: requiredText(200),
		type: oneOf([...VARIANT_TYPES], 'variant type'),
		abstractUserId: optionalText(200).optional(),
	})
	.strict();

// ---- Content blocks given as one object (Create From Content → Content (JSON)) ---------------

/** The blocks of an object such as Generate Copy's `content`, in the shape the fields give them. */
function asBlocks(object: Record<string, unknown>): Record<string, unknown> {
	const blocks: Record<string, unknown> = {};
	const asText = (entry: unknown) =>
		typeof entry === 'number' && Number.isFinite(entry) ? String(entry) : entry;
	for (const [key, raw] of Object.entries(object)) {
		if (raw === null || raw === undefined || raw === '') continue;
		if (!contentBlocks.list.includes(key)) blocks[key] = asText(raw);
		else if (typeof raw === 'string')
			blocks[key] = raw
				.split('\n')
				.map((line) => line.trim())
				.filter(Boolean);
		else blocks[key] = Array.isArray(raw) ? raw.map(asText) : raw;
	}
	return blocks;
}

/**
 * Content blocks given as one object or JSON text, checked by the same rules as the Content
 * fields. Numbers become text, a text for a list block is split into lines, empty blocks are left
 * out. Problems name the block; `label` names the field.
 */
export function contentBlocksFrom(
	value: unknown,
	label: string,
): { blocks: Record<string, string | string[]>; problems: string[] } {
	if (value === null || value === undefined || value === '') return { blocks: {}, problems: [] };
	let object = value;
	if (typeof object === 'string') {
		try {
			object = JSON.parse(object);
		} catch (error) {
			return { blocks: {}, problems: [`${label} is not valid JSON (${(error as Error).message})`] };
		}
	}
	if (typeof object !== 'object' || object === null || Array.isArray(object)) {
		return {
			blocks: {},
			problems: [
				`${label} must be an object of content blocks, such as { "title": "Summer sale" } (got ${describe(object)})`,
			],
		};
	}
	const parsed = contentBlocksSchema.safeParse(asBlocks(object as Record<string, unknown>));
	if (parsed.success)
		return { blocks: parsed.data as Record<string, string | string[]>, problems: [] };
	const known = [...contentBlocks.text, ...contentBlocks.list];
	const problems = parsed.error.issues.flatMap((issue) => {
		if (issue.code === 'unrecognized_keys')
			return issue.keys.map(
				(key) =>
					`${label} has an unknown content block "${key}" (known blocks: ${known.join(', ')})`,
			);
		// A line of a list block is named by its block: "must be a list of text lines".
		return [`${label} → ${String(issue.path[0])} ${issue.message}`];
	});
	return { blocks: {}, problems: [...new Set(problems)] };
}

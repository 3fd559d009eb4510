// zod schemas of the media library requests (media/get, media/create, media/update,
// media/delete), from the API reference (§4.2–4.5) and the catalog's media types. Messages state
// the rule; describeIssues() puts the field's UI label in front.
import { z } from 'zod';

import { designSettings, labelOf } from '../catalog';
import { isHttpUrl, optionalText, requiredText, type Incoming } from './requestSchemas';

export const MEDIA_TYPES = Object.keys(designSettings.mediaTypes);

/** Media types Sivi's upload URLs take (files/get-presigned-url `type`); the rest: URL only. */
export const UPLOADABLE_MEDIA_TYPES = MEDIA_TYPES.filter((type) =>
	designSettings.presignedTypes.includes(type),
);

const mediaType = z
	.string({ required_error: 'is required', invalid_type_error: 'must be text' })
	.refine((value) => MEDIA_TYPES.includes(value), {
		message: `must be one of ${MEDIA_TYPES.join(', ')}`,
	});

const flags = (keys: readonly string[]) =>
	z
		.object(
			Object.fromEntries(
				keys.map((key) => [
					key,
					z.boolean({ invalid_type_error: 'must be true or false' }).optional(),
				]),
			),
			{ invalid_type_error: 'must be an object' },
		)
		.strict();

export const TOUCH_POSITION_KEYS = ['left', 'right', 'top', 'bottom', 'center'] as const;
export const IMAGE_PREFERENCE_KEYS = ['crop', 'removeBg', 'enhancement'] as const;

const hueRotations = z.array(
	z.number({
		invalid_type_error: 'must be numbers separated by commas (e.g. 0, 90, 180)',
	}),
	{ invalid_type_error: 'must be numbers separated by commas (e.g. 0, 90, 180)' },
);

/** A sub type must be one of its media type's (Sivi: "Invalid type and subType combination"). */
function checkSubType(
	body: { type?: string; subType?: string },
	ctx: z.RefinementCtx,
	typeLabel: string,
): void {
	if (body.subType === undefined) return;
	if (body.type === undefined) {
		const owner = MEDIA_TYPES.find((type) =>
			designSettings.mediaTypes[type].subTypes.includes(String(body.subType)),
		);
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			path: ['subType'],
			message: owner
				? `needs ${typeLabel} to be set too (for "${body.subType}" that is ${labelOf(owner)})`
				: `"${body.subType}" is not a sub type Sivi knows`,
		});
		return;
	}
	const allowed = designSettings.mediaTypes[body.type]?.subTypes;
	if (allowed && !allowed.includes(body.subType)) {
		ctx.addIssue({
			code: z.ZodIssueCode.custom,
			path: ['subType'],
			message: `"${body.subType}" is not a sub type of ${labelOf(body.type)} (choose ${allowed.join(', ')})`,
		});
	}
}

// ---- media/get ------------------------------------------------------------------------------

export const mediaGetSchema = z
	.object({
		type: mediaType.optional(),
		subType: z.string({ invalid_type_error: 'must be text' }).optional(),
		bId: requiredText(200).optional(),
		sort: z
			.enum(['ASC', 'DESC'], { errorMap: () => ({ message: 'must be ASC or DESC' }) })
			.optional(),
		abstractUserId: optionalText(200).optional(),
	})
	.strict()
	.superRefine((body, ctx) => checkSubType(body, ctx, 'Media Type'));

// ---- media/create (Upload) ------------------------------------------------------------------

const mediaCreate = (uploading: boolean) =>
	z
		.object({
			type: mediaType,
			subType: z.string({ invalid_type_error: 'must be text' }).optional(),
			url: requiredText(2000)
				.refine(isHttpUrl, 'must be a public http or https URL (e.g. https://example.com/logo.png)')
				.optional(),
			uploadUrl: requiredText(2000).optional(),
			bId: requiredText(200).optional(),
			touchPosition: flags(TOUCH_POSITION_KEYS).optional(),
			imagePreference: flags(IMAGE_PREFERENCE_KEYS).optional(),
			hueRotations: hueRotations.optional(),
			abstractUserId: optionalText(200).optional(),
		})
		.strict()
		.superRefine((body, ctx) => {
			checkSubType(body, ctx, 'Type');
			if (body.url === undefined && body.uploadUrl === undefined && !uploading) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['url'],
					message: 'is required (or choose Binary File as the source)',
				});
			}
			if (body.url !== undefined && (body.uploadUrl !== undefined || uploading)) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					path: ['url'],
					message: 'cannot be sent together with a binary file',
				});
			}
		});

const mediaCreateSent = mediaCreate(false);
const mediaCreateBeforeUpload = mediaCreate(true);

/** media/create; `incoming`: the item's file is still to be uploaded (its URL is not known). */
export const mediaCreateSchemaFor = (incoming?: Incoming) =>
	incoming?.uploads?.uploadUrl?.length ? mediaCreateBeforeUpload : mediaCreateSent;

// ---- media/update ---------------------------------------------------------------------------

export const mediaUpdateSchema = z
	.object({
		mId: requiredText(500),
		touchPosition: flags(TOUCH_POSITION_KEYS).optional(),
		imagePreference: flags(IMAGE_PREFERENCE_KEYS).optional(),
		hueRotations: hueRotations.optional(),
		abstractUserId: optionalText(200).optional(),
	})
	.strict();

// ---- media/delete ---------------------------------------------------------------------------

export const mediaDeleteSchema = z
	.object({
		// One mId per item: a Delete says exactly what it deleted.
		mIds: z.array(requiredText(500)).length(1, 'must be exactly one media ID'),
		abstractUserId: optionalText(200).optional(),
	})
	.strict();

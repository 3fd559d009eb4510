// zod schemas of the font requests (font/get, font/create), from the API reference (§6) and
// the catalog. Messages state the rule; describeIssues() puts the field's UI label in front.
import { z } from 'zod';

import { fonts } from '../catalog';

const optionalText = (max: number) =>
	z.string({ invalid_type_error: 'must be text' }).max(max, `must be at most ${max} characters`);

// ---- font/get -------------------------------------------------------------------------------

export const fontGetSchema = z
	.object({
		classification: z
			.array(
				z.string().refine((value) => fonts.classifications.includes(value), {
					message: `must be one of ${fonts.classifications.join(', ')}`,
				}),
				{ invalid_type_error: 'must be a list' },
			)
			.optional(),
		name: optionalText(200).optional(),
		source: z
			.string({ invalid_type_error: 'must be text' })
			.refine((value) => fonts.sources.includes(value), {
				message: `must be one of ${fonts.sources.join(', ')}`,
			})
			.optional(),
		abstractUserId: optionalText(200).optional(),
	})
	.strict();

// ---- font/create (Upload) -------------------------------------------------------------------

const uploadedUrl = z.string({ invalid_type_error: 'must be text' }).trim().min(1, 'is required');

export const fontCreateSchema = z
	.object({
		// One presigned URL, or a list of them when several files are uploaded at once.
		uploadedURL: z.union([uploadedUrl, z.array(uploadedUrl).min(2)], {
			errorMap: () => ({ message: 'is required: name the binary field(s) holding .ttf files' }),
		}),
		abstractUserId: optionalText(200).optional(),
	})
	.strict();

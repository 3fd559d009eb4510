// zod schemas of the font requests (font/get, font/create), from the API reference (§6) and
// the catalog. Messages state the rule; describeIssues() puts the field's UI label in front.
import { z } from 'zod';

import { fonts } from '../catalog';
import { isHttpUrl, optionalText, type Incoming } from './requestSchemas';

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

const uploadedUrl = z
	.string({ invalid_type_error: 'must be text' })
	.trim()
	.refine(isHttpUrl, 'must be the URL a font file was uploaded to');

const fontCreate = (uploading: boolean) => {
	// One presigned URL, or a list of them when several files are uploaded at once.
	const urls = z.union([uploadedUrl, z.array(uploadedUrl).min(2)], {
		errorMap: () => ({ message: 'is required: name the binary field(s) holding .ttf files' }),
	});
	return z
		.object({
			// Before the upload the body has no URL yet: the binary fields stand for it.
			uploadedURL: uploading ? urls.optional() : urls,
			abstractUserId: optionalText(200).optional(),
		})
		.strict();
};

const sent = fontCreate(false);
const beforeUpload = fontCreate(true);

/** font/create; `incoming`: the files still to be uploaded. */
export const fontCreateSchemaFor = (incoming?: Incoming) =>
	incoming?.uploads?.uploadedURL?.length ? beforeUpload : sent;

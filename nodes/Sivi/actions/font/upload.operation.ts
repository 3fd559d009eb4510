// Font → Upload: a job. Each named binary field of the item (a .ttf file) goes to a presigned
// URL (type font, extension ttf), then POST general/font/create with `uploadedURL` (one URL, or
// a list for several files) is submitted through the account's scheduler and waited for.
// prepare() only checks the files and leaves placeholders; resolve() uploads, for valid items.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fonts } from '../../catalog';
import { jobJson } from '../../output/normalize';
import { bodyField } from '../../shared/bodyFields';
import type { StatusResponse, SubmitResponse } from '../../validation/responseSchemas';
import { fontCreateSchema } from '../../validation/fontSchemas';
import { endUserOnlyFields } from '../common/abstractUser';
import { toList } from '../common/convert';
import { refuse, submitJob } from '../common/prepare';
import { extensionOf, uploadBinaryFile } from '../common/upload';
import type { JobOperation } from '../types';

/** Stands for a binary field's upload URL until the item's requests run. */
const BINARY_PLACEHOLDER = '\u0000binary:';

const FIELD_LABEL = 'Input Binary Fields';

/** "regular, bold" → placeholders; one file is a string, several a list (as Sivi takes them). */
function toPlaceholders(value: unknown): unknown {
	const names = toList(value);
	if (!Array.isArray(names)) return value;
	const placeholders = names.map((name) => `${BINARY_PLACEHOLDER}${String(name)}`);
	return placeholders.length === 1 ? placeholders[0] : placeholders;
}

export const properties: INodeProperties[] = [
	bodyField(
		'uploadedURL',
		{
			displayName: FIELD_LABEL,
			name: 'binaryInputFields',
			type: 'string',
			required: true,
			default: 'data',
			placeholder: 'e.g. data, bold',
			description:
				'Binary fields of the incoming item holding .ttf font files, separated by commas. All of them are uploaded in one request.',
		},
		toPlaceholders,
	),
	endUserOnlyFields,
];

function placeholdersOf(body: IDataObject): string[] {
	const value = body.uploadedURL;
	const list = Array.isArray(value) ? value : [value];
	return list.filter(
		(entry): entry is string => typeof entry === 'string' && entry.startsWith(BINARY_PLACEHOLDER),
	);
}

/** Every named binary must be on the item and be a .ttf file. No requests. */
function checkFonts(body: IDataObject, context: IExecuteFunctions, itemIndex: number): IDataObject {
	const item = context.getInputData()[itemIndex];
	const problems: string[] = [];
	const names = placeholdersOf(body).map((entry) => entry.slice(BINARY_PLACEHOLDER.length));
	if (new Set(names).size !== names.length) problems.push(`${FIELD_LABEL} names a field twice`);
	for (const name of names) {
		if (!item?.binary?.[name]) {
			const present = Object.keys(item?.binary ?? {}).join(', ') || 'none';
			problems.push(`${FIELD_LABEL}: the item has no binary field "${name}" (it has: ${present})`);
			continue;
		}
		const binary = context.helpers.assertBinaryData(itemIndex, name);
		const extension = extensionOf(binary.mimeType, binary.fileName);
		if (!fonts.uploadExtensions.includes(extension)) {
			const what =
				[binary.mimeType, binary.fileName].filter(Boolean).join(', ') || 'of unknown type';
			problems.push(`${FIELD_LABEL}: "${name}" is ${what}; Sivi takes TrueType fonts (.ttf) only`);
		}
	}
	if (problems.length) throw refuse(context, itemIndex, problems);
	return body;
}

async function uploadFonts(
	body: IDataObject,
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject> {
	const abstractUserId = body.abstractUserId as string | undefined;
	const upload = async (entry: unknown): Promise<string> =>
		typeof entry === 'string' && entry.startsWith(BINARY_PLACEHOLDER)
			? await uploadBinaryFile(context, itemIndex, entry.slice(BINARY_PLACEHOLDER.length), {
					type: 'font',
					abstractUserId,
				})
			: String(entry);
	const value = body.uploadedURL;
	const uploadedURL: string[] = [];
	for (const entry of Array.isArray(value) ? value : [value]) uploadedURL.push(await upload(entry));
	return { ...body, uploadedURL: Array.isArray(value) ? uploadedURL : uploadedURL[0] };
}

/** The job's JSON plus the fonts Sivi created (`result.data`; the shape is not documented). */
function fontJson(status: StatusResponse, submitted?: SubmitResponse, requestId?: string) {
	const json = jobJson(status, submitted, requestId);
	const data = (status.result as IDataObject | null | undefined)?.data;
	if (Array.isArray(data)) json.fonts = data as IDataObject[];
	return json;
}

export const uploadFont: JobOperation = {
	kind: 'job',
	resource: 'font',
	operation: 'upload',
	name: 'Upload',
	action: 'Upload fonts',
	description: 'Add .ttf fonts from binary fields to the workspace and wait until Sivi has them',
	properties,
	waitDefault: true,
	prepare: (context, itemIndex, wait) =>
		submitJob(context, itemIndex, wait, 'font/create', {
			properties,
			schema: fontCreateSchema,
			complete: checkFonts,
		}),
	resolve: uploadFonts,
	toJson: fontJson,
};

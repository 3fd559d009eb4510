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
import { refuse, submitJob } from '../common/prepare';
import {
	binaryNames,
	binaryPlaceholder,
	missingBinary,
	placeholderName,
	uploadBinaryFile,
	wrongFileType,
} from '../common/upload';
import type { JobOperation } from '../types';

const FIELD_LABEL = 'Input Binary Fields';

/** "regular, bold" → placeholders; one file is a string, several a list (as Sivi takes them). */
function toPlaceholders(value: unknown): unknown {
	if (typeof value !== 'string' && !Array.isArray(value)) return value;
	const placeholders = binaryNames(value).map(binaryPlaceholder);
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

/** The binary fields the body's placeholders stand for. */
function binaryNamesOf(body: IDataObject): string[] {
	const value = body.uploadedURL;
	return (Array.isArray(value) ? value : [value])
		.map(placeholderName)
		.filter((name): name is string => name !== undefined);
}

/** Every named binary must be on the item and be a .ttf file; all problems at once. No requests. */
function checkFonts(body: IDataObject, context: IExecuteFunctions, itemIndex: number): IDataObject {
	const problems: string[] = [];
	const names = binaryNamesOf(body);
	if (new Set(names).size !== names.length) problems.push(`${FIELD_LABEL} names a field twice`);
	for (const name of names) {
		const problem =
			missingBinary(context, itemIndex, FIELD_LABEL, name) ??
			wrongFileType(
				context,
				itemIndex,
				FIELD_LABEL,
				name,
				fonts.uploadExtensions,
				'Sivi takes TrueType fonts (.ttf) only',
			);
		if (problem) problems.push(problem);
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
	const upload = async (entry: unknown): Promise<string> => {
		const name = placeholderName(entry);
		return name === undefined
			? String(entry)
			: await uploadBinaryFile(context, itemIndex, name, { type: 'font', abstractUserId });
	};
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

// Font → Upload: a job. Each named binary field of the item (a .ttf file) goes to a presigned
// URL (type font, extension ttf), then POST general/font/create with `uploadedURL` (one URL, or
// a list for several files) is submitted through the account's scheduler and waited for.
// complete() only checks the files (incoming uploads); resolve() uploads them, for valid items.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { fonts } from '../../catalog';
import { jobJson } from '../../output/normalize';
import { bodyField, filledByResolve } from '../../shared/bodyFields';
import type { StatusResponse, SubmitResponse } from '../../validation/responseSchemas';
import { fontCreateSchemaFor } from '../../validation/fontSchemas';
import { endUserOnlyFields } from '../common/abstractUser';
import { refuse, submitJob, type Completed, type Resolve } from '../common/prepare';
import { binaryFieldNames, missingBinary, uploadFile, wrongFileType } from '../common/upload';
import type { JobOperation } from '../types';

const FIELD_LABEL = 'Input Binary Fields';

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
		filledByResolve,
	),
	endUserOnlyFields,
];

/** Every named binary must be on the item and be a .ttf file; all problems at once. No requests. */
function checkFonts(body: IDataObject, context: IExecuteFunctions, itemIndex: number): Completed {
	const problems: string[] = [];
	const names = binaryFieldNames(context, itemIndex, 'binaryInputFields');
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
	return { body, incoming: names.length ? { uploads: { uploadedURL: names } } : undefined };
}

/** The files' upload URLs: one file is a string, several a list (as Sivi takes them). */
const uploadFonts: Resolve = async (body, incoming, context, itemIndex, mode) => {
	const abstractUserId = body.abstractUserId as string | undefined;
	const urls: string[] = [];
	for (const name of incoming.uploads?.uploadedURL ?? [])
		urls.push(await uploadFile(context, itemIndex, name, { type: 'font', abstractUserId }, mode));
	return { ...body, uploadedURL: urls.length === 1 ? urls[0] : urls };
};

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
	submits: true,
	prepare: (context, itemIndex, wait) =>
		submitJob(context, itemIndex, wait, 'font/create', {
			properties,
			schema: fontCreateSchemaFor,
			complete: checkFonts,
			resolve: uploadFonts,
		}),
	toJson: fontJson,
};

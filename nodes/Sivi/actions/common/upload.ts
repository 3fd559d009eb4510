// Putting a file of the item into the Sivi workspace: a presigned URL from
// files/get-presigned-url, an HTTP PUT of the bytes there (uploadFile), then media/create with
// that URL (uploadToLibrary). Generate Media and Create From Content upload their input images
// with uploadToLibrary; Media → Upload and Font → Upload send their own checked media/create or
// font/create job with the uploaded URL. All of it runs in resolve (common/prepare.ts).
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { designSettings } from '../../catalog';
import { pacedRequest } from '../../engine/accounts';
import { resolving } from '../../shared/itemErrors';
import { refuse, type ResolveMode } from './prepare';

/** Extension Sivi expects for a binary: from its MIME type, else its file name. */
export function extensionOf(mimeType: string | undefined, fileName: string | undefined): string {
	const fromName = /\.([a-z0-9]+)$/i.exec(fileName ?? '')?.[1]?.toLowerCase();
	const fromMime = /^(?:image|font)\/([a-z0-9.+-]+)$/i.exec(mimeType ?? '')?.[1]?.toLowerCase();
	const mime = fromMime === 'svg+xml' ? 'svg' : fromMime;
	return (mime && !mime.includes('-') ? mime : undefined) ?? fromName ?? '';
}

/** Names in a binary-fields value, e.g. "data, photo" (commas or lines). */
function binaryNames(value: unknown): string[] {
	return String(value ?? '')
		.split(/[,\n]/)
		.map((name) => name.trim())
		.filter(Boolean);
}

/** "Label: the item has no binary field …" when item `itemIndex` lacks `name`. No requests. */
export function missingBinary(
	context: IExecuteFunctions,
	itemIndex: number,
	label: string,
	name: string,
): string | undefined {
	const binary = context.getInputData()[itemIndex]?.binary;
	if (binary?.[name]) return undefined;
	const present = Object.keys(binary ?? {}).join(', ') || 'none';
	return `${label}: the item has no binary field "${name}" (it has: ${present})`;
}

/** "Label: "name" is <type, file name>; <accepts>" when the file's extension is not allowed. */
export function wrongFileType(
	context: IExecuteFunctions,
	itemIndex: number,
	label: string,
	name: string,
	extensions: string[],
	accepts: string,
): string | undefined {
	const binary = context.helpers.assertBinaryData(itemIndex, name);
	if (extensions.includes(extensionOf(binary.mimeType, binary.fileName))) return undefined;
	const what = [binary.mimeType, binary.fileName].filter(Boolean).join(', ') || 'of unknown type';
	return `${label}: "${name}" is ${what}; ${accepts}`;
}

/** The names in binary-fields parameter `parameter` of item `itemIndex`. */
export function binaryFieldNames(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
): string[] {
	return binaryNames(context.getNodeParameter(parameter, itemIndex, ''));
}

/**
 * Checks, with no request, that the item has each named binary field and that Sivi takes its
 * file type for this media type; refuses the item at the first problem. `label` is the field's
 * UI name, for the error.
 */
export function checkBinaryInputs(
	context: IExecuteFunctions,
	itemIndex: number,
	names: string[],
	label: string,
	mediaType: string,
): void {
	const extensions = designSettings.mediaTypes[mediaType].extensions;
	const accepts = `Sivi accepts ${extensions.join(', ')} files as ${mediaType === 'photo' ? 'images' : `${mediaType}s`}`;
	for (const name of names) {
		const problem =
			missingBinary(context, itemIndex, label, name) ??
			wrongFileType(context, itemIndex, label, name, extensions, accepts);
		if (problem) throw refuse(context, itemIndex, [problem]);
	}
}

export interface UploadTarget {
	/** Sivi media type: photo, logo, illustration, screenshot, backdrop, font. */
	type: string;
	bId?: string;
	abstractUserId?: string;
}

/**
 * Uploads binary field `name` of item `itemIndex` to a presigned URL and returns that URL.
 * Check the binary's type before calling: this makes requests.
 */
export async function uploadFile(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	target: UploadTarget,
	mode?: ResolveMode,
): Promise<string> {
	if (mode?.dryRun) return uploadStandIn(name);
	return await resolving(
		`upload binary field "${name}"`,
		async () => await putFile(context, itemIndex, name, target),
	);
}

async function putFile(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	target: UploadTarget,
): Promise<string> {
	const binary = context.helpers.assertBinaryData(itemIndex, name);
	const bytes = await context.helpers.getBinaryDataBuffer(itemIndex, name);
	const extension = extensionOf(binary.mimeType, binary.fileName);
	const contentType =
		binary.mimeType ||
		(target.type === 'font' ? 'font/ttf' : `image/${extension === 'jpg' ? 'jpeg' : extension}`);
	const body: IDataObject = { type: target.type, extension, contentType };
	if (target.bId) body.bId = target.bId;
	if (target.abstractUserId) body.abstractUserId = target.abstractUserId;
	const presigned = await pacedRequest(context, {
		method: 'POST',
		path: 'files/get-presigned-url',
		body,
	});
	if (typeof presigned.uploadUrl !== 'string' || !/^https?:\/\//.test(presigned.uploadUrl)) {
		throw new NodeOperationError(context.getNode(), 'Sivi did not return an upload URL', {
			itemIndex,
			description: `Nothing was uploaded for binary field "${name}". Sivi's answer: ${JSON.stringify(presigned).slice(0, 300)}`,
		});
	}
	// The presigned URL carries its own authorization; the Sivi key is not sent there.
	await context.helpers.httpRequest({
		method: 'PUT',
		url: presigned.uploadUrl,
		body: bytes,
		headers: {
			...((presigned.headers as IDataObject | undefined) ?? {}),
			'Content-Type': contentType,
		},
		json: false,
		timeout: 120_000,
	});
	return presigned.uploadUrl;
}

/** media/create for an uploaded file (`uploadUrl`) or a remote one (`url`); returns the record. */
export async function createMedia(
	context: IExecuteFunctions,
	itemIndex: number,
	body: IDataObject,
	binaryName?: string,
): Promise<IDataObject> {
	const created = await pacedRequest(context, { method: 'POST', path: 'media/create', body });
	const media = created.media as IDataObject | undefined;
	if (typeof media?.mId !== 'string') {
		const what = binaryName ? ` for binary field "${binaryName}"` : '';
		throw new NodeOperationError(context.getNode(), `Sivi did not return a media ID${what}`, {
			itemIndex,
			description: `Sivi's answer: ${JSON.stringify(created).slice(0, 500)}`,
		});
	}
	return media;
}

/** What a dry run shows where an upload's URL or media ID would be. */
function uploadStandIn(name: string): string {
	return `(upload of binary field "${name}")`;
}

/** An item's binary file into the media library: uploaded, then media/create. The media record. */
export async function uploadToLibrary(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	target: UploadTarget,
	mode?: ResolveMode,
): Promise<IDataObject> {
	if (mode?.dryRun) return { mId: uploadStandIn(name), url: uploadStandIn(name), dryRun: true };
	return await resolving(`upload binary field "${name}"`, async () => {
		const uploadUrl = await putFile(context, itemIndex, name, target);
		// The target's own fields, those that are set: type, bId, abstractUserId.
		const record: IDataObject = Object.fromEntries(
			Object.entries({ ...target, uploadUrl }).filter(([, value]) => value),
		);
		return await createMedia(context, itemIndex, record, name);
	});
}

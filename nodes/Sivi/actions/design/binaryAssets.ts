// Images and logos of a Create From Content item given as binary files (e.g. from a form, an
// HTTP Request or Google Drive). complete() checks them and puts placeholders into `assets`, so
// the 4-asset limit and every other rule is checked before any request; resolve() uploads each
// file (presigned URL → PUT → media/create, as a `photo` or a `logo`) and puts it in place.
//
// How an uploaded file reaches the design: the documented way to give a design an image or logo
// is `assets.images[].url` / `assets.logos[].url` with a publicly reachable URL (REFERENCE §7.4),
// so that is used whenever media/create answers with an absolute URL (Sivi's own handle-media
// skill passes that `media.url` into `assets.images[]`). The media docs' example shows `url` as a
// bare file name ("photo_001.jpeg", "Media file name/path"), which is no URL a design can fetch;
// then the file goes by its media ID in `siviAssets: [{ mId }]`, the way Sivi's skills send
// uploaded files to design endpoints (inferred, REFERENCE §7.4 and §11.11).
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { isHttpUrl } from '../../validation/requestSchemas';
import {
	binaryFieldNames,
	checkBinaryInputs,
	createMedia,
	uploadBinaryFile,
} from '../common/upload';

/** A placeholder URL naming the binary field (".invalid" is a reserved top-level domain). */
const PLACEHOLDER = 'https://n8n-binary.invalid/';

export const BINARY_ASSET_FIELDS = [
	{ parameter: 'imageBinaryFields', label: 'Image Binary Fields', group: 'images', type: 'photo' },
	{ parameter: 'logoBinaryFields', label: 'Logo Binary Fields', group: 'logos', type: 'logo' },
] as const;

/** Adds a placeholder asset per binary field; refuses missing fields and unsupported files. */
export function completeBinaryAssets(
	body: IDataObject,
	context: IExecuteFunctions,
	itemIndex: number,
): IDataObject {
	let completed = body;
	for (const { parameter, label, group, type } of BINARY_ASSET_FIELDS) {
		const names = binaryFieldNames(context, itemIndex, parameter);
		if (!names.length) continue;
		checkBinaryInputs(context, itemIndex, names, label, type);
		const assets = { ...((completed.assets as IDataObject | undefined) ?? {}) };
		assets[group] = [
			...((assets[group] as IDataObject[] | undefined) ?? []),
			...names.map((name) => ({ url: `${PLACEHOLDER}${encodeURIComponent(name)}` })),
		];
		completed = { ...completed, assets };
	}
	return completed;
}

/** Uploads the item's binary assets and replaces their placeholders. */
export async function resolveBinaryAssets(
	body: IDataObject,
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject> {
	const assets = body.assets as IDataObject | undefined;
	if (!assets) return body;
	const settings = (body.settings as IDataObject | undefined) ?? {};
	const owner: IDataObject = {};
	// Brand mode: the uploads belong to the design's brand, as uploads in Sivi's editor do.
	if (settings.mode === 'brand' && typeof settings.currentbId === 'string')
		owner.bId = settings.currentbId;
	if (typeof body.abstractUserId === 'string' && body.abstractUserId)
		owner.abstractUserId = body.abstractUserId;

	const resolvedAssets: IDataObject = { ...assets };
	const siviAssets = [...((body.siviAssets as IDataObject[] | undefined) ?? [])];
	for (const { group, type } of BINARY_ASSET_FIELDS) {
		const entries = assets[group] as IDataObject[] | undefined;
		if (!entries?.some((entry) => String(entry.url).startsWith(PLACEHOLDER))) continue;
		const kept: IDataObject[] = [];
		for (const entry of entries) {
			const url = String(entry.url);
			if (!url.startsWith(PLACEHOLDER)) {
				kept.push(entry);
				continue;
			}
			const name = decodeURIComponent(url.slice(PLACEHOLDER.length));
			const uploadUrl = await uploadBinaryFile(context, itemIndex, name, { type, ...owner });
			const media = await createMedia(context, itemIndex, { type, uploadUrl, ...owner }, name);
			if (typeof media.url === 'string' && isHttpUrl(media.url))
				kept.push({ ...entry, url: media.url });
			else {
				siviAssets.push({ mId: String(media.mId) });
				hintSiviAssets(context);
			}
		}
		if (kept.length) resolvedAssets[group] = kept;
		else delete resolvedAssets[group];
	}
	const resolved: IDataObject = { ...body };
	if (Object.keys(resolvedAssets).length) resolved.assets = resolvedAssets;
	else delete resolved.assets;
	if (siviAssets.length) resolved.siviAssets = siviAssets;
	return resolved;
}

/** Runs that already say so: one hint per node run, however many items fell back. */
const hinted = new WeakSet<object>();

/**
 * `siviAssets` on design endpoints is known only from Sivi's own tools, not its docs: say so
 * where the user looks, so designs without their images are not a silent surprise.
 */
function hintSiviAssets(context: IExecuteFunctions): void {
	// addExecutionHints is missing on older n8n versions.
	if (hinted.has(context) || typeof context.addExecutionHints !== 'function') return;
	hinted.add(context);
	context.addExecutionHints({
		message:
			"Sivi answered an upload with a file name instead of a URL, so uploaded images and logos were sent by media ID (siviAssets), which Sivi's API documentation does not list for designs. Check that the designs show them; if not, pass them as URLs.",
		location: 'outputPane',
	});
}

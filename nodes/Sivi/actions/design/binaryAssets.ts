// Images and logos of a Create From Content item given as binary files (e.g. from a form, an
// HTTP Request or Google Drive). complete() checks them and counts them as incoming (the schema
// counts them towards the 4-asset limit) before any request; resolve() uploads each file
// (uploadToLibrary, as a `photo` or a `logo`) and puts it in place.
//
// How an uploaded file reaches the design: the documented way to give a design an image or logo
// is `assets.images[].url` / `assets.logos[].url` with a publicly reachable URL (REFERENCE §7.4),
// so that is used whenever media/create answers with an absolute URL (Sivi's own handle-media
// skill passes that `media.url` into `assets.images[]`). The media docs' example shows `url` as a
// bare file name ("photo_001.jpeg", "Media file name/path"), which is no URL a design can fetch;
// then the file goes by its media ID in `siviAssets: [{ mId }]`, the way Sivi's skills send
// uploaded files to design endpoints (inferred, REFERENCE §7.4 and §11.11).
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { isHttpUrl, type Incoming } from '../../validation/requestSchemas';
import { endUserOf } from '../common/abstractUser';
import type { ResolveMode } from '../common/prepare';
import { binaryFieldNames, checkBinaryInputs, uploadToLibrary } from '../common/upload';

export const BINARY_ASSET_FIELDS = [
	{ parameter: 'imageBinaryFields', label: 'Image Binary Fields', group: 'images', type: 'photo' },
	{ parameter: 'logoBinaryFields', label: 'Logo Binary Fields', group: 'logos', type: 'logo' },
] as const;

/** The item's binary images and logos, checked (missing fields, unsupported files); no requests. */
export function incomingBinaryAssets(
	context: IExecuteFunctions,
	itemIndex: number,
): Incoming['uploads'] {
	const uploads: NonNullable<Incoming['uploads']> = {};
	for (const { parameter, label, group, type } of BINARY_ASSET_FIELDS) {
		const names = binaryFieldNames(context, itemIndex, parameter);
		if (!names.length) continue;
		checkBinaryInputs(context, itemIndex, names, label, type);
		uploads[group] = names;
	}
	return Object.keys(uploads).length ? uploads : undefined;
}

/** Uploads the item's binary assets and places each by its URL (or its media ID). */
export async function resolveBinaryAssets(
	body: IDataObject,
	uploads: Incoming['uploads'],
	context: IExecuteFunctions,
	itemIndex: number,
	mode: ResolveMode,
): Promise<IDataObject> {
	if (!uploads?.images?.length && !uploads?.logos?.length) return body;
	const settings = (body.settings as IDataObject | undefined) ?? {};
	const owner: { bId?: string; abstractUserId?: string } = {};
	// Brand mode: the uploads belong to the design's brand, as uploads in Sivi's editor do.
	if (settings.mode === 'brand' && typeof settings.currentbId === 'string')
		owner.bId = settings.currentbId;
	const abstractUserId = endUserOf(body);
	if (abstractUserId) owner.abstractUserId = abstractUserId;

	const assets: IDataObject = { ...((body.assets as IDataObject | undefined) ?? {}) };
	const siviAssets = [...((body.siviAssets as IDataObject[] | undefined) ?? [])];
	for (const { group, type } of BINARY_ASSET_FIELDS) {
		const placed = [...((assets[group] as IDataObject[] | undefined) ?? [])];
		for (const name of uploads[group] ?? []) {
			const media = await uploadToLibrary(context, itemIndex, name, { type, ...owner }, mode);
			// A dry run shows the upload where a media URL would go.
			if (media.dryRun || (typeof media.url === 'string' && isHttpUrl(media.url)))
				placed.push({ url: media.url });
			else {
				siviAssets.push({ mId: String(media.mId) });
				hintSiviAssets(context);
			}
		}
		if (placed.length) assets[group] = placed;
	}
	const resolved: IDataObject = { ...body };
	if (Object.keys(assets).length) resolved.assets = assets;
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

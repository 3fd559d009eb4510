// The parts of a Generate Media body that need more than field values: binary input images
// (uploaded to Sivi and sent as siviAssets mIds) and the workspace's default brand.
// completeBody() only adds placeholders, so invalid input is refused before any request;
// resolveBody() makes the requests for valid items.
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { designSettings } from '../../catalog';
import { requestError } from '../../shared/itemErrors';
import type { SiviRequestError } from '../../shared/siviError';
import { accountFor, pacedRequest } from '../../engine/accounts';
import { createMedia, extensionOf, uploadBinaryFile } from '../common/upload';

const BINARY_PLACEHOLDER = '\u0000binary:';
export const DEFAULT_BRAND = '\u0000default-brand';

const PHOTO_EXTENSIONS = designSettings.mediaTypes.photo.extensions;

function binaryFieldNames(context: IExecuteFunctions, itemIndex: number): string[] {
	const raw = context.getNodeParameter('binaryInputFields', itemIndex, '') as string;
	return String(raw ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
}

export function completeMediaBody(
	body: IDataObject,
	context: IExecuteFunctions,
	itemIndex: number,
): IDataObject {
	const names = binaryFieldNames(context, itemIndex);
	const item = context.getInputData()[itemIndex];
	const placeholders = names.map((name) => {
		if (!item?.binary?.[name]) {
			throw new NodeOperationError(
				context.getNode(),
				`Input Binary Fields: the item has no binary field "${name}"`,
				{
					itemIndex,
					description: `Binary fields on this item: ${Object.keys(item?.binary ?? {}).join(', ') || 'none'}.`,
				},
			);
		}
		const binary = context.helpers.assertBinaryData(itemIndex, name);
		const extension = extensionOf(binary.mimeType, binary.fileName);
		if (!PHOTO_EXTENSIONS.includes(extension)) {
			throw new NodeOperationError(
				context.getNode(),
				`Input Binary Fields: "${name}" is ${binary.mimeType || 'an unknown type'}; Sivi accepts ${PHOTO_EXTENSIONS.join(', ')} images`,
				{ itemIndex },
			);
		}
		return { mId: `${BINARY_PLACEHOLDER}${name}` };
	});
	const completed: IDataObject = { ...body };
	if (placeholders.length) {
		completed.siviAssets = [
			...((body.siviAssets as IDataObject[] | undefined) ?? []),
			...placeholders,
		];
	}
	if (!completed.bId) completed.bId = DEFAULT_BRAND;
	return completed;
}

/** The default brand is looked up once per account for a short time, not per item. */
const DEFAULT_BRAND_TTL_MS = 5 * 60_000;

async function defaultBrandId(context: IExecuteFunctions, itemIndex: number): Promise<string> {
	const account = await accountFor(context);
	const pending = account.remember('default-brand', DEFAULT_BRAND_TTL_MS, async () => {
		const answer = await pacedRequest(context, {
			method: 'POST',
			path: 'brand/get',
			body: { isDefault: true, limit: 1 },
		});
		const id = ((answer.brands as IDataObject[] | undefined) ?? [])[0]?.bId;
		return typeof id === 'string' ? id : '';
	});
	let id: string;
	try {
		id = await pending;
	} catch (error) {
		// 401, credits, network…: said the way the submit would have said it.
		throw requestError(context.getNode(), error as SiviRequestError, itemIndex, 'lookup');
	}
	if (!id) {
		throw new NodeOperationError(
			context.getNode(),
			'Brand is empty and no default brand was found in Sivi',
			{
				itemIndex,
				description: 'Choose a brand in the Brand field, or create one in Sivi first.',
			},
		);
	}
	return id;
}

async function uploadBinary(
	context: IExecuteFunctions,
	itemIndex: number,
	name: string,
	bId: string,
): Promise<string> {
	const uploadUrl = await uploadBinaryFile(context, itemIndex, name, { type: 'photo', bId });
	const media = await createMedia(context, itemIndex, { type: 'photo', uploadUrl, bId }, name);
	return String(media.mId);
}

export async function resolveMediaBody(
	body: IDataObject,
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject> {
	const resolved: IDataObject = { ...body };
	if (resolved.bId === DEFAULT_BRAND) resolved.bId = await defaultBrandId(context, itemIndex);
	const assets = (resolved.siviAssets as IDataObject[] | undefined) ?? [];
	if (assets.some((asset) => String(asset.mId).startsWith(BINARY_PLACEHOLDER))) {
		resolved.siviAssets = [];
		for (const asset of assets) {
			const mId = String(asset.mId);
			(resolved.siviAssets as IDataObject[]).push(
				mId.startsWith(BINARY_PLACEHOLDER)
					? {
							mId: await uploadBinary(
								context,
								itemIndex,
								mId.slice(BINARY_PLACEHOLDER.length),
								String(resolved.bId),
							),
						}
					: asset,
			);
		}
	}
	return resolved;
}

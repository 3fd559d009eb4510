// The parts of a Generate Media body that need more than field values: binary input images
// (uploaded to Sivi and sent as siviAssets mIds) and the workspace's default brand.
// completeBody() only adds placeholders, so invalid input is refused before any request;
// resolveBody() makes the requests for valid items. With an End-User ID (Super/Enterprise keys)
// the lookup and the uploads are that end user's: their default brand is not the account's.
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { requestError } from '../../shared/itemErrors';
import type { SiviRequestError } from '../../shared/siviError';
import { accountFor, pacedRequest } from '../../engine/accounts';
import {
	binaryFieldNames,
	binaryPlaceholder,
	checkBinaryInputs,
	createMedia,
	placeholderName,
	uploadBinaryFile,
} from '../common/upload';

export const DEFAULT_BRAND = '\u0000default-brand';

export function completeMediaBody(
	body: IDataObject,
	context: IExecuteFunctions,
	itemIndex: number,
): IDataObject {
	const names = binaryFieldNames(context, itemIndex, 'binaryInputFields');
	checkBinaryInputs(context, itemIndex, names, 'Input Binary Fields', 'photo');
	const placeholders = names.map((name) => ({ mId: binaryPlaceholder(name) }));
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

async function defaultBrandId(
	context: IExecuteFunctions,
	itemIndex: number,
	abstractUserId: string | undefined,
): Promise<string> {
	const account = await accountFor(context);
	// An end user's default brand is theirs, not the account's: one cache entry per end user.
	const key = abstractUserId ? `default-brand:user:${abstractUserId}` : 'default-brand';
	const pending = account.remember(key, DEFAULT_BRAND_TTL_MS, async () => {
		const answer = await pacedRequest(context, {
			method: 'POST',
			path: 'brand/get',
			body: { isDefault: true, limit: 1, ...(abstractUserId ? { abstractUserId } : {}) },
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
	abstractUserId: string | undefined,
): Promise<string> {
	const owner = abstractUserId ? { abstractUserId } : {};
	const uploadUrl = await uploadBinaryFile(context, itemIndex, name, {
		type: 'photo',
		bId,
		...owner,
	});
	const media = await createMedia(
		context,
		itemIndex,
		{ type: 'photo', uploadUrl, bId, ...owner },
		name,
	);
	return String(media.mId);
}

export async function resolveMediaBody(
	body: IDataObject,
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject> {
	const resolved: IDataObject = { ...body };
	const abstractUserId =
		typeof body.abstractUserId === 'string' && body.abstractUserId
			? body.abstractUserId
			: undefined;
	if (resolved.bId === DEFAULT_BRAND)
		resolved.bId = await defaultBrandId(context, itemIndex, abstractUserId);
	const assets = (resolved.siviAssets as IDataObject[] | undefined) ?? [];
	if (assets.some((asset) => placeholderName(String(asset.mId)) !== undefined)) {
		resolved.siviAssets = [];
		for (const asset of assets) {
			const name = placeholderName(String(asset.mId));
			(resolved.siviAssets as IDataObject[]).push(
				name === undefined
					? asset
					: {
							mId: await uploadBinary(
								context,
								itemIndex,
								name,
								String(resolved.bId),
								abstractUserId,
							),
						},
			);
		}
	}
	return resolved;
}

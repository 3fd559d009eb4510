// The parts of a Generate Media body that need more than field values: binary input images
// (uploaded to Sivi and sent as siviAssets mIds) and the workspace's default brand when Brand is
// empty. complete() only checks the files and says they are incoming, so invalid input is refused
// before any request; resolve() makes the requests for valid items. With an End-User ID
// (Super/Enterprise keys) the lookup and the uploads are that end user's: their default brand is
// not the account's.
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { resolving } from '../../shared/itemErrors';
import type { Incoming } from '../../validation/requestSchemas';
import { endUserOf } from '../common/abstractUser';
import { defaultBrandId } from '../common/lookups';
import type { Completed, Resolve } from '../common/prepare';
import { binaryFieldNames, checkBinaryInputs, uploadToLibrary } from '../common/upload';

export function completeMediaBody(
	body: IDataObject,
	context: IExecuteFunctions,
	itemIndex: number,
): Completed {
	const names = binaryFieldNames(context, itemIndex, 'binaryInputFields');
	checkBinaryInputs(context, itemIndex, names, 'Input Binary Fields', 'photo');
	const incoming: Incoming = {};
	if (names.length) incoming.uploads = { siviAssets: names };
	if (!body.bId) incoming.lookups = ['bId'];
	return { body, incoming };
}

async function brandOf(
	context: IExecuteFunctions,
	itemIndex: number,
	abstractUserId: string | undefined,
): Promise<string> {
	const id = await resolving(
		'look up the default brand',
		async () => await defaultBrandId(context, abstractUserId),
	);
	if (id) return id;
	throw new NodeOperationError(
		context.getNode(),
		'Brand is empty and no default brand was found in Sivi',
		{ itemIndex, description: 'Choose a brand in the Brand field, or create one in Sivi first.' },
	);
}

export const resolveMediaBody: Resolve = async (body, incoming, context, itemIndex, mode) => {
	const abstractUserId = endUserOf(body);
	const bId = body.bId ? String(body.bId) : await brandOf(context, itemIndex, abstractUserId);
	const uploaded: IDataObject[] = [];
	for (const name of incoming.uploads?.siviAssets ?? []) {
		const media = await uploadToLibrary(
			context,
			itemIndex,
			name,
			{ type: 'photo', bId, abstractUserId },
			mode,
		);
		uploaded.push({ mId: String(media.mId) });
	}
	const resolved: IDataObject = { ...body, bId };
	if (uploaded.length)
		resolved.siviAssets = [...((body.siviAssets as IDataObject[] | undefined) ?? []), ...uploaded];
	return resolved;
};

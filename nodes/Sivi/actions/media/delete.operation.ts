// Media → Delete: POST general/media/delete with exactly one mId per item (Sivi soft-deletes it:
// it leaves the media list). The item says what happened: { mId, deleted, deletedCount }; an
// item whose image Sivi did not delete fails.
import { NodeOperationError, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { mediaDeleteSchema } from '../../validation/mediaLibrarySchemas';
import { endUserOnlyFields } from '../common/abstractUser';
import { validBody } from '../common/prepare';
import { pacedRequest } from '../../engine/accounts';
import type { CallOperation } from '../types';
import { requiredMediaLocator } from './libraryFields';

export const properties: INodeProperties[] = [
	requiredMediaLocator(
		'mIds',
		'The image to delete from your Sivi media library, by its media ID (mId). One per item.',
		(mId) => [mId],
	),
	endUserOnlyFields,
];

export const deleteMedia: CallOperation<IDataObject> = {
	kind: 'call',
	resource: 'media',
	operation: 'delete',
	name: 'Delete',
	action: 'Delete a media record',
	description: 'Remove one image per item from the media library',
	properties,
	prepare: (context, itemIndex) =>
		validBody(context, itemIndex, { properties, schema: mediaDeleteSchema }),
	async execute(context, body, itemIndex) {
		const [mId] = body.mIds as string[];
		const answer = await pacedRequest(context, { method: 'POST', path: 'media/delete', body });
		const deletedCount = Number(answer.deletedCount ?? 0);
		if (!(deletedCount > 0)) {
			throw new NodeOperationError(
				context.getNode(),
				`Nothing was deleted: Sivi deleted no media for ${mId}`,
				{
					itemIndex,
					description: `Sivi answered deletedCount ${JSON.stringify(answer.deletedCount ?? null)}. The image may have been deleted already.`,
				},
			);
		}
		return { mId, deleted: true, deletedCount };
	},
};

// End User → Delete: POST super/delete-user, exactly one request per item. Sivi deletes
// the end user and their workspace and purges its data after 15 days.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { endUserDeleteSchema } from '../../validation/endUserSchemas';
import { validBody } from '../common/prepare';
import type { CallOperation } from '../types';
import { endUserRequest, messageOf } from './endUserCall';
import { endUserIdField } from './endUserFields';

const PURGE_NOTICE =
	'Sivi deletes the end user and their workspace, and purges their designs, media and brands after 15 days.';

export const properties: INodeProperties[] = [
	{
		displayName: PURGE_NOTICE,
		name: 'deleteNotice',
		type: 'notice',
		default: '',
	},
	endUserIdField('The end user to delete (Sivi abstractUserId). One per item.'),
];

export const deleteEndUser: CallOperation<IDataObject> = {
	kind: 'call',
	resource: 'endUser',
	operation: 'delete',
	name: 'Delete',
	action: 'Delete an end user',
	description: `Delete one end user per item. ${PURGE_NOTICE}`,
	properties,
	prepare: (context, itemIndex) =>
		validBody(context, itemIndex, { properties, schema: endUserDeleteSchema }),
	async execute(context, body, itemIndex) {
		const answer = await endUserRequest(context, itemIndex, 'delete-user', body);
		return {
			abstractUserId: body.abstractUserId,
			deleted: true,
			message: messageOf(answer, 'End user deleted'),
		};
	},
};

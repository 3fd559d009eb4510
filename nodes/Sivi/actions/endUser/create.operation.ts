// End User → Create: POST super/login-user (Super and Enterprise keys). Sivi creates the
// end user and their workspace when the ID is new, and logs them in when not; either way it
// answers an access token (a JWT, valid 1 h), a refresh token and the workspace ID. The tokens
// let anyone act as the end user, so the item holds them only when Include Tokens asks for them.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { endUserCreateSchema } from '../../validation/endUserSchemas';
import { validBody } from '../common/prepare';
import type { CallOperation } from '../types';
import { endUserRequest } from './endUserCall';
import { endUserBrandField, endUserIdField } from './endUserFields';
import { optionsField } from '../common/fields';

export const properties: INodeProperties[] = [
	endUserIdField(
		'Your own ID of the end user (Sivi abstractUserId). Sivi creates the end user and their workspace if the ID is new, and logs them in if not.',
	),
	endUserBrandField,
	optionsField([
		{
			displayName: 'Include Tokens',
			name: 'includeTokens',
			type: 'boolean',
			default: false,
			description:
				'Whether to add the end user’s access token and refresh token to the output. They are secrets: anyone who has them can act as this end user, and n8n keeps them in the execution data.',
		},
	]),
];

/** The item: who and which workspace; the tokens only when asked for. */
function toItem(abstractUserId: string, answer: IDataObject, includeTokens: boolean): IDataObject {
	const item: IDataObject = { abstractUserId };
	if (typeof answer.workspaceId === 'string') item.workspaceId = answer.workspaceId;
	if (includeTokens) {
		item.accessToken = answer.accessToken;
		item.refreshToken = answer.refreshToken;
	}
	return item;
}

export const createEndUser: CallOperation<{ body: IDataObject; includeTokens: boolean }> = {
	kind: 'call',
	resource: 'endUser',
	operation: 'create',
	name: 'Create',
	action: 'Create an end user',
	description:
		'Create an end user with their own workspace (Super and Enterprise keys), or log in an existing one',
	properties,
	prepare: (context, itemIndex) => ({
		body: validBody(context, itemIndex, { properties, schema: endUserCreateSchema }),
		includeTokens:
			(context.getNodeParameter('options.includeTokens', itemIndex, false) as boolean) === true,
	}),
	async execute(context, { body, includeTokens }, itemIndex) {
		const answer = await endUserRequest(context, itemIndex, 'login-user', body);
		return toItem(String(body.abstractUserId), answer, includeTokens);
	},
};

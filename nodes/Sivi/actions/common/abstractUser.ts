// Super and Enterprise keys act on behalf of one of their end users with `abstractUserId`.
// Every operation whose endpoint accepts it offers this field in its Additional Fields.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { bodyField } from '../../shared/bodyFields';
import { additionalFields } from './fields';

export const abstractUserIdField = bodyField('abstractUserId', {
	displayName: 'End-User ID',
	name: 'abstractUserId',
	type: 'string',
	default: '',
	placeholder: 'e.g. customer-4711',
	description:
		'Super and Enterprise keys only: act on behalf of this end user (Sivi abstractUserId). Leave empty otherwise.',
});

/** The end user a body acts for, if any. */
export function endUserOf(body: IDataObject): string | undefined {
	return typeof body.abstractUserId === 'string' && body.abstractUserId
		? body.abstractUserId
		: undefined;
}

/** Additional Fields of an operation whose only optional field is the End-User ID. */
export const endUserOnlyFields: INodeProperties = additionalFields([abstractUserIdField]);

// End User → Set Credit Limit: POST super/set-user-credit-limit. The end user's credits
// are taken from the key's own; once they reach the limit in the billing cycle, Sivi refuses
// their jobs with 429 "Insufficient credit limit". -1 removes the limit (Sivi's default).
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { bodyField } from '../../shared/bodyFields';
import { endUserCreditLimitSchema } from '../../validation/endUserSchemas';
import { validBody } from '../common/prepare';
import type { CallOperation } from '../types';
import { endUserRequest, messageOf } from './endUserCall';
import { endUserIdField } from './endUserFields';

export const properties: INodeProperties[] = [
	endUserIdField('The end user whose credits to cap (Sivi abstractUserId)'),
	bodyField('creditLimit', {
		displayName: 'Credit Limit',
		name: 'creditLimit',
		type: 'number',
		required: true,
		default: -1,
		typeOptions: { minValue: -1, numberPrecision: 0 },
		description:
			'Most credits the end user may use in the current billing cycle, a whole number. Use -1 for no limit (Sivi’s default).',
	}),
];

export const setEndUserCreditLimit: CallOperation<IDataObject> = {
	kind: 'call',
	resource: 'endUser',
	operation: 'setCreditLimit',
	name: 'Set Credit Limit',
	action: 'Set the credit limit of an end user',
	description:
		'Cap the credits an end user may use in the current billing cycle; their jobs beyond it are refused',
	properties,
	prepare: (context, itemIndex) =>
		validBody(context, itemIndex, { properties, schema: endUserCreditLimitSchema }),
	async execute(context, body, itemIndex) {
		const answer = await endUserRequest(context, itemIndex, 'set-user-credit-limit', body);
		return {
			abstractUserId: body.abstractUserId,
			creditLimit: body.creditLimit,
			message: messageOf(answer, 'Credit limit set'),
		};
	},
};

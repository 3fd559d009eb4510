// The requests of the End User operations: super/* through the account's pacing. Sivi answers an
// end user it does not know (never created, or deleted) with 400 "User does not exist"; the item's
// error names the End-User ID. Sivi's answer itself never goes into an error: Create's holds the
// end user's tokens.
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { pacedRequest } from '../../engine/accounts';
import { requestError } from '../../shared/itemErrors';
import { SiviRequestError } from '../../shared/siviError';

const USER_MISSING = /user does not exist/i;

/** POSTs `body` to `super/<endpoint>`; failures become the item's error. */
export async function endUserRequest(
	context: IExecuteFunctions,
	itemIndex: number,
	endpoint: 'login-user' | 'set-user-credit-limit' | 'delete-user',
	body: IDataObject,
): Promise<IDataObject> {
	try {
		return await pacedRequest(context, { method: 'POST', prefix: 'super', path: endpoint, body });
	} catch (error) {
		if (!(error instanceof SiviRequestError))
			throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		if (error.kind === 'invalid' && USER_MISSING.test(error.message))
			throw new NodeOperationError(
				context.getNode(),
				`End user ${String(body.abstractUserId)} does not exist in Sivi`,
				{
					itemIndex,
					description: `Sivi said: "${error.message}". Check the End-User ID; create the end user first with End User → Create (a deleted end user is created again as new).`,
				},
			);
		throw requestError(context.getNode(), error, itemIndex, 'call');
	}
}

/** Sivi's message from an answer, or `fallback`. */
export const messageOf = (answer: IDataObject, fallback: string): string =>
	typeof answer.message === 'string' && answer.message ? answer.message : fallback;

// The requests of the brand operations: brand/* through the account's pacing, and the shape of
// the operations that act on one brand by its ID (Get, Set Default, Archive, Update).
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { pacedRequest } from '../../engine/accounts';
import { requestError } from '../../shared/itemErrors';
import { SiviRequestError } from '../../shared/siviError';
import { brandByIdSchema } from '../../validation/brandSchemas';
import { validBody } from '../common/prepare';
import type { CallOperation } from '../types';

/** One brand/* call through the account's pacing. */
export async function brandRequest(
	context: IExecuteFunctions,
	path: string,
	body: IDataObject,
): Promise<IDataObject> {
	return await pacedRequest(context, { method: 'POST', path, body });
}

/**
 * "Brand not found" naming the ID: Sivi answers an unknown (or archived) brand with 404 "Brand
 * not found in workspace" on some endpoints and with an empty list on brand/get.
 */
export function brandNotFound(
	context: IExecuteFunctions,
	itemIndex: number,
	bId: string,
	said?: string,
): NodeOperationError {
	return new NodeOperationError(context.getNode(), `Brand ${bId} was not found in the workspace`, {
		itemIndex,
		description: `${said ? `Sivi said: "${said}". ` : ''}Check the brand ID; archived brands cannot be used.`,
	});
}

/** Sivi's 404 for a brand as brandNotFound(); other failures as the router tells them. */
async function forBrand<T>(
	context: IExecuteFunctions,
	itemIndex: number,
	bId: string,
	call: () => Promise<T>,
): Promise<T> {
	try {
		return await call();
	} catch (error) {
		if (!(error instanceof SiviRequestError))
			throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
		if (error.kind === 'notFound') throw brandNotFound(context, itemIndex, bId, error.message);
		throw requestError(context.getNode(), error, itemIndex, 'call');
	}
}

/** prepare() of an operation whose body is only the brand ID (and the End-User ID). */
export const brandIdBody =
	(properties: INodeProperties[]): CallOperation<IDataObject>['prepare'] =>
	(context, itemIndex) =>
		validBody(context, itemIndex, { properties, schema: brandByIdSchema });

/** How Sivi's answer for brand `bId` becomes the item. */
type BrandItem = (
	answer: IDataObject,
	bId: string,
	context: IExecuteFunctions,
	itemIndex: number,
) => IDataObject;

/** execute() that POSTs the item's body (holding bId) to `path`; a 404 names the brand. */
export const brandIdCall =
	(path: string, toItem: BrandItem): CallOperation<IDataObject>['execute'] =>
	async (context, body, itemIndex) => {
		const bId = String(body.bId);
		const answer = await forBrand(
			context,
			itemIndex,
			bId,
			async () => await brandRequest(context, path, body),
		);
		return toItem(answer, bId, context, itemIndex);
	};

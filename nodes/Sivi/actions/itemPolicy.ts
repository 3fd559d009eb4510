// The per-item error policy the router applies to every operation: without continueOnFail the
// first failure stops the run; with it every failed item becomes an error item with its
// pairedItem, its requestId when one exists, and the shape n8n keeps.
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { toToolJson } from '../output/toolOutput';
import type { SiviJobJson } from '../output/normalize';
import { errorJson, requestError, type ItemError } from '../shared/itemErrors';
import { SiviRequestError } from '../shared/siviError';
import type { JobOutcome } from '../engine/accountScheduler';

export class ItemPolicy {
	readonly continueOnFail: boolean;
	readonly errors: Array<ItemError | undefined>;

	constructor(
		private readonly context: IExecuteFunctions,
		itemCount: number,
		readonly toolMode: boolean,
	) {
		this.continueOnFail = context.continueOnFail();
		this.errors = new Array<ItemError | undefined>(itemCount).fill(undefined);
	}

	/** An n8n error for anything thrown while handling item `itemIndex`. */
	asItemError(error: unknown, itemIndex: number, phase: 'submit' | 'call' = 'submit'): ItemError {
		if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
		if (error instanceof SiviRequestError)
			return requestError(this.context.getNode(), error, itemIndex, phase);
		// Message only: a raw HTTP error would keep request options (e.g. a presigned upload URL).
		return new NodeOperationError(
			this.context.getNode(),
			String((error as Error)?.message ?? error),
			{ itemIndex },
		);
	}

	/** Item `itemIndex` failed: stop the run, or remember it for its error item. */
	fail(error: unknown, itemIndex: number, phase: 'submit' | 'call' = 'submit'): void {
		const itemError = this.asItemError(error, itemIndex, phase);
		if (!this.continueOnFail) throw itemError;
		this.errors[itemIndex] = itemError;
	}

	/** The item that stands for a failure (continueOnFail only). */
	errorOutput(
		error: ItemError,
		itemIndex: number,
		outcome?: JobOutcome,
		partial?: IDataObject,
	): INodeExecutionData {
		const json = errorJson(error, outcome, partial);
		// Agents get the same compact shape for failures as for results.
		const shaped = this.toolMode
			? toToolJson({ requestId: '', status: 'error', ...json } as SiviJobJson)
			: json;
		return errorItem(this.context, shaped, { item: itemIndex });
	}
}

/**
 * An error item that survives n8n's own post-processing. n8n replaces the JSON of any item that
 * has an `error` property with `{ error: message }` (dropping the requestId), so error items carry
 * the message in `json.error` instead. For the error output, n8n recognises an error item by its
 * keys: n8n 1.x only `{ error }` or `{ error, message }`, n8n 2.x also `details`. So the error
 * output gets `{ error, message }` on every version, and `message` says what to do and names the
 * request ID.
 */
function errorItem(
	context: IExecuteFunctions,
	json: IDataObject,
	pairedItem: { item: number },
): INodeExecutionData {
	if (context.getNode().onError === 'continueErrorOutput') {
		const { error, errorDescription, requestId } = json;
		let message = typeof errorDescription === 'string' ? errorDescription : '';
		if (typeof requestId === 'string' && requestId && !message.includes(requestId))
			message = `${message} Request ID: ${requestId}.`.trim();
		return { json: message ? { error, message } : { error }, pairedItem };
	}
	return { json, pairedItem };
}

// How each way an item can end badly is told to the user: an n8n error with the item index,
// Sivi's own message, the requestId when one exists, and what to do next.
import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import type { JobOutcome } from '../engine/accountScheduler';
import type { StatusResponse } from '../validation/responseSchemas';
import { SiviRequestError } from './siviError';

/** What every failed upload or lookup before a submit says, whichever operation it is. */
export const NOT_SUBMITTED = 'No job was submitted for this item, so no credits were used.';

export type ItemError = NodeApiError | NodeOperationError;

function withRequestId(text: string, requestId?: string): string {
	if (!requestId) return text;
	return `${/[.!?]$/.test(text) ? text : `${text}.`} Request ID: ${requestId}.`;
}

export function requestError(
	node: INode,
	error: SiviRequestError,
	itemIndex: number,
	phase: 'submit' | 'status' | 'call' | 'upload',
	requestId?: string,
	/** The end user the request was for (Super and Enterprise keys). */
	endUser?: string,
): ItemError {
	const said = `Sivi said: "${error.message}".`;
	const api = (message: string, description: string) =>
		new NodeApiError(
			node,
			{ message: error.message, httpCode: String(error.httpCode ?? '') } as JsonObject,
			{
				message,
				description: withRequestId(description, requestId),
				httpCode: error.httpCode ? String(error.httpCode) : undefined,
				itemIndex,
			},
		);
	switch (error.kind) {
		case 'auth':
			return api(
				'Sivi rejected the API key',
				`Check the API key in the Sivi API credential. ${said}`,
			);
		case 'credits':
			// An end user's own credit limit may be what ran out: say whose.
			return api(
				`Not enough Sivi credits${endUser ? ` (end user "${endUser}")` : ''}`,
				`Top up your Sivi credits (or raise the credit limit), then run the item again. It was not retried. ${said}${endUser ? ` The job was for end user "${endUser}": their credit limit may be used up (End User → Set Credit Limit raises it).` : ''}`,
			);
		case 'rateLimited':
		case 'queueFull':
			return api(
				'Sivi kept refusing the request because of its rate limit or full queue',
				`Lower Requests per Minute or Max Jobs in Flight, or raise Max Wait. ${said}`,
			);
		case 'invalid':
			return api(
				`Sivi refused the input: ${error.message}`,
				'Correct the field Sivi names and run the item again.',
			);
		case 'notYours':
			return api(
				`Sivi refused the ID: ${error.message}`,
				'It names something of another Sivi workspace (or of another end user). Pass an ID from this workspace, e.g. from a Get Many operation.',
			);
		case 'notFound':
			return api(`Sivi could not find it: ${error.message}`, 'Check the ID you passed.');
		case 'server':
		case 'network':
			if (phase === 'call') {
				return new NodeOperationError(
					node,
					`Sivi may have done this, but its answer was lost (${error.message})`,
					{
						itemIndex,
						description: `It was not sent again. Check your Sivi workspace before running this item again.${error.answer ? ` Sivi's answer: ${error.answer}` : ''}`,
					},
				);
			}
			if (phase === 'submit') {
				return new NodeOperationError(
					node,
					`Sivi may have accepted this job, but its answer was lost (${error.message})`,
					{
						itemIndex,
						description: `To protect your credits the job was not sent again. Check your Sivi workspace for it before running this item again.${error.answer ? ` Sivi's answer: ${error.answer}` : ''}`,
					},
				);
			}
			return new NodeOperationError(
				node,
				withRequestId(`Sivi's status checks kept failing (${error.message}).`, requestId),
				{
					itemIndex,
					description:
						'The job may still finish in Sivi. Use Get Status with its request ID later.',
				},
			);
		case 'notSent':
			return new NodeOperationError(node, error.message, {
				itemIndex,
				description:
					'Nothing was submitted, so no credits were used. The plan’s requests per minute are shared by every execution using this API key: raise Max Wait, or send fewer items at once.',
			});
		case 'unreachable':
			return new NodeOperationError(node, error.message, {
				itemIndex,
				description:
					'Check the Base URL in the Sivi API credential and your network. Nothing was sent.',
			});
		case 'callerGone':
			return new NodeOperationError(
				node,
				requestId
					? `The caller stopped waiting; the job ${requestId} may still finish in Sivi`
					: 'The caller stopped waiting before this job was sent',
				{
					itemIndex,
					description: requestId
						? `n8n ended this tool run because the AI agent or MCP client stopped waiting. Use Request → Get Status with request ID ${requestId} for the result; do not submit it again. Lower Tool Wait below the client's timeout.`
						: "n8n ended this tool run because the AI agent or MCP client stopped waiting. Nothing was submitted, so no credits were used. Lower Tool Wait below the client's timeout.",
				},
			);
		case 'cancelled':
		default:
			return new NodeOperationError(node, withRequestId(error.message, requestId), {
				itemIndex,
				description: requestId
					? 'The job may still finish in Sivi. Use Get Status with its request ID later.'
					: undefined,
			});
	}
}

/** A request of resolve that failed, with what it was for ("look up the default brand"). */
class ResolveFailure extends Error {
	constructor(
		readonly what: string,
		readonly reason: unknown,
	) {
		super(String((reason as Error)?.message ?? reason));
		this.name = 'ResolveFailure';
	}
}

/** Runs one request of resolve; its failure says what it was for. */
export async function resolving<T>(what: string, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		throw error instanceof ResolveFailure ? error : new ResolveFailure(what, error);
	}
}

/**
 * The item error for anything that failed before its job was submitted (an upload, the default
 * brand or a font lookup, the check of the resolved body): one wording per cause, and every one
 * says that no job was submitted.
 */
export function notSubmitted(node: INode, error: unknown, itemIndex: number): ItemError {
	const what =
		error instanceof ResolveFailure ? error.what : 'upload or look up what the item needs';
	const reason = error instanceof ResolveFailure ? error.reason : error;
	let itemError: ItemError;
	if (reason instanceof SiviRequestError && reason.mayHaveBeenAccepted)
		itemError = new NodeOperationError(
			node,
			`Could not ${what} before the job was submitted (${reason.message})`,
			{ itemIndex, description: `${NOT_SUBMITTED} Run the item again.` },
		);
	else if (reason instanceof SiviRequestError)
		itemError = requestError(node, reason, itemIndex, 'upload');
	else if (reason instanceof NodeApiError || reason instanceof NodeOperationError)
		itemError = reason;
	// Message only: a raw HTTP error would keep request options (a presigned upload URL).
	else
		itemError = new NodeOperationError(
			node,
			`Could not ${what}: ${String((reason as Error)?.message ?? reason)}`,
			{ itemIndex },
		);
	const description = itemError.description ?? '';
	if (!description.includes(NOT_SUBMITTED))
		itemError.description = `${NOT_SUBMITTED} ${description}`.trim();
	return itemError;
}

export function jobFailedError(
	node: INode,
	status: StatusResponse,
	requestId: string,
	itemIndex: number,
): ItemError {
	return new NodeOperationError(
		node,
		`Sivi job ${requestId} ended as ${status.status}: ${status.reason || 'no reason given'}`,
		{
			itemIndex,
			description: `Sivi's reason: ${status.reason || 'none'}. Request ID: ${requestId}.`,
		},
	);
}

export function timeoutError(
	node: INode,
	requestId: string,
	waitedMs: number,
	itemIndex: number,
): ItemError {
	return new NodeOperationError(
		node,
		`Sivi job ${requestId} did not finish within ${Number((waitedMs / 1000).toFixed(1))} seconds`,
		{
			itemIndex,
			description: `It is still running in Sivi. Use Request → Get Status with request ID ${requestId} later (it can wait too), or raise Max Wait.`,
		},
	);
}

/** JSON of an error item when continueOnFail is on: the message plus whatever is known. */
export function errorJson(
	error: ItemError,
	outcome?: JobOutcome,
	partial?: IDataObject,
): IDataObject {
	const json: IDataObject = { ...(partial ?? {}), error: error.message };
	if (error.description) json.errorDescription = error.description;
	if (outcome && 'requestId' in outcome && outcome.requestId) json.requestId = outcome.requestId;
	// The raw answer of a submit Sivi accepted but the node could not read: the paid job's trace.
	if (outcome?.kind === 'error' && outcome.error.answer) json.siviAnswer = outcome.error.answer;
	if (error instanceof NodeApiError && error.httpCode) json.httpCode = error.httpCode;
	return json;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { SiviJobJson } from '../output/normalize';
import type { StatusResponse, SubmitResponse } from '../validation/responseSchemas';
import type { PreparedJob } from './common/prepare';

/** What the Operation selector shows, and where the operation sits. */
interface OperationBase {
	resource: string;
	operation: string;
	/** Title Case name in the Operation list. */
	name: string;
	/** Sentence-case action, e.g. "Get many brands". */
	action: string;
	description: string;
	/** UI fields, shown only for this operation. */
	properties: INodeProperties[];
}

/**
 * A job operation: Sivi queues a job and answers with a requestId; the account's scheduler
 * submits it, waits for it and polls it.
 */
export interface JobOperation extends OperationBase {
	kind: 'job';
	waitDefault: boolean;
	/** In a tool run it waits whatever Wait for Completion says: a model cannot poll by itself. */
	waitsAsTool?: boolean;
	/** It submits jobs (not Get Status): it offers Dry Run and Max Credits per Run. */
	submits?: boolean;
	/** Whether Download Images starts on; absent when the job gives no images (no image options). */
	downloadDefault?: boolean;
	/**
	 * Builds and checks one item's job (common/prepare.ts), its resolve step included but not run.
	 * Throws NodeOperationError naming the field; no requests.
	 */
	prepare(context: IExecuteFunctions, itemIndex: number, wait: boolean): PreparedJob;
	/** How a status answer of this operation's job becomes the item's JSON. */
	toJson(status: StatusResponse, submitted?: SubmitResponse, requestId?: string): SiviJobJson;
}

/** An item's output of a call operation: JSON only, one or more items. */
export type CallResult = IDataObject | IDataObject[];

/** A call operation: one request (or a paginated list) that answers at once. */
export interface CallOperation<Prepared = unknown> extends OperationBase {
	kind: 'call';
	/** Validates one item. Throws NodeOperationError naming the field; no requests. */
	prepare(context: IExecuteFunctions, itemIndex: number): Prepared;
	/** The item's requests, through the account's pacing. */
	execute(context: IExecuteFunctions, prepared: Prepared, itemIndex: number): Promise<CallResult>;
}

export type SiviOperation = JobOperation | CallOperation<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// execute() of the node: prepare and validate every item (no requests), resolve uploads and
// the default brand, hand all jobs to the account's scheduler, then shape one result per
// input item, in input order, with pairedItem set.
import {
	NodeApiError,
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { JobOutcome, JobSpec } from '../engine/accountScheduler';
import { accountFor } from '../engine/accounts';
import { durationKey } from '../engine/pollPlan';
import { downloadImage } from '../output/download';
import {
	normalizeStatus,
	normalizeSubmitted,
	resultImages,
	type SiviJobJson,
} from '../output/normalize';
import { paidWork, runHints, wasStopped } from '../output/runNotes';
import { toToolJson } from '../output/toolOutput';
import { buildBody, bodyPaths } from '../shared/bodyFields';
import {
	errorJson,
	jobFailedError,
	requestError,
	timeoutError,
	type ItemError,
} from '../shared/itemErrors';
import { SiviRequestError } from '../shared/siviError';
import { limitConcurrency } from '../shared/limitConcurrency';
import { siviRequest } from '../shared/transport';
import { describeIssues } from '../validation/describeIssues';
import { readRunSettings, type RunSettings } from './common/runOptions';
import { findOperation } from './operations';
import type { SiviOperation } from './types';

const DOWNLOAD_CONCURRENCY = 4;
const DOWNLOAD_TIMEOUT_MS = 120_000;
const STATUS_TIMEOUT_MS = 30_000;
const MAX_POLL_FAILURES = 10;

type ItemResult =
	| { json: SiviJobJson; error?: undefined }
	| { error: ItemError; json?: IDataObject };

function asItemError(context: IExecuteFunctions, error: unknown, itemIndex: number): ItemError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	if (error instanceof SiviRequestError)
		return requestError(context.getNode(), error, itemIndex, 'submit');
	// Message only: a raw HTTP error would keep request options (e.g. a presigned upload URL).
	return new NodeOperationError(context.getNode(), String((error as Error)?.message ?? error), {
		itemIndex,
	});
}

/** Builds and validates one item's job. Throws NodeOperationError naming the field; sends nothing. */
function prepareJob(
	context: IExecuteFunctions,
	operation: SiviOperation,
	itemIndex: number,
	wait: boolean,
): JobSpec {
	if (!operation.submitPath) {
		const raw = context.getNodeParameter('requestId', itemIndex, '');
		if (raw !== null && typeof raw === 'object') {
			throw new NodeOperationError(
				context.getNode(),
				'Request ID must be text (the expression returned an object)',
				{
					itemIndex,
					description: 'Map the requestId field itself, e.g. {{ $json.requestId }}.',
				},
			);
		}
		const requestId = String(raw ?? '').trim();
		if (!requestId) {
			throw new NodeOperationError(context.getNode(), 'Request ID is required', {
				itemIndex,
				description: 'Pass the requestId that a Sivi submit returned.',
			});
		}
		return { requestId, wait, durationKey: '' };
	}
	let fields = buildBody(operation.properties, (name) =>
		// null, not undefined: n8n throws "Could not get parameter" for hidden fields without a fallback.
		context.getNodeParameter(name, itemIndex, null),
	);
	if (operation.completeBody) fields = operation.completeBody(fields, context, itemIndex);
	const parsed = operation.schema!.safeParse(fields);
	if (!parsed.success) {
		const problems = describeIssues(parsed.error, bodyPaths(operation.properties));
		throw new NodeOperationError(context.getNode(), problems.join('; '), {
			itemIndex,
			description:
				`Nothing was sent to Sivi for this item, so no credits were used. ${problems.length > 1 ? `${problems.length} problems.` : ''}`.trim(),
		});
	}
	const body = parsed.data as IDataObject;
	return {
		submit: { path: operation.submitPath, body },
		wait,
		durationKey: durationKey(operation.submitPath, body),
	};
}

function outcomeResult(
	context: IExecuteFunctions,
	operation: SiviOperation,
	outcome: JobOutcome,
	itemIndex: number,
	settings: RunSettings,
): ItemResult {
	const node = context.getNode();
	switch (outcome.kind) {
		case 'submitted':
			return { json: normalizeSubmitted(outcome.submitted) };
		case 'status':
			return { json: normalizeStatus(operation.kind, outcome.status, outcome.submitted) };
		case 'error':
			return {
				error: requestError(node, outcome.error, itemIndex, outcome.phase, outcome.requestId),
				json: outcome.submitted ? normalizeSubmitted(outcome.submitted) : undefined,
			};
		case 'finished': {
			const { end, requestId } = outcome;
			const partial = end.status
				? normalizeStatus(operation.kind, end.status, outcome.submitted, requestId)
				: undefined;
			if (end.state === 'done') return { json: partial! };
			if (end.state === 'failed')
				return { error: jobFailedError(node, end.status, requestId, itemIndex), json: partial };
			if (end.state === 'error')
				return {
					error: requestError(node, end.error, itemIndex, 'status', requestId),
					json: partial,
				};
			return {
				error: timeoutError(node, requestId, settings.maxWaitMs, itemIndex),
				json: { ...(partial ?? {}), requestId, status: partial?.status ?? 'pending' },
			};
		}
		default:
			return { error: new NodeOperationError(node, 'The item was not processed', { itemIndex }) };
	}
}

async function attachDownloads(
	context: IExecuteFunctions,
	json: SiviJobJson,
	settings: RunSettings,
): Promise<IBinaryKeyData[]> {
	const files: IBinaryKeyData[] = [];
	for (const image of resultImages(json)) {
		const binary = await downloadImage(context, image.url, `${json.requestId}-${image.id}`, {
			maxBytes: settings.maxDownloadBytes,
			timeoutMs: DOWNLOAD_TIMEOUT_MS,
		});
		files.push({ [settings.binaryPropertyName]: binary });
	}
	return files;
}

function successItems(
	json: SiviJobJson,
	files: IBinaryKeyData[] | undefined,
	settings: RunSettings,
	itemIndex: number,
): INodeExecutionData[] {
	const pairedItem = { item: itemIndex };
	const images = resultImages(json);
	if (settings.splitIntoItems && images.length) {
		const common = Object.fromEntries(
			Object.entries(json).filter(([key]) => !['variants', 'images', 'result'].includes(key)),
		);
		return images.map((image, index) => ({
			json: { ...common, imageIndex: index, imageId: image.id, imageUrl: image.url },
			binary: files?.[index],
			pairedItem,
		}));
	}
	if (!files?.length) return [{ json, pairedItem }];
	const binary: IBinaryKeyData = {};
	files.forEach((file, index) => {
		const key =
			index === 0 ? settings.binaryPropertyName : `${settings.binaryPropertyName}_${index}`;
		binary[key] = Object.values(file)[0];
	});
	return [{ json, binary, pairedItem }];
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

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = findOperation(resource, operationName);
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of "${resource}" is not known`,
		);
	}
	const continueOnFail = this.continueOnFail();
	const settings = readRunSettings(this, 0, operation);
	const toolMode = isToolRun(this);
	const errors = new Array<ItemError | undefined>(items.length).fill(undefined);
	const jobs = new Array<JobSpec | undefined>(items.length).fill(undefined);

	// 1. Validate everything first: without continueOnFail one bad item stops the run before any request.
	for (let i = 0; i < items.length; i++) {
		try {
			jobs[i] = prepareJob(this, operation, i, readRunSettings(this, i, operation).wait);
		} catch (error) {
			const itemError = asItemError(this, error, i);
			if (!continueOnFail) throw itemError;
			errors[i] = itemError;
		}
	}

	// 2. Uploads and default-brand lookups, for valid items only.
	if (operation.resolveBody) {
		for (let i = 0; i < items.length; i++) {
			const job = jobs[i];
			if (!job?.submit) continue;
			try {
				job.submit.body = await operation.resolveBody(job.submit.body, this, i);
			} catch (error) {
				const itemError = asItemError(this, error, i);
				if (!continueOnFail) throw itemError;
				errors[i] = itemError;
				jobs[i] = undefined;
			}
		}
	}

	// 3. Submit and wait, all items together, within the limits this account shares with every
	// other execution in this process.
	const account = await accountFor(this);
	const report = await account.runBatch(
		jobs,
		{
			maxInFlight: settings.maxInFlight,
			requestsPerMinute: settings.requestsPerMinute,
			minPollSpacingMs: settings.minPollSpacingMs,
			maxWaitMs: settings.maxWaitMs,
			maxPollFailures: MAX_POLL_FAILURES,
			stopOnFirstError: !continueOnFail,
		},
		{
			submit: async (path, body) => await siviRequest(this, { method: 'POST', path, body }),
			status: async (requestId) =>
				await siviRequest(this, {
					method: 'GET',
					path: 'get-request-status',
					queryParams: { requestId },
					timeoutMs: STATUS_TIMEOUT_MS,
				}),
			signal: this.getExecutionCancelSignal(),
		},
	);

	const { outcomes } = report;

	// 4. Results in input order.
	const results: Array<ItemResult | undefined> = outcomes.map((outcome, i) =>
		errors[i] ? undefined : outcomeResult(this, operation, outcome, i, settings),
	);
	if (!continueOnFail) {
		const failures = results
			.map((result, i) => ({ result, i }))
			.filter((entry) => entry.result?.error)
			.sort(
				(a, b) =>
					Number(wasStopped(outcomes[a.i])) - Number(wasStopped(outcomes[b.i])) || a.i - b.i,
			);
		if (failures.length) {
			const first = failures[0].result!.error!;
			// Paid work is never only in a rerun: finished and running jobs are named here.
			const work = paidWork(
				outcomes,
				results.map((result) => result?.json),
			);
			if (work) first.description = `${first.description ?? ''} ${work}`.trim();
			throw first;
		}
	}

	const downloads = limitConcurrency(DOWNLOAD_CONCURRENCY);
	let refusedDownloads = 0;
	const output = await Promise.all(
		results.map(async (result, i): Promise<INodeExecutionData[]> => {
			const pairedItem = { item: i };
			const failure = errors[i] ?? result?.error;
			if (failure) {
				const json = errorJson(failure, outcomes[i], result?.json);
				// Agents get the same compact shape for failures as for results.
				const shaped = toolMode
					? toToolJson({ requestId: '', status: 'error', ...json } as SiviJobJson)
					: json;
				return [errorItem(this, shaped, pairedItem)];
			}
			const json = result!.json as SiviJobJson;
			if (toolMode) return [{ json: toToolJson(json), pairedItem }];
			const finished = outcomes[i].kind === 'finished' || json.status === 'completed';
			if (!settings.download || !finished || !resultImages(json).length)
				return successItems(json, undefined, settings, i);
			try {
				const files = await downloads(async () => await attachDownloads(this, json, settings));
				return successItems(json, files, settings, i);
			} catch (error) {
				const itemError = new NodeOperationError(
					this.getNode(),
					String((error as Error).message ?? error),
					{
						itemIndex: i,
						description: `The job finished; its images are still at: ${resultImages(json)
							.map((image) => image.url)
							.join(', ')}`,
					},
				);
				if (!continueOnFail) throw itemError;
				refusedDownloads++;
				return [errorItem(this, errorJson(itemError, outcomes[i], json), pairedItem)];
			}
		}),
	);
	const hints = runHints(report, refusedDownloads);
	// addExecutionHints is missing on older n8n versions.
	if (hints.length && typeof this.addExecutionHints === 'function')
		this.addExecutionHints(...hints);
	return [output.flat()];
}

/**
 * An AI agent called the node as a tool. In-process tools (AI Agent 2.x) say so through
 * isToolExecution(), which n8n 1.x lacks; AI Agent 3.x runs the `…Tool` node type through the
 * workflow engine in an ordinary execute context, where isToolExecution() is always false.
 */
function isToolRun(context: IExecuteFunctions): boolean {
	if (/Tool$/.test(context.getNode().type)) return true;
	return typeof context.isToolExecution === 'function' && context.isToolExecution();
}

// How a job operation runs for all items of one execution: prepare every item (no requests),
// resolve and check each valid one (common/prepare.ts), hand all jobs to the account's
// scheduler, then shape one result per input item, in input order, with pairedItem set.
import {
	NodeOperationError,
	type IBinaryKeyData,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import type { JobOutcome, JobSpec } from '../engine/accountScheduler';
import { accountFor } from '../engine/accounts';
import { downloadImage } from '../output/download';
import { normalizeSubmitted, resultImages, type SiviJobJson } from '../output/normalize';
import { traceSubmitted } from '../output/requestTrace';
import { paidWork, runHints, wasStopped } from '../output/runNotes';
import { stillRunningJson, toToolJson } from '../output/toolOutput';
import { jobFailedError, requestError, timeoutError, type ItemError } from '../shared/itemErrors';
import { limitConcurrency } from '../shared/limitConcurrency';
import { siviRequest } from '../shared/transport';
import { creditsJson, creditsSummary, jobCredits, type JobCredits } from '../output/credits';
import { checkBudget, dryRun } from './creditRun';
import { readyJob, type PreparedJob } from './common/prepare';
import { readRunSettings, readWait, type RunSettings } from './common/runOptions';
import type { ItemPolicy } from './itemPolicy';
import type { JobOperation } from './types';

const DOWNLOAD_CONCURRENCY = 4;
const DOWNLOAD_TIMEOUT_MS = 120_000;
const STATUS_TIMEOUT_MS = 30_000;
const MAX_POLL_FAILURES = 10;

/** Sivi took the job: it may cost credits. */
const accepted = (outcome: JobOutcome) =>
	outcome.kind === 'submitted' ||
	outcome.kind === 'status' ||
	outcome.kind === 'finished' ||
	(outcome.kind === 'error' && !!outcome.requestId);

type ItemResult =
	| { json: SiviJobJson; error?: undefined }
	| { error: ItemError; json?: IDataObject };

function outcomeResult(
	context: IExecuteFunctions,
	operation: JobOperation,
	outcome: JobOutcome,
	itemIndex: number,
	settings: RunSettings,
	toolMode: boolean,
	endUser: string | undefined,
): ItemResult {
	const node = context.getNode();
	switch (outcome.kind) {
		case 'submitted':
			return { json: normalizeSubmitted(outcome.submitted) };
		case 'status':
			return { json: operation.toJson(outcome.status, outcome.submitted) };
		case 'error':
			return {
				error: requestError(
					node,
					outcome.error,
					itemIndex,
					outcome.phase,
					outcome.requestId,
					endUser,
				),
				json: outcome.submitted ? normalizeSubmitted(outcome.submitted) : undefined,
			};
		case 'finished': {
			const { end, requestId } = outcome;
			const partial = end.status
				? operation.toJson(end.status, outcome.submitted, requestId)
				: undefined;
			if (end.state === 'done') return { json: partial! };
			if (end.state === 'failed')
				return { error: jobFailedError(node, end.status, requestId, itemIndex), json: partial };
			if (end.state === 'error')
				return {
					error: requestError(node, end.error, itemIndex, 'status', requestId, endUser),
					json: partial,
				};
			// A caller that sees an error tends to call again, which pays for a second job.
			if (toolMode) return { json: stillRunningJson(requestId, partial) };
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

export async function runJobs(
	context: IExecuteFunctions,
	operation: JobOperation,
	policy: ItemPolicy,
): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const { errors, continueOnFail, toolMode } = policy;
	const settings = readRunSettings(context, 0, operation);
	// A tool run answers before its caller gives up: a job still running then is "processing".
	if (toolMode) settings.maxWaitMs = Math.min(settings.maxWaitMs, settings.toolWaitMs);
	// Run settings are read once; Wait for Completion alone may differ per item.
	const waits = (i: number) =>
		(toolMode && operation.waitsAsTool) || readWait(context, i, operation);
	const prepared = new Array<PreparedJob | undefined>(items.length).fill(undefined);
	const jobs = new Array<JobSpec | undefined>(items.length).fill(undefined);

	// 1. Prepare every item first: without continueOnFail one bad item stops the run before any request.
	for (let i = 0; i < items.length; i++) {
		try {
			prepared[i] = operation.prepare(context, i, waits(i));
		} catch (error) {
			policy.fail(error, i);
		}
	}

	// What each item's job will cost, from the prepared bodies: the budget is kept before any upload.
	const estimates = prepared.map((job) =>
		job?.submit ? jobCredits(job.submit.path, job.submit.prepared.body) : undefined,
	);
	if (settings.maxCredits !== undefined) checkBudget(context, estimates, settings.maxCredits);
	if (settings.dryRun) return await dryRun(context, prepared, estimates, policy);

	// 2. Resolve (uploads, default brand, fonts) and check each valid item's body as it is sent.
	for (let i = 0; i < items.length; i++) {
		const job = prepared[i];
		if (!job) continue;
		try {
			jobs[i] = await readyJob(context, i, job);
		} catch (error) {
			policy.fail(error, i);
		}
	}

	// 3. Submit and wait, all items together, within the limits this account shares with every
	// other execution in this process.
	const account = await accountFor(context);
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
			submit: async (path, body) => {
				const answer = await siviRequest(context, { method: 'POST', path, body });
				if (toolMode) traceSubmitted(context, answer);
				return answer;
			},
			status: async (requestId, query) =>
				await siviRequest(context, {
					method: 'GET',
					path: 'get-request-status',
					queryParams: { ...query, requestId },
					timeoutMs: STATUS_TIMEOUT_MS,
				}),
			signal: context.getExecutionCancelSignal(),
		},
	);

	const { outcomes } = report;

	// 4. Results in input order; a job Sivi accepted carries its estimated credits.
	const results: Array<ItemResult | undefined> = outcomes.map((outcome, i) => {
		if (errors[i]) return undefined;
		const endUser = jobs[i]?.statusQuery?.abstractUserId as string | undefined;
		const result = outcomeResult(context, operation, outcome, i, settings, toolMode, endUser);
		const estimate = estimates[i];
		if (!estimate || !accepted(outcome) || !result.json) return result;
		return { ...result, json: { ...result.json, credits: creditsJson(estimate) } } as ItemResult;
	});
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
			const failure = errors[i] ?? result?.error;
			if (failure) return [policy.errorOutput(failure, i, outcomes[i], result?.json)];
			const json = result!.json as SiviJobJson;
			if (toolMode) return [{ json: toToolJson(json), pairedItem: { item: i } }];
			const finished = outcomes[i].kind === 'finished' || json.status === 'completed';
			if (!settings.download || !finished || !resultImages(json).length)
				return successItems(json, undefined, settings, i);
			try {
				const files = await downloads(async () => await attachDownloads(context, json, settings));
				return successItems(json, files, settings, i);
			} catch (error) {
				const itemError = new NodeOperationError(
					context.getNode(),
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
				return [policy.errorOutput(itemError, i, outcomes[i], json)];
			}
		}),
	);
	const hints = runHints(report, refusedDownloads, toolMode);
	const paid = creditsSummary(
		estimates.filter((estimate, i): estimate is JobCredits => !!estimate && accepted(outcomes[i])),
	);
	if (paid)
		hints.push({
			message: `Sivi jobs of this run: ${paid} (estimated from Sivi's published prices)`,
			type: 'info',
			location: 'outputPane',
		});
	// addExecutionHints is missing on older n8n versions.
	if (hints.length && typeof context.addExecutionHints === 'function')
		context.addExecutionHints(...hints);
	return output.flat();
}

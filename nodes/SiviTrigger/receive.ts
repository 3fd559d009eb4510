// One delivery from Sivi. Sivi signs nothing, so a delivery is only a hint: the request must
// carry the URL's secret, and the job is then read again from Sivi with get-request-status
// (paced by the account's scheduler). Only Sivi's own answer is emitted, in the shape Get Status
// outputs, and each job ending starts at most one run.
import {
	sleep,
	type IBinaryKeyData,
	type IDataObject,
	type INodeExecutionData,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { accountFor } from '../Sivi/engine/accounts';
import { PRIORITY } from '../Sivi/engine/requestPacer';
import { downloadImage } from '../Sivi/output/download';
import { anyJobJson, resultImages, type SiviJobJson } from '../Sivi/output/normalize';
import { SiviRequestError } from '../Sivi/shared/siviError';
import { siviRequest } from '../Sivi/shared/transport';
import { parseStatus, type StatusResponse } from '../Sivi/validation/responseSchemas';
import { claim, dedupeKey, wasStarted } from './dedupe';
import {
	SECRET_PARAM,
	eventOf,
	jobKindOf,
	kindSelected,
	readHint,
	readTriggerSettings,
	secretMatches,
	type TriggerSettings,
} from './delivery';
import { asSiviContext } from './registration';

const STATUS_TIMEOUT_MS = 30_000;
const DOWNLOAD_TIMEOUT_MS = 120_000;

/** A delivery that starts nothing: answered 200 with the reason (Sivi does not retry anyway). */
function ignored(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, started: false, reason } };
}

/** Which runs a key belongs to: this workflow's node, production and test runs apart. */
function dedupeScope(context: IWebhookFunctions): string {
	const node = context.getNode();
	const mode = context.getMode() === 'manual' ? 'test' : 'live';
	return `${context.getWorkflow().id ?? ''} ${node.id || node.name} ${mode}`;
}

/** Sivi's current answer for the job: paced with everything else using the key, ahead of polls. */
async function readStatus(context: IWebhookFunctions, requestId: string): Promise<StatusResponse> {
	const sivi = asSiviContext(context);
	const account = await accountFor(sivi);
	const body = await account.request(
		PRIORITY.reread,
		async () =>
			await siviRequest(sivi, {
				method: 'GET',
				path: 'get-request-status',
				queryParams: { requestId },
				timeoutMs: STATUS_TIMEOUT_MS,
			}),
	);
	return parseStatus(body);
}

async function withDownloads(
	context: IWebhookFunctions,
	json: SiviJobJson,
	settings: TriggerSettings,
): Promise<INodeExecutionData> {
	const images = resultImages(json);
	if (!settings.download || json.status !== 'completed' || !images.length) return { json };
	const binary: IBinaryKeyData = {};
	try {
		for (const [index, image] of images.entries()) {
			const key =
				index === 0 ? settings.binaryPropertyName : `${settings.binaryPropertyName}_${index}`;
			binary[key] = await downloadImage(context, image.url, `${json.requestId}-${image.id}`, {
				maxBytes: settings.maxDownloadBytes,
				timeoutMs: DOWNLOAD_TIMEOUT_MS,
			});
		}
	} catch (error) {
		// The job is finished and paid for: the run still starts, with the URLs and the reason.
		return { json: { ...json, downloadError: String((error as Error)?.message ?? error) } };
	}
	return { json, binary };
}

/** What a delivery leads to: a run with these items, or nothing, for this reason. */
type Decision =
	| { start: INodeExecutionData[][]; requestId: string }
	| { start?: undefined; reason: string };

/**
 * Sivi documents no delivery timeout and no retry: a delivery not answered in time may be lost.
 * The job is read again from Sivi (paced with everything else on the key, so it may wait for the
 * plan's window) and images may be downloaded; past this bound the delivery is acknowledged
 * first, and the decision finishes afterwards.
 */
const ANSWER_WITHIN_MS = 500;

/**
 * Deliveries of this process whose decision is under way. While others overlap it, a delivery is
 * acknowledged at once: n8n's work on each run the burst starts would keep the rest waiting.
 */
let deciding = 0;

function answer(context: IWebhookFunctions, body: IDataObject): void {
	const response = context.getResponseObject();
	response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
	response.end(JSON.stringify(body));
}

async function decide(
	context: IWebhookFunctions,
	requestId: string,
	scope: string,
): Promise<Decision> {
	const staticData = context.getWorkflowStaticData('node');
	const settings = readTriggerSettings((name, fallback) =>
		context.getNodeParameter(name, fallback),
	);
	let status: StatusResponse;
	try {
		status = await readStatus(context, requestId);
	} catch (error) {
		if (error instanceof SiviRequestError && error.kind === 'notFound')
			return { reason: 'Sivi does not know this requestId' };
		const message = String((error as Error)?.message ?? error);
		context.logger.warn(`Sivi Trigger: could not check job ${requestId} with Sivi: ${message}`);
		return { reason: `Could not check the job with Sivi: ${message}` };
	}
	if (status.requestId && status.requestId !== requestId)
		return { reason: "Sivi's answer is about another job" };

	const event = eventOf(status.status);
	if (!event) return { reason: 'The job has not finished' };
	if (!settings.events.includes(event)) return { reason: `The "${event}" event is not selected` };
	if (!kindSelected(jobKindOf(status), settings.jobKinds))
		return { reason: 'This kind of job is not selected' };
	if (!claim(scope, staticData, dedupeKey(requestId, event)))
		return { reason: 'A run was already started for this job ending' };

	const json = anyJobJson(status, undefined, requestId);
	return { start: [[await withDownloads(context, json, settings)]], requestId };
}

export async function receiveDelivery(context: IWebhookFunctions): Promise<IWebhookResponseData> {
	const staticData = context.getWorkflowStaticData('node');
	const query = context.getQueryData() as IDataObject;
	if (!secretMatches(query[SECRET_PARAM], staticData.secret)) {
		const response = context.getResponseObject();
		response.writeHead(401, { 'content-type': 'application/json; charset=utf-8' });
		response.end(
			JSON.stringify({ message: 'Unauthorized: this Sivi Trigger URL needs its secret' }),
		);
		return { noWebhookResponse: true };
	}

	const hint = readHint(context.getBodyData());
	const requestId = hint.requestId;
	if (!requestId) return ignored('The delivery names no requestId');
	if (hint.claim === 'running') return ignored('The delivery reports no final state');

	const scope = dedupeScope(context);
	// A final state is final: a repeat of an ending already handled needs no call to Sivi.
	if (hint.claim !== 'unknown' && wasStarted(scope, staticData, dedupeKey(requestId, hint.claim)))
		return ignored('A run was already started for this job ending');

	// Never rejects: once acknowledged, a failure can only be logged.
	const inBurst = deciding++ > 0;
	const decision = decide(context, requestId, scope)
		.catch(
			(error: unknown): Decision => ({
				reason: `Could not handle the delivery: ${String((error as Error)?.message ?? error)}`,
			}),
		)
		.finally(() => deciding--);
	const inTime =
		!inBurst &&
		(await Promise.race([decision.then(() => true), sleep(ANSWER_WITHIN_MS).then(() => false)]));
	if (!inTime) answer(context, { received: true, checking: true, requestId });
	const outcome = await decision;
	if (!outcome.start) {
		if (!inTime) {
			context.logger.debug(
				`Sivi Trigger: the delivery for ${requestId} started nothing: ${outcome.reason}`,
			);
			return { noWebhookResponse: true };
		}
		return ignored(outcome.reason);
	}
	// Answered here, before n8n creates the execution: with many endings at once, n8n's own
	// execution start would otherwise keep Sivi's deliveries waiting for seconds.
	if (inTime) answer(context, { received: true, started: true, requestId });
	return { noWebhookResponse: true, workflowData: outcome.start };
}

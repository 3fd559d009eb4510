// "Wait for Completion" and the Options collection shared by every operation, and how the
// router reads them. Sivi's limits belong to the API key (the credential's plan); the options
// here can only lower this node's share of them.
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { optionsField } from './fields';

export interface RunSettings {
	wait: boolean;
	maxWaitMs: number;
	/** Least time between two status checks of the same job. */
	minPollSpacingMs: number;
	download: boolean;
	binaryPropertyName: string;
	splitIntoItems: boolean;
	maxDownloadBytes: number;
	/** In a tool run: the longest the node waits before answering "processing" with the request ID. */
	toolWaitMs: number;
	/** Only when set: the plan's limits apply anyway. */
	maxInFlight?: number;
	requestsPerMinute?: number;
	/** Check every item and output the request it would send; submit and upload nothing. */
	dryRun: boolean;
	/** Refuse the run before anything is sent when its estimated credits are more. */
	maxCredits?: number;
}

// The UI defaults repeat these numbers as literals (n8n's lint wants literal defaults).
export const RUN_DEFAULTS = {
	maxWait: 600,
	pollInterval: 1,
	maxDownloadSizeMb: 50,
	/** Below the 60 s after which MCP clients (the official SDKs) give up on a tool call. */
	toolWait: 45,
};

const WAIT_DESCRIPTION =
	'Whether to wait until Sivi has finished and return the images. Turn off to return the request ID at once and fetch results later with Get Status (useful for jobs that may run longer than Max Wait).';

export function waitForCompletionField(defaultValue: boolean): INodeProperties {
	return defaultValue
		? {
				displayName: 'Wait for Completion',
				name: 'waitForCompletion',
				type: 'boolean',
				default: true,
				description: WAIT_DESCRIPTION,
			}
		: {
				displayName: 'Wait for Completion',
				name: 'waitForCompletion',
				type: 'boolean',
				default: false,
				description: WAIT_DESCRIPTION,
			};
}

const DOWNLOAD_DESCRIPTION =
	'Whether to download the finished images into the item as binary files (image URLs stay in the JSON either way)';

/** Download options, shared with the Sivi Trigger (each in its place in a sorted collection). */
export function downloadImagesOption(defaultValue: boolean): INodeProperties {
	return defaultValue
		? {
				displayName: 'Download Images',
				name: 'downloadImages',
				type: 'boolean',
				default: true,
				description: DOWNLOAD_DESCRIPTION,
			}
		: {
				displayName: 'Download Images',
				name: 'downloadImages',
				type: 'boolean',
				default: false,
				description: DOWNLOAD_DESCRIPTION,
			};
}

export const MAX_DOWNLOAD_SIZE_OPTION: INodeProperties = {
	displayName: 'Max Download Size (MB)',
	name: 'maxDownloadSizeMb',
	type: 'number',
	default: 50,
	typeOptions: { minValue: 1 },
	description: 'Larger files are refused instead of being loaded into the workflow',
};

export const OUTPUT_FIELD_OPTION: INodeProperties = {
	displayName: 'Put Output File in Field',
	name: 'binaryPropertyName',
	type: 'string',
	default: 'data',
	description:
		'Binary field for downloaded images. With several images per item they go to data, data_1, data_2, ….',
};

/** Run options of a job operation; without `downloadDefault` its jobs give no images to download. */
const SPLIT_INTO_ITEMS_OPTION: INodeProperties = {
	displayName: 'Split Into Items',
	name: 'splitIntoItems',
	type: 'boolean',
	default: false,
	description: 'Whether to output one item per image instead of one item per request',
};

/** Read only when the node runs as a tool (AI agents, the MCP Server Trigger). */
const TOOL_WAIT_OPTION: INodeProperties = {
	displayName: 'Tool Wait (Seconds)',
	name: 'toolWait',
	type: 'number',
	default: 45,
	typeOptions: { minValue: 1 },
	description:
		'Only when an AI agent or MCP client runs this node as a tool: how long it waits for the job before answering with status "processing" and the request ID, which Get Status takes. Keep it below the caller\'s timeout (60 s for most MCP clients).',
};

/** Options of an operation that submits jobs: what a run would send, and what it may cost. */
const DRY_RUN_OPTION: INodeProperties = {
	displayName: 'Dry Run',
	name: 'dryRun',
	type: 'boolean',
	default: false,
	description:
		'Whether to check every item and output the request it would send, with its estimated credits, instead of submitting it. Nothing that creates or costs anything is sent (the default brand and fonts are still looked up).',
};

const MAX_CREDITS_OPTION: INodeProperties = {
	displayName: 'Max Credits per Run',
	name: 'maxCredits',
	type: 'number',
	default: 10,
	typeOptions: { minValue: 0, numberPrecision: 2 },
	description:
		"Refuse the whole run, before anything is sent, when its items' estimated credits add up to more. Estimates come from Sivi's published prices; a price without a maximum (e.g. 2+) counts at its minimum.",
};

/**
 * Run options of a job operation; without `downloadDefault` its jobs give no images to download;
 * `submits`: it submits jobs (Dry Run, Max Credits per Run).
 */
export function runOptionsField(downloadDefault?: boolean, submits = false): INodeProperties {
	const images = downloadDefault !== undefined;
	return optionsField([
		...(images ? [downloadImagesOption(downloadDefault)] : []),
		...(submits ? [DRY_RUN_OPTION, MAX_CREDITS_OPTION] : []),
		...(images ? [MAX_DOWNLOAD_SIZE_OPTION] : []),
		{
			displayName: 'Max Jobs in Flight',
			name: 'maxJobsInFlight',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 1, maxValue: 50 },
			description:
				"At most this many of this node's jobs queued or running in Sivi at once. Can only lower the credential's plan (General: 4 running + 10 queued), which all workflows using the key share.",
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWait',
			type: 'number',
			default: 600,
			typeOptions: { minValue: 1 },
			description:
				'How long to wait for each job. A job still running then ends with its request ID so you can use Get Status later.',
		},
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			default: 1,
			typeOptions: { minValue: 0.5, numberPrecision: 1 },
			description:
				"Least time between two status checks of the same job. Jobs are checked when Sivi's progress says they should be done, within the plan's request rate.",
		},
		...(images ? [OUTPUT_FIELD_OPTION] : []),
		{
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			default: 25,
			typeOptions: { minValue: 1 },
			description:
				"At most this many of this node's calls to Sivi per minute. Can only lower the credential's plan (General: 50 per minute), which all workflows using the key share.",
		},
		...(images ? [SPLIT_INTO_ITEMS_OPTION] : []),
		TOOL_WAIT_OPTION,
	]);
}

function positive(value: unknown, fallback: number): number {
	const number = Number(value);
	return Number.isFinite(number) && number > 0 ? number : fallback;
}

/** Max Credits per Run when set (0 refuses any paid job); an expression's text counts too. */
function budget(value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const number = Number(value);
	return Number.isFinite(number) && number >= 0 ? number : undefined;
}

function whenSet(value: unknown): number | undefined {
	const number = Math.floor(Number(value));
	return Number.isFinite(number) && number > 0 ? number : undefined;
}

/** Wait for Completion of item `itemIndex`: the one run setting read per item. */
export const readWait = (
	context: IExecuteFunctions,
	itemIndex: number,
	defaults: { waitDefault: boolean },
): boolean =>
	context.getNodeParameter('waitForCompletion', itemIndex, defaults.waitDefault) as boolean;

export function readRunSettings(
	context: IExecuteFunctions,
	itemIndex: number,
	defaults: { waitDefault: boolean; downloadDefault?: boolean },
): RunSettings {
	const options = context.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
	const downloadDefault = defaults.downloadDefault ?? false;
	return {
		wait: readWait(context, itemIndex, defaults),
		maxWaitMs: positive(options.maxWait, RUN_DEFAULTS.maxWait) * 1000,
		minPollSpacingMs: positive(options.pollInterval, RUN_DEFAULTS.pollInterval) * 1000,
		download: (options.downloadImages as boolean | undefined) ?? downloadDefault,
		binaryPropertyName: String(options.binaryPropertyName || 'data').trim() || 'data',
		splitIntoItems: options.splitIntoItems === true,
		maxDownloadBytes:
			positive(options.maxDownloadSizeMb, RUN_DEFAULTS.maxDownloadSizeMb) * 1024 * 1024,
		toolWaitMs: positive(options.toolWait, RUN_DEFAULTS.toolWait) * 1000,
		maxInFlight: whenSet(options.maxJobsInFlight),
		requestsPerMinute: whenSet(options.requestsPerMinute),
		dryRun: options.dryRun === true,
		maxCredits: budget(options.maxCredits),
	};
}

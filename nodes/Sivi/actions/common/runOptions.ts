// "Wait for Completion" and the Options collection shared by every operation, and how the
// router reads them. Defaults follow Sivi's General plan (4 jobs running, queue of 10,
// 50 requests per minute).
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { limits } from '../../catalog';

export interface RunSettings {
	wait: boolean;
	maxWaitMs: number;
	pollIntervalMs: number;
	download: boolean;
	binaryPropertyName: string;
	splitIntoItems: boolean;
	maxDownloadBytes: number;
	maxInFlight: number;
	requestsPerMinute: number;
}

const generalPlan = limits.plans.general;

// The UI defaults repeat these numbers as literals (n8n's lint wants literal defaults).
export const RUN_DEFAULTS = {
	maxWait: 600,
	pollInterval: 5,
	maxDownloadSizeMb: 50,
	maxJobsInFlight: generalPlan.queue,
	// Headroom under the plan's limit for other workflows using the same key.
	requestsPerMinute: generalPlan.requestsPerMinute - 5,
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

export function runOptionsField(downloadDefault: boolean): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			downloadDefault
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
					},
			{
				displayName: 'Max Download Size (MB)',
				name: 'maxDownloadSizeMb',
				type: 'number',
				default: 50,
				typeOptions: { minValue: 1 },
				description: 'Larger files are refused instead of being loaded into the workflow',
			},
			{
				displayName: 'Max Jobs in Flight',
				name: 'maxJobsInFlight',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 1, maxValue: 50 },
				description:
					"How many of this node's jobs may be queued or running in Sivi at once. The General plan runs 4 and queues 10.",
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
				default: 5,
				typeOptions: { minValue: 2, numberPrecision: 1 },
				description:
					'Time between status checks of a job. All jobs share the request budget below.',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description:
					'Binary field for downloaded images. With several images per item they go to data, data_1, data_2, ….',
			},
			{
				displayName: 'Requests per Minute',
				name: 'requestsPerMinute',
				type: 'number',
				default: 45,
				typeOptions: { minValue: 1 },
				description:
					"Budget for all of this node's calls to Sivi (submits and status checks). The General plan allows 50 per minute.",
			},
			{
				displayName: 'Split Into Items',
				name: 'splitIntoItems',
				type: 'boolean',
				default: false,
				description: 'Whether to output one item per image instead of one item per request',
			},
		],
	};
}

function positive(value: unknown, fallback: number): number {
	const number = Number(value);
	return Number.isFinite(number) && number > 0 ? number : fallback;
}

export function readRunSettings(
	context: IExecuteFunctions,
	itemIndex: number,
	defaults: { waitDefault: boolean; downloadDefault: boolean },
): RunSettings {
	const options = context.getNodeParameter('options', itemIndex, {}) as Record<string, unknown>;
	const downloadDefault = defaults.downloadDefault;
	return {
		wait: context.getNodeParameter('waitForCompletion', itemIndex, defaults.waitDefault) as boolean,
		maxWaitMs: positive(options.maxWait, RUN_DEFAULTS.maxWait) * 1000,
		pollIntervalMs: positive(options.pollInterval, RUN_DEFAULTS.pollInterval) * 1000,
		download: (options.downloadImages as boolean | undefined) ?? downloadDefault,
		binaryPropertyName: String(options.binaryPropertyName || 'data').trim() || 'data',
		splitIntoItems: options.splitIntoItems === true,
		maxDownloadBytes:
			positive(options.maxDownloadSizeMb, RUN_DEFAULTS.maxDownloadSizeMb) * 1024 * 1024,
		maxInFlight: Math.floor(positive(options.maxJobsInFlight, RUN_DEFAULTS.maxJobsInFlight)),
		requestsPerMinute: Math.floor(
			positive(options.requestsPerMinute, RUN_DEFAULTS.requestsPerMinute),
		),
	};
}

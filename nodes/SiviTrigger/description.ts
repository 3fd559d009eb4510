// The Sivi Trigger's fields.
import type { INodeProperties } from 'n8n-workflow';

import {
	downloadImagesOption,
	MAX_DOWNLOAD_SIZE_OPTION,
	OUTPUT_FIELD_OPTION,
} from '../Sivi/actions/common/runOptions';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			"Beta. Activating this workflow sets the webhook URL of the credential's API key in Sivi and replaces any URL already set on that key: Sivi keeps one per key, so only one active Sivi Trigger per key receives events. Sivi has no way to remove the URL, so deactivating leaves it set.",
		name: 'notice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['completed', 'failed'],
		options: [
			{
				name: 'Completed',
				value: 'completed',
				description: 'A job finished with its results',
			},
			{
				name: 'Failed',
				value: 'failed',
				description: 'A job ended as failed, suspended or with an error',
			},
		],
		description: 'Which job endings start the workflow',
	},
	{
		displayName: 'Job Kinds',
		name: 'jobKinds',
		type: 'multiOptions',
		required: true,
		default: ['brand', 'design', 'font', 'media'],
		options: [
			{ name: 'Brand Extraction', value: 'brand' },
			{ name: 'Designs', value: 'design' },
			{ name: 'Fonts', value: 'font' },
			{ name: 'Media', value: 'media' },
		],
		description:
			"Which kinds of jobs start the workflow. Sivi's answer for a failed job names its kind only for designs, so other failed jobs start it only when all kinds are selected.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [downloadImagesOption(false), MAX_DOWNLOAD_SIZE_OPTION, OUTPUT_FIELD_OPTION],
	},
];

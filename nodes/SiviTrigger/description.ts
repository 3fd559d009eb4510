// The Sivi Trigger's fields.
import type { INodeProperties } from 'n8n-workflow';

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
		options: [
			{
				displayName: 'Download Images',
				name: 'downloadImages',
				type: 'boolean',
				default: false,
				description:
					'Whether to download the finished images into the item as binary files (image URLs stay in the JSON either way)',
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
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				description:
					'Binary field for downloaded images. With several images per item they go to data, data_1, data_2, ….',
			},
		],
	},
];

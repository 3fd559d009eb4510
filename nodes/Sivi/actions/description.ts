// Resource and operation selectors, and every operation's fields shown only for it.
import type { INodeProperties } from 'n8n-workflow';

import { waitForCompletionField, runOptionsField } from './common/runOptions';
import { operations } from './operations';

const resourceField: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: [
		{ name: 'Design', value: 'design' },
		{ name: 'Media', value: 'media' },
		{ name: 'Request', value: 'request' },
	],
	default: 'design',
};

const operationFields: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['design'] } },
		options: [
			{
				name: 'Create From Content',
				value: 'createFromContent',
				action: 'Create designs from content',
				description: 'Turn your text, images and logos into on-brand designs',
			},
			{
				name: 'Create From Prompt',
				value: 'createFromPrompt',
				action: 'Create designs from a prompt',
				description: 'Describe a design and let Sivi write and lay it out',
			},
		],
		default: 'createFromContent',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['media'] } },
		options: [
			{
				name: 'Generate',
				value: 'generate',
				action: 'Generate or enhance an image',
				description: 'Create an image from a prompt, or enhance up to 4 input images',
			},
		],
		default: 'generate',
	},
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['request'] } },
		options: [
			{
				name: 'Get Status',
				value: 'getStatus',
				action: 'Get the status of a request',
				description: 'Check a submitted job and fetch its results; can wait until it finishes',
			},
		],
		default: 'getStatus',
	},
];

function showFor(resource: string, operation: string, property: INodeProperties): INodeProperties {
	const show = {
		...(property.displayOptions?.show ?? {}),
		resource: [resource],
		operation: [operation],
	};
	return { ...property, displayOptions: { ...property.displayOptions, show } };
}

export const nodeProperties: INodeProperties[] = [
	resourceField,
	...operationFields,
	...operations.flatMap((operation) =>
		[
			...operation.properties,
			waitForCompletionField(operation.waitDefault),
			runOptionsField(operation.downloadDefault),
		].map((property) => showFor(operation.resource, operation.operation, property)),
	),
];

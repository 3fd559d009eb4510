// Resource and operation selectors, built from the operations list, and every operation's
// fields shown only for it (n8n's updateDisplayOptions).
import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { runOptionsField, waitForCompletionField } from './common/runOptions';
import { operations } from './operations';

/** Resources in the order n8n lists them, each with the operation a new node starts with. */
const RESOURCES = [
	{ name: 'Brand', value: 'brand', defaultOperation: 'getMany' },
	{ name: 'Design', value: 'design', defaultOperation: 'createFromContent' },
	{ name: 'Font', value: 'font', defaultOperation: 'getMany' },
	{ name: 'Media', value: 'media', defaultOperation: 'generate' },
	{ name: 'Request', value: 'request', defaultOperation: 'getStatus' },
];

const resourceField: INodeProperties = {
	displayName: 'Resource',
	name: 'resource',
	type: 'options',
	noDataExpression: true,
	options: RESOURCES.map(({ name, value }) => ({ name, value })),
	default: 'design',
};

const operationFields: INodeProperties[] = RESOURCES.map(({ value, defaultOperation }) => ({
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: [value] } },
	options: operations
		.filter((operation) => operation.resource === value)
		.sort((a, b) => a.name.localeCompare(b.name))
		.map(({ name, operation, action, description }) => ({
			name,
			value: operation,
			action,
			description,
		})),
	default: defaultOperation,
}));

export const nodeProperties: INodeProperties[] = [
	resourceField,
	...operationFields,
	...operations.flatMap((operation) =>
		updateDisplayOptions(
			{ show: { resource: [operation.resource], operation: [operation.operation] } },
			operation.kind === 'job'
				? [
						...operation.properties,
						waitForCompletionField(operation.waitDefault),
						runOptionsField(operation.downloadDefault),
					]
				: operation.properties,
		),
	),
];

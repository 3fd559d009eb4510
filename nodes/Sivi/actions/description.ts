// Resource and operation selectors, built from the operations list, and every operation's
// fields shown only for it (n8n's updateDisplayOptions). The tool variant (`…Tool`, run by AI
// agents and the MCP Server Trigger) has its own Operation selectors, whose actions describe the
// tool to the model (n8n's automatic tool description).
import { updateDisplayOptions, type INodeProperties } from 'n8n-workflow';

import { runOptionsField, waitForCompletionField } from './common/runOptions';
import { operations } from './operations';
import { toolAction } from './toolDescription';

/** Resources in the order n8n lists them, each with the operation a new node starts with. */
const RESOURCES = [
	{ name: 'Brand', value: 'brand', defaultOperation: 'getMany' },
	{ name: 'Design', value: 'design', defaultOperation: 'createFromContent' },
	{ name: 'End User', value: 'endUser', defaultOperation: 'create' },
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

/**
 * One Operation selector per resource for each node type; the editor shows each its own
 * (`@tool`). The tool variant's comes first: n8n's automatic tool description reads the action
 * of the first `operation` property of the resource and looks at nothing else. The editor's nodes
 * panel lists the actions of the first one whose `@version` is absent or names a number, so the
 * tool selector's version condition (true for every version) keeps the short actions there.
 */
function operationFields(forTool: boolean): INodeProperties[] {
	return RESOURCES.map(({ value, defaultOperation }) => ({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: forTool
			? { show: { resource: [value], '@tool': [true], '@version': [{ _cnd: { gte: 1 } }] } }
			: { show: { resource: [value] }, hide: { '@tool': [true] } },
		options: operations
			.filter((operation) => operation.resource === value)
			.sort((a, b) => a.name.localeCompare(b.name))
			.map((operation) => ({
				name: operation.name,
				value: operation.operation,
				action: forTool ? toolAction(operation) : operation.action,
				description: operation.description,
			})),
		default: defaultOperation,
	}));
}

export const nodeProperties: INodeProperties[] = [
	resourceField,
	...operationFields(true),
	...operationFields(false),
	...operations.flatMap((operation) =>
		updateDisplayOptions(
			{ show: { resource: [operation.resource], operation: [operation.operation] } },
			operation.kind === 'job'
				? [
						...operation.properties,
						waitForCompletionField(operation.waitDefault),
						runOptionsField(operation.downloadDefault, operation.submits),
					]
				: operation.properties,
		),
	),
];

// Field factories for the shapes several operations share, so that each is declared once:
// the Prompt, and the Additional Fields, Filters and Options collections.
import type { INodeProperties } from 'n8n-workflow';

import { bodyField } from '../../shared/bodyFields';

/** The Prompt of a generation (`prompt` in the body); each operation says what it is for. */
export const promptField = (placeholder: string, description: string): INodeProperties =>
	bodyField('prompt', {
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 3 },
		placeholder,
		description,
	});

/** The optional fields of an operation, in n8n's usual Additional Fields collection. */
export const additionalFields = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Additional Fields',
	name: 'additionalFields',
	type: 'collection',
	placeholder: 'Add Field',
	default: {},
	options,
});

/** The options of how an operation runs (not sent to Sivi as they are). */
export const optionsField = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options,
});

/** The filters of a list operation. */
export const filtersField = (options: INodeProperties[]): INodeProperties => ({
	displayName: 'Filters',
	name: 'filters',
	type: 'collection',
	placeholder: 'Add Filter',
	default: {},
	options,
});

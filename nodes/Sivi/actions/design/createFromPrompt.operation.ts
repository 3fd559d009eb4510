// Design → Create from Prompt: POST general/designs-from-prompt.
import type { INodeProperties } from 'n8n-workflow';

import { bodyField } from '../../shared/bodyFields';
import { designsFromPromptSchema } from '../../validation/requestSchemas';
import type { SiviOperation } from '../types';
import {
	assetsField,
	customSizeFields,
	designAdditionalFields,
	designBrandField,
	designModelField,
	designSettingsField,
	designTypeField,
	languageField,
	modeField,
	numOfVariantsField,
	subtypeField,
} from './designFields';

export const properties: INodeProperties[] = [
	bodyField('prompt', {
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 3 },
		placeholder: 'e.g. Autumn coffee promo for a neighbourhood cafe, 2-for-1 lattes on weekdays',
		description: 'Describe the design; Sivi writes the text and picks the layout',
	}),
	designTypeField,
	subtypeField,
	...customSizeFields,
	numOfVariantsField,
	modeField,
	designBrandField,
	designModelField,
	languageField,
	assetsField,
	designSettingsField,
	designAdditionalFields(false),
];

export const createFromPrompt: SiviOperation = {
	resource: 'design',
	operation: 'createFromPrompt',
	kind: 'design',
	submitPath: 'designs-from-prompt',
	properties,
	schema: designsFromPromptSchema,
	waitDefault: true,
	downloadDefault: false,
};

// Design → Create from Prompt: POST general/designs-from-prompt.
import type { INodeProperties } from 'n8n-workflow';

import { designsFromPromptSchemaFor } from '../../validation/requestSchemas';
import { designJson } from '../../output/normalize';
import { submitJob } from '../common/prepare';
import type { JobOperation } from '../types';
import { catalogById } from './catalogIds';
import {
	DESIGN_CATALOG_FIELDS,
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
import { promptField } from '../common/fields';

export const properties: INodeProperties[] = [
	promptField(
		'e.g. Autumn coffee promo for a neighbourhood cafe, 2-for-1 lattes on weekdays',
		'Describe the design; Sivi writes the text and picks the layout',
	),
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

export const createFromPrompt: JobOperation = {
	kind: 'job',
	resource: 'design',
	operation: 'createFromPrompt',
	name: 'Create From Prompt',
	action: 'Create designs from a prompt',
	description: 'Describe a design and let Sivi write and lay it out',
	properties,
	waitDefault: true,
	submits: true,
	downloadDefault: false,
	prepare: (context, itemIndex, wait) =>
		submitJob(context, itemIndex, wait, 'designs-from-prompt', {
			properties,
			schema: designsFromPromptSchemaFor(catalogById(context, DESIGN_CATALOG_FIELDS)),
		}),
	toJson: designJson,
};

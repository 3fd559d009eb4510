// Design → Create from Content: POST general/designs-from-content.
import type { INodeProperties } from 'n8n-workflow';

import { contentBlocks } from '../../catalog';
import { bodyField } from '../../shared/bodyFields';
import { designsFromContentSchema } from '../../validation/requestSchemas';
import { toLines, toText } from '../common/convert';
import { designJson } from '../../output/normalize';
import { submitJob } from '../common/prepare';
import type { JobOperation } from '../types';
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

const PLACEHOLDERS: Record<string, string> = {
	title: 'e.g. Fresh styles for spring',
	offer: 'e.g. Save 25% this week',
	button: 'e.g. Shop now',
	website: 'e.g. example.com',
};

// Title is a field of its own, shown first: n8n sorts collection options alphabetically, which
// would list the headline after Bullet List, Button and Offer.
const TITLE_BLOCK = 'title';

/** A text content block as a field; `content.<block>` in the body. */
const textBlockField = (block: string, extra: Partial<INodeProperties> = {}) =>
	bodyField(
		`content.${block}`,
		{
			displayName: contentBlocks.names[block],
			name: block,
			type: 'string',
			default: '',
			placeholder: PLACEHOLDERS[block],
			description: contentBlocks.descriptions[block],
			...extra,
		},
		toText,
	);

const contentOptions: INodeProperties[] = [
	...contentBlocks.text
		.filter((block) => block !== TITLE_BLOCK)
		.map((block) => textBlockField(block)),
	...contentBlocks.list.map((block) =>
		bodyField(
			`content.${block}`,
			{
				displayName: contentBlocks.names[block],
				name: block,
				type: 'string',
				default: '',
				typeOptions: { rows: 3 },
				description: contentBlocks.descriptions[block],
			},
			toLines,
		),
	),
].sort((a, b) => a.displayName.localeCompare(b.displayName));

export const properties: INodeProperties[] = [
	bodyField('name', {
		displayName: 'Design Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Spring sale banner',
		description: 'Name of the design project in Sivi',
	}),
	designTypeField,
	subtypeField,
	...customSizeFields,
	numOfVariantsField,
	textBlockField(TITLE_BLOCK, { description: 'Main headline of the design' }),
	{
		displayName: 'Content',
		name: 'content',
		type: 'collection',
		placeholder: 'Add Content Block',
		default: {},
		description:
			'More text of the design. Together with Title, at least one of Title, Supertext, Subtext, Text or Caption is needed.',
		options: contentOptions,
	},
	modeField,
	designBrandField,
	designModelField,
	languageField,
	assetsField,
	designSettingsField,
	designAdditionalFields(true),
];

export const createFromContent: JobOperation = {
	kind: 'job',
	resource: 'design',
	operation: 'createFromContent',
	name: 'Create From Content',
	action: 'Create designs from content',
	description: 'Turn your text, images and logos into on-brand designs',
	properties,
	waitDefault: true,
	downloadDefault: false,
	prepare: (context, itemIndex, wait) =>
		submitJob(context, itemIndex, wait, 'designs-from-content', {
			properties,
			schema: designsFromContentSchema,
		}),
	toJson: designJson,
};

// Design → Create from Content: POST general/designs-from-content. Besides the fields' values,
// the body can take content blocks as one object (Content (JSON), e.g. Generate Copy's output),
// binary images and logos of the item (uploaded first, binaryAssets.ts) and three fonts
// (resolved from font/get, fontGroups.ts).
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { contentBlocks } from '../../catalog';
import { bodyField } from '../../shared/bodyFields';
import { contentBlocksFrom, designsFromContentSchemaFor } from '../../validation/requestSchemas';
import { toLines, toText } from '../common/convert';
import { designJson } from '../../output/normalize';
import { refuse, submitJob, type Completed } from '../common/prepare';
import type { JobOperation } from '../types';
import { incomingBinaryAssets, resolveBinaryAssets } from './binaryAssets';
import { catalogById } from './catalogIds';
import { fontsField, resolveFontGroups } from './fontGroups';
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

const CONTENT_JSON_LABEL = 'Content (JSON)';

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
	// Read by complete() below: its blocks are merged under the block fields.
	{
		displayName: CONTENT_JSON_LABEL,
		name: 'contentJson',
		type: 'json',
		default: '',
		description:
			"All content blocks as one object, e.g. a Generate Copy item's content field, mapped with an expression. Title and the Content fields below override its blocks.",
		hint: 'From Generate Copy: {{ $json.content }}',
	},
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
	// Read by binaryAssets.ts: uploaded, then sent as Sivi expects.
	{
		displayName: 'Image Binary Fields',
		name: 'imageBinaryFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. data, photo',
		description:
			'Binary fields of the incoming item to upload to Sivi and place as images (JPG, PNG or WebP), separated by commas. They count towards the 4 assets.',
	},
	{
		displayName: 'Logo Binary Fields',
		name: 'logoBinaryFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. logo',
		description:
			'Binary fields of the incoming item to upload to Sivi and place as logos (JPEG, PNG, SVG or WebP), separated by commas. They count towards the 4 assets.',
	},
	fontsField,
	designSettingsField,
	designAdditionalFields(true),
];

/**
 * Content (JSON), checked by the content rules of the schema (errors name the field and the
 * block), merged under the blocks of Title and Content, which win; the item's binary images and
 * logos and the fonts' names, as incoming. No requests.
 */
function complete(body: IDataObject, context: IExecuteFunctions, itemIndex: number): Completed {
	const raw = context.getNodeParameter('contentJson', itemIndex, '') as unknown;
	const { blocks, problems } = contentBlocksFrom(raw, CONTENT_JSON_LABEL);
	if (problems.length) throw refuse(context, itemIndex, problems);
	const completed = Object.keys(blocks).length
		? { ...body, content: { ...blocks, ...((body.content as IDataObject | undefined) ?? {}) } }
		: body;
	const uploads = incomingBinaryAssets(context, itemIndex);
	const fonts = (completed.settings as IDataObject | undefined)?.fontGroups !== undefined;
	return { body: completed, incoming: { uploads, lookups: fonts ? ['fontGroups'] : undefined } };
}

export const createFromContent: JobOperation = {
	kind: 'job',
	resource: 'design',
	operation: 'createFromContent',
	name: 'Create From Content',
	action: 'Create designs from content',
	description: 'Turn your text, images and logos into on-brand designs',
	properties,
	waitDefault: true,
	submits: true,
	downloadDefault: false,
	prepare(context, itemIndex, wait) {
		const byId = catalogById(context, DESIGN_CATALOG_FIELDS);
		return submitJob(context, itemIndex, wait, 'designs-from-content', {
			properties,
			schema: (incoming) => designsFromContentSchemaFor(byId, incoming),
			complete,
			resolve: async (body, incoming, ctx, i, mode) =>
				await resolveFontGroups(
					await resolveBinaryAssets(body, incoming.uploads, ctx, i, mode),
					ctx,
					i,
				),
		});
	},
	toJson: designJson,
};

// Media → Upload: an image into the media library, from a binary field of the item (presigned
// URL → PUT → POST general/media/create with `uploadUrl`, the path enhancement uses) or from a
// URL (media/create with `url`). Outputs the media record, its mId at the top level.
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { designSettings, labelOf } from '../../catalog';
import { bodyField } from '../../shared/bodyFields';
import {
	MEDIA_TYPES,
	mediaCreateSchema,
	UPLOADABLE_MEDIA_TYPES,
} from '../../validation/mediaLibrarySchemas';
import { abstractUserIdField } from '../common/abstractUser';
import { brandLocator } from '../common/locators';
import { refuse, validBody } from '../common/prepare';
import { createMedia, extensionOf, uploadBinaryFile } from '../common/upload';
import type { CallOperation } from '../types';
import {
	hueRotationsField,
	imagePreferenceField,
	mediaTypeOptions,
	subTypeField,
	touchPositionField,
} from './libraryFields';

/** Stands for the binary field's upload URL until the item's requests run. */
const BINARY_PLACEHOLDER = '\u0000binary:';

const BINARY_FIELD_LABEL = 'Input Data Field Name';

const URL_ONLY_MEDIA_TYPES = MEDIA_TYPES.filter((type) => !UPLOADABLE_MEDIA_TYPES.includes(type));

/** ["photo", "logo", "icon"] → "Photo, Logo or Icon". */
function listOf(types: string[]): string {
	const names = types.map(labelOf);
	return names.length > 1
		? `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`
		: names.join('');
}

export const properties: INodeProperties[] = [
	{
		displayName: 'Source',
		name: 'source',
		type: 'options',
		default: 'binary',
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'A file of the incoming item, e.g. from a form, Drive or an HTTP Request',
			},
			{
				name: 'URL',
				value: 'url',
				description: 'A public image URL; Sivi fetches and stores the image',
			},
		],
		description: 'Where the image comes from',
	},
	bodyField(
		'uploadUrl',
		{
			displayName: BINARY_FIELD_LABEL,
			name: 'binaryPropertyName',
			type: 'string',
			required: true,
			default: 'data',
			placeholder: 'e.g. data',
			hint: 'The name of the input binary field containing the image',
			displayOptions: { show: { source: ['binary'] } },
			description: 'Binary field of the incoming item that holds the image file',
		},
		(name) => `${BINARY_PLACEHOLDER}${String(name)}`,
	),
	bodyField('url', {
		displayName: 'Image URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/logo.png',
		displayOptions: { show: { source: ['url'] } },
		description: 'Public http or https URL of the image',
	}),
	bodyField('type', {
		displayName: 'Type',
		name: 'mediaType',
		type: 'options',
		required: true,
		default: 'photo',
		options: mediaTypeOptions,
		description: `What the image is. From a binary file: ${listOf(UPLOADABLE_MEDIA_TYPES)}; ${listOf(URL_ONLY_MEDIA_TYPES)} only from a URL.`,
	}),
	bodyField(
		'bId',
		brandLocator({
			description: 'Brand the image belongs to. Leave empty for the whole workspace.',
		}),
	),
	imagePreferenceField,
	touchPositionField,
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			abstractUserIdField,
			hueRotationsField,
			subTypeField(
				"Sub type of the image; it must belong to the chosen Type. Leave out for the type's default.",
			),
		],
	},
];

/** The binary field the body's placeholder stands for, if any. */
function binaryNameOf(body: IDataObject): string | undefined {
	const value = body.uploadUrl;
	return typeof value === 'string' && value.startsWith(BINARY_PLACEHOLDER)
		? value.slice(BINARY_PLACEHOLDER.length)
		: undefined;
}

/** The item's binary must exist and be a file Sivi takes for the type. No requests. */
function checkBinary(
	body: IDataObject,
	context: IExecuteFunctions,
	itemIndex: number,
): IDataObject {
	const name = binaryNameOf(body);
	if (name === undefined) {
		if (context.getNodeParameter('source', itemIndex, 'binary') === 'binary')
			throw refuse(context, itemIndex, [`${BINARY_FIELD_LABEL} is required`]);
		return body;
	}
	const type = String(body.type);
	const item = context.getInputData()[itemIndex];
	if (!item?.binary?.[name]) {
		throw new NodeOperationError(
			context.getNode(),
			`${BINARY_FIELD_LABEL}: the item has no binary field "${name}"`,
			{
				itemIndex,
				description: `Binary fields on this item: ${Object.keys(item?.binary ?? {}).join(', ') || 'none'}. Nothing was sent to Sivi for this item.`,
			},
		);
	}
	const allowed = designSettings.mediaTypes[type]?.extensions;
	if (!allowed) return body; // an unknown type: the schema names it
	if (!UPLOADABLE_MEDIA_TYPES.includes(type)) {
		throw refuse(context, itemIndex, [
			`Type ${labelOf(type)} can only be added from a URL: Sivi's file uploads take ${listOf(UPLOADABLE_MEDIA_TYPES)} images`,
		]);
	}
	const binary = context.helpers.assertBinaryData(itemIndex, name);
	const extension = extensionOf(binary.mimeType, binary.fileName);
	if (!allowed.includes(extension)) {
		const what = [binary.mimeType, binary.fileName].filter(Boolean).join(', ') || 'of unknown type';
		throw refuse(context, itemIndex, [
			`${BINARY_FIELD_LABEL}: "${name}" is ${what}; Sivi accepts ${allowed.join(', ')} files for Type ${labelOf(type)}`,
		]);
	}
	return body;
}

export const uploadMedia: CallOperation<IDataObject> = {
	kind: 'call',
	resource: 'media',
	operation: 'upload',
	name: 'Upload',
	action: 'Upload an image to the media library',
	description: 'Add an image from a binary field or a URL to the media library, giving its mId',
	properties,
	prepare: (context, itemIndex) =>
		validBody(context, itemIndex, { properties, schema: mediaCreateSchema, complete: checkBinary }),
	async execute(context, body, itemIndex) {
		const name = binaryNameOf(body);
		if (name === undefined) return await createMedia(context, itemIndex, body);
		const uploadUrl = await uploadBinaryFile(context, itemIndex, name, {
			type: String(body.type),
			bId: body.bId as string | undefined,
			abstractUserId: body.abstractUserId as string | undefined,
		});
		return await createMedia(context, itemIndex, { ...body, uploadUrl }, name);
	},
};

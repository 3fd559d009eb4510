// Media → Upload: an image into the media library, from a binary field of the item (presigned
// URL → PUT → POST general/media/create with `uploadUrl`, the path enhancement uses) or from a
// URL (media/create with `url`). Outputs the media record, its mId at the top level.
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { designSettings, labelOf } from '../../catalog';
import { bodyField, filledByResolve } from '../../shared/bodyFields';
import {
	MEDIA_TYPES,
	mediaCreateSchemaFor,
	UPLOADABLE_MEDIA_TYPES,
} from '../../validation/mediaLibrarySchemas';
import { abstractUserIdField } from '../common/abstractUser';
import { brandLocator } from '../common/locators';
import type { Incoming } from '../../validation/requestSchemas';
import {
	prepareBody,
	refuse,
	resolveBody,
	type BodyRecipe,
	type Completed,
	type PreparedBody,
} from '../common/prepare';
import { createMedia, missingBinary, uploadFile, wrongFileType } from '../common/upload';
import type { CallOperation } from '../types';
import {
	hueRotationsField,
	imagePreferenceField,
	mediaTypeOptions,
	subTypeField,
	touchPositionField,
} from './libraryFields';
import { additionalFields } from '../common/fields';

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
		filledByResolve,
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
	additionalFields([
		abstractUserIdField,
		hueRotationsField,
		subTypeField(
			"Sub type of the image; it must belong to the chosen Type. Leave out for the type's default.",
		),
	]),
];

/** The item's binary must exist and be a file Sivi takes for the type. No requests. */
function checkBinary(body: IDataObject, context: IExecuteFunctions, itemIndex: number): Completed {
	if (context.getNodeParameter('source', itemIndex, 'binary') !== 'binary') return { body };
	const name = String(context.getNodeParameter('binaryPropertyName', itemIndex, '') ?? '').trim();
	if (!name) throw refuse(context, itemIndex, [`${BINARY_FIELD_LABEL} is required`]);
	const type = String(body.type);
	const missing = missingBinary(context, itemIndex, BINARY_FIELD_LABEL, name);
	if (missing) throw refuse(context, itemIndex, [missing]);
	const incoming: Incoming = { uploads: { uploadUrl: [name] } };
	const allowed = designSettings.mediaTypes[type]?.extensions;
	if (!allowed) return { body, incoming }; // an unknown type: the schema names it
	if (!UPLOADABLE_MEDIA_TYPES.includes(type)) {
		throw refuse(context, itemIndex, [
			`Type ${labelOf(type)} can only be added from a URL: Sivi's file uploads take ${listOf(UPLOADABLE_MEDIA_TYPES)} images`,
		]);
	}
	const wrong = wrongFileType(
		context,
		itemIndex,
		BINARY_FIELD_LABEL,
		name,
		allowed,
		`Sivi accepts ${allowed.join(', ')} files for Type ${labelOf(type)}`,
	);
	if (wrong) throw refuse(context, itemIndex, [wrong]);
	return { body, incoming };
}

const recipe: BodyRecipe = {
	properties,
	schema: mediaCreateSchemaFor,
	complete: checkBinary,
	// The file goes to a presigned URL; media/create then takes that URL.
	resolve: async (body, incoming, context, itemIndex) => {
		const [name] = incoming.uploads?.uploadUrl ?? [];
		if (name === undefined) return body;
		const uploadUrl = await uploadFile(context, itemIndex, name, {
			type: String(body.type),
			bId: body.bId as string | undefined,
			abstractUserId: body.abstractUserId as string | undefined,
		});
		return { ...body, uploadUrl };
	},
};

export const uploadMedia: CallOperation<PreparedBody> = {
	kind: 'call',
	resource: 'media',
	operation: 'upload',
	name: 'Upload',
	action: 'Upload an image to the media library',
	description: 'Add an image from a binary field or a URL to the media library, giving its mId',
	properties,
	prepare: (context, itemIndex) => prepareBody(context, itemIndex, recipe),
	async execute(context, prepared, itemIndex) {
		const body = await resolveBody(context, itemIndex, recipe, prepared);
		return await createMedia(context, itemIndex, body, prepared.incoming?.uploads?.uploadUrl?.[0]);
	},
};

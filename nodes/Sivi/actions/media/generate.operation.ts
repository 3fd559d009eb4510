// Media → Generate: POST general/media/generate. Generation from a prompt, or enhancement of
// up to 4 input images (Sivi media IDs, image URLs, binary files of the item).
import type { INodeProperties } from 'n8n-workflow';

import { imageModels, limits } from '../../catalog';
import { bodyField, plainValue } from '../../shared/bodyFields';
import { mediaGenerateSchemaFor } from '../../validation/requestSchemas';
import { abstractUserIdField } from '../common/abstractUser';
import { brandLocator, mediaLocator } from '../common/locators';
import { listOf, toSize } from '../common/convert';
import { mediaJson } from '../../output/normalize';
import { submitJob } from '../common/prepare';
import type { JobOperation } from '../types';
import { catalogById } from '../design/catalogIds';
import { completeMediaBody, resolveMediaBody } from './mediaInputs';
import { additionalFields, promptField } from '../common/fields';

const modelOptions = imageModels.map((model) => ({
	name: `${model.name} (${model.credits} credits per image)`,
	value: model.value,
	description: [
		model.canGenerate ? 'Generates' : '',
		model.canEnhance ? 'enhances input images' : 'cannot enhance input images',
		model.premium ? 'premium (needs a subscription)' : '',
	]
		.filter(Boolean)
		.join(', '),
}));

const enhancingModels = imageModels
	.filter((model) => model.canEnhance)
	.map((model) => model.name)
	.join(', ');

export const properties: INodeProperties[] = [
	promptField(
		'e.g. Flat-lay of a ceramic mug on linen, soft morning light',
		'What to generate, or how to change the input images',
	),
	bodyField('model', {
		displayName: 'Model',
		name: 'model',
		type: 'options',
		required: true,
		default: 'auto',
		options: modelOptions,
		description:
			'Image model. Credits per image differ a lot; only some models can enhance input images. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a> (e.g. one Sivi added after this node version).',
	}),
	{
		displayName: `Enhancing input images needs a model that can enhance: ${enhancingModels}`,
		name: 'enhanceNotice',
		type: 'notice',
		default: '',
	},
	bodyField(
		'dimensions',
		{
			displayName: 'Size Name or ID',
			name: 'dimensions',
			type: 'options',
			required: true,
			default: '1024x1024',
			typeOptions: { loadOptionsMethod: 'getImageSizes', loadOptionsDependsOn: ['model'] },
			description:
				'Width × height in pixels, among the sizes the chosen model supports (as an ID: 1344x768). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		toSize,
	),
	bodyField(
		'bId',
		brandLocator({
			description:
				"Brand whose style guides the image. Leave empty to use the workspace's default brand.",
		}),
	),
	bodyField(
		'siviAssets',
		{
			displayName: 'Sivi Media',
			name: 'siviMedia',
			type: 'fixedCollection',
			placeholder: 'Add Sivi Media',
			default: {},
			typeOptions: { multipleValues: true },
			description: `Images already in your Sivi workspace to enhance. Together with Image URLs and Input Binary Fields at most ${limits.maxAssets}.`,
			options: [
				{
					displayName: 'Media',
					name: 'media',
					values: [mediaLocator()],
				},
			],
		},
		(value) =>
			((value as { media?: Array<{ mediaId?: unknown }> }).media ?? [])
				.map((entry) => plainValue(entry.mediaId))
				.filter((mId) => typeof mId === 'string' && mId !== '')
				.map((mId) => ({ mId })),
	),
	bodyField(
		'assets.photo',
		{
			displayName: 'Image URLs',
			name: 'imageUrls',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://example.com/product.jpg',
			description: 'Public image URLs to enhance, separated by commas',
		},
		(value) => listOf(value, (url) => ({ url })),
	),
	{
		displayName: 'Input Binary Fields',
		name: 'binaryInputFields',
		type: 'string',
		default: '',
		placeholder: 'e.g. data, photo',
		description:
			'Binary fields of the incoming item to upload to Sivi and enhance (e.g. a photo from a form or Drive), separated by commas',
	},
	additionalFields([
		abstractUserIdField,
		bodyField('negativePrompt', {
			displayName: 'Negative Prompt',
			name: 'negativePrompt',
			type: 'string',
			default: '',
			placeholder: 'e.g. text, watermark',
			description: 'What the image should not contain',
		}),
	]),
];

export const generateMedia: JobOperation = {
	kind: 'job',
	resource: 'media',
	operation: 'generate',
	name: 'Generate',
	action: 'Generate or enhance an image',
	description: 'Create an image from a prompt, or enhance up to 4 input images',
	properties,
	waitDefault: true,
	submits: true,
	downloadDefault: true,
	prepare(context, itemIndex, wait) {
		const byId = catalogById(context, { model: 'model', dimensions: 'dimensions' });
		return submitJob(context, itemIndex, wait, 'media/generate', {
			properties,
			schema: (incoming) => mediaGenerateSchemaFor(byId, incoming),
			complete: completeMediaBody,
			resolve: resolveMediaBody,
		});
	},
	toJson: mediaJson,
};

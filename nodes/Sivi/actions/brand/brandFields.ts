// Fields the brand operations share, each with its place in the brand/* request body.
import type { INodeProperties } from 'n8n-workflow';

import { brandCatalog, imageModels } from '../../catalog';
import { bodyField } from '../../shared/bodyFields';
import { endUserOnlyFields } from '../common/abstractUser';
import { toList } from '../common/convert';
import { brandLocator } from '../common/locators';

/** What Sivi does to the previous default brand when a brand is created (Create Brand page). */
export const CREATE_ARCHIVES_DEFAULT =
	'The new brand becomes the workspace’s default brand, and Sivi archives the previous default brand (it disappears from Get Many; it is not deleted).';

/** The brand an operation acts on (bId). */
export const brandIdField = (description: string): INodeProperties =>
	bodyField('bId', brandLocator({ required: true, description }));

export const brandNameField = (required: boolean): INodeProperties =>
	bodyField('brandName', {
		displayName: 'Brand Name',
		name: 'brandName',
		type: 'string',
		...(required ? { required } : {}),
		default: '',
		placeholder: 'e.g. Sivi',
		description: 'Name of the brand',
	});

export const brandDescriptionField = (required: boolean): INodeProperties =>
	bodyField('brandDescription', {
		displayName: 'Brand Description',
		name: 'brandDescription',
		type: 'string',
		...(required ? { required } : {}),
		default: '',
		typeOptions: { rows: 2 },
		placeholder: 'e.g. AI design generator for brands',
		description: 'What the brand does, or its tagline',
	});

/** The website of the brand (Create, Update) or to extract a brand from (Extract). */
export const websiteField = (description: string, required = false): INodeProperties =>
	bodyField('brandUrl', {
		displayName: 'Website URL',
		name: 'brandUrl',
		type: 'string',
		...(required ? { required } : {}),
		default: '',
		placeholder: 'e.g. https://sivi.ai',
		description,
	});

/** Optional identity fields of brand/create and brand/update, sorted by name for the UI. */
export const identityOptions: INodeProperties[] = [
	bodyField(
		'brandPersona.audience',
		{
			displayName: 'Audience',
			name: 'audience',
			type: 'string',
			default: '',
			placeholder: 'e.g. working moms, small business owners',
			description: 'Who the brand speaks to, separated by commas',
		},
		toList,
	),
	bodyField(
		'brandColors',
		{
			displayName: 'Colors',
			name: 'palette',
			type: 'string',
			default: '',
			placeholder: 'e.g. #5662EC, #EF9AB2',
			description: 'Brand colors as hex codes, separated by commas',
		},
		toList,
	),
	bodyField(
		'brandPersona.designTags',
		{
			displayName: 'Design Tags',
			name: 'designTags',
			type: 'string',
			default: '',
			placeholder: 'e.g. minimal, productivity',
			description: 'Words that describe the look of the brand, separated by commas',
		},
		toList,
	),
	bodyField('brandPersona.emotions', {
		displayName: 'Emotions',
		name: 'emotions',
		type: 'multiOptions',
		default: [],
		options: brandCatalog.emotions
			.map(({ name, value }) => ({ name, value }))
			.sort((a, b) => a.name.localeCompare(b.name)),
		description: 'The feeling the designs should evoke',
	}),
	bodyField(
		'brandFonts',
		{
			displayName: 'Fonts',
			name: 'brandFonts',
			type: 'string',
			default: '',
			placeholder: 'e.g. Poppins, Inter',
			description: 'Brand fonts, separated by commas',
		},
		toList,
	),
	bodyField('brandPersona.industry', {
		displayName: 'Industry',
		name: 'industry',
		type: 'options',
		default: 'technology',
		options: brandCatalog.industries.map(({ name, value }) => ({ name, value })),
		description: 'The business sector; Sivi follows its design conventions',
	}),
	bodyField('brandLogo', {
		displayName: 'Logo URL',
		name: 'brandLogo',
		type: 'string',
		default: '',
		placeholder: 'e.g. https://sivi.ai/sivi-logo.png',
		description: 'Public URL of the logo image',
	}),
	websiteField('Website of the brand'),
];

/** Image and text model preferences of brand/update. */
export const modelPreferenceOptions: INodeProperties[] = [
	bodyField('imageGenPreference.model', {
		displayName: 'Image Model',
		name: 'imageModel',
		type: 'options',
		default: 'auto',
		options: imageModels
			.map((model) => ({
				name: model.name,
				value: model.value,
				description: `${model.credits} credits per image${model.premium ? ', premium (needs a subscription)' : ''}`,
			}))
			.sort((a, b) => a.name.localeCompare(b.name)),
		description:
			'Image model Sivi uses for this brand. To use a model that is not listed yet, set its ID with an expression (e.g. nano-banana-pro:1k).',
	}),
	bodyField('textGenPreference.model', {
		displayName: 'Text Model',
		name: 'textModel',
		type: 'string',
		default: '',
		placeholder: 'e.g. auto',
		description: `ID of the text model Sivi uses for this brand's copy. Sivi lists: ${brandCatalog.textModels
			.map((model) => `${model.value}${model.premium ? ' (premium)' : ''}`)
			.join(', ')}.`,
	}),
];

/** Additional Fields holding only the End-User ID (Super and Enterprise keys). */
export { endUserOnlyFields };

/** Sorted by display name, as n8n lists collection options. */
export const byDisplayName = (properties: INodeProperties[]): INodeProperties[] =>
	[...properties].sort((a, b) => a.displayName.localeCompare(b.displayName));

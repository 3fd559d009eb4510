// Fields shared by Designs from Content and Designs from Prompt.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import {
	CUSTOM_DESIGN_TYPE,
	designModels,
	designSettings,
	designTypes,
	labelOf,
	languages,
	limits,
} from '../../catalog';
import { bodyField } from '../../shared/bodyFields';
import { abstractUserIdField } from '../common/abstractUser';
import { brandLocator } from '../common/locators';
import { toLines, toList, toNumber } from '../common/convert';
import { additionalFields } from '../common/fields';

/** Catalog fields of the design operations, by their parameter names (see catalogIds.ts). */
export const DESIGN_CATALOG_FIELDS = {
	type: 'designType',
	subtype: 'subtype',
	language: 'language',
	designModel: 'designModel',
} as const;

const enumOptions = (values: string[]) => values.map((value) => ({ name: labelOf(value), value }));

export const designTypeField = bodyField('type', {
	displayName: 'Design Type',
	name: 'designType',
	type: 'options',
	required: true,
	default: 'instagram',
	options: designTypes.map((type) => ({ name: type.name, value: type.value })),
	description:
		'Platform or format of the design. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a> (e.g. one Sivi added after this node version).',
});

export const subtypeField = bodyField('subtype', {
	displayName: 'Size Name or ID',
	name: 'subtype',
	type: 'options',
	required: true,
	default: 'instagram-post',
	typeOptions: { loadOptionsMethod: 'getDesignSubtypes', loadOptionsDependsOn: ['designType'] },
	description:
		'Format within the design type, with its size in pixels. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
});

const customSize = (axis: 'width' | 'height') =>
	bodyField(
		`dimension.${axis}`,
		{
			displayName: axis === 'width' ? 'Width (Px)' : 'Height (Px)',
			name: axis === 'width' ? 'customWidth' : 'customHeight',
			type: 'number',
			required: true,
			default: 1080,
			typeOptions: { minValue: limits.customDimension.min, maxValue: limits.customDimension.max },
			displayOptions: { show: { designType: [CUSTOM_DESIGN_TYPE] } },
			description: `Custom ${axis} between ${limits.customDimension.min} and ${limits.customDimension.max} pixels`,
		},
		toNumber,
	);

export const numOfVariantsField = bodyField(
	'numOfVariants',
	{
		displayName: 'Number of Variants',
		name: 'numOfVariants',
		type: 'number',
		required: true,
		default: 1,
		typeOptions: { minValue: limits.numOfVariants.min, maxValue: limits.numOfVariants.max },
		description: 'How many different designs to create (1–4); each costs credits',
	},
	toNumber,
);

const imagePreference = (value: unknown): boolean | null =>
	value === 'yes' ? true : value === 'no' ? false : null;
const autoYesNo = [
	{ name: 'Auto', value: 'auto' },
	{ name: 'Yes', value: 'yes' },
	{ name: 'No', value: 'no' },
];

/** fixedCollection { images: [...], logos: [...], … } → Sivi's assets object. */
function toAssets(value: unknown): unknown {
	const input = value as Record<string, IDataObject[] | undefined>;
	const assets: IDataObject = {};
	if (input.images?.length) {
		assets.images = input.images.map((image) => {
			const crop = imagePreference(image.crop);
			const removeBg = imagePreference(image.removeBg);
			return crop === null && removeBg === null
				? { url: image.url }
				: { url: image.url, imagePreference: { crop, removeBg } };
		});
	}
	if (input.logos?.length) {
		assets.logos = input.logos.map((logo) => {
			const styles = toList(logo.logoStyles) as string[];
			return Array.isArray(styles) && styles.length
				? { url: logo.url, logoStyles: styles }
				: { url: logo.url };
		});
	}
	for (const key of ['icons', 'inspiration']) {
		if (input[key]?.length) assets[key] = input[key]!.map((asset) => ({ url: asset.url }));
	}
	return assets;
}

const urlField = (description: string): INodeProperties => ({
	displayName: 'URL',
	name: 'url',
	type: 'string',
	default: '',
	placeholder: 'e.g. https://example.com/image.png',
	description,
});

export const assetsField = bodyField(
	'assets',
	{
		displayName: 'Assets',
		name: 'assets',
		type: 'fixedCollection',
		placeholder: 'Add Asset',
		default: {},
		typeOptions: { multipleValues: true },
		description: `Images, logos and icons to place in the design (public URLs, at most ${limits.maxAssets} in total)`,
		options: [
			{
				displayName: 'Image',
				name: 'images',
				values: [
					urlField('Public URL of a product or background image'),
					{
						displayName: 'Crop',
						name: 'crop',
						type: 'options',
						default: 'auto',
						options: autoYesNo,
						description: 'Whether Sivi may crop the image',
					},
					{
						displayName: 'Remove Background',
						name: 'removeBg',
						type: 'options',
						default: 'auto',
						options: autoYesNo,
						description: 'Whether Sivi should remove the image background',
					},
				],
			},
			{
				displayName: 'Logo',
				name: 'logos',
				values: [
					urlField('Public URL of the logo'),
					{
						displayName: 'Logo Styles',
						name: 'logoStyles',
						type: 'multiOptions',
						default: ['direct', 'outline'],
						options: enumOptions(designSettings.logoStyles),
						description: 'How the logo may be rendered: as-is, neutral colors, colorful or outline',
					},
				],
			},
			{ displayName: 'Icon', name: 'icons', values: [urlField('Public URL of an icon')] },
			{
				displayName: 'Inspiration',
				name: 'inspiration',
				values: [
					urlField('Public URL of a design whose style to follow; it is not placed in the design'),
				],
			},
		],
	},
	toAssets,
);

export const languageField = bodyField('language', {
	displayName: 'Language',
	name: 'language',
	type: 'options',
	default: 'english',
	options: languages.map((language) => ({ name: labelOf(language), value: language })),
	description:
		'Language of the text in the design. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a> (e.g. one Sivi added after this node version).',
});

export const modeField = bodyField('settings.mode', {
	displayName: 'Design Mode',
	name: 'designMode',
	type: 'options',
	default: 'auto',
	options: [
		{ name: 'Auto', value: 'auto', description: 'Sivi picks colors, fonts and style' },
		{ name: 'Brand', value: 'brand', description: "Use a brand's colors, fonts and logos" },
		{
			name: 'Custom',
			value: 'custom',
			description: 'Use the colors and styles set under Design Settings',
		},
	],
	description: 'Where the look of the design comes from',
});

export const designBrandField = bodyField(
	'settings.currentbId',
	brandLocator({
		required: true,
		displayOptions: { show: { designMode: ['brand'] } },
		description: 'Brand whose colors, fonts and logos to use',
	}),
);

export const designModelField = bodyField('settings.designModel', {
	displayName: 'Design Model',
	name: 'designModel',
	type: 'options',
	default: 'auto',
	options: designModels.map((model) => ({
		name: `${model.name} (${model.credits} credits per design)`,
		value: model.value,
	})),
	description:
		'Sivi design model; credits per design differ by model. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a> (e.g. one Sivi added after this node version).',
});

const styleOption = (key: keyof typeof designSettings, displayName: string, description: string) =>
	bodyField(`settings.${key}`, {
		displayName,
		name: key,
		type: 'multiOptions',
		default: [],
		options: enumOptions(designSettings[key] as string[]),
		description,
	});

export const designSettingsField: INodeProperties = {
	displayName: 'Design Settings',
	name: 'designSettings',
	type: 'collection',
	placeholder: 'Add Setting',
	default: {},
	description: 'Style choices, used mainly with Design Mode Custom',
	options: [
		styleOption('backdropStyle', 'Backdrop Style', 'Background treatment of the design'),
		bodyField(
			'settings.colors',
			{
				displayName: 'Custom Colors',
				name: 'customPalette',
				type: 'string',
				default: '',
				placeholder: 'e.g. #1E88E5, #FFC107',
				description: 'Colors for Custom mode, hex, separated by commas',
			},
			toList,
		),
		styleOption('focus', 'Focus', 'Whether the design leads with text or image'),
		styleOption('frameStyle', 'Frame Style', 'Frame around the content'),
		styleOption('imageStyle', 'Image Style', 'How images are placed'),
		styleOption('theme', 'Theme', 'Light, dark or colorful look'),
	],
};

export const designAdditionalFields = (withInstructions: boolean): INodeProperties =>
	additionalFields([
		bodyField(
			'colors',
			{
				displayName: 'Colors',
				name: 'palette',
				type: 'string',
				default: '',
				placeholder: 'e.g. #FF5733, rgba(0, 0, 0, 0.8)',
				description: 'Colors to use, hex or rgba, separated by commas',
			},
			toList,
		),
		...(withInstructions
			? [
					bodyField(
						'designInstructions',
						{
							displayName: 'Design Instructions',
							name: 'designInstructions',
							type: 'string',
							default: '',
							typeOptions: { rows: 3 },
							placeholder: 'e.g. Keep the product large and centered',
							description: 'Guidance for the Sivi design agent, one instruction per line',
						},
						toLines,
					),
				]
			: []),
		abstractUserIdField,
		bodyField(
			'outputFormat',
			{
				displayName: 'Output Format',
				name: 'outputFormat',
				type: 'options',
				default: 'jpg',
				options: limits.outputFormats.map((format) => ({
					name: format.toUpperCase(),
					value: format,
				})),
				description: 'File format of the designs (Sivi renders JPG today)',
			},
			(value) => [value],
		),
	]);

export const customSizeFields = [customSize('width'), customSize('height')];

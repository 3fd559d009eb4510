// Fields the media library operations (Get Many, Upload, Update, Delete) share: media types and
// sub types from the catalog, image preferences, touch position and hue rotations.
import type { INodeProperties } from 'n8n-workflow';

import { designSettings, labelOf } from '../../catalog';
import { bodyField } from '../../shared/bodyFields';
import { toList, toNumber } from '../common/convert';
import { mediaLocator } from '../common/locators';
import { MEDIA_TYPES } from '../../validation/mediaLibrarySchemas';

/** What Sivi says a media type is for (Sivi's Media Types page). */
const TYPE_DESCRIPTIONS: Record<string, string> = {
	backdrop: 'Background images, patterns and textures',
	icon: 'Icons',
	illustration: 'Illustrations',
	inspiration: 'Designs used as a style reference only, never placed in a design',
	logo: 'Brand logos',
	photo: 'Photographs, e.g. product shots',
	screenshot: 'Screenshots shown in a device frame',
};

/** Names of sub types whose plain title case reads wrong. */
const SUB_TYPE_NAMES: Record<string, string> = {
	backgroundImage: 'Background Image',
	imac: 'iMac',
	ipad: 'iPad',
	iphone: 'iPhone',
	macbook: 'MacBook',
};

export const mediaTypeOptions = MEDIA_TYPES.map((type) => ({
	name: labelOf(type),
	value: type,
	description: `${TYPE_DESCRIPTIONS[type] ?? labelOf(type)}. Files: ${designSettings.mediaTypes[type].extensions.join(', ')}.`,
})).sort((a, b) => a.name.localeCompare(b.name));

/** Every sub type, named with its type ("Screenshot: iPhone"); the value is Sivi's subType. */
export const subTypeOptions = MEDIA_TYPES.flatMap((type) =>
	designSettings.mediaTypes[type].subTypes.map((subType, index) => ({
		name: `${labelOf(type)}: ${SUB_TYPE_NAMES[subType] ?? labelOf(subType)}`,
		value: subType,
		description: index === 0 ? `The default sub type of ${labelOf(type)}` : undefined,
	})),
).sort((a, b) => a.name.localeCompare(b.name));

export function subTypeField(description: string): INodeProperties {
	return bodyField('subType', {
		displayName: 'Sub Type',
		name: 'subType',
		type: 'options',
		default: 'photograph',
		options: subTypeOptions,
		description,
	});
}

/** The media record to change: required, an mId picked from the list or typed/mapped. */
export function requiredMediaLocator(
	path: string,
	description: string,
	toBody?: (value: unknown) => unknown,
) {
	return bodyField(path, { ...mediaLocator(), required: true, description }, toBody);
}

export const imagePreferenceField: INodeProperties = {
	displayName: 'Image Preferences',
	name: 'imagePreference',
	type: 'collection',
	placeholder: 'Add Preference',
	default: {},
	description: 'How Sivi may treat the image when it places it in a design',
	options: [
		bodyField('imagePreference.crop', {
			displayName: 'Crop',
			name: 'crop',
			type: 'boolean',
			default: true,
			description: 'Whether Sivi may crop the image to fit a layout',
		}),
		bodyField('imagePreference.enhancement', {
			displayName: 'Enhance',
			name: 'enhancement',
			type: 'boolean',
			default: true,
			description: 'Whether Sivi may enhance the image',
		}),
		bodyField('imagePreference.removeBg', {
			displayName: 'Remove Background',
			name: 'removeBg',
			type: 'boolean',
			default: true,
			description: 'Whether Sivi may remove the background and use the cut-out subject',
		}),
	],
};

const TOUCH_EDGES: Array<{ key: string; name: string }> = [
	{ key: 'bottom', name: 'Bottom' },
	{ key: 'center', name: 'Center' },
	{ key: 'left', name: 'Left' },
	{ key: 'right', name: 'Right' },
	{ key: 'top', name: 'Top' },
];

export const touchPositionField: INodeProperties = {
	displayName: 'Touch Position',
	name: 'touchPosition',
	type: 'collection',
	placeholder: 'Add Position',
	default: {},
	description: 'Touch position flags Sivi uses when it places the image in a design',
	options: TOUCH_EDGES.map(({ key, name }) =>
		bodyField(`touchPosition.${key}`, {
			displayName: name,
			name: key,
			type: 'boolean',
			default: true,
			description:
				key === 'center'
					? 'Whether the image should be centered when Sivi places it in a design'
					: `Whether the image should touch the ${key} edge when Sivi places it in a design`,
		}),
	),
};

/** "0, 90, 180" → [0, 90, 180]; entries that are not numbers stay for validation to refuse. */
function toNumbers(value: unknown): unknown {
	const list = toList(value);
	return Array.isArray(list) ? list.map(toNumber) : list;
}

export const hueRotationsField = bodyField(
	'hueRotations',
	{
		displayName: 'Hue Rotations',
		name: 'hueRotations',
		type: 'string',
		default: '',
		placeholder: 'e.g. 0, 90, 180',
		description: 'Hue rotation values Sivi may apply to recolor the image, separated by commas',
	},
	toNumbers,
);

// Media → Update: POST general/media/update. Changes an image's touch position, image
// preferences or hue rotations (Sivi merges touch position and preferences into what the image
// has). Outputs the updated media record.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { mediaUpdateSchema } from '../../validation/mediaLibrarySchemas';
import { abstractUserIdField } from '../common/abstractUser';
import { refuse, validBody } from '../common/prepare';
import { pacedRequest } from '../../engine/accounts';
import type { CallOperation } from '../types';
import {
	hueRotationsField,
	imagePreferenceField,
	requiredMediaLocator,
	touchPositionField,
} from './libraryFields';
import { additionalFields } from '../common/fields';

export const properties: INodeProperties[] = [
	requiredMediaLocator(
		'mId',
		'The image of your Sivi media library to change, by its media ID (mId)',
	),
	imagePreferenceField,
	touchPositionField,
	additionalFields([abstractUserIdField, hueRotationsField]),
];

/** What an update can change; an update without any of them is refused. */
const CHANGES = ['touchPosition', 'imagePreference', 'hueRotations'];

export const updateMedia: CallOperation<IDataObject> = {
	kind: 'call',
	resource: 'media',
	operation: 'update',
	name: 'Update',
	action: 'Update a media record',
	description: "Change an image's preferences, touch position or hue rotations",
	properties,
	prepare(context, itemIndex) {
		const body = validBody(context, itemIndex, { properties, schema: mediaUpdateSchema });
		if (!CHANGES.some((key) => body[key] !== undefined)) {
			throw refuse(context, itemIndex, [
				'Nothing to update: set Image Preferences, Touch Position or Hue Rotations',
			]);
		}
		return body;
	},
	async execute(context, body) {
		const answer = await pacedRequest(context, { method: 'POST', path: 'media/update', body });
		return (answer.media as IDataObject | undefined) ?? answer;
	},
};

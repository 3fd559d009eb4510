// Fields the End User operations share (Super and Enterprise keys), each with its place in the
// super/* request body.
import type { INodeProperties } from 'n8n-workflow';

import { bodyField, bodyPathOf } from '../../shared/bodyFields';
import {
	brandDescriptionField,
	brandNameField,
	byDisplayName,
	identityOptions,
} from '../brand/brandFields';

/** The end user an operation acts on (Sivi's abstractUserId), required. */
export const endUserIdField = (description: string): INodeProperties =>
	bodyField('abstractUserId', {
		displayName: 'End-User ID',
		name: 'abstractUserId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. customer-4711',
		description,
	});

/** A brand field moved under `brand.` (login-user's brand); its converter comes along. */
const underBrand = (field: INodeProperties): INodeProperties =>
	bodyField(`brand.${bodyPathOf(field)}`, field);

/** The optional brand of a new end user: brand/create's fields, sent as `brand`. */
export const endUserBrandField: INodeProperties = {
	displayName: 'Brand',
	name: 'brand',
	type: 'collection',
	placeholder: 'Add Brand Field',
	default: {},
	description:
		'A brand for the end user’s workspace, as Brand → Create makes one. If you set any brand field, set Brand Name and Brand Description too.',
	options: byDisplayName([
		brandNameField(false),
		brandDescriptionField(false),
		...identityOptions,
	]).map(underBrand),
};

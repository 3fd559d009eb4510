// Media → Get Many: POST general/media/get, Return All / Limit over Sivi's cursor. One output
// item per media record (deleted media are not listed; Sivi lists only USER media).
import type { INodeProperties } from 'n8n-workflow';

import { bodyField } from '../../shared/bodyFields';
import { LIST_ENDPOINTS } from '../../shared/listEndpoints';
import { mediaGetSchema } from '../../validation/mediaLibrarySchemas';
import { abstractUserIdField } from '../common/abstractUser';
import { brandLocator } from '../common/locators';
import { listFields, listOperation, type ListRequest } from '../common/pagedList';
import type { CallOperation } from '../types';
import { mediaTypeOptions, subTypeField } from './libraryFields';
import { additionalFields, filtersField } from '../common/fields';

export const properties: INodeProperties[] = [
	...listFields(),
	filtersField([
		bodyField('bId', brandLocator({ description: 'Only media of this brand' })),
		bodyField('type', {
			displayName: 'Media Type',
			name: 'mediaType',
			type: 'options',
			default: 'photo',
			options: mediaTypeOptions,
			description: 'Only media of this type',
		}),
		subTypeField('Only media of this sub type; it must belong to the chosen Media Type'),
	]),
	additionalFields([
		abstractUserIdField,
		bodyField('sort', {
			displayName: 'Sort',
			name: 'sort',
			type: 'options',
			default: 'DESC',
			options: [
				{ name: 'Newest First', value: 'DESC' },
				{ name: 'Oldest First', value: 'ASC' },
			],
			description: 'Order by creation time',
		}),
	]),
];

export const getManyMedia: CallOperation<ListRequest> = {
	kind: 'call',
	resource: 'media',
	operation: 'getMany',
	name: 'Get Many',
	action: 'Get many media',
	description: 'List the images of the media library, one item per media record',
	properties,
	...listOperation(LIST_ENDPOINTS.media, { properties, schema: mediaGetSchema }),
};

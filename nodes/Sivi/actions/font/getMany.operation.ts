// Font → Get Many: POST general/font/get, Return All / Limit over Sivi's cursor. One output item
// per font.
import type { INodeProperties } from 'n8n-workflow';

import { fonts, labelOf } from '../../catalog';
import { bodyField } from '../../shared/bodyFields';
import { LIST_ENDPOINTS } from '../../shared/listEndpoints';
import { fontGetSchema } from '../../validation/fontSchemas';
import { endUserOnlyFields } from '../common/abstractUser';
import { listFields, listOperation, type ListRequest } from '../common/pagedList';
import type { CallOperation } from '../types';
import { filtersField } from '../common/fields';

const SOURCE_NAMES: Record<string, { name: string; description: string }> = {
	system: { name: 'Google Fonts', description: 'Fonts Sivi offers to everyone' },
	user: { name: 'Uploaded', description: 'Fonts uploaded to this workspace' },
};

export const properties: INodeProperties[] = [
	...listFields(),
	filtersField([
		bodyField('classification', {
			displayName: 'Classification',
			name: 'classification',
			type: 'multiOptions',
			default: [],
			options: fonts.classifications
				.map((value) => ({ name: labelOf(value), value }))
				.sort((a, b) => a.name.localeCompare(b.name)),
			description: 'Only fonts of these classifications',
		}),
		bodyField('name', {
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			placeholder: 'e.g. Roboto',
			description: 'Only fonts whose name contains this text',
		}),
		bodyField('source', {
			displayName: 'Source',
			name: 'source',
			type: 'options',
			default: 'system',
			options: fonts.sources
				.map((value) => ({
					value,
					...(SOURCE_NAMES[value] ?? { name: labelOf(value), description: '' }),
				}))
				.sort((a, b) => a.name.localeCompare(b.name)),
			description: 'Google fonts or the fonts uploaded to this workspace',
		}),
	]),
	endUserOnlyFields,
];

export const getManyFonts: CallOperation<ListRequest> = {
	kind: 'call',
	resource: 'font',
	operation: 'getMany',
	name: 'Get Many',
	action: 'Get many fonts',
	description: 'List Google fonts and uploaded fonts, one item per font',
	properties,
	...listOperation(LIST_ENDPOINTS.fonts, { properties, schema: fontGetSchema }),
};

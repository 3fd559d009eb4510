import type { INodeProperties } from 'n8n-workflow';

/** Brand picker: searchable list from brand/get, or an ID typed or mapped by expression. */
export function brandLocator(overrides: Partial<INodeProperties>): INodeProperties {
	return {
		displayName: 'Brand',
		name: 'brandId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchBrands', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. b_s87vFxpfM0R',
			},
		],
		...overrides,
	};
}

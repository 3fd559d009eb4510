import type { INodeProperties } from 'n8n-workflow';

/** A Sivi object picker: a searchable list (listSearch method) or an ID typed or mapped by expression. */
function siviLocator(
	displayName: string,
	name: string,
	searchListMethod: string,
	idPlaceholder: string,
	overrides: Partial<INodeProperties> = {},
): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod, searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: idPlaceholder },
		],
		...overrides,
	};
}

/** Brand from brand/get. */
export function brandLocator(overrides: Partial<INodeProperties>): INodeProperties {
	return siviLocator('Brand', 'brandId', 'searchBrands', 'e.g. b_s87vFxpfM0R', overrides);
}

/** Workspace media from media/get. */
export function mediaLocator(): INodeProperties {
	return siviLocator('Media', 'mediaId', 'searchMedia', 'e.g. w_abc123----photo_001.jpeg', {
		description: 'An image of your Sivi media library, by its media ID (mId)',
	});
}

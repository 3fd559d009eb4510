import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { nodeProperties } from './actions/description';
import { router } from './actions/router';
import { getDesignSubtypes, getImageSizes } from './methods/loadOptions';
import { searchBrands, searchFonts, searchMedia } from './methods/listSearch';

export class Sivi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sivi',
		name: 'sivi',
		icon: { light: 'file:../../icons/sivi.svg', dark: 'file:../../icons/sivi.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Create on-brand designs and AI images with Sivi',
		defaults: { name: 'Sivi' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'siviApi', required: true }],
		properties: nodeProperties,
	};

	methods = {
		loadOptions: { getImageSizes, getDesignSubtypes },
		listSearch: { searchBrands, searchFonts, searchMedia },
	};

	async execute(this: IExecuteFunctions) {
		return await router.call(this);
	}
}

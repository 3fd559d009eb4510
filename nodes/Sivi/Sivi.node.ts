import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { nodeProperties, toolProperties } from './actions/description';
import { router } from './actions/router';
import { getDesignSubtypes, getImageSizes } from './methods/loadOptions';
import { searchBrands, searchFonts, searchMedia } from './methods/listSearch';

/**
 * The tool variant describes each operation to the model and has Tool Wait. n8n (1.x and 2.x)
 * spreads `replacements` over the whole description when it builds `…Tool`; its type names only
 * the base fields, hence the cast.
 */
const TOOL_REPLACEMENTS = { properties: toolProperties } as unknown as Exclude<
	INodeTypeDescription['usableAsTool'],
	boolean | undefined
>['replacements'];

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
		usableAsTool: { replacements: TOOL_REPLACEMENTS },
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

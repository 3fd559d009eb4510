// Design → Generate Copy: POST general/content-from-prompt (immediate). Sivi writes content
// suggestions for a design format; each becomes one output item whose `content` holds the
// content blocks, so Create From Content takes it whole in its Content (JSON) field:
// {{ $json.content }}.
import { NodeOperationError, type IDataObject, type INodeProperties } from 'n8n-workflow';

import { contentBlocks } from '../../catalog';
import { pacedRequest } from '../../engine/accounts';
import { creditsJson, jobCredits } from '../../output/credits';
import { contentFromPromptSchemaFor } from '../../validation/requestSchemas';
import { endUserOnlyFields } from '../common/abstractUser';
import { validBody } from '../common/prepare';
import type { CallOperation } from '../types';
import { catalogById } from './catalogIds';
import { customSizeFields, designTypeField, languageField, subtypeField } from './designFields';
import { promptField } from '../common/fields';

export const properties: INodeProperties[] = [
	promptField(
		'e.g. Summer campaign for my t-shirt shop, 20% off everything',
		'What the design is about; Sivi writes headline, offer, bullet points and more',
	),
	designTypeField,
	subtypeField,
	...customSizeFields,
	languageField,
	endUserOnlyFields,
];

const KNOWN_BLOCKS = new Set([...contentBlocks.text, ...contentBlocks.list]);

/**
 * The suggestions of Sivi's answer. The docs show `{ contentSuggestions, assetSuggestions }`
 * without saying where the envelope puts it; Sivi's explorer reads `body.content`,
 * `body.result.content` or `body.result.contentSuggestions` (REFERENCE §3.3, §11.10). A list
 * holds several suggestions; a single object is one.
 */
function suggestionsOf(answer: IDataObject): { suggestions: IDataObject[]; assets: unknown } {
	const result = (answer.result ?? undefined) as IDataObject | undefined;
	const candidates = [
		{ at: answer, key: 'contentSuggestions' },
		{ at: result, key: 'contentSuggestions' },
		{ at: answer, key: 'content' },
		{ at: result, key: 'content' },
	];
	for (const { at, key } of candidates) {
		const value = at?.[key];
		if (value === undefined || value === null || typeof value !== 'object') continue;
		const list = (Array.isArray(value) ? value : [value]).filter(
			(entry): entry is IDataObject =>
				typeof entry === 'object' && entry !== null && !Array.isArray(entry),
		);
		return { suggestions: list, assets: at?.assetSuggestions ?? answer.assetSuggestions };
	}
	return { suggestions: [], assets: undefined };
}

/** One suggestion as an item: its content blocks, and any block this node does not know apart. */
function suggestionJson(
	suggestion: IDataObject,
	index: number,
	count: number,
	body: IDataObject,
	assets: unknown,
): IDataObject {
	const content: IDataObject = {};
	const otherContent: IDataObject = {};
	for (const [key, value] of Object.entries(suggestion)) {
		if (KNOWN_BLOCKS.has(key)) content[key] = value;
		else otherContent[key] = value;
	}
	const json: IDataObject = {
		content,
		suggestionIndex: index,
		suggestionCount: count,
		prompt: body.prompt,
		type: body.type,
		subtype: body.subtype,
	};
	// Blocks Create From Content does not take (Sivi's skills mention quote, hashtag, …).
	if (Object.keys(otherContent).length) json.otherContent = otherContent;
	if (assets !== undefined && assets !== null) json.assetSuggestions = assets as IDataObject;
	return json;
}

export const generateCopy: CallOperation<IDataObject> = {
	kind: 'call',
	resource: 'design',
	operation: 'generateCopy',
	name: 'Generate Copy',
	action: 'Generate copy for a design',
	description: 'Let Sivi write content blocks for a design format, one item per suggestion',
	properties,
	prepare: (context, itemIndex) =>
		validBody(context, itemIndex, {
			properties,
			schema: contentFromPromptSchemaFor(
				catalogById(context, { type: 'designType', subtype: 'subtype', language: 'language' }),
			),
		}),
	async execute(context, body, itemIndex) {
		const answer = await pacedRequest(context, {
			method: 'POST',
			path: 'content-from-prompt',
			body,
		});
		const { suggestions, assets } = suggestionsOf(answer);
		if (!suggestions.length) {
			throw new NodeOperationError(context.getNode(), 'Sivi answered without content suggestions', {
				itemIndex,
				description: `Sivi's answer: ${JSON.stringify(answer).slice(0, 500)}`,
			});
		}
		// One request for all suggestions; Sivi publishes no price for it.
		const credits = creditsJson(jobCredits('content-from-prompt', body)!);
		return suggestions.map((suggestion, index) => ({
			...suggestionJson(suggestion, index, suggestions.length, body, assets),
			credits,
		}));
	},
};

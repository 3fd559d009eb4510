// Create From Content → Fonts: one font each for heading, subheading and body text, picked from
// Sivi's fonts (font/get). Sivi's fontGroups entry needs the font's name and who added it
// (`addedBy`: system = Google fonts, user = uploaded; REFERENCE §7.8), which a picker does not
// carry and font/get cannot look up by ID. So the fields give the ID (and the list's name as a
// hint), the schema checks that all three are there, and resolve() looks each font up
// (common/lookups.ts findFont: font/get by its name first, then page by page per source) just
// before the submit; the body as sent is checked with the name and source in it.
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { bodyField, plainValue } from '../../shared/bodyFields';
import { resolving } from '../../shared/itemErrors';
import { FONT_GROUP_TYPES } from '../../validation/requestSchemas';
import { endUserOf } from '../common/abstractUser';
import { findFont } from '../common/lookups';

type FontType = (typeof FONT_GROUP_TYPES)[number];

/** The three pickers: parameter name, UI label, Sivi's font type, what the font is used for. */
const FONT_FIELDS: Array<{ parameter: string; label: string; type: FontType; role: string }> = [
	{ parameter: 'headingFont', label: 'Heading Font', type: 'heading', role: 'headlines' },
	{
		parameter: 'subHeadingFont',
		label: 'Subheading Font',
		type: 'subHeading',
		role: 'subheadings',
	},
	{ parameter: 'bodyFont', label: 'Body Font', type: 'body', role: 'body text' },
];

const labelOf = (type: unknown) =>
	FONT_FIELDS.find((field) => field.type === type)?.label ?? 'Font';

function fontLocator(field: (typeof FONT_FIELDS)[number]): INodeProperties {
	return {
		displayName: field.label,
		name: field.parameter,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description: `Font for ${field.role}`,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchFonts', searchable: true },
			},
			{ displayName: 'By ID', name: 'id', type: 'string', placeholder: 'e.g. cr9HpZiN7XA' },
		],
	};
}

/** The three pickers → fontGroups entries (id, type, status; the list's name as a hint). */
function toFontGroups(value: unknown): unknown {
	const group = ((value as IDataObject | undefined)?.fonts ?? {}) as IDataObject;
	const entries: IDataObject[] = [];
	for (const field of FONT_FIELDS) {
		const raw = group[field.parameter];
		const plain = plainValue(raw);
		const id = typeof plain === 'number' ? String(plain) : plain;
		if (typeof id !== 'string' || id === '') continue;
		const entry: IDataObject = { id, type: field.type, status: 'enabled' };
		const hint = (raw as IDataObject | undefined)?.cachedResultName;
		if (typeof hint === 'string' && hint.trim()) entry.name = hint.trim();
		entries.push(entry);
	}
	return entries.length ? entries : undefined;
}

export const fontsField = bodyField(
	'settings.fontGroups',
	{
		displayName: 'Fonts',
		name: 'fonts',
		type: 'fixedCollection',
		placeholder: 'Add Fonts',
		default: {},
		description:
			'Fonts for headlines, subheadings and body text, from your Sivi fonts (all three or none). Sivi uses them with Design Mode Custom.',
		options: [{ displayName: 'Fonts', name: 'fonts', values: FONT_FIELDS.map(fontLocator) }],
	},
	toFontGroups,
);

/** Turns the item's fontGroups into Sivi's entries { id, name, type, status, addedBy }. */
export async function resolveFontGroups(
	body: IDataObject,
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject> {
	const settings = body.settings as IDataObject | undefined;
	const groups = settings?.fontGroups as IDataObject[] | undefined;
	if (!groups?.length) return body;
	const abstractUserId = endUserOf(body);
	const resolved: IDataObject[] = [];
	for (const group of groups) {
		const id = String(group.id);
		const hint = typeof group.name === 'string' ? group.name : undefined;
		const font = await resolving(
			'look up the fonts',
			async () => await findFont(context, id, hint, abstractUserId),
		);
		if (!font) {
			throw new NodeOperationError(
				context.getNode(),
				`${labelOf(group.type)}: Sivi has no font with ID "${id}"`,
				{
					itemIndex,
					description: 'Choose the font from the list, or check its ID with Font → Get Many.',
				},
			);
		}
		resolved.push({
			id,
			name: font.name,
			type: group.type,
			status: group.status ?? 'enabled',
			addedBy: font.addedBy,
		});
	}
	return { ...body, settings: { ...settings, fontGroups: resolved } };
}

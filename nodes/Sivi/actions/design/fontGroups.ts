// Create From Content → Fonts: one font each for heading, subheading and body text, picked from
// Sivi's fonts (font/get). Sivi's fontGroups entry needs the font's name and who added it
// (`addedBy`: system = Google fonts, user = uploaded; REFERENCE §7.8), which a picker does not
// carry and font/get cannot look up by ID. So the fields give the ID (and the list's name as a
// hint), the schema checks that all three are there, and resolve() looks each font up in
// font/get (by its name first, then page by page per source) just before the submit.
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';

import { accountFor, pacedRequest } from '../../engine/accounts';
import type { AccountScheduler } from '../../engine/accountScheduler';
import { bodyField, plainValue } from '../../shared/bodyFields';
import { FONT_GROUP_TYPES } from '../../validation/requestSchemas';

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

interface FoundFont {
	name: string;
	addedBy: 'system' | 'user';
}

const SOURCES = ['user', 'system'] as const;
const PAGE_SIZE = 100;
// Pages per source searched for an ID not found by name: a wrong ID must not eat the plan's
// requests per minute (Sivi has no font/get by ID).
const MAX_PAGES = 5;
const FONT_TTL_MS = 10 * 60_000;
const MISSING_TTL_MS = 60_000;

/** Fonts found per account (and end user), for a while: items of a run share their fonts. */
const found = new WeakMap<
	AccountScheduler,
	Map<string, { font: FoundFont | undefined; until: number }>
>();

async function searchFont(
	context: IExecuteFunctions,
	id: string,
	filter: IDataObject,
): Promise<IDataObject | undefined> {
	let cursor: unknown;
	for (let page = 0; page < MAX_PAGES; page++) {
		const answer = await pacedRequest(context, {
			method: 'POST',
			path: 'font/get',
			body: { ...filter, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) },
		});
		const fonts = (answer.data as IDataObject[] | undefined) ?? [];
		const font = fonts.find((entry) => String(entry.id) === id);
		if (font) return font;
		cursor = (answer.meta as IDataObject | undefined)?.cursor;
		if (!cursor || !fonts.length) return undefined;
	}
	return undefined;
}

/** The font's name and source: by its listed name first, then every font of each source. */
async function lookUpFont(
	context: IExecuteFunctions,
	id: string,
	nameHint: string | undefined,
	owner: IDataObject,
): Promise<FoundFont | undefined> {
	const searches: Array<{ source: FoundFont['addedBy']; name?: string }> = [
		...(nameHint ? SOURCES.map((source) => ({ source, name: nameHint })) : []),
		...SOURCES.map((source) => ({ source })),
	];
	for (const search of searches) {
		const font = await searchFont(context, id, { ...search, ...owner });
		if (font) return { name: String(font.name ?? nameHint ?? id), addedBy: search.source };
	}
	return undefined;
}

/** Turns the item's fontGroups into Sivi's entries { id, name, type, status, addedBy }. */
export async function resolveFontGroups(
	body: IDataObject,
	context: IExecuteFunctions,
	itemIndex: number,
): Promise<IDataObject> {
	const settings = body.settings as IDataObject | undefined;
	const groups = settings?.fontGroups as IDataObject[] | undefined;
	if (!groups?.length) return body;
	const owner: IDataObject =
		typeof body.abstractUserId === 'string' && body.abstractUserId
			? { abstractUserId: body.abstractUserId }
			: {};
	const account = await accountFor(context);
	let cache = found.get(account);
	if (!cache) found.set(account, (cache = new Map()));
	const resolved: IDataObject[] = [];
	for (const group of groups) {
		const id = String(group.id);
		const key = `${String(owner.abstractUserId ?? '')}\u0000${id}`;
		const hit = cache.get(key);
		let font = hit && hit.until > Date.now() ? hit.font : undefined;
		if (!font) {
			// An ID found missing a moment ago is not searched again for every item.
			if (!hit || hit.until <= Date.now()) {
				font = await lookUpFont(
					context,
					id,
					typeof group.name === 'string' ? group.name : undefined,
					owner,
				);
				if (!font) cache.set(key, { font: undefined, until: Date.now() + MISSING_TTL_MS });
			}
			if (!font) {
				throw new NodeOperationError(
					context.getNode(),
					`${labelOf(group.type)}: Sivi has no font with ID "${id}"`,
					{
						itemIndex,
						description:
							'Choose the font from the list, or check its ID with Font → Get Many. Nothing was submitted for this item.',
					},
				);
			}
			cache.set(key, { font, until: Date.now() + FONT_TTL_MS });
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

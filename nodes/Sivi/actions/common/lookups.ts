// What a job needs from Sivi's lists before its submit: a font's name and source (Create From
// Content → Fonts) and the default brand (Generate Media without a brand). Each is cached per
// account and end user with the account's remember(): the items of a run share one lookup.
// Request errors (SiviRequestError) are the caller's to word.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { accountFor } from '../../engine/accounts';
import { LIST_ENDPOINTS } from '../../shared/listEndpoints';
import { fetchList } from './pagedList';

export interface FoundFont {
	name: string;
	addedBy: 'system' | 'user';
}

const FONT_SOURCES = ['user', 'system'] as const;
// Pages per source searched for an ID not found by name: a wrong ID must not eat the plan's
// requests per minute (Sivi has no font/get by ID).
const MAX_FONT_PAGES = 5;
const FONT_TTL_MS = 10 * 60_000;
// An ID found missing a moment ago is not searched again for every item.
const MISSING_FONT_TTL_MS = 60_000;
const DEFAULT_BRAND_TTL_MS = 5 * 60_000;

const ALL = { returnAll: true, limit: Infinity };

/**
 * The font's name and source, or undefined when Sivi has no font with this ID: by its listed
 * name first (uploaded, then Google fonts), then every font of each source.
 */
export async function findFont(
	context: IExecuteFunctions,
	id: string,
	nameHint: string | undefined,
	abstractUserId: string | undefined,
): Promise<FoundFont | undefined> {
	const owner: IDataObject = abstractUserId ? { abstractUserId } : {};
	const searches: Array<{ source: FoundFont['addedBy']; name?: string }> = [
		...(nameHint ? FONT_SOURCES.map((source) => ({ source, name: nameHint })) : []),
		...FONT_SOURCES.map((source) => ({ source })),
	];
	const account = await accountFor(context);
	return await account.remember<FoundFont | undefined>(
		`font:${abstractUserId ?? ''}\u0000${id}`,
		(font) => (font ? FONT_TTL_MS : MISSING_FONT_TTL_MS),
		async () => {
			for (const search of searches) {
				const { match } = await fetchList(
					context,
					LIST_ENDPOINTS.fonts,
					{ ...search, ...owner },
					ALL,
					{ until: (font) => String(font.id) === id, maxPages: MAX_FONT_PAGES },
				);
				if (match) return { name: String(match.name ?? nameHint ?? id), addedBy: search.source };
			}
			return undefined;
		},
	);
}

/** The ID of the default brand of the account (or of the end user), '' when there is none. */
export async function defaultBrandId(
	context: IExecuteFunctions,
	abstractUserId: string | undefined,
): Promise<string> {
	const account = await accountFor(context);
	// An end user's default brand is theirs, not the account's: one cache entry per end user.
	const key = abstractUserId ? `default-brand:user:${abstractUserId}` : 'default-brand';
	return await account.remember(key, DEFAULT_BRAND_TTL_MS, async () => {
		const { records } = await fetchList(
			context,
			LIST_ENDPOINTS.brands,
			{ isDefault: true, ...(abstractUserId ? { abstractUserId } : {}) },
			{ returnAll: false, limit: 1 },
			{ maxPages: 1 },
		);
		const id = records[0]?.bId;
		return typeof id === 'string' ? id : '';
	});
}

// Searchable lists backed by Sivi: brands (brand/get), workspace media (media/get) and fonts
// (font/get), paginated with Sivi's cursor.
import {
	NodeApiError,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
	type JsonObject,
} from 'n8n-workflow';

import { SiviRequestError } from '../shared/siviError';
import { siviRequest } from '../shared/transport';

const PAGE_SIZE = 50;

async function listPage(
	context: ILoadOptionsFunctions,
	path: string,
	body: IDataObject,
): Promise<IDataObject> {
	try {
		return await siviRequest(context, { method: 'POST', path, body, timeoutMs: 30_000 });
	} catch (error) {
		const failure = error as SiviRequestError;
		throw new NodeApiError(context.getNode(), { message: failure.message } as JsonObject, {
			message:
				failure.kind === 'auth'
					? 'Sivi rejected the API key'
					: `Could not load the list from Sivi: ${failure.message}`,
			description:
				failure.kind === 'auth'
					? 'Check the API key in the Sivi API credential.'
					: 'You can still enter an ID instead.',
			httpCode: failure.httpCode ? String(failure.httpCode) : undefined,
		});
	}
}

function matches(filter: string | undefined, ...texts: unknown[]): boolean {
	if (!filter) return true;
	const needle = filter.toLowerCase();
	return texts.some((text) => typeof text === 'string' && text.toLowerCase().includes(needle));
}

export async function searchBrands(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const body: IDataObject = { limit: PAGE_SIZE };
	if (paginationToken) body.cursor = paginationToken;
	const page = await listPage(this, 'brand/get', body);
	const brands = (page.brands as IDataObject[] | undefined) ?? [];
	return {
		results: brands
			.filter((brand) => matches(filter, brand.brandName, brand.bId))
			.map((brand) => ({
				name: `${String(brand.brandName ?? 'Unnamed brand')} (${String(brand.bId)})`,
				value: String(brand.bId),
				url: brand.brandUrl ? String(brand.brandUrl) : undefined,
			})),
		paginationToken: typeof page.cursor === 'string' && page.cursor ? page.cursor : undefined,
	};
}

export async function searchMedia(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	// Generate enhances photos only; Media → Update and Delete take any image of the library.
	const photosOnly = this.getCurrentNodeParameter('operation') === 'generate';
	const body: IDataObject = {
		limit: PAGE_SIZE,
		sort: 'DESC',
		...(photosOnly ? { type: 'photo' } : {}),
	};
	if (paginationToken) body.cursor = paginationToken;
	const page = await listPage(this, 'media/get', body);
	const media = (page.media as IDataObject[] | undefined) ?? [];
	return {
		results: media
			.filter((entry) => matches(filter, entry.mId, entry.url))
			.map((entry) => ({
				name: String(entry.mId),
				value: String(entry.mId),
				...(photosOnly ? {} : { description: String(entry.type ?? '') }),
			})),
		paginationToken: typeof page.cursor === 'string' && page.cursor ? page.cursor : undefined,
	};
}

/** Fonts of font/get, Google fonts and uploaded ones; Sivi filters by name (partial match). */
export async function searchFonts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const body: IDataObject = { limit: 100 };
	if (filter?.trim()) body.name = filter.trim();
	if (paginationToken) body.cursor = paginationToken;
	const page = await listPage(this, 'font/get', body);
	const fonts = (page.data as IDataObject[] | undefined) ?? [];
	const cursor = (page.meta as IDataObject | undefined)?.cursor;
	return {
		// The name alone: n8n keeps it with the choice, and Create From Content looks the font up by it.
		results: fonts.map((font) => ({
			name: String(font.name ?? font.id),
			value: String(font.id),
			description: font.classification ? String(font.classification) : undefined,
		})),
		paginationToken: typeof cursor === 'string' && cursor && fonts.length ? cursor : undefined,
	};
}

// Searchable lists backed by Sivi: brands (brand/get), workspace media (media/get) and fonts
// (font/get), one page of shared/listEndpoints.ts per call, paginated with Sivi's cursor.
import {
	NodeApiError,
	type IDataObject,
	type ILoadOptionsFunctions,
	type INodeListSearchResult,
	type JsonObject,
} from 'n8n-workflow';

import { LIST_ENDPOINTS, type ListEndpoint } from '../shared/listEndpoints';
import { SiviRequestError } from '../shared/siviError';
import { siviRequest } from '../shared/transport';

/** One page of `endpoint` after `paginationToken`, as large as Sivi allows. */
async function listPage(
	context: ILoadOptionsFunctions,
	endpoint: ListEndpoint,
	filters: IDataObject,
	paginationToken: string | undefined,
): Promise<{ records: IDataObject[]; cursor: unknown }> {
	const body: IDataObject = {
		limit: endpoint.pageSize,
		...filters,
		...(paginationToken ? { cursor: paginationToken } : {}),
	};
	let answer: IDataObject;
	try {
		answer = await siviRequest(context, {
			method: endpoint.method,
			path: endpoint.path,
			body,
			timeoutMs: 30_000,
		});
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
	return { records: endpoint.records(answer, body), cursor: endpoint.cursor(answer) };
}

const tokenOf = (cursor: unknown) => (typeof cursor === 'string' && cursor ? cursor : undefined);

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
	const { records: brands, cursor } = await listPage(
		this,
		LIST_ENDPOINTS.brands,
		{},
		paginationToken,
	);
	return {
		results: brands
			.filter((brand) => matches(filter, brand.brandName, brand.bId))
			.map((brand) => ({
				name: `${String(brand.brandName ?? 'Unnamed brand')} (${String(brand.bId)})`,
				value: String(brand.bId),
				url: brand.brandUrl ? String(brand.brandUrl) : undefined,
			})),
		paginationToken: tokenOf(cursor),
	};
}

export async function searchMedia(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	// Generate enhances photos only; Media → Update and Delete take any image of the library.
	const photosOnly = this.getCurrentNodeParameter('operation') === 'generate';
	const { records: media, cursor } = await listPage(
		this,
		LIST_ENDPOINTS.media,
		{ sort: 'DESC', ...(photosOnly ? { type: 'photo' } : {}) },
		paginationToken,
	);
	return {
		results: media
			.filter((entry) => matches(filter, entry.mId, entry.url))
			.map((entry) => ({
				name: String(entry.mId),
				value: String(entry.mId),
				...(photosOnly ? {} : { description: String(entry.type ?? '') }),
			})),
		paginationToken: tokenOf(cursor),
	};
}

/** Fonts of font/get, Google fonts and uploaded ones; Sivi filters by name (partial match). */
export async function searchFonts(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { records: fonts, cursor } = await listPage(
		this,
		LIST_ENDPOINTS.fonts,
		filter?.trim() ? { name: filter.trim() } : {},
		paginationToken,
	);
	return {
		// The name alone: n8n keeps it with the choice, and Create From Content looks the font up by it.
		results: fonts.map((font) => ({
			name: String(font.name ?? font.id),
			value: String(font.id),
			description: font.classification ? String(font.classification) : undefined,
		})),
		paginationToken: fonts.length ? tokenOf(cursor) : undefined,
	};
}

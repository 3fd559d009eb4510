// TEMPORARY (replaced by the issue-17-lists branch's lookups.ts at merge).
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { accountFor, pacedRequest } from '../../engine/accounts';

const DEFAULT_BRAND_TTL_MS = 5 * 60_000;

export async function defaultBrandId(
	context: IExecuteFunctions,
	abstractUserId: string | undefined,
): Promise<string> {
	const account = await accountFor(context);
	const key = abstractUserId ? `default-brand:user:${abstractUserId}` : 'default-brand';
	return await account.remember(key, DEFAULT_BRAND_TTL_MS, async () => {
		const answer = await pacedRequest(context, {
			method: 'POST',
			path: 'brand/get',
			body: { isDefault: true, limit: 1, ...(abstractUserId ? { abstractUserId } : {}) },
		});
		const id = ((answer.brands as IDataObject[] | undefined) ?? [])[0]?.bId;
		return typeof id === 'string' ? id : '';
	});
}

const SOURCES = ['user', 'system'] as const;

async function searchFont(
	context: IExecuteFunctions,
	id: string,
	filter: IDataObject,
): Promise<IDataObject | undefined> {
	let cursor: unknown;
	for (let page = 0; page < 5; page++) {
		const answer = await pacedRequest(context, {
			method: 'POST',
			path: 'font/get',
			body: { ...filter, limit: 100, ...(cursor ? { cursor } : {}) },
		});
		const fonts = (answer.data as IDataObject[] | undefined) ?? [];
		const font = fonts.find((entry) => String(entry.id) === id);
		if (font) return font;
		cursor = (answer.meta as IDataObject | undefined)?.cursor;
		if (!cursor || !fonts.length) return undefined;
	}
	return undefined;
}

export async function findFont(
	context: IExecuteFunctions,
	id: string,
	nameHint: string | undefined,
	abstractUserId: string | undefined,
): Promise<{ name: string; addedBy: 'system' | 'user' } | undefined> {
	const owner = abstractUserId ? { abstractUserId } : {};
	const searches: Array<{ source: 'system' | 'user'; name?: string }> = [
		...(nameHint ? SOURCES.map((source) => ({ source, name: nameHint })) : []),
		...SOURCES.map((source) => ({ source })),
	];
	for (const search of searches) {
		const font = await searchFont(context, id, { ...search, ...owner });
		if (font) return { name: String(font.name ?? nameHint ?? id), addedBy: search.source };
	}
	return undefined;
}

// Turns Sivi's status answer into the node's output JSON: the same shape for a finished wait
// and for Get Status, with the raw `result` kept for anything not understood.
import type { IDataObject } from 'n8n-workflow';

import {
	resultSchema,
	type StatusResponse,
	type SubmitResponse,
} from '../validation/responseSchemas';

export interface Variant {
	id?: string;
	imageUrl?: string;
	editLink?: string;
	width?: number;
	height?: number;
	type?: string;
	options?: Variant[];
}

export interface MediaImage {
	url?: string;
	mId?: string;
}

/** One downloadable picture of a result. */
export interface ResultImage {
	id: string;
	url: string;
}

export interface SiviJobJson extends IDataObject {
	requestId: string;
	status: string;
}

function toVariant(raw: IDataObject): Variant {
	const variant: Variant = {
		id: raw.variantId as string | undefined,
		imageUrl: raw.variantImageUrl as string | undefined,
		editLink: raw.variantEditLink as string | undefined,
		width: raw.variantWidth as number | undefined,
		height: raw.variantHeight as number | undefined,
		type: raw.variantType as string | undefined,
	};
	if (Array.isArray(raw.options) && raw.options.length) {
		variant.options = (raw.options as IDataObject[]).map(toVariant);
	}
	return variant;
}

/** Every media result shape seen in Sivi's code: images[], media{} / media[], variations[]. */
function mediaImages(result: ReturnType<typeof resultSchema.parse>): MediaImage[] {
	const images: MediaImage[] = [];
	for (const image of result.images ?? [])
		images.push({ url: image.remoteUrl ?? image.url, mId: image.mId });
	const media =
		result.media === undefined ? [] : Array.isArray(result.media) ? result.media : [result.media];
	for (const image of media) images.push({ url: image.url ?? image.remoteUrl, mId: image.mId });
	if (!images.length) {
		for (const variation of result.variations ?? []) {
			images.push({ url: variation.variantImageUrl, mId: variation.variantId });
		}
	}
	return images.filter((image) => image.url || image.mId);
}

function normalizedStatus(status: string): string {
	const value = status.trim().toLowerCase();
	return value === 'complete' ? 'completed' : value;
}

/** What every job's output shares: requestId, status, design links, progress, raw `result`. */
export function jobJson(
	status: StatusResponse,
	submitted?: SubmitResponse,
	requestId?: string,
): SiviJobJson {
	const json: SiviJobJson = {
		requestId: status.requestId ?? submitted?.requestId ?? requestId ?? '',
		status: normalizedStatus(status.status),
	};
	const designId = status.designId ?? submitted?.designId;
	if (designId) json.designId = designId;
	for (const key of ['link', 'shareLink'] as const) {
		const value = status[key] ?? submitted?.[key];
		if (value) json[key] = value;
	}
	if (typeof status.progress === 'number') json.progress = status.progress;
	if (status.reason) json.reason = status.reason;
	if (status.result !== undefined && status.result !== null)
		json.result = status.result as IDataObject;
	return json;
}

function parsedResult(status: StatusResponse): ParsedResult | undefined {
	if (!status.result) return undefined;
	const parsed = resultSchema.safeParse(status.result);
	return parsed.success ? parsed.data : undefined;
}

function withVariants(json: SiviJobJson, result: ParsedResult): void {
	if (result.variations?.length)
		json.variants = result.variations.map((variation) =>
			toVariant(variation as IDataObject),
		) as IDataObject[];
}

function withImages(json: SiviJobJson, result: ParsedResult): void {
	const images = mediaImages(result);
	if (images.length) json.images = images as IDataObject[];
}

type ParsedResult = ReturnType<typeof resultSchema.parse>;
type JobToJson = (
	status: StatusResponse,
	submitted?: SubmitResponse,
	requestId?: string,
) => SiviJobJson;

/** jobJson() plus what `add` reads from a result Sivi's way (nothing is added for other shapes). */
function shapedBy(add: (json: SiviJobJson, result: ParsedResult) => void): JobToJson {
	return (status, submitted, requestId) => {
		const json = jobJson(status, submitted, requestId);
		const result = parsedResult(status);
		if (result) add(json, result);
		return json;
	};
}

/** A design job: its variants (with their options). */
export const designJson = shapedBy(withVariants);

/** A media job: its images, from whichever result shape Sivi sent. */
export const mediaJson = shapedBy(withImages);

/** A job of unknown kind (Get Status, the trigger): shaped by what its result holds. */
export const anyJobJson = shapedBy((json, result) => {
	withVariants(json, result);
	if (result.images || result.media || (!json.designId && !result.variations?.length))
		withImages(json, result);
});

export function normalizeSubmitted(submitted: SubmitResponse): SiviJobJson {
	const json: SiviJobJson = { requestId: submitted.requestId, status: 'submitted' };
	for (const key of ['designId', 'link', 'shareLink', 'queueWaitTime'] as const) {
		if (submitted[key] !== undefined) json[key] = submitted[key];
	}
	return json;
}

/** The pictures of a finished job, in order: each variant then its options, or media images. */
export function resultImages(json: SiviJobJson): ResultImage[] {
	const images: ResultImage[] = [];
	const variants = (json.variants as Variant[] | undefined) ?? [];
	variants.forEach((variant, index) => {
		const id = variant.id ?? `variant${index + 1}`;
		if (variant.imageUrl) images.push({ id, url: variant.imageUrl });
		(variant.options ?? []).forEach((option, optionIndex) => {
			if (option.imageUrl)
				images.push({ id: option.id ?? `${id}_${optionIndex + 1}`, url: option.imageUrl });
		});
	});
	((json.images as MediaImage[] | undefined) ?? []).forEach((image, index) => {
		if (image.url) images.push({ id: `image${index + 1}`, url: image.url });
	});
	return images;
}

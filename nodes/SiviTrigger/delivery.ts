// Pure parts of the Sivi Trigger: the URL secret, reading a delivery (a hint only: Sivi signs
// nothing), the kind and ending of a job as Sivi's own status answer tells them, and the filters.
import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { StatusResponse } from '../Sivi/validation/responseSchemas';

/** Query parameter of the registered URL that carries the secret. */
export const SECRET_PARAM = 'secret';

const REQUEST_ID = /^[A-Za-z0-9_-]{1,128}$/;

/** A new random secret for the webhook URL: 48 hex characters (192 bits). */
export function newSecret(): string {
	return randomBytes(24).toString('hex');
}

/** A usable stored secret, or undefined. */
export function storedSecret(value: unknown): string | undefined {
	return typeof value === 'string' && /^[0-9a-f]{32,}$/.test(value) ? value : undefined;
}

/** `url` with the secret as its query parameter. */
export function withSecret(url: string, secret: string): string {
	const target = new URL(url);
	target.searchParams.set(SECRET_PARAM, secret);
	return target.toString();
}

/** Constant-time comparison of the secret a request carries with the stored one. */
export function secretMatches(given: unknown, expected: unknown): boolean {
	const wanted = storedSecret(expected);
	if (!wanted || typeof given !== 'string' || !given) return false;
	const digest = (text: string) => createHash('sha256').update(text).digest();
	return timingSafeEqual(digest(given), digest(wanted));
}

/** What a delivery claims. Nothing in it is trusted; it only says which job to look at. */
export interface DeliveryHint {
	requestId?: string;
	/** The state the payload claims: final ones are checked with Sivi, `running` is skipped. */
	claim: 'completed' | 'failed' | 'running' | 'unknown';
}

function asObject(value: unknown): IDataObject | undefined {
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as IDataObject)
		: undefined;
}

/**
 * Reads the requestId and claimed state of a delivery: the get-request-status envelope
 * `{ status, body: {...} }` that Sivi documents, or, tolerantly, the bare body or a `data` wrapper.
 */
export function readHint(payload: unknown): DeliveryHint {
	const outer = asObject(payload);
	if (!outer) return { claim: 'unknown' };
	const candidates = [asObject(outer.body), asObject(outer.data), outer].filter(
		(candidate): candidate is IDataObject => candidate !== undefined,
	);
	for (const candidate of candidates) {
		const id = candidate.requestId ?? candidate.jId;
		if (typeof id !== 'string' || !REQUEST_ID.test(id)) continue;
		return { requestId: id, claim: claimOf(candidate.status) };
	}
	return { claim: 'unknown' };
}

function claimOf(status: unknown): DeliveryHint['claim'] {
	if (typeof status !== 'string') return 'unknown';
	const event = eventOf(status);
	if (event) return event;
	return ['pending', 'processing', 'queued', 'running'].includes(status.trim().toLowerCase())
		? 'running'
		: 'unknown';
}

export type TriggerEvent = 'completed' | 'failed';

/** The ending a status value means: completed/complete, or failed/suspended/error. */
export function eventOf(status: string): TriggerEvent | undefined {
	const value = status.trim().toLowerCase();
	if (value === 'completed' || value === 'complete') return 'completed';
	if (value === 'failed' || value === 'suspended' || value === 'error') return 'failed';
	return undefined;
}

export const JOB_KINDS = ['brand', 'design', 'font', 'media'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

/**
 * The kind of job a status answer belongs to, from Sivi's own answer (REFERENCE §2):
 * `designId` → design; `result.brandDetails` → brand extraction; `result.images` /
 * `result.media` → media; `result.data` / `result.fonts` → font upload. A failed job other than
 * a design names none of these: its kind is unknown.
 */
export function jobKindOf(status: StatusResponse): JobKind | undefined {
	if (typeof status.designId === 'string' && status.designId) return 'design';
	const result = asObject(status.result);
	if (!result) return undefined;
	if (result.brandDetails !== undefined) return 'brand';
	if (result.images !== undefined || result.media !== undefined) return 'media';
	if (result.data !== undefined || result.fonts !== undefined || result.font !== undefined)
		return 'font';
	return undefined;
}

/** A job of unknown kind passes only when every kind is selected. */
export function kindSelected(kind: JobKind | undefined, selected: string[]): boolean {
	if (JOB_KINDS.every((each) => selected.includes(each))) return true;
	return kind !== undefined && selected.includes(kind);
}

export interface TriggerSettings {
	events: TriggerEvent[];
	jobKinds: string[];
	download: boolean;
	binaryPropertyName: string;
	maxDownloadBytes: number;
}

type ReadParameter = (name: string, fallback: unknown) => unknown;

function list(value: unknown): string[] {
	return Array.isArray(value)
		? value.filter((entry): entry is string => typeof entry === 'string')
		: [];
}

export function readTriggerSettings(read: ReadParameter): TriggerSettings {
	const options = asObject(read('options', {})) ?? {};
	const maxMb = Number(options.maxDownloadSizeMb);
	const field =
		typeof options.binaryPropertyName === 'string' ? options.binaryPropertyName.trim() : '';
	return {
		events: list(read('events', ['completed', 'failed'])).filter(
			(event): event is TriggerEvent => event === 'completed' || event === 'failed',
		),
		jobKinds: list(read('jobKinds', [...JOB_KINDS])),
		download: options.downloadImages === true,
		binaryPropertyName: field || 'data',
		maxDownloadBytes: (Number.isFinite(maxMb) && maxMb > 0 ? maxMb : 50) * 1024 * 1024,
	};
}

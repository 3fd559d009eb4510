// Compact answer for AI agents: IDs, state and links only — no binary, no base64, no raw result.
import type { IDataObject } from 'n8n-workflow';

import { resultImages, type SiviJobJson, type Variant } from './normalize';

/** What a caller does with a job still running: never submit it again. */
export const NEXT_STEP = 'call the status tool with this requestId';

const RUNNING = new Set(['processing', 'pending', 'queued', 'submitted']);

/** A job still running when the tool stopped waiting: a normal answer, not an error. */
export function stillRunningJson(requestId: string, partial?: SiviJobJson): SiviJobJson {
	const json: SiviJobJson = { ...(partial ?? {}), requestId, status: 'processing' };
	delete json.reason;
	return json;
}

export function toToolJson(json: SiviJobJson): IDataObject {
	const compact: IDataObject = { status: json.status };
	if (json.requestId) compact.requestId = json.requestId;
	if (json.designId) compact.designId = json.designId;
	if (json.link) compact.editorLink = json.link;
	const imageUrls = resultImages(json).map((image) => image.url);
	if (imageUrls.length) compact.imageUrls = imageUrls;
	const editLinks = ((json.variants as Variant[] | undefined) ?? [])
		.map((variant) => variant.editLink)
		.filter((link): link is string => !!link);
	if (editLinks.length) compact.editLinks = editLinks;
	if (json.reason) compact.reason = json.reason;
	// What the job is estimated to cost: a model spending credits should know.
	if (json.credits) compact.credits = json.credits;
	if (typeof json.progress === 'number' && json.status !== 'completed')
		compact.progress = json.progress;
	if (json.error) compact.error = json.error;
	if (json.errorDescription) compact.errorDescription = json.errorDescription;
	if (compact.requestId && RUNNING.has(String(json.status))) compact.next = NEXT_STEP;
	return compact;
}

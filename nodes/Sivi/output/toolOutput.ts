// Compact answer for AI agents: IDs, state and links only — no binary, no base64, no raw result.
import type { IDataObject } from 'n8n-workflow';

import { resultImages, type SiviJobJson, type Variant } from './normalize';

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
	if (typeof json.progress === 'number' && json.status !== 'completed')
		compact.progress = json.progress;
	if (json.error) compact.error = json.error;
	if (json.errorDescription) compact.errorDescription = json.errorDescription;
	return compact;
}

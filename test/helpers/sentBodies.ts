// Every body the node sends to a Sivi endpoint that takes one must pass that endpoint's schema in
// the form it was sent (after uploads and lookups): the node checks the resolved body before it
// sends it (nodes/Sivi/actions/common/prepare.ts), and every simulator-backed run asserts it here.
// Catalog values may come by ID (an expression), so the check allows any ID of the right shape.
import type { ZodTypeAny } from 'zod';

import {
	brandCreateSchema,
	brandExtractSchema,
	brandUpdateSchema,
} from '../../nodes/Sivi/validation/brandSchemas';
import { fontCreateSchemaFor } from '../../nodes/Sivi/validation/fontSchemas';
import {
	mediaCreateSchemaFor,
	mediaDeleteSchema,
	mediaUpdateSchema,
} from '../../nodes/Sivi/validation/mediaLibrarySchemas';
import {
	contentFromPromptSchemaFor,
	designsFromContentSchemaFor,
	designsFromPromptSchemaFor,
	mediaGenerateSchemaFor,
	type ById,
} from '../../nodes/Sivi/validation/requestSchemas';
import type { RecordedRequest } from './n8nEngine';

const BY_ID: ById = {
	type: true,
	subtype: true,
	language: true,
	designModel: true,
	model: true,
	dimensions: true,
};

/** Sivi endpoints (after `general/`) and the schema of the body the node sends them. */
const SENT_SCHEMAS: Record<string, ZodTypeAny> = {
	'media/generate': mediaGenerateSchemaFor(BY_ID),
	'designs-from-content': designsFromContentSchemaFor(BY_ID),
	'designs-from-prompt': designsFromPromptSchemaFor(BY_ID),
	'content-from-prompt': contentFromPromptSchemaFor(BY_ID),
	'font/create': fontCreateSchemaFor(),
	'media/create': mediaCreateSchemaFor(),
	'media/update': mediaUpdateSchema,
	'media/delete': mediaDeleteSchema,
	'brand/extract': brandExtractSchema,
	'brand/create': brandCreateSchema,
	'brand/update': brandUpdateSchema,
};

/** "path: problem" for each recorded body that fails its endpoint's schema. */
export function sentBodyProblems(requests: RecordedRequest[]): string[] {
	const problems: string[] = [];
	for (const request of requests) {
		const path = /\/general\/(.+)$/.exec(new URL(request.url).pathname)?.[1];
		const schema = path ? SENT_SCHEMAS[path] : undefined;
		if (!schema) continue;
		const parsed = schema.safeParse(request.body);
		if (!parsed.success) problems.push(`${path}: ${parsed.error.message}`);
	}
	return problems;
}

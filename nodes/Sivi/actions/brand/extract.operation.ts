// Brand → Extract From Website: POST general/brand/extract, a job. Sivi reads the website and
// the finished job's result holds `brandDetails` (name, description, logo, colors, persona).
// It creates no brand: pass the details to Create to save them.
import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { jobJson } from '../../output/normalize';
import { brandExtractSchema } from '../../validation/brandSchemas';
import { submitJob } from '../common/prepare';
import type { JobOperation } from '../types';
import { endUserOnlyFields, websiteField } from './brandFields';

export const properties: INodeProperties[] = [
	websiteField('Website to read the brand from, best its homepage', true),
	endUserOnlyFields,
];

export const extractBrand: JobOperation = {
	kind: 'job',
	resource: 'brand',
	operation: 'extract',
	name: 'Extract From Website',
	action: 'Extract a brand from a website',
	description:
		'Read the name, logo, colors and persona of a brand from its website (creates no brand)',
	properties,
	waitDefault: true,
	submits: true,
	prepare: (context, itemIndex, wait) =>
		submitJob(context, itemIndex, wait, 'brand/extract', {
			properties,
			schema: brandExtractSchema,
		}),
	toJson(status, submitted, requestId) {
		const json = jobJson(status, submitted, requestId);
		const result = status.result as IDataObject | null | undefined;
		const details = result && typeof result === 'object' ? result.brandDetails : undefined;
		if (details && typeof details === 'object') json.brand = details as IDataObject;
		return json;
	},
};

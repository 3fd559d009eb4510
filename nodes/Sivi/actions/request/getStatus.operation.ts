// Request → Get Status: GET general/get-request-status. Returns the same output as a finished
// wait, and can wait itself, which resumes a job that timed out earlier.
import type { INodeProperties } from 'n8n-workflow';

import { anyJobJson } from '../../output/normalize';
import { bodyField } from '../../shared/bodyFields';
import { requestStatusSchema } from '../../validation/requestSchemas';
import { endUserOnlyFields } from '../common/abstractUser';
import { toText } from '../common/convert';
import { validBody } from '../common/prepare';
import type { JobOperation } from '../types';

export const properties: INodeProperties[] = [
	bodyField(
		'requestId',
		{
			displayName: 'Request ID',
			name: 'requestId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. sbhMkIZKCPp',
			description: 'The requestId returned when the job was submitted',
		},
		toText,
	),
	endUserOnlyFields,
];

export const getStatus: JobOperation = {
	kind: 'job',
	resource: 'request',
	operation: 'getStatus',
	name: 'Get Status',
	action: 'Get the status of a request',
	description: 'Check a submitted job and fetch its results; can wait until it finishes',
	properties,
	waitDefault: false,
	waitsAsTool: true,
	downloadDefault: false,
	prepare(context, itemIndex, wait) {
		// The status query, checked like any body: request ID and end user.
		const { requestId, abstractUserId } = validBody(context, itemIndex, {
			properties,
			schema: requestStatusSchema,
		});
		return {
			requestId: String(requestId),
			wait,
			statusQuery: abstractUserId ? { abstractUserId } : undefined,
		};
	},
	toJson: anyJobJson,
};

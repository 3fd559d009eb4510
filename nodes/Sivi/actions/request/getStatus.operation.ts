// Request → Get Status: GET general/get-request-status. Returns the same output as a finished
// wait, and can wait itself, which resumes a job that timed out earlier.
import { NodeOperationError, type INodeProperties } from 'n8n-workflow';

import { anyJobJson } from '../../output/normalize';
import { endUserOnlyFields } from '../common/abstractUser';
import { refuse } from '../common/prepare';
import type { JobOperation } from '../types';

export const properties: INodeProperties[] = [
	{
		displayName: 'Request ID',
		name: 'requestId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. sbhMkIZKCPp',
		description: 'The requestId returned when the job was submitted',
	},
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
		const raw = context.getNodeParameter('requestId', itemIndex, '');
		if (raw !== null && typeof raw === 'object') {
			throw new NodeOperationError(
				context.getNode(),
				'Request ID must be text (the expression returned an object)',
				{ itemIndex, description: 'Map the requestId field itself, e.g. {{ $json.requestId }}.' },
			);
		}
		const requestId = String(raw ?? '').trim();
		if (!requestId) {
			throw new NodeOperationError(context.getNode(), 'Request ID is required', {
				itemIndex,
				description: 'Pass the requestId that a Sivi submit returned.',
			});
		}
		const extra = context.getNodeParameter('additionalFields', itemIndex, {}) as {
			abstractUserId?: unknown;
		};
		if (extra.abstractUserId !== undefined && typeof extra.abstractUserId !== 'string')
			throw refuse(context, itemIndex, ['Additional Fields → End-User ID must be text']);
		const abstractUserId = (extra.abstractUserId ?? '').trim();
		return {
			requestId,
			wait,
			durationKey: '',
			statusQuery: abstractUserId ? { abstractUserId } : undefined,
		};
	},
	toJson: anyJobJson,
};

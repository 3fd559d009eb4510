// Request → Get Status: GET general/get-request-status. Returns the same output as a finished
// wait, and can wait itself, which resumes a job that timed out earlier.
import type { INodeProperties } from 'n8n-workflow';

import type { SiviOperation } from '../types';

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
];

export const getStatus: SiviOperation = {
	resource: 'request',
	operation: 'getStatus',
	kind: 'status',
	properties,
	waitDefault: false,
	downloadDefault: false,
};

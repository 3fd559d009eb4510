import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

export class SiviApi implements ICredentialType {
	name = 'siviApi';

	displayName = 'Sivi API';

	icon: Icon = { light: 'file:../icons/sivi.svg', dark: 'file:../icons/sivi.dark.svg' };

	documentationUrl = 'https://developer.sivi.ai/docs/sivi-api/overview';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: 'Create a key in Sivi under Settings → API (https://instant.sivi.ai/#/settings)',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://connect.sivi.ai/api/prod/v2',
			description:
				'Sivi API address. Use https://connect.sivi.ai/api/staging/v2 for staging, or a local simulator for testing.',
		},
		{
			displayName: 'Plan',
			name: 'plan',
			type: 'options',
			default: 'general',
			options: [
				{
					name: 'General (50 Requests per Minute, 4 Running, 10 Queued)',
					value: 'general',
				},
				{
					name: 'Super (100 Requests per Minute, 10 Running, 15 Queued)',
					value: 'super',
				},
				{ name: 'Custom', value: 'custom' },
			],
			description:
				"Your Sivi plan's limits. Every workflow and execution using this key shares them: the node paces its calls and jobs to stay within them.",
		},
		{
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			displayOptions: { show: { plan: ['custom'] } },
			description: 'Calls to Sivi per minute that your plan allows',
		},
		{
			displayName: 'Jobs Running at Once',
			name: 'concurrency',
			type: 'number',
			default: 4,
			typeOptions: { minValue: 1 },
			displayOptions: { show: { plan: ['custom'] } },
			description: 'Jobs your plan runs at the same time',
		},
		{
			displayName: 'Queue Size',
			name: 'queueSize',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 0 },
			displayOptions: { show: { plan: ['custom'] } },
			description: 'Jobs your plan keeps waiting beyond those running',
		},
		{
			displayName: 'n8n Processes Using This Key',
			name: 'processes',
			type: 'number',
			default: 1,
			typeOptions: { minValue: 1 },
			description:
				'In queue mode, the number of n8n workers (plus the main process, if it runs executions) that use this key. Each process keeps to its share of the plan.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				'sivi-api-key': '={{$credentials.apiKey}}',
			},
		},
	};

	// brand/get is the cheapest authenticated call: it costs no credits and fails with 401 on a bad key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/general/brand/get',
			method: 'POST',
			body: { limit: 1 },
			json: true,
		},
	};
}

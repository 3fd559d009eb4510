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

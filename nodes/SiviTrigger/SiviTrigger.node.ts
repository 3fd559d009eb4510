import {
	NodeConnectionTypes,
	NodeOperationError,
	type IHookFunctions,
	type INodeType,
	type INodeTypeDescription,
	type IWebhookFunctions,
	type IWebhookResponseData,
} from 'n8n-workflow';

import { newSecret, storedSecret, withSecret } from './delivery';
import { triggerProperties } from './description';
import { receiveDelivery } from './receive';
import {
	accountId,
	forgetLive,
	liveRegistration,
	ownerOf,
	rememberLive,
	setWebhookUrl,
} from './registration';

/** Test listens ("Listen for test event") register n8n's test URL instead of the production one. */
function isTestListen(context: IHookFunctions): boolean {
	return context.getMode() === 'manual' || context.getActivationMode() === 'manual';
}

export class SiviTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Sivi Trigger',
		name: 'siviTrigger',
		icon: { light: 'file:../../icons/sivi.svg', dark: 'file:../../icons/sivi.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "On " + ($parameter["events"] || []).join(" or ") }}',
		description: 'Starts the workflow when a Sivi job finishes (beta)',
		defaults: { name: 'Sivi Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'siviApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Empty, so n8n answers with the node's own webhookResponse: without it, n8n 2.41
				// evaluates its default and answers a started run with the bare string "firstEntryJson".
				responseData: '',
				path: 'sivi',
			},
		],
		eventTriggerDescription: 'Waiting for a Sivi job of this API key to finish',
		activationMessage:
			"Finished Sivi jobs of this API key now start this workflow. The key's webhook URL in Sivi points here.",
		properties: triggerProperties,
	};

	webhookMethods = {
		default: {
			// Sivi cannot tell which URL a key has, so activation always sets it (again). That is
			// harmless: it is the same URL while the secret in the static data stays.
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return false;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const url = this.getNodeWebhookUrl('default');
				if (!url)
					throw new NodeOperationError(this.getNode(), 'n8n gave no webhook URL for this node');
				const test = isTestListen(this);
				const staticData = this.getWorkflowStaticData('node');
				// A test listen starts from empty static data, so it always gets a fresh secret.
				const secret = storedSecret(staticData.secret) ?? newSecret();
				const target = withSecret(url, secret);
				await setWebhookUrl(this, target);
				staticData.secret = secret;
				staticData.registeredFor = test ? 'test' : 'production';
				if (!test) rememberLive(await accountId(this), { url: target, owner: ownerOf(this) });
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const staticData = this.getWorkflowStaticData('node');
				const wasTest = staticData.registeredFor === 'test';
				// The old URL stops working: a later activation registers a new secret.
				delete staticData.secret;
				delete staticData.registeredFor;
				let account: string;
				try {
					account = await accountId(this);
				} catch (error) {
					this.logger.warn(
						`Sivi Trigger: no Sivi credential to clean up with (${(error as Error).message})`,
					);
					return true;
				}
				if (!wasTest) {
					// Sivi has no way to remove a webhook URL: it stays set until something replaces it,
					// and n8n answers its deliveries with 404 while this workflow is inactive.
					forgetLive(account, ownerOf(this));
					return true;
				}
				// A test listen replaced the key's URL: point it back at the active production trigger.
				const production = liveRegistration(account);
				if (!production) return true;
				try {
					await setWebhookUrl(this, production.url);
				} catch (error) {
					this.logger.warn(
						`Sivi Trigger: could not point the API key's webhook back at the production workflow (${(error as Error).message}). Deactivate and activate that workflow again.`,
					);
				}
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this);
	}
}

// Setting the API key's webhook URL in Sivi (`POST general/update-webhook`, REFERENCE §5).
// Sivi keeps one URL per API key: setting it replaces whatever was set before, and there is no
// way to remove it (no delete endpoint; `webhookUrl` is required and must be a valid URL).
import { createHash } from 'crypto';
import {
	NodeApiError,
	NodeOperationError,
	type IHookFunctions,
	type IWebhookFunctions,
	type JsonObject,
} from 'n8n-workflow';

import { pacedRequest } from '../Sivi/engine/accounts';
import { SiviRequestError } from '../Sivi/shared/siviError';
import { CREDENTIAL_NAME, DEFAULT_BASE_URL, type SiviContext } from '../Sivi/shared/transport';

/**
 * The Sivi transport and account registry are typed for execute and load-options contexts. A
 * hook or webhook context has everything they use: `getCredentials`, `getNode` and
 * `helpers.httpRequestWithAuthentication` (and no cancel signal, which they treat as optional).
 */
export function asSiviContext(context: IHookFunctions | IWebhookFunctions): SiviContext {
	return context as unknown as SiviContext;
}

/** Base URL + a hash of the key: which Sivi account (and so which webhook slot) this is. */
export async function accountId(context: IHookFunctions): Promise<string> {
	const credentials = await context.getCredentials(CREDENTIAL_NAME);
	const baseUrl = String(credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
	const key = createHash('sha256')
		.update(String(credentials.apiKey ?? ''))
		.digest('hex')
		.slice(0, 16);
	return `${baseUrl} ${key}`;
}

/** Sets the key's webhook URL in Sivi; throws an n8n error that says what to do. */
export async function setWebhookUrl(context: IHookFunctions, url: string): Promise<void> {
	try {
		await pacedRequest(asSiviContext(context), {
			method: 'POST',
			path: 'update-webhook',
			body: { webhookUrl: url },
			timeoutMs: 30_000,
		});
	} catch (error) {
		const node = context.getNode();
		if (error instanceof SiviRequestError) {
			const said = `Sivi said: "${error.message}".`;
			const details = { message: error.message, httpCode: String(error.httpCode ?? '') };
			if (error.kind === 'auth')
				throw new NodeApiError(node, details as JsonObject, {
					message: 'Sivi rejected the API key',
					description: `Check the API key in the Sivi API credential. ${said}`,
					httpCode: '401',
				});
			throw new NodeApiError(node, details as JsonObject, {
				message: 'Could not set the webhook URL in Sivi',
				description: `${said} Activate the workflow again to retry. n8n's webhook URL must be one Sivi can reach (set WEBHOOK_URL to your public https address).`,
				httpCode: error.httpCode ? String(error.httpCode) : undefined,
			});
		}
		throw new NodeOperationError(
			node,
			`Could not set the webhook URL in Sivi: ${String((error as Error)?.message ?? error)}`,
		);
	}
}

/**
 * The production URL each account's webhook points at, as set by an active Sivi Trigger in this
 * process. After a test listen replaced it, the test's clean-up points the key back at it.
 */
interface LiveRegistration {
	url: string;
	owner: string;
}

const live = new Map<string, LiveRegistration>();

export function ownerOf(context: IHookFunctions): string {
	const node = context.getNode();
	return `${context.getWorkflow().id ?? ''} ${node.id || node.name}`;
}

export function rememberLive(account: string, registration: LiveRegistration): void {
	live.set(account, registration);
}

export function liveRegistration(account: string): LiveRegistration | undefined {
	return live.get(account);
}

/** Forgets the account's live URL if this node set it (another trigger may have replaced it). */
export function forgetLive(account: string, owner: string): void {
	if (live.get(account)?.owner === owner) live.delete(account);
}

/** For tests only. */
export function forgetLiveRegistrations(): void {
	live.clear();
}

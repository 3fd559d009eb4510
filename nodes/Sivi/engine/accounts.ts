// One AccountScheduler per Sivi account (base URL + a hash of the API key) in this process.
// n8n loads a node module once per process, so this map is shared by every execution, item
// and agent tool call: together they stay within the plan's limits. The key itself is never
// kept, logged or put into an error.
import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { limits } from '../catalog';
import {
	CREDENTIAL_NAME,
	DEFAULT_BASE_URL,
	siviRequest,
	type SiviCall,
	type SiviContext,
} from '../shared/transport';
import { AccountScheduler, type AccountLimits } from './accountScheduler';
import { currentClock } from './clock';
import { PRIORITY } from './requestPacer';

const schedulers = new Map<string, AccountScheduler>();
const perContext = new WeakMap<object, Promise<AccountScheduler>>();

type PlanName = keyof typeof limits.plans;

function positive(value: unknown, fallback: number): number {
	const number = Number(value);
	return Number.isFinite(number) && number > 0 ? number : fallback;
}

/** The plan's limits from the credential, divided among the processes sharing the key. */
export function accountLimits(credentials: ICredentialDataDecryptedObject): AccountLimits {
	const general = limits.plans.general;
	const plan =
		credentials.plan === 'custom'
			? {
					requestsPerMinute: positive(credentials.requestsPerMinute, general.requestsPerMinute),
					concurrency: positive(credentials.concurrency, general.concurrency),
					queue: Math.max(0, Number(credentials.queueSize ?? general.queue) || 0),
				}
			: (limits.plans[String(credentials.plan ?? 'general') as PlanName] ?? general);
	const processes = Math.floor(positive(credentials.processes, 1));
	return {
		requestsPerMinute: plan.requestsPerMinute / processes,
		jobsInFlight: Math.max(1, Math.ceil((plan.concurrency + plan.queue) / processes)),
		running: plan.concurrency,
		processes,
	};
}

function accountKey(baseUrl: string, apiKey: string): string {
	return `${baseUrl} ${createHash('sha256').update(apiKey).digest('hex').slice(0, 16)}`;
}

/** The scheduler of the account behind the context's Sivi credential. */
export async function accountFor(context: SiviContext): Promise<AccountScheduler> {
	let pending = perContext.get(context);
	if (!pending) {
		pending = context.getCredentials(CREDENTIAL_NAME).then((credentials) => {
			const baseUrl = String(credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, '');
			const key = accountKey(baseUrl, String(credentials.apiKey ?? ''));
			const accountLimitsNow = accountLimits(credentials);
			let scheduler = schedulers.get(key);
			if (scheduler) scheduler.setLimits(accountLimitsNow);
			else {
				scheduler = new AccountScheduler(accountLimitsNow, currentClock());
				schedulers.set(key, scheduler);
			}
			return scheduler;
		});
		perContext.set(context, pending);
	}
	return await pending;
}

/**
 * A call that creates nothing billable (brand lookup, upload URL, media record), paced with
 * the account's other requests; a 429 refusal is waited out instead of failing the item.
 */
export async function pacedRequest(context: SiviContext, call: SiviCall): Promise<IDataObject> {
	const account = await accountFor(context);
	const signal =
		'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
	return await account.request(PRIORITY.call, async () => await siviRequest(context, call), {
		signal,
	});
}

/** Forgets every account's learned state. For tests and the benchmark only. */
export function forgetAccounts(): void {
	schedulers.clear();
}

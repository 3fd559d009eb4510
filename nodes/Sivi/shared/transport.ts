// The one place that talks HTTP to the Sivi API: credential auth, the {status, body} envelope,
// error classification. It never puts request options (which hold the key) into errors.
import {
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
} from 'n8n-workflow';

import { SiviRequestError, classifyStatus, classifyThrown, parseRetryAfter } from './siviError';

export const CREDENTIAL_NAME = 'siviApi';
export const DEFAULT_BASE_URL = 'https://connect.sivi.ai/api/prod/v2';

export type SiviContext = IExecuteFunctions | ILoadOptionsFunctions;

export interface SiviCall {
	method: IHttpRequestMethods;
	/** Path below `<base>/<prefix>/`, e.g. `media/generate`. */
	path: string;
	/**
	 * `general` (the default) for a normal key's endpoints; `super` for user management
	 * (super/login-user, …), which Sivi serves under its own prefix (REFERENCE §1).
	 */
	prefix?: 'general' | 'super';
	body?: IDataObject;
	/** Sent as Sivi's single `queryParams` JSON parameter (GET endpoints). */
	queryParams?: IDataObject;
	timeoutMs?: number;
}

const baseUrls = new WeakMap<object, Promise<string>>();

async function baseUrlOf(context: SiviContext): Promise<string> {
	let pending = baseUrls.get(context);
	if (!pending) {
		pending = context
			.getCredentials(CREDENTIAL_NAME)
			.then((credentials) => String(credentials.baseUrl || DEFAULT_BASE_URL).replace(/\/+$/, ''));
		baseUrls.set(context, pending);
	}
	return await pending;
}

function cancelSignal(context: SiviContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

/** Calls Sivi and returns the envelope's `body`; throws SiviRequestError otherwise. */
export async function siviRequest(context: SiviContext, call: SiviCall): Promise<IDataObject> {
	const baseUrl = await baseUrlOf(context);
	const signal = cancelSignal(context);
	const options: IHttpRequestOptions = {
		method: call.method,
		url: `${baseUrl}/${call.prefix ?? 'general'}/${call.path}`,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: call.timeoutMs ?? 60_000,
		abortSignal: signal,
	};
	if (call.body) options.body = call.body;
	if (call.queryParams) options.qs = { queryParams: JSON.stringify(call.queryParams) };

	let response: { statusCode: number; headers: IDataObject; body: unknown };
	try {
		response = await context.helpers.httpRequestWithAuthentication.call(
			context,
			CREDENTIAL_NAME,
			options,
		);
	} catch (error) {
		throw classifyThrown(error, signal?.aborted ?? false);
	}

	const envelope = (
		typeof response.body === 'object' && response.body !== null ? response.body : {}
	) as IDataObject;
	const body = (envelope.body ?? {}) as IDataObject;
	const status = typeof envelope.status === 'number' ? envelope.status : response.statusCode;
	if (response.statusCode >= 200 && response.statusCode < 300 && status >= 200 && status < 300) {
		return body;
	}
	const httpCode = response.statusCode >= 300 ? response.statusCode : status;
	const message =
		typeof body.message === 'string' && body.message
			? body.message
			: `Sivi answered with status ${httpCode}`;
	throw new SiviRequestError(
		classifyStatus(httpCode, message),
		message,
		httpCode,
		parseRetryAfter(response.headers?.['retry-after'], Date.now()),
	);
}

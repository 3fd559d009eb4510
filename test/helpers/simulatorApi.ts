// Shared setup for tests that talk to the simulator: a simulator per test (or per file) started
// and closed by jest hooks, and its Sivi API called directly over HTTP.
import { sleep } from 'n8n-workflow';

import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

export interface ApiResult {
	status: number;
	json: Json;
}

/** The simulator of the running test; `restart` swaps it for one started with other options. */
export interface TestSimulator extends Simulator {
	restart(options: SimulatorOptions): Promise<void>;
}

/**
 * Registers jest hooks that start a simulator with `options` and close it after: `'each'` test
 * gets a fresh workspace; with `'all'`, one simulator serves the file and its counters and faults
 * are reset before each test. The returned object always stands for the simulator running now.
 */
export function useSimulator(
	options: SimulatorOptions,
	per: 'each' | 'all' = 'each',
): TestSimulator {
	let current: Simulator | undefined;
	const start = async (startOptions: SimulatorOptions) => {
		current = await startSimulator(startOptions);
	};
	const close = async () => {
		await current?.close();
		current = undefined;
	};
	const restart = async (restartOptions: SimulatorOptions) => {
		await close();
		await start(restartOptions);
	};
	if (per === 'each') {
		beforeEach(async () => await start(options));
		afterEach(close);
	} else {
		beforeAll(async () => await start(options));
		afterAll(close);
		beforeEach(() => {
			current!.resetCounters();
			current!.setFaults({});
		});
	}
	return new Proxy({} as TestSimulator, {
		get(_target, key) {
			if (key === 'restart') return restart;
			if (!current) throw new Error(`simulator.${String(key)}: no simulator is running`);
			const value: unknown = Reflect.get(current, key);
			return typeof value === 'function' ? value.bind(current) : value;
		},
	});
}

/**
 * Calls the simulator's `endpoint` (under /general/) with `key` as the API key (none if null):
 * a GET sends `body` as `queryParams`, a POST as JSON.
 */
export async function callApi(
	sim: Simulator,
	method: 'GET' | 'POST',
	endpoint: string,
	body: Json,
	key: string | null = sim.apiKey,
): Promise<ApiResult> {
	const headers: Record<string, string> = {};
	if (key !== null) headers['sivi-api-key'] = key;
	// User management has its own prefix (super/…); everything else is under general/.
	let url = `${sim.baseUrl}/${endpoint.startsWith('super/') ? '' : 'general/'}${endpoint}`;
	let payload: string | undefined;
	if (method === 'GET') url += `?queryParams=${encodeURIComponent(JSON.stringify(body))}`;
	else {
		headers['content-type'] = 'application/json';
		payload = JSON.stringify(body);
	}
	const res = await fetch(url, { method, headers, body: payload });
	return { status: res.status, json: (await res.json()) as Json };
}

/** Expects Sivi's error envelope with this HTTP status and message. */
export function expectError(r: ApiResult, status: number, message: string | RegExp) {
	expect(r.status).toBe(status);
	expect(r.json.status).toBe(status);
	if (typeof message === 'string') expect(r.json.body).toEqual({ message });
	else expect(r.json.body.message).toMatch(message);
}

/**
 * Polls get-request-status until `ended(status)` holds (bounded, no fixed sleeps to race
 * against) and answers that status envelope.
 */
export async function waitForJob(
	sim: Simulator,
	requestId: string,
	ended: (status: string) => boolean,
): Promise<Json> {
	for (let attempt = 0; attempt < 200; attempt++) {
		const answer = (await callApi(sim, 'GET', 'get-request-status', { requestId })).json;
		if (ended(answer.body.status)) return answer;
		await sleep(20);
	}
	throw new Error(`job ${requestId} did not end`);
}

// Shared setup for the unit tests that run the Sivi node through n8n-core against the simulator:
// a simulator per test (or per file), node options pointed at it, and the requests a run made.
import type { Simulator } from '../simulator';
import {
	executeNode,
	type NodeParams,
	type NodeRunOptions,
	type RecordedRequest,
} from './n8nEngine';

export { useSimulator, type TestSimulator } from './simulatorApi';

/** `node(params, extra)`: run options for the Sivi node with the simulator's URL and API key. */
export const nodeOn =
	(sim: Simulator) =>
	(params: NodeParams, extra: Partial<NodeRunOptions> = {}): NodeRunOptions => ({
		params,
		baseUrl: sim.baseUrl,
		apiKey: sim.apiKey,
		...extra,
	});

/** The requests of a run to the Sivi endpoint `path` (e.g. 'media/get'), query left out. */
export const callsTo = (requests: RecordedRequest[], path: string) =>
	requests.filter((request) => new URL(request.url).pathname.endsWith(`/general/${path}`));

/** The bodies of the requests of a run to the Sivi endpoint `path`. */
export const bodiesTo = (requests: RecordedRequest[], path: string) =>
	callsTo(requests, path).map((request) => request.body);

/**
 * The Sivi API requests of a run (uploads and downloads left out), as `path → body`: paths below
 * general/ without it, user management as `super/…`.
 */
export const apiCalls = (requests: RecordedRequest[]) =>
	requests
		.filter((request) => /\/api\/prod\/v2\/(general|super)\//.test(request.url))
		.map((request) => ({
			method: request.method,
			path: new URL(request.url).pathname.replace(/^.*\/api\/prod\/v2\/(general\/)?/, ''),
			body: request.body,
		}));

/**
 * Runs the node and expects it refused every item before any request (none recorded, none
 * reached `sim`), with an error naming `label` and matching `rule`.
 */
export async function expectRefused(
	sim: Simulator,
	options: NodeRunOptions,
	label: string,
	rule: RegExp,
) {
	const run = await executeNode(options);
	expect(run.nodeFailed).toBe(true);
	expect(run.error?.message).toContain(label);
	expect(run.error?.message).toMatch(rule);
	expect(run.requests).toHaveLength(0);
	expect(sim.counters().requests).toBe(0);
	return run;
}

/** A resource locator value, as the node's `__rl` parameters hold it. */
export const rl = (value: string, mode = 'id') => ({ __rl: true, mode, value });

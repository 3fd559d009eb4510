// Helpers shared by the area specs (test/e2e/specs/*.mjs): reading counters, error texts and
// items of a run, and comparing content. Kept out of specs/, where every .mjs is an area.
import crypto from 'node:crypto';

/** How often the simulator saw the route `key`, e.g. 'PUT /upload/…' or 'POST general/font/get'. */
export const route = (counters, key) => counters.byRoute?.[key] ?? 0;

/** How often the simulator saw `POST general/<path>`. */
export const apiRoute = (counters, path) => route(counters, `POST general/${path}`);

export const errText = (e) => (e ? `${e.message ?? ''} ${e.description ?? ''}` : '');

export const sha256 = (bytes) => crypto.createHash('sha256').update(bytes).digest('hex');

/** JSON with sorted keys: the same blocks compare equal whatever their order. */
export const canonical = (value) =>
	JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v));

/** `one(node)`: checks that `node` output exactly one item and gives its json ({} if none). */
export const oneItemOf = (x) => (node) => {
	const items = x.items(node);
	x.check(items.length === 1, `${node}: 1 item`, items.length);
	return items[0]?.json ?? {};
};

/** Checks that the run's error says nothing was sent to Sivi. */
export const checkNothingSent = (x) =>
	x.check(/Nothing was sent to Sivi/.test(errText(x.error())), 'error says nothing was sent', errText(x.error()));

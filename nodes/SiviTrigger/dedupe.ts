// "Start nothing twice" for one job ending: keys `<requestId>:<completed|failed>`, kept in two
// bounded places. The module-level set is exact within one n8n process (n8n loads a node module
// once per process, and the check-and-add below has no await in it, so two copies of a delivery
// arriving at once cannot both pass). The workflow's static data carries the keys across restarts
// and to other processes, but n8n saves it only after a delivery has been handled, and in queue
// mode the last write wins, so it is a second line only.
import type { IDataObject } from 'n8n-workflow';

import type { TriggerEvent } from './delivery';

/** Keys kept per workflow + node in this process. */
export const MEMORY_KEYS = 1000;
/** Workflow + node scopes kept in this process (the least recently used is dropped). */
export const MEMORY_SCOPES = 200;
/** Keys kept in the workflow's static data. */
export const STATIC_KEYS = 200;
const STATIC_FIELD = 'startedFor';

const scopes = new Map<string, Set<string>>();

export function dedupeKey(requestId: string, event: TriggerEvent): string {
	return `${requestId}:${event}`;
}

function scopeSet(scope: string): Set<string> {
	let keys = scopes.get(scope);
	if (keys) {
		// Most recently used last.
		scopes.delete(scope);
	} else {
		keys = new Set();
	}
	scopes.set(scope, keys);
	while (scopes.size > MEMORY_SCOPES) scopes.delete(scopes.keys().next().value as string);
	return keys;
}

function staticKeys(staticData: IDataObject): string[] {
	const stored = staticData[STATIC_FIELD];
	return Array.isArray(stored)
		? stored.filter((key): key is string => typeof key === 'string')
		: [];
}

/** Whether a run was already started for this key. */
export function wasStarted(scope: string, staticData: IDataObject, key: string): boolean {
	return scopeSet(scope).has(key) || staticKeys(staticData).includes(key);
}

/**
 * Claims the key: true when no run was started for it yet (and records it), false otherwise.
 * Synchronous on purpose.
 */
export function claim(scope: string, staticData: IDataObject, key: string): boolean {
	const keys = scopeSet(scope);
	const stored = staticKeys(staticData);
	if (keys.has(key) || stored.includes(key)) return false;
	keys.add(key);
	while (keys.size > MEMORY_KEYS) keys.delete(keys.values().next().value as string);
	stored.push(key);
	staticData[STATIC_FIELD] = stored.slice(-STATIC_KEYS);
	return true;
}

/** For tests only: forgets every key of this process. */
export function forgetStartedKeys(): void {
	scopes.clear();
}

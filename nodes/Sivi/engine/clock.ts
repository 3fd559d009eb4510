import * as n8nWorkflow from 'n8n-workflow';

type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * n8n-workflow's sleep(ms, signal) honours the signal only from 2.x on. On n8n 1.x (n8n-workflow
 * 1.120) sleep(ms) ignores it, so a Nap could not be woken and a cancelled wait ran to its end;
 * 1.x exports sleepWithAbort(ms, signal) for that (2.x no longer does). Both reject when the
 * signal aborts and clear their timer.
 */
const legacySleepWithAbort = (n8nWorkflow as unknown as { sleepWithAbort?: Sleep }).sleepWithAbort;
const sleep: Sleep = async (ms, signal) =>
	signal && typeof legacySleepWithAbort === 'function'
		? await legacySleepWithAbort(ms, signal)
		: await n8nWorkflow.sleep(ms, signal);

/** Time source of the job engine. The benchmark swaps in a faster clock to scale Sivi's time. */
export interface Clock {
	now(): number;
	sleep(ms: number, signal?: AbortSignal): Promise<void>;
	/** Converts a wall-clock duration from the network (Retry-After) into this clock's ms. */
	fromWallMs(ms: number): number;
}

export const realClock: Clock = {
	now: () => Date.now(),
	sleep: async (ms, signal) => await sleep(Math.max(0, ms), signal),
	fromWallMs: (ms) => ms,
};

/** A clock running `factor` times faster than the wall: 60 s of Sivi time pass in 60/factor s. */
export function fasterClock(factor: number): Clock {
	const start = Date.now();
	return {
		now: () => start + (Date.now() - start) * factor,
		sleep: async (ms, signal) => await sleep(Math.max(0, ms / factor), signal),
		fromWallMs: (ms) => ms * factor,
	};
}

let engineClock: Clock = realClock;

export function currentClock(): Clock {
	return engineClock;
}

/** Used by the benchmark only; the node always runs on the real clock. */
export function useClock(clock: Clock): void {
	engineClock = clock;
}

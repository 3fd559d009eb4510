import { sleep } from 'n8n-workflow';

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

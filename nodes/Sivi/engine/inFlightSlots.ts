// How many jobs may be queued or running in Sivi at once, first come first served. The cap
// is the plan's (concurrency + queue); a "queue full" 429 means other processes or workflows
// share the key, so the cap shrinks to what Sivi took and grows back one job at a time.
import { SiviRequestError } from '../shared/siviError';

interface Waiter {
	resolve: () => void;
	reject: (error: Error) => void;
	detach: () => void;
}

export class InFlightSlots {
	private held = 0;

	private learned: number;

	private readonly waiters: Waiter[] = [];

	constructor(private cap: number) {
		this.learned = cap;
	}

	setCap(cap: number): void {
		this.cap = Math.max(1, cap);
		this.learned = Math.min(this.learned, this.cap);
		this.grant();
	}

	get inUse(): number {
		return this.held;
	}

	async acquire(signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw cancelled();
		if (!this.waiters.length && this.held < this.limit()) {
			this.held++;
			return;
		}
		await new Promise<void>((resolve, reject) => {
			const onAbort = () => {
				const index = this.waiters.indexOf(waiter);
				if (index >= 0) this.waiters.splice(index, 1);
				reject(cancelled());
			};
			const waiter: Waiter = {
				resolve,
				reject,
				detach: () => signal?.removeEventListener('abort', onAbort),
			};
			signal?.addEventListener('abort', onAbort, { once: true });
			this.waiters.push(waiter);
		});
	}

	release(): void {
		this.held = Math.max(0, this.held - 1);
		this.grant();
	}

	/** Sivi said its queue is full while `held` jobs of ours were out. */
	queueFull(): void {
		this.learned = Math.max(1, this.held - 1);
	}

	/** A job finished in Sivi: its place there is free again. */
	jobDone(): void {
		this.learned = Math.min(this.cap, this.learned + 1);
		this.grant();
	}

	private limit(): number {
		return Math.max(1, Math.min(this.cap, this.learned));
	}

	private grant(): void {
		while (this.waiters.length && this.held < this.limit()) {
			const waiter = this.waiters.shift()!;
			waiter.detach();
			this.held++;
			waiter.resolve();
		}
	}
}

function cancelled(): SiviRequestError {
	return new SiviRequestError('cancelled', 'The execution was cancelled before this was sent.');
}

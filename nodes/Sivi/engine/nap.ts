// A sleep that another part of the scheduler can cut short (a new job, a cancelled waiter),
// so a loop never sleeps past work that just arrived and holds no timer once it is done.
import type { Clock } from './clock';

export class Nap {
	private alarm?: AbortController;

	constructor(private readonly clock: Clock) {}

	/** Sleeps `ms` (Sivi time) or until wake() is called, whichever comes first. */
	async for(ms: number): Promise<void> {
		const alarm = new AbortController();
		this.alarm = alarm;
		try {
			await this.clock.sleep(Math.max(0, ms), alarm.signal);
		} catch {
			// Woken up early: that is the point.
		} finally {
			if (this.alarm === alarm) this.alarm = undefined;
		}
	}

	wake(): void {
		this.alarm?.abort();
	}
}

// The requests an account (or one execution) sent that may still sit in Sivi's 60 s window.
// A request reaches Sivi somewhere between being sent and being answered, so it is counted
// from its send until a window (plus a margin) after its answer: whatever Sivi's window holds
// when the next request arrives, this log holds too. Refused requests are counted like any.

/** Requests whose answer never comes are forgotten this long after being sent. */
const LOST_ANSWER_MS = 10 * 60_000;

export interface LogEntry {
	sentAt: number;
	answeredAt?: number;
}

export class SendLog {
	private entries: LogEntry[] = [];

	constructor(private readonly windowMs: number) {}

	add(sentAt: number): LogEntry {
		const entry: LogEntry = { sentAt };
		this.entries.push(entry);
		return entry;
	}

	answer(entry: LogEntry, at: number): void {
		if (entry.answeredAt === undefined) entry.answeredAt = Math.max(at, entry.sentAt);
	}

	/** A right to send that was not used (the request never left). */
	remove(entry: LogEntry): void {
		const index = this.entries.indexOf(entry);
		if (index >= 0) this.entries.splice(index, 1);
	}

	private expiresAt(entry: LogEntry): number {
		return (entry.answeredAt ?? entry.sentAt + LOST_ANSWER_MS) + this.windowMs;
	}

	/** Requests that may still be in Sivi's window at `now`. */
	count(now: number): number {
		this.entries = this.entries.filter((entry) => this.expiresAt(entry) > now);
		return this.entries.length;
	}

	/** Requests sent and not answered yet. */
	inFlight(): number {
		return this.entries.filter((entry) => entry.answeredAt === undefined).length;
	}

	/** When the count drops next, if an answered request is in it (else when an answer comes). */
	nextExpiry(): number {
		let next = Infinity;
		for (const entry of this.entries)
			if (entry.answeredAt !== undefined) next = Math.min(next, this.expiresAt(entry));
		return next;
	}
}

// How long jobs of one kind (endpoint and model) take on one account: an estimate and how sure
// it is. A measured range that is tighter than the estimate moves it; a loose one (a job found
// done at its first look) only trims it, and lets it slide down a little, so an estimate that
// was too long shrinks back instead of planning the next look late and being "confirmed" by it.

/** The estimate is never taken as surer than this share of itself. */
const ERR_FLOOR = 0.015;
/** Share of the error an uninformative measurement moves the estimate down. */
const SLIDE = 0.25;
/** The old estimate's error counts this much larger when weighed against a new measurement. */
const DRIFT = 1.2;

export interface Estimate {
	ms: number;
	/** Half-width of the likely range. */
	err: number;
}

export class DurationStats {
	private readonly byKey = new Map<string, Estimate>();

	/** Kinds whose `progress` contradicted what the looks showed: not linear in time. */
	private readonly progressDoubted = new Set<string>();

	/** Kinds whose running jobs were seen with a `progress`. */
	private readonly progressSeen = new Set<string>();

	/** Bumped on every change, so plans made without the news can be redone. */
	version = 0;

	estimate(key: string): number | undefined {
		return this.byKey.get(key)?.ms;
	}

	/** Sivi does not say that `progress` grows evenly with time; it is read so until shown not to. */
	trustsProgress(key: string): boolean {
		return !this.progressDoubted.has(key);
	}

	/** Jobs of this kind answer with a progress that can be read: a look while it runs pays. */
	readsProgress(key: string): boolean {
		return this.progressSeen.has(key) && this.trustsProgress(key);
	}

	sawProgress(key: string): void {
		this.progressSeen.add(key);
	}

	doubtProgress(key: string): void {
		if (this.progressDoubted.has(key)) return;
		this.progressDoubted.add(key);
		this.version++;
	}

	range(key: string): { lo: number; hi: number } | undefined {
		const known = this.byKey.get(key);
		return known && { lo: Math.max(1, known.ms - known.err), hi: known.ms + known.err };
	}

	/**
	 * A job of this kind took between `lo` and `hi` ms, most likely `best` (the middle).
	 * `slide` false: the job was looked at only once it had surely ended, so a loose range
	 * says nothing about the estimate being too long.
	 */
	record(key: string, lo: number | undefined, hi = lo, best?: number, slide = true): void {
		if (lo === undefined || hi === undefined || !Number.isFinite(hi) || hi <= 0) return;
		lo = Math.max(0, Math.min(lo, hi));
		const mid = Math.min(hi, Math.max(lo, best ?? (lo + hi) / 2));
		const half = Math.max(mid - lo, hi - mid);
		const old = this.byKey.get(key);
		this.version++;
		if (!old) {
			this.byKey.set(key, { ms: mid, err: Math.max(half, ERR_FLOOR * mid) });
			return;
		}
		const oldLo = old.ms - old.err;
		const oldHi = old.ms + old.err;
		const cutLo = Math.max(lo, oldLo);
		const cutHi = Math.min(hi, oldHi);
		let next: Estimate;
		if (cutLo > cutHi) {
			// The kind of job changed: believe the new measurement.
			next = { ms: mid, err: half };
		} else if (half <= old.err && lo > oldLo && hi < oldHi) {
			// Weighed by how sure each is; the old one a little less (jobs drift).
			const oldWeight = 1 / (DRIFT * old.err) ** 2;
			const newWeight = 1 / Math.max(half, 1) ** 2;
			next = {
				ms: (old.ms * oldWeight + mid * newWeight) / (oldWeight + newWeight),
				err: Math.sqrt(1 / (oldWeight + newWeight)),
			};
		} else if (cutLo > oldLo || cutHi < oldHi) {
			// A range open on one side (a job first seen done: no lower bound) only trims.
			next = { ms: (cutLo + cutHi) / 2, err: (cutHi - cutLo) / 2 };
		} else if (slide) {
			next = { ms: old.ms - SLIDE * old.err, err: old.err };
		} else {
			return;
		}
		next.err = Math.max(next.err, ERR_FLOOR * next.ms);
		this.byKey.set(key, next);
	}
}

// What the looks at one job say about when it started (s) and how long it runs (D). Every
// observation is a linear bound on (s, D): it started after its submit, after a pending answer
// (and after queueWaitTime, whatever that means); a processing answer with `progress` p at a
// look sent at t0 and answered at t1 says s + D·p/100 ≤ t1 and s + D·(p+1)/100 > t0; done at t1
// says s + D ≤ t1. The ranges of D and of the end s + D are read off the corners of that region
// (a tiny linear program), so nothing assumes the job started at its submit.

/** a·s + b·D ≤ c */
export interface Bound {
	a: number;
	b: number;
	c: number;
}

export interface Range {
	lo: number;
	hi: number;
}

const DAY_MS = 86_400_000;

export const startAfter = (t: number): Bound => ({ a: -1, b: 0, c: -t });
export const startBy = (t: number): Bound => ({ a: 1, b: 0, c: t });
/** Started by the time `runs` jobs as long as this one could have run one after another from t. */
export const startByAfterRuns = (runs: number, t: number): Bound => ({ a: 1, b: -runs, c: t });
/** Not started before `runs` jobs as long as this one had run one after another from t. */
export const startAfterRuns = (runs: number, t: number): Bound => ({ a: -1, b: runs, c: -t });
/** At least `share` (0–1) of the job was done by t. */
export const doneShareBy = (share: number, t: number): Bound => ({ a: 1, b: share, c: t });
/** Less than `share` of the job was done at t. */
export const doneShareAfter = (share: number, t: number): Bound => ({ a: -1, b: -share, c: -t });
export const durationAtLeast = (ms: number): Bound => ({ a: 0, b: -1, c: -ms });
export const durationAtMost = (ms: number): Bound => ({ a: 0, b: 1, c: ms });

/** Corners of the region (relative to `origin`, for precision), or none if it is empty. */
function corners(bounds: Bound[], origin: number): Array<{ s: number; d: number }> {
	const box = [
		startAfter(origin - DAY_MS),
		startBy(origin + DAY_MS),
		durationAtLeast(1),
		durationAtMost(DAY_MS),
	];
	// Shift s by the origin: a·(s' + origin) + b·D ≤ c.
	const all = [...bounds, ...box].map((k) => ({ a: k.a, b: k.b, c: k.c - k.a * origin }));
	const points: Array<{ s: number; d: number }> = [];
	for (let i = 0; i < all.length; i++)
		for (let j = i + 1; j < all.length; j++) {
			const p = all[i];
			const q = all[j];
			const det = p.a * q.b - q.a * p.b;
			if (Math.abs(det) < 1e-12) continue;
			const s = (p.c * q.b - q.c * p.b) / det;
			const d = (p.a * q.c - q.a * p.c) / det;
			const ok = all.every((k) => k.a * s + k.b * d <= k.c + 1e-6 * (1 + Math.abs(k.c)));
			if (ok) points.push({ s, d });
		}
	return points;
}

/** Ranges of the duration and of the end time the bounds allow; undefined when they conflict. */
export function solve(
	bounds: Bound[],
	origin: number,
): { duration: Range; end: Range; start: Range } | undefined {
	const points = corners(bounds, origin);
	if (!points.length) return undefined;
	const range = (values: number[]): Range => ({
		lo: Math.min(...values),
		hi: Math.max(...values),
	});
	return {
		duration: range(points.map((p) => p.d)),
		end: range(points.map((p) => origin + p.s + p.d)),
		start: range(points.map((p) => origin + p.s)),
	};
}

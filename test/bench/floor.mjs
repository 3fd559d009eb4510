// The physical floor of a benchmark row: the least time any client could take under the row's
// limiter, in Sivi seconds. Times in seconds.

/**
 * 60 s window: N jobs of length T on the plan's running slots (Sivi queues up to `queue` more),
 * each needing a submit before it starts and one status check at or after its end, with no 60 s
 * window holding more than the plan's requests. A greedy schedule: whenever the window has
 * room, submit while Sivi takes jobs, then check jobs that ended; the floor is the last check.
 * Submitting first and checking first are both tried; the faster one counts.
 *
 * `looks`: requests that are neither, sent at the start (at best): a client that does not know
 * how long such jobs take must look at its first job before it ends to learn it.
 */
export function windowFloor(n, T, plan, windowS = 60, looks = 0) {
	return Math.min(
		greedy(n, T, plan, windowS, 'submits', looks),
		greedy(n, T, plan, windowS, 'checks', looks),
	);
}

function greedy(n, T, { requestsPerMinute: limit, concurrency, queue }, windowS, first, looks) {
	let t = 0;
	let unsubmitted = n;
	let waiting = 0;
	let running = [];
	let ended = 0;
	let checked = 0;
	let last = 0;
	const sent = Array(looks).fill(0);
	const room = () => limit - sent.filter((at) => at > t - windowS).length;
	while (checked < n) {
		running = running.filter((end) => (end <= t ? (ended++, false) : true));
		while (waiting && running.length < concurrency) {
			waiting--;
			running.push(t + T);
		}
		for (;;) {
			const canSubmit = unsubmitted > 0 && waiting + running.length < concurrency + queue;
			const canCheck = ended > 0;
			if (room() <= 0 || (!canSubmit && !canCheck)) break;
			if (canSubmit && (first === 'submits' || !canCheck)) {
				unsubmitted--;
				sent.push(t);
				if (running.length < concurrency) running.push(t + T);
				else waiting++;
			} else {
				ended--;
				checked++;
				sent.push(t);
				last = t;
			}
		}
		const next = [...running];
		if (room() <= 0) next.push(Math.min(...sent.filter((at) => at > t - windowS)) + windowS);
		if (!next.length) break;
		t = Math.min(...next);
	}
	return last;
}

/**
 * Leaky bucket: 2N requests, the first `burst` at once and the rest at the plan's steady rate,
 * and never less than the slots allow.
 */
export function leakyFloor(n, T, { requestsPerMinute: limit, concurrency }, burst = 1) {
	return Math.max(Math.ceil(n / concurrency) * T, ((2 * n - burst) * 60) / limit);
}

export const FLOOR_DEFINITIONS = [
	"Floor (window rows): the least time in which N jobs of length T run on the plan's 4 slots (10 more queued) when each " +
		'needs a submit and one status check at or after its end and no 60 s window holds more than 50 requests ' +
		'(a greedy schedule, test/bench/floor.mjs).',
];

/** Printed under the window rows where a new account's one look costs a whole window. */
export const NEW_ACCOUNT_DEFINITION =
	'New-account reference (not judged): the window floor when the client also looks once at its first job before it ' +
	'ends (once per worker process). That is how an account that has never run the kind learns how long such jobs ' +
	"take: Sivi's answers carry no timing, and a look after the end only bounds the length from above. It differs " +
	'from the floor only where 2N requests fill whole windows.';

export const leakyFloorDefinition = (burst) =>
	`Floor (leaky rows): max(ceil(N/4)·T, 2N requests: ${burst} at once, the rest one per 1.2 s (the steady 50 per minute)).`;

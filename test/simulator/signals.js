'use strict';
/**
 * What Sivi's answers say about a job's timing. Sivi documents `queueWaitTime` (ms; every example
 * shows 0) and `progress` (an integer percentage while processing), but promises neither what
 * queueWaitTime measures nor that progress grows evenly with time. The defaults are the friendly
 * readings (the exact wait left; progress linear in time); the others are the harsh cases a
 * client must survive without wasting requests:
 *   queueWaitMeaning: 'remaining' | 'zero' (as in every docs example) | 'seconds' (Sivi's
 *     explorer logs it as seconds) | 'overstated' (twice the wait left: an estimate on the safe
 *     side, which makes a job look as if it started later than it did);
 *   progressCurve: 'linear' | 'ahead' (√ of the time share: early readings overstate how far the
 *     job is) | 'behind' (its square) | 'none' (no progress field at all).
 */
const QUEUE_WAIT_MEANINGS = ['remaining', 'zero', 'seconds', 'overstated'];
const PROGRESS_CURVES = ['linear', 'ahead', 'behind', 'none'];

/** queueWaitTime as Sivi would send it, for a job that will start in `remainingMs`. */
function queueWaitTime(meaning, remainingMs) {
	switch (meaning) {
		case 'zero':
			return 0;
		case 'seconds':
			return Math.round(remainingMs / 1000);
		case 'overstated':
			return Math.round(remainingMs * 2);
		default:
			return remainingMs;
	}
}

/** `progress` for a job that has run `share` (0 ≤ share < 1) of its time; undefined: none sent. */
function progress(curve, share) {
	if (curve === 'none') return undefined;
	const shown = curve === 'ahead' ? Math.sqrt(share) : curve === 'behind' ? share * share : share;
	return Math.max(0, Math.min(99, Math.floor(shown * 100)));
}

function checkSignalOptions(o) {
	if (o.queueWaitMeaning !== undefined && !QUEUE_WAIT_MEANINGS.includes(o.queueWaitMeaning))
		throw new Error(`queueWaitMeaning must be one of ${QUEUE_WAIT_MEANINGS.join(', ')}`);
	if (o.progressCurve !== undefined && !PROGRESS_CURVES.includes(o.progressCurve))
		throw new Error(`progressCurve must be one of ${PROGRESS_CURVES.join(', ')}`);
}

module.exports = {
	QUEUE_WAIT_MEANINGS,
	PROGRESS_CURVES,
	queueWaitTime,
	progress,
	checkSignalOptions,
};

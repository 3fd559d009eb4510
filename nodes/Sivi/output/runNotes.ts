// What a run tells the user beyond its items: the paid work a failed run still produced (so a
// rerun is never the only way to get it back) and n8n execution hints for what slowed or
// shortened the run.
import type { IDataObject, NodeExecutionHint } from 'n8n-workflow';

import type { BatchReport, JobOutcome } from '../engine/accountScheduler';
import { resultImages, type SiviJobJson } from './normalize';

/** Only hints worth reading: waits shorter than this are the plan's normal pacing. */
const NOTABLE_WAIT_MS = 30_000;

/** Items the engine stopped (cancelled): never the cause worth reporting first. */
export const wasStopped = (outcome: JobOutcome) =>
	outcome.kind === 'error' && outcome.error.kind === 'cancelled';

function stillRunning(outcomes: JobOutcome[]): string[] {
	return outcomes
		.filter((outcome) => wasStopped(outcome) && 'requestId' in outcome && outcome.requestId)
		.map((outcome) => (outcome as { requestId: string }).requestId);
}

/** For the error of a run that stopped: the jobs that finished and those still running. */
export function paidWork(outcomes: JobOutcome[], results: Array<IDataObject | undefined>): string {
	const finished = results
		.filter((json): json is SiviJobJson => json?.status === 'completed' && !json.error)
		.map((json) => {
			const urls = resultImages(json).map((image) => image.url);
			return urls.length ? `${json.requestId} (${urls.join(', ')})` : json.requestId;
		});
	const running = stillRunning(outcomes);
	return [
		finished.length ? `Jobs that finished: ${finished.join('; ')}.` : '',
		running.length
			? `Jobs already submitted that may still finish in Sivi: ${running.join(', ')} (use Get Status).`
			: '',
	]
		.filter(Boolean)
		.join(' ');
}

export function runHints(
	report: BatchReport,
	refusedDownloads: number,
	toolMode = false,
): NodeExecutionHint[] {
	const hints: NodeExecutionHint[] = [];
	const timedOut = report.outcomes
		.filter((outcome) => outcome.kind === 'finished' && outcome.end.state === 'timeout')
		.map((outcome) => (outcome as { requestId: string }).requestId);
	if (timedOut.length) {
		hints.push({
			// A tool run answered "processing": the caller goes on with the status tool.
			message: toolMode
				? `${timedOut.length} Sivi job(s) were still running when the tool stopped waiting: ${timedOut.join(', ')}. The caller got status "processing" with the request ID; the status tool (Request → Get Status) returns the result.`
				: `${timedOut.length} Sivi job(s) were still running at Max Wait: ${timedOut.join(', ')}. Use Request → Get Status with these IDs later, or raise Max Wait.`,
			type: toolMode ? 'info' : 'warning',
			location: 'outputPane',
		});
	}
	if (report.refusals || report.pacedWaitMs >= NOTABLE_WAIT_MS) {
		const seconds = Math.round(report.pacedWaitMs / 1000);
		hints.push({
			message: `Sivi's rate limit slowed this run: requests waited ${seconds} s in total for the plan's requests per minute${report.refusals ? `, and Sivi refused ${report.refusals} with 429 (waited out, nothing lost)` : ''}. The limit is shared by every execution using this API key; check the credential's Plan and n8n Processes Using This Key.`,
			type: 'info',
			location: 'outputPane',
		});
	}
	if (refusedDownloads) {
		hints.push({
			message: `${refusedDownloads} image download(s) were refused. The image URLs are still in the items' JSON.`,
			type: 'warning',
			location: 'outputPane',
		});
	}
	return hints;
}

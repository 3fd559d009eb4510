// What a job operation's run does about credits before it sends anything: the budget (Max
// Credits per Run) and the dry run, which checks every item as a real run does and outputs the
// request it would send instead of sending it.
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { creditsJson, creditsSummary, upperCredits, type JobCredits } from '../output/credits';
import type { ItemError } from '../shared/itemErrors';
import { dryRunJob, type PreparedJob } from './common/prepare';
import type { ItemPolicy } from './itemPolicy';

/** Refuses the whole run when its items' upper estimates add up to more than `budget`. */
export function checkBudget(
	context: IExecuteFunctions,
	estimates: Array<JobCredits | undefined>,
	budget: number,
): void {
	const jobs = estimates.filter((estimate): estimate is JobCredits => !!estimate);
	const total = upperCredits(jobs);
	if (total <= budget) return;
	const atMinimum = jobs.filter((job) => job.max === null && job.min !== null).length;
	const unpriced = jobs.filter((job) => job.min === null).length;
	const notes = [
		atMinimum
			? `${atMinimum} of them use a model whose price has no maximum (e.g. 2+), counted at its minimum, so the run may cost more.`
			: '',
		unpriced ? `${unpriced} have no published price and are not counted.` : '',
	].filter(Boolean);
	throw new NodeOperationError(
		context.getNode(),
		`This run would use up to ${total} credits for ${jobs.length} item${jobs.length === 1 ? '' : 's'}, more than Max Credits per Run (${budget})`,
		{
			description: [
				'Nothing was sent to Sivi.',
				...notes,
				'Send fewer items or variants, choose a cheaper model, or raise Max Credits per Run.',
			].join(' '),
		},
	);
}

/** A dry run: every item checked and resolved as in a real run, then shown instead of sent. */
export async function dryRun(
	context: IExecuteFunctions,
	prepared: Array<PreparedJob | undefined>,
	estimates: Array<JobCredits | undefined>,
	policy: ItemPolicy,
): Promise<INodeExecutionData[]> {
	const output: INodeExecutionData[] = [];
	const shown: JobCredits[] = [];
	for (let i = 0; i < prepared.length; i++) {
		const job = prepared[i];
		if (!job) {
			output.push(policy.errorOutput(policy.errors[i]!, i));
			continue;
		}
		try {
			const request = await dryRunJob(context, i, job);
			if (!request) continue;
			// Resolve adds uploads and lookups, never what the price depends on: the estimate stands.
			const estimate = estimates[i];
			if (estimate) shown.push(estimate);
			const json: IDataObject = {
				dryRun: true,
				endpoint: `general/${request.path}`,
				body: request.body,
			};
			if (estimate) json.credits = creditsJson(estimate);
			output.push({ json, pairedItem: { item: i } });
		} catch (error) {
			policy.fail(error, i);
			output.push(policy.errorOutput(policy.errors[i] as ItemError, i));
		}
	}
	const summary = creditsSummary(shown);
	// addExecutionHints is missing on older n8n versions.
	if (typeof context.addExecutionHints === 'function')
		context.addExecutionHints({
			message: `Dry run: nothing was submitted.${summary ? ` A real run would submit ${summary}.` : ''}`,
			type: 'info',
			location: 'outputPane',
		});
	return output;
}

// How a call operation runs for all items of one execution: validate every item first (no
// requests), then make each valid item's calls, a few items at a time, through the account's
// pacing. One output item (or a list of them) per input item, in input order, with pairedItem.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { limitConcurrency } from '../shared/limitConcurrency';
import type { ItemPolicy } from './itemPolicy';
import type { CallOperation } from './types';

/**
 * Items whose calls run at once with continueOnFail; the account's pacing decides when each
 * request goes. Without it items go one by one, so that after the first failure nothing more has
 * been sent (a Create or Delete already in flight could not be called back).
 */
const ITEM_CONCURRENCY = 4;

export async function runCalls(
	context: IExecuteFunctions,
	operation: CallOperation,
	policy: ItemPolicy,
): Promise<INodeExecutionData[]> {
	const items = context.getInputData();
	const prepared = new Array<unknown>(items.length).fill(undefined);
	const valid = new Array<boolean>(items.length).fill(false);
	for (let i = 0; i < items.length; i++) {
		try {
			prepared[i] = operation.prepare(context, i);
			valid[i] = true;
		} catch (error) {
			policy.fail(error, i);
		}
	}

	const limit = limitConcurrency(policy.continueOnFail ? ITEM_CONCURRENCY : 1);
	let stopped = false;
	const output = await Promise.all(
		items.map(
			async (_item, i): Promise<INodeExecutionData[]> =>
				await limit(async () => {
					if (!valid[i]) return [policy.errorOutput(policy.errors[i]!, i)];
					// Without continueOnFail, nothing more is sent after the first failure.
					if (stopped) return [];
					try {
						const result = await operation.execute(context, prepared[i], i);
						const list = Array.isArray(result) ? result : [result];
						return list.map((json) => ({ json, pairedItem: { item: i } }));
					} catch (error) {
						if (!policy.continueOnFail) stopped = true;
						policy.fail(error, i, 'call');
						return [policy.errorOutput(policy.errors[i]!, i)];
					}
				}),
		),
	);
	return output.flat();
}

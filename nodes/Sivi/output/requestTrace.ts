// A tool run's request IDs go into the execution's custom data as soon as Sivi accepts each job.
// When the caller (an MCP client) goes away, n8n saves the execution before the tool has
// answered; the paid job's ID is then kept there, and nowhere else.
import type { IDataObject, IExecuteFunctions, IWorkflowExecutionCustomData } from 'n8n-workflow';

import { submitResponseSchema } from '../validation/responseSchemas';

const KEY = 'siviRequestIds';
/** n8n keeps at most this many characters of a custom data value. */
const MAX_LENGTH = 255;

/** n8n 2.x has it on the context, n8n 1.x in the expression data ($execution.customData). */
function customData(context: IExecuteFunctions): IWorkflowExecutionCustomData | undefined {
	try {
		if (context.customData) return context.customData;
	} catch {
		// No execution data in this context: try the expression data.
	}
	try {
		const execution = context.getWorkflowDataProxy(0).$execution as
			| { customData?: IWorkflowExecutionCustomData }
			| undefined;
		return execution?.customData;
	} catch {
		return undefined;
	}
}

/** Adds the request ID of an accepted submit answer; never fails the run. */
export function traceSubmitted(context: IExecuteFunctions, answer: IDataObject): void {
	const parsed = submitResponseSchema.safeParse(answer);
	const data = parsed.success ? customData(context) : undefined;
	if (!parsed.success || !data) return;
	try {
		const known = (data.get(KEY) ?? '').split(', ').filter(Boolean);
		if (known.includes(parsed.data.requestId)) return;
		const value = [...known, parsed.data.requestId].join(', ');
		if (value.length <= MAX_LENGTH) data.set(KEY, value);
	} catch {
		// Custom data is full or refused: the answer still carries the ID.
	}
}

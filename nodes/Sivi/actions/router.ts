// execute() of the node: find the operation, dispatch it by kind, and apply the per-item error
// policy (validate every item before any request; stop at the first failure, or turn each
// failure into an error item when the node continues on fail).
import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { runCalls } from './callRun';
import { ItemPolicy } from './itemPolicy';
import { runJobs } from './jobRun';
import { findOperation } from './operations';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = findOperation(resource, operationName);
	if (!operation) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" of "${resource}" is not known`,
		);
	}
	const policy = new ItemPolicy(this, this.getInputData().length, isToolRun(this));
	const output =
		operation.kind === 'job'
			? await runJobs(this, operation, policy)
			: await runCalls(this, operation, policy);
	return [output];
}

/**
 * An AI agent called the node as a tool. In-process tools (AI Agent 2.x) say so through
 * isToolExecution(), which n8n 1.x lacks; AI Agent 3.x runs the `…Tool` node type through the
 * workflow engine in an ordinary execute context, where isToolExecution() is always false.
 */
function isToolRun(context: IExecuteFunctions): boolean {
	if (/Tool$/.test(context.getNode().type)) return true;
	return typeof context.isToolExecution === 'function' && context.isToolExecution();
}

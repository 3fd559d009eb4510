// Every operation of the node. The router and the node description read this list.
import { createFromContent } from './design/createFromContent.operation';
import { createFromPrompt } from './design/createFromPrompt.operation';
import { generateMedia } from './media/generate.operation';
import { getStatus } from './request/getStatus.operation';
import type { SiviOperation } from './types';

export const operations: SiviOperation[] = [
	generateMedia,
	createFromContent,
	createFromPrompt,
	getStatus,
];

export function findOperation(resource: string, operation: string): SiviOperation | undefined {
	return operations.find((entry) => entry.resource === resource && entry.operation === operation);
}

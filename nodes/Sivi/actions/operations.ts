// Every operation of the node, by resource. The router and the node description read this list.
import { brandOperations } from './brand';
import { designOperations } from './design';
import { endUserOperations } from './endUser';
import { fontOperations } from './font';
import { mediaOperations } from './media';
import { getStatus } from './request/getStatus.operation';
import type { SiviOperation } from './types';

export const operations: SiviOperation[] = [
	...brandOperations,
	...designOperations,
	...endUserOperations,
	...fontOperations,
	...mediaOperations,
	getStatus,
];

export function findOperation(resource: string, operation: string): SiviOperation | undefined {
	return operations.find((entry) => entry.resource === resource && entry.operation === operation);
}

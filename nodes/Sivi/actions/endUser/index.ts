// End User operations (super/*, Super and Enterprise keys): create or log in, cap credits, delete.
import type { SiviOperation } from '../types';
import { createEndUser } from './create.operation';
import { deleteEndUser } from './delete.operation';
import { setEndUserCreditLimit } from './setCreditLimit.operation';

export const endUserOperations: SiviOperation[] = [
	createEndUser,
	setEndUserCreditLimit,
	deleteEndUser,
];

// zod schemas of the super/* request bodies of Super and Enterprise keys (REFERENCE §10; Sivi's
// Login User and Set Credit Limit pages). Messages state the rule only; `describeIssues` puts the
// UI label in front ("Credit Limit must be …").
import { z } from 'zod';

import { brandCreateSchema } from './brandSchemas';
import { requiredText } from './requestSchemas';

/** Sivi's abstractUserId: the caller's own ID of the end user, any text. */
const abstractUserId = requiredText(200);

// ---- super/login-user -----------------------------------------------------------------------------

/** The optional brand of a new end user: brand/create's fields (name and description needed). */
const loginBrand = brandCreateSchema.omit({ abstractUserId: true });

export const endUserCreateSchema = z
	.object({ abstractUserId, brand: loginBrand.optional() })
	.strict();

// ---- super/set-user-credit-limit ------------------------------------------------------------------

/** -1 = unlimited (Sivi's default); otherwise a whole number of credits, 0 or more. */
const creditLimit = z
	.number({ required_error: 'is required', invalid_type_error: 'must be a number' })
	.int('must be a whole number of credits')
	.refine((value) => value >= -1, 'must be 0 or more, or -1 for no limit');

export const endUserCreditLimitSchema = z.object({ abstractUserId, creditLimit }).strict();

// ---- super/delete-user ----------------------------------------------------------------------------

export const endUserDeleteSchema = z.object({ abstractUserId }).strict();

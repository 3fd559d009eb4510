// Catalog values (design type, size, language, design model; image model and size of Generate
// Media) are chosen from the node's lists, or given by ID with an expression, n8n's usual escape
// for options ("Choose from the list, or specify an ID using an expression"). A value given by ID
// may be one Sivi added after this node's release: it is checked for its shape only, and Sivi's
// own 422 (which uses no credits) decides whether it knows it. See validation/requestSchemas.ts.
// Each such field's description ends: "Choose from the list, or specify an ID using an
// expression (e.g. one Sivi added after this node version)."
import type { IExecuteFunctions } from 'n8n-workflow';

import type { ById, CatalogField } from '../../validation/requestSchemas';

/** Whether the node's parameter `name` holds an expression (n8n stores those as "=…"). */
export function givenByExpression(context: IExecuteFunctions, name: string): boolean {
	const raw = context.getNode().parameters[name];
	return typeof raw === 'string' && raw.startsWith('=');
}

/** Which catalog fields of an operation came by ID; `fields` maps each to its parameter name. */
export function catalogById(
	context: IExecuteFunctions,
	fields: Partial<Record<CatalogField, string>>,
): ById {
	const byId: ById = {};
	for (const [field, parameter] of Object.entries(fields) as Array<[CatalogField, string]>)
		byId[field] = givenByExpression(context, parameter);
	return byId;
}

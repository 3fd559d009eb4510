// Field values → a validated request body, the same way for every operation: build the body
// from the fields' declarations, check it with the operation's schema, and refuse the item
// with an error that names the field. Nothing is sent for a refused item.
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeProperties,
} from 'n8n-workflow';
import type { ZodTypeAny } from 'zod';

import type { JobSpec } from '../../engine/accountScheduler';
import { durationKey } from '../../engine/pollPlan';
import { buildBody, bodyPaths } from '../../shared/bodyFields';
import { describeIssues } from '../../validation/describeIssues';

export interface BodyRecipe {
	properties: INodeProperties[];
	schema: ZodTypeAny;
	/** Adds what fields alone cannot say, as placeholders the schema checks. No requests. */
	complete?(body: IDataObject, context: IExecuteFunctions, itemIndex: number): IDataObject;
}

export function refuse(
	context: IExecuteFunctions,
	itemIndex: number,
	problems: string[],
): NodeOperationError {
	return new NodeOperationError(context.getNode(), problems.join('; '), {
		itemIndex,
		description:
			`Nothing was sent to Sivi for this item, so no credits were used. ${problems.length > 1 ? `${problems.length} problems.` : ''}`.trim(),
	});
}

/** Reads a parameter; a resource locator gives its plain value (n8n's extractValue). */
export function readParameter(
	context: IExecuteFunctions,
	property: INodeProperties,
	itemIndex: number,
): unknown {
	// null, not undefined: n8n throws "Could not get parameter" for hidden fields without a fallback.
	const value = context.getNodeParameter(property.name, itemIndex, null);
	// extractValue looks the field up among the displayed ones, so only ask for a set, shown one.
	if (property.type !== 'resourceLocator' || value === null) return value;
	return context.getNodeParameter(property.name, itemIndex, null, { extractValue: true });
}

/** The item's validated request body. Throws NodeOperationError naming the field. */
export function validBody(
	context: IExecuteFunctions,
	itemIndex: number,
	recipe: BodyRecipe,
): IDataObject {
	let fields = buildBody(recipe.properties, (property) =>
		readParameter(context, property, itemIndex),
	);
	if (recipe.complete) fields = recipe.complete(fields, context, itemIndex);
	const parsed = recipe.schema.safeParse(fields);
	if (!parsed.success)
		throw refuse(context, itemIndex, describeIssues(parsed.error, bodyPaths(recipe.properties)));
	return parsed.data as IDataObject;
}

/** A job that submits the item's validated body to `path`. */
export function submitJob(
	context: IExecuteFunctions,
	itemIndex: number,
	wait: boolean,
	path: string,
	recipe: BodyRecipe,
): JobSpec {
	const body = validBody(context, itemIndex, recipe);
	const job: JobSpec = { submit: { path, body }, wait, durationKey: durationKey(path, body) };
	// Super/Enterprise keys act for one end user: their job's status is theirs too.
	if (typeof body.abstractUserId === 'string')
		job.statusQuery = { abstractUserId: body.abstractUserId };
	return job;
}

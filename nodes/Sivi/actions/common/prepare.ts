// Field values → the request body that is sent, the same way for every operation, in this order:
//   prepare: build the body from the fields' declarations (buildBody) and what the item gives
//            beside them (complete), then check it with the endpoint's schema, told what resolve
//            will still add; a refused item names the field, and nothing is sent for it;
//   resolve: the free requests the body needs (uploads, the default brand, font names);
//   check:   the resolved body against the endpoint's schema, in the form it is sent;
//   send:    the job goes to the account's scheduler (jobRun.ts), a call to its request.
// A failure of resolve or of that last check becomes one kind of item error: notSubmitted().
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
import { notSubmitted } from '../../shared/itemErrors';
import { describeIssues } from '../../validation/describeIssues';
import type { Incoming } from '../../validation/requestSchemas';
import { endUserOf } from './abstractUser';

/** A dry run resolves what it can read (default brand, fonts) and shows uploads as stand-ins. */
export interface ResolveMode {
	dryRun: boolean;
}

const REAL_RUN: ResolveMode = { dryRun: false };

/** What prepare adds besides the fields: the body, and what resolve will upload into it. */
export interface Completed {
	body: IDataObject;
	incoming?: Incoming;
}

export interface BodyRecipe {
	properties: INodeProperties[];
	/**
	 * The endpoint's schema of the body as sent; a function when resolve adds to the body: given
	 * `incoming`, it checks the body before resolve.
	 */
	schema: ZodTypeAny | ((incoming?: Incoming) => ZodTypeAny);
	/** What the item gives beside the fields (Content (JSON), binary files). Refuses; no requests. */
	complete?(body: IDataObject, context: IExecuteFunctions, itemIndex: number): Completed;
	/** The requests a checked body needs before it is sent: uploads, default brand, font names. */
	resolve?(
		body: IDataObject,
		incoming: Incoming,
		context: IExecuteFunctions,
		itemIndex: number,
		mode: ResolveMode,
	): Promise<IDataObject>;
}

/** A recipe's resolve step. */
export type Resolve = NonNullable<BodyRecipe['resolve']>;

/** A body checked as far as the fields decide, and what resolve will add to it. */
export type PreparedBody = Completed;

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

/** `body` as the recipe's schema parses it, or the problems, each naming its field. */
function checked(
	recipe: BodyRecipe,
	body: IDataObject,
	incoming?: Incoming,
): { body: IDataObject; problems?: undefined } | { problems: string[] } {
	const schema = typeof recipe.schema === 'function' ? recipe.schema(incoming) : recipe.schema;
	const parsed = schema.safeParse(body);
	if (parsed.success) return { body: parsed.data as IDataObject };
	return { problems: describeIssues(parsed.error, bodyPaths(recipe.properties)) };
}

/** Prepare: the item's body from its fields, checked. Throws NodeOperationError naming the field. */
export function prepareBody(
	context: IExecuteFunctions,
	itemIndex: number,
	recipe: BodyRecipe,
): PreparedBody {
	const fields = buildBody(recipe.properties, (property) =>
		readParameter(context, property, itemIndex),
	);
	const { body, incoming } = recipe.complete?.(fields, context, itemIndex) ?? { body: fields };
	const result = checked(recipe, body, incoming);
	if (result.problems) throw refuse(context, itemIndex, result.problems);
	return { body: result.body, incoming };
}

/** Resolve and check: the body as it is sent. Failures say that nothing was submitted. */
export async function resolveBody(
	context: IExecuteFunctions,
	itemIndex: number,
	recipe: BodyRecipe,
	prepared: PreparedBody,
	mode: ResolveMode = REAL_RUN,
): Promise<IDataObject> {
	// Without resolve the prepared body was checked in its sent form already.
	if (!recipe.resolve) return prepared.body;
	let resolved: IDataObject;
	try {
		resolved = await recipe.resolve(
			prepared.body,
			prepared.incoming ?? {},
			context,
			itemIndex,
			mode,
		);
	} catch (error) {
		throw notSubmitted(context.getNode(), error, itemIndex);
	}
	// Stand-ins for uploads are no URLs: a dry run with uploads was checked as far as it can be.
	const uploads = Object.values(prepared.incoming?.uploads ?? {}).some((names) => names?.length);
	if (mode.dryRun && uploads) return resolved;
	const result = checked(recipe, resolved);
	if (!result.problems) return result.body;
	throw notSubmitted(
		context.getNode(),
		new NodeOperationError(
			context.getNode(),
			`Sivi's answers gave a body it would not take: ${result.problems.join('; ')}`,
			{ itemIndex },
		),
		itemIndex,
	);
}

/** The validated body of a call that needs no request first (most call operations). */
export function validBody(
	context: IExecuteFunctions,
	itemIndex: number,
	recipe: BodyRecipe,
): IDataObject {
	return prepareBody(context, itemIndex, recipe).body;
}

/** A job operation's item after prepare: a submit to resolve and send, or a request to look at. */
export interface PreparedJob {
	wait: boolean;
	submit?: { path: string; recipe: BodyRecipe; prepared: PreparedBody };
	/** Get Status: the job is Sivi's already. */
	requestId?: string;
	statusQuery?: IDataObject;
}

/** Prepare a job that submits the item's body to `path`. */
export function submitJob(
	context: IExecuteFunctions,
	itemIndex: number,
	wait: boolean,
	path: string,
	recipe: BodyRecipe,
): PreparedJob {
	return { wait, submit: { path, recipe, prepared: prepareBody(context, itemIndex, recipe) } };
}

/** What a dry run shows of a prepared job: the endpoint and the body it would send. */
export async function dryRunJob(
	context: IExecuteFunctions,
	itemIndex: number,
	job: PreparedJob,
): Promise<{ path: string; body: IDataObject } | undefined> {
	if (!job.submit) return undefined;
	const { path, recipe, prepared } = job.submit;
	return { path, body: await resolveBody(context, itemIndex, recipe, prepared, { dryRun: true }) };
}

/** Resolve and check a prepared job: what the scheduler submits (or only looks at). */
export async function readyJob(
	context: IExecuteFunctions,
	itemIndex: number,
	job: PreparedJob,
): Promise<JobSpec> {
	if (!job.submit)
		return {
			requestId: job.requestId,
			wait: job.wait,
			durationKey: '',
			statusQuery: job.statusQuery,
		};
	const { path, recipe, prepared } = job.submit;
	const body = await resolveBody(context, itemIndex, recipe, prepared);
	const spec: JobSpec = {
		submit: { path, body },
		wait: job.wait,
		durationKey: durationKey(path, body),
	};
	// Super/Enterprise keys act for one end user: their job's status is theirs too.
	const abstractUserId = endUserOf(body);
	if (abstractUserId) spec.statusQuery = { abstractUserId };
	return spec;
}

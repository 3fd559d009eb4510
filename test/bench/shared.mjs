// Shared by the benchmark (bench.mjs) and its worker processes (worker.mjs): how a benchmark
// execution is parameterised, how its output items are judged, and the cold-start hook.
import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);

export const BUILD_DIR = resolve(import.meta.dirname, '.build');

/** The compiled node, the harness that runs it in n8n's engine, and its clock, from test/bench/.build. */
export function loadBuild(buildDir = BUILD_DIR) {
	const helpers = require(resolve(buildDir, 'test/helpers/n8nEngine.js'));
	const clock = require(resolve(buildDir, 'nodes/Sivi/engine/clock.js'));
	// The per-account scheduler (nodes/Sivi/engine/accounts.ts) keeps module-level state; every
	// measurement starts cold by forgetting it. The old per-execution engine has nothing to forget.
	const accountsPath = resolve(buildDir, 'nodes/Sivi/engine/accounts.js');
	const accounts = existsSync(accountsPath) ? require(accountsPath) : undefined;
	const forget =
		typeof accounts?.forgetAccounts === 'function' ? accounts.forgetAccounts : undefined;
	return {
		helpers,
		clock,
		hasAccounts: !!forget,
		forgetAccounts: async () => {
			if (forget) await forget();
		},
	};
}

/**
 * Node parameters for the benchmark's executions. Short jobs are image generations (Generate
 * Media with a fixed brand, so no default-brand lookup, and no download); long jobs are designs
 * from a prompt (Sivi's ~40 s designs). Node defaults otherwise (5 s polls, 10 jobs in flight,
 * 45 requests per minute on the old engine).
 */
export function nodeParams(helpers, op) {
	// The item makes every prompt unique: items are { json: { tag, row } } (benchItems). The
	// expression's text is the same in every execution, as in one workflow run many times: n8n
	// compiles an expression once per text, so a text per execution would charge each one a
	// compile that real n8n does not pay (magnified by the bench's scaled clock).
	const prompt = (text) => `={{ $json.tag }} #{{ $json.row }}: ${text}`;
	if (op === 'media')
		return helpers.mediaParams({
			prompt: prompt('ceramic mug on linen, soft morning light'),
			options: { downloadImages: false },
		});
	return helpers.promptParams({
		prompt: prompt('autumn coffee promo, 2-for-1 lattes on weekdays'),
		options: { downloadImages: false },
	});
}

/** The input items of one benchmark execution. */
export const benchItems = (tag, count) =>
	Array.from({ length: count }, (_, row) => ({ json: { tag, row } }));

const RATE_ERROR = /rate limit|429|queue/i;

/** What the output items of one or more executions say. */
export function judgeOutput(output) {
	const summary = { items: 0, completed: 0, surfaced429: 0, errors: {} };
	for (const item of output) {
		summary.items++;
		const json = item.json ?? {};
		if (json.status === 'completed') summary.completed++;
		const error = json.error ?? (json.status === 'completed' ? undefined : `status ${json.status}`);
		if (error === undefined) continue;
		const text = [error, json.errorDescription, json.httpCode].filter(Boolean).join(' ');
		if (RATE_ERROR.test(text)) summary.surfaced429++;
		// Group by message: request IDs and numbers vary per item.
		const key = String(error)
			.replace(/\b(job|request|ID:?) [A-Za-z0-9_-]{8,}\b/g, '$1 <id>')
			.slice(0, 120);
		summary.errors[key] = (summary.errors[key] ?? 0) + 1;
	}
	return summary;
}

export function mergeSummaries(summaries) {
	const total = { items: 0, completed: 0, surfaced429: 0, errors: {} };
	for (const s of summaries) {
		total.items += s.items;
		total.completed += s.completed;
		total.surfaced429 += s.surfaced429;
		for (const [key, count] of Object.entries(s.errors))
			total.errors[key] = (total.errors[key] ?? 0) + count;
	}
	return total;
}

/**
 * Runs `count` concurrent executions of `itemsPerExecution` items each in this process, every
 * one with its own context (they share only the node's module state, as in one n8n process).
 */
export async function runExecutions(
	build,
	{ op, count, itemsPerExecution, tagPrefix, baseUrl, apiKey, credentials, timeoutMs },
) {
	const { runNode } = build.helpers;
	// One cancel signal for every execution of the run (n8n gives each its own; here they all end
	// together at the row's timeout). Many requests listen to it at once.
	const signal = AbortSignal.timeout(timeoutMs);
	setMaxListeners(0, signal);
	const outputs = await Promise.all(
		Array.from({ length: count }, async (_, e) => {
			const items = benchItems(`${tagPrefix}-e${e}`, itemsPerExecution);
			try {
				return await runNode({
					params: nodeParams(build.helpers, op),
					items,
					baseUrl,
					apiKey,
					continueOnFail: true,
					credentials,
					signal,
				});
			} catch (error) {
				// With continueOnFail nothing should throw; if it does, every item of it failed.
				return items.map(() => ({
					json: { error: `execution threw: ${error?.message ?? error}` },
				}));
			}
		}),
	);
	return { ...judgeOutput(outputs.flat()), timedOut: signal.aborted };
}

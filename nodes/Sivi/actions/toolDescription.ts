// What an AI agent or MCP client reads about the tool variant of an operation. n8n's automatic
// tool description is the operation's `action` followed by " in Sivi", so the tool variant gets
// its own action: what the operation does, what it costs, what it returns, and for jobs what a
// job still running answers (so the model asks the status tool instead of paying twice). Only
// the operation's own abilities: the words come from catalog/toolDescriptions.json.
import {
	designModels,
	imageModels,
	priceOf,
	toolDescriptions,
	type ToolDescription,
} from '../catalog';
import type { SiviOperation } from './types';

/** "0.03–3", "1–5+" from catalog credit texts such as "0.03", "1–3" and "5+". */
export function creditRange(credits: string[]): string {
	const prices = credits.map(priceOf);
	const lowest = Math.min(...prices.map((price) => price.min));
	const highest = Math.max(...prices.map((price) => price.max ?? price.min));
	const open = prices.some((price) => price.max === null) ? '+' : '';
	return `${lowest === highest ? lowest : `${lowest}–${highest}`}${open}`;
}

function costText(cost: ToolDescription['cost']): string {
	switch (cost) {
		case 'media':
			return `Costs ${creditRange(imageModels.filter((model) => model.canGenerate).map((model) => model.credits))} Sivi credits per image, by model`;
		case 'design':
			return `Costs ${creditRange(designModels.map((model) => model.credits))} Sivi credits per design, by design model`;
		case 'unpublished':
			return 'Sivi publishes no price for it';
		default:
			return 'Costs no credits';
	}
}

const STILL_RUNNING =
	'If the job is still running when the tool stops waiting, the answer is status "processing" with its requestId: pass that requestId to the status tool (Request → Get Status) and do not call this tool again, which would start and pay for a second job';
const STATUS_STILL_RUNNING =
	'While the job still runs the answer is status "processing" again: call this tool again later with the same requestId';

export function toolAction(operation: SiviOperation): string {
	const entry = toolDescriptions[`${operation.resource}.${operation.operation}`];
	if (!entry) return operation.action;
	const parts = [
		entry.does,
		costText(entry.cost),
		`Returns JSON with ${entry.returns} (text and links, never files)`,
	];
	if (operation.kind === 'job')
		parts.push(operation.operation === 'getStatus' ? STATUS_STILL_RUNNING : STILL_RUNNING);
	return parts.join('. ');
}

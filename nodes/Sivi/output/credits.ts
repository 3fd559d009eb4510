// What a job will cost, estimated from Sivi's published prices (the catalog's `credits`, REFERENCE
// §7.2): per image of Generate Media, per design of the design endpoints. Auto models give their
// published range; a "+" price is a minimum (max null). Where Sivi publishes no price the
// estimate says so instead of guessing (min and max null).
import type { IDataObject } from 'n8n-workflow';

import { findDesignModel, findImageModel, priceOf } from '../catalog';

export interface CreditEstimate {
	min: number | null;
	max: number | null;
	/** How it was reached, e.g. "Nano Banana (nano-banana:1k), 1 image". */
	basis: string;
}

/** An estimate with what it counts, for the run's total. */
export interface JobCredits extends CreditEstimate {
	units: number;
	/** Singular noun of what is counted: "design", "image", "brand extraction", "font upload". */
	unit: string;
}

/** Jobs Sivi publishes no price for, by endpoint. */
const UNPRICED: Record<string, string> = {
	'brand/extract': 'brand extraction',
	'font/create': 'font upload',
	'content-from-prompt': 'copy suggestion',
};

const round = (value: number) => Math.round(value * 1e6) / 1e6;

const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`;

function priced(text: string, units: number, unit: string, name: string): JobCredits {
	const price = priceOf(text);
	return {
		min: round(price.min * units),
		max: price.max === null ? null : round(price.max * units),
		basis: `${name}, ${plural(units, unit)}${price.max === null ? ` (at least ${price.min} credits each)` : ''}`,
		units,
		unit,
	};
}

const unpriced = (basis: string, units: number, unit: string): JobCredits => ({
	min: null,
	max: null,
	basis,
	units,
	unit,
});

/** The estimate of a job submitting `body` to `path`; undefined for anything but a job. */
export function jobCredits(path: string, body: IDataObject): JobCredits | undefined {
	if (path === 'media/generate') {
		const value = String(body.model);
		const model = findImageModel(value);
		if (!model) return unpriced(`Sivi publishes no price for image model "${value}"`, 1, 'image');
		return priced(model.credits, 1, 'image', `${model.name} (${model.value})`);
	}
	if (path === 'designs-from-content' || path === 'designs-from-prompt') {
		const variants = Number(body.numOfVariants) || 1;
		const given = (body.settings as IDataObject | undefined)?.designModel;
		// Without a design model Sivi picks one, as Auto does.
		const value = typeof given === 'string' ? given : 'auto';
		const model = findDesignModel(value);
		if (!model)
			return unpriced(`Sivi publishes no price for design model "${value}"`, variants, 'design');
		return priced(model.credits, variants, 'design', `${model.name} (${model.value})`);
	}
	const unit = UNPRICED[path];
	return unit ? unpriced(`Sivi publishes no price for ${unit}s`, 1, unit) : undefined;
}

/** The estimate as items carry it. */
export const creditsJson = ({ min, max, basis }: CreditEstimate): IDataObject => ({
	min,
	max,
	basis,
});

/**
 * The most the jobs may cost: their maxima, a "+" price at its minimum, no published price as 0.
 * What Max Credits per Run is checked against, and the top of the run's summary.
 */
export const upperCredits = (jobs: CreditEstimate[]): number =>
	round(jobs.reduce((sum, job) => sum + (job.max ?? job.min ?? 0), 0));

/**
 * "20 designs, about 20–60 credits": the run's jobs by what they count, and their credits; jobs
 * without a published price are named apart.
 */
export function creditsSummary(jobs: JobCredits[]): string {
	if (!jobs.length) return '';
	const counts = new Map<string, number>();
	for (const job of jobs) counts.set(job.unit, (counts.get(job.unit) ?? 0) + job.units);
	const what = [...counts].map(([unit, count]) => plural(count, unit)).join(', ');
	const paid = jobs.filter((job) => job.min !== null);
	if (!paid.length) return `${what}; Sivi publishes no price for them`;
	const min = round(paid.reduce((sum, job) => sum + job.min!, 0));
	const open = paid.some((job) => job.max === null);
	const max = upperCredits(paid);
	const credits = open
		? `at least ${min} credits`
		: min === max
			? `about ${min} credits`
			: `about ${min}–${max} credits`;
	const unknown = jobs.length - paid.length;
	return `${what}, ${credits}${unknown ? ` (${unknown} without a published price)` : ''}`;
}

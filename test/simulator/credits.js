'use strict';
/**
 * What Sivi charges a job, from the published prices in the node's catalog (REFERENCE §7.2):
 * per image of media/generate, per design of the design endpoints. Where the docs give a range
 * (Auto) or only a minimum ("2+"), the charge is drawn from the job's payload, so the same
 * request always costs the same: Auto anywhere in its range, a "+" price at or above its
 * minimum (up to twice it: the docs set no maximum). Jobs without a published price (brand
 * extraction, font upload) cost their area's own cost (routes/).
 */
const crypto = require('crypto');

const { designModelByValue, imageModelByValue } = require('./catalog');

function priceOf(text) {
	const range = /^\s*([\d.]+)\s*[–-]\s*([\d.]+)\s*$/.exec(text);
	if (range) return { min: Number(range[1]), max: Number(range[2]) };
	const atLeast = /^\s*([\d.]+)\s*\+\s*$/.exec(text);
	if (atLeast) return { min: Number(atLeast[1]), max: null };
	return { min: Number(text), max: Number(text) };
}

/** A number in [0, 1) fixed by the payload. */
function draw(payload) {
	const hash = crypto.createHash('sha256').update(JSON.stringify(payload)).digest();
	return hash.readUInt32BE(0) / 2 ** 32;
}

const round = (value) => Math.round(value * 1e6) / 1e6;

/** One unit's charge at a published price: fixed, somewhere in a range, or above a minimum. */
function charge(price, payload) {
	if (price.max === price.min) return price.min;
	const top = price.max === null ? price.min * 2 : price.max;
	// Whole hundredths, as a ledger would keep them.
	return Math.round((price.min + draw(payload) * (top - price.min)) * 100) / 100;
}

/** Credits of a media/generate job (one image) or a design job (numOfVariants designs). */
function jobCost(kind, payload, info) {
	if (kind === 'media') {
		const model = imageModelByValue.get(payload.model);
		return charge(priceOf(model.credits), payload);
	}
	const value = (payload.settings && payload.settings.designModel) || 'auto';
	const model = designModelByValue.get(value);
	return round(charge(priceOf(model.credits), payload) * info.numOfVariants);
}

module.exports = { jobCost };

'use strict';
/** Response bodies for submit and get-request-status (REFERENCE §2, §3.1, §4.1). */
const signals = require('./signals');

const EDITOR = 'https://instant.sivi.ai/#';

function designLinks(job) {
	return {
		designId: job.designId,
		link: `${EDITOR}/design/${job.designId}`,
		shareLink: `${EDITOR}/results/${job.designId}`,
	};
}

/** File names a job serves once completed, with their pixel sizes. */
function jobFiles(job) {
	if (job.areaResult) return [];
	if (job.kind === 'media')
		return [{ name: `${job.requestId}-img1.jpg`, width: job.width, height: job.height }];
	const files = [];
	for (const v of designVariantIds(job)) {
		files.push({ name: `${job.requestId}-${v}.jpg`, width: job.width, height: job.height });
	}
	files.push({
		name: `${job.requestId}-${designVariantIds(job)[0]}_1.jpg`,
		width: job.width,
		height: job.height,
	});
	return files;
}

function designVariantIds(job) {
	return Array.from({ length: job.numOfVariants }, (_, i) => `${job.requestId}V${i + 1}`);
}

/**
 * Submit answer. `idField` says how the job is named: 'requestId' (documented), 'jId' (what the
 * Generate Media page tells clients to poll with) or 'none' (an accepted job without any ID).
 */
function submitBody(job, idField = 'requestId', queueWaitMeaning = 'remaining') {
	const id = idField === 'none' ? {} : { [idField]: job.requestId };
	if (job.kind !== 'design') return id;
	const queueWaitTime = signals.queueWaitTime(queueWaitMeaning, job.queueWaitTime);
	return { queueWaitTime, ...id, ...designLinks(job) };
}

function variant(job, id, fileUrl) {
	return {
		variantImageUrl: fileUrl(`${job.requestId}-${id}.jpg`),
		variantEditLink: `${EDITOR}/variant/${id}/independent-design-editor?type=edited`,
		variantId: id,
		variantWidth: job.width,
		variantHeight: job.height,
		variantType: 'GENERATED',
	};
}

function designResult(job, fileUrl) {
	const variations = designVariantIds(job).map((id) => variant(job, id, fileUrl));
	variations[0].options = [variant(job, `${variations[0].variantId}_1`, fileUrl)];
	return { variations };
}

function mediaResult(job, fileUrl, shape) {
	const url = fileUrl(`${job.requestId}-img1.jpg`);
	const mId = `w_sim----photo_${job.requestId}.jpeg`;
	switch (shape) {
		case 'media':
			return {
				media: {
					mId,
					url,
					type: 'photo',
					subType: 'photograph',
					width: job.width,
					height: job.height,
				},
			};
		case 'variations':
			return {
				variations: [
					{
						variantImageUrl: url,
						variantId: `${job.requestId}V1`,
						variantWidth: job.width,
						variantHeight: job.height,
						variantType: 'GENERATED',
					},
				],
			};
		case 'raw':
			return { output: { file: url, id: mId, size: `${job.width}x${job.height}` } };
		case 'images':
		default:
			return { images: [{ remoteUrl: url, mId, width: job.width, height: job.height }] };
	}
}

const REASONS = { failed: 'Image url invalid', suspended: 'Request suspended' };

/** get-request-status body for a job in its current state. */
function statusBody(
	job,
	state,
	{ fileUrl, completedSpelling, mediaResultShape, queueWaitMeaning, progressCurve },
) {
	const body = {
		queueWaitTime: signals.queueWaitTime(queueWaitMeaning, state.queueWaitTime),
		status: state.status,
		requestId: job.requestId,
	};
	if (job.kind === 'design') Object.assign(body, designLinks(job));
	if (state.status === 'processing') {
		const progress = signals.progress(progressCurve, state.share);
		if (progress !== undefined) body.progress = progress;
	}
	if (state.status === 'failed' || state.status === 'suspended')
		body.reason = job.reason || REASONS[state.status];
	if (state.status === 'completed') {
		body.status = completedSpelling;
		body.result = job.areaResult
			? job.areaResult()
			: job.kind === 'media'
				? mediaResult(job, fileUrl, mediaResultShape)
				: designResult(job, fileUrl);
	} else {
		body.result = null;
	}
	return body;
}

module.exports = { submitBody, statusBody, jobFiles };

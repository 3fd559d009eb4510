// Tolerant parsing of Sivi's answers: unknown fields are kept, both "completed" and "complete"
// mean done, and every media result shape seen in Sivi's own code is understood.
import { z } from 'zod';

import { SiviRequestError } from '../shared/siviError';

// Sivi's Generate Media page says to poll with the returned `jId`: it is the request ID when
// `requestId` is missing.
export const submitResponseSchema = z.preprocess(
	(value) => {
		if (typeof value !== 'object' || value === null) return value;
		const answer = value as Record<string, unknown>;
		return typeof answer.requestId !== 'string' && typeof answer.jId === 'string'
			? { ...answer, requestId: answer.jId }
			: answer;
	},
	z
		.object({
			requestId: z.string().min(1),
			designId: z.string().optional(),
			link: z.string().optional(),
			shareLink: z.string().optional(),
			queueWaitTime: z.number().optional(),
		})
		.passthrough(),
);

export type SubmitResponse = z.infer<typeof submitResponseSchema>;

const variantFields = {
	variantImageUrl: z.string().optional(),
	variantEditLink: z.string().optional(),
	variantId: z.string().optional(),
	variantWidth: z.number().optional(),
	variantHeight: z.number().optional(),
	variantType: z.string().optional(),
};

const variantOptionSchema = z.object(variantFields).passthrough();
const variantSchema = z
	.object({ ...variantFields, options: z.array(variantOptionSchema).nullish() })
	.passthrough();

const mediaImageSchema = z
	.object({
		remoteUrl: z.string().optional(),
		url: z.string().optional(),
		mId: z.string().optional(),
	})
	.passthrough();

export const resultSchema = z
	.object({
		variations: z.array(variantSchema).optional(),
		images: z.array(mediaImageSchema).optional(),
		media: z.union([mediaImageSchema, z.array(mediaImageSchema)]).optional(),
	})
	.passthrough();

export const statusResponseSchema = z
	.object({
		status: z.string(),
		requestId: z.string().optional(),
		designId: z.string().optional(),
		link: z.string().optional(),
		shareLink: z.string().optional(),
		progress: z.number().optional(),
		queueWaitTime: z.number().optional(),
		reason: z.string().nullish(),
		result: z.unknown().optional(),
	})
	.passthrough();

export type StatusResponse = z.infer<typeof statusResponseSchema>;
export type JobResult = z.infer<typeof resultSchema>;

export type JobState = 'done' | 'failed' | 'running';

const DONE = new Set(['completed', 'complete']);
const FAILED = new Set(['failed', 'suspended', 'error']);

export function jobStateOf(status: string): JobState {
	const value = status.trim().toLowerCase();
	if (DONE.has(value)) return 'done';
	if (FAILED.has(value)) return 'failed';
	return 'running';
}

/** Parses a get-request-status body; a body without a state is treated like a server fault. */
export function parseStatus(body: unknown): StatusResponse {
	const parsed = statusResponseSchema.safeParse(body);
	if (!parsed.success)
		throw new SiviRequestError('server', 'Sivi returned a status without a state');
	return parsed.data;
}

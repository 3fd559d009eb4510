// A failed upload or lookup before a job is submitted reads the same in every operation that
// uploads or looks something up: the message says what could not be done, the description that
// no job was submitted and no credits were used, and the submit never reaches Sivi.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { z } from 'zod';

import { resolveBody } from '../../nodes/Sivi/actions/common/prepare';

import { NOT_SUBMITTED } from '../../nodes/Sivi/shared/itemErrors';
import {
	contentParams,
	executeNode,
	mediaParams,
	type NodeParams,
	type RecordedRequest,
} from '../helpers/n8nEngine';
import { callsTo, nodeOn, rl, useSimulator } from '../helpers/simulatorCalls';

const sim = useSimulator({ jobDurationMs: 100, rateLimit: { limit: 10_000, windowMs: 60_000 } });
const node = nodeOn(sim);

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const TTF = Buffer.from('0001000000', 'hex');
const item = (name: string, bytes: Buffer, mimeType: string, fileName: string) =>
	({
		json: {},
		binary: { [name]: { data: bytes.toString('base64'), mimeType, fileName } },
	}) as INodeExecutionData;
const photo = item('photo', PNG, 'image/png', 'mug.png');
const font = item('data', TTF, 'font/ttf', 'BrandSans.ttf');
const fonts = {
	fonts: { headingFont: rl('f1'), subHeadingFont: rl('f2'), bodyFont: rl('f3') },
};

/** Fails the requests whose URL contains `part` ("the PUT" for the upload itself). */
const failing = (part: string, code: string) => (request: RecordedRequest) =>
	(part === 'the PUT' ? request.method === 'PUT' : request.url.includes(part))
		? { failWith: code }
		: undefined;

interface Case {
	operation: string;
	step: string;
	params: NodeParams;
	items: INodeExecutionData[];
	fail: string;
	submitPath: string;
	message: RegExp;
}

const UPLOAD_FAILED = /^Could not upload binary field "photo" before the job was submitted/;
/** The same operation and item, failing at different steps. */
const generatePhoto = {
	operation: 'Media → Generate',
	params: mediaParams({
		model: 'nano-banana:1k',
		dimensions: '1024x1024',
		binaryInputFields: 'photo',
	}),
	items: [photo],
	submitPath: 'media/generate',
	message: UPLOAD_FAILED,
};
const contentPhoto = {
	operation: 'Design → Create From Content',
	params: contentParams({ imageBinaryFields: 'photo' }),
	items: [photo],
	submitPath: 'designs-from-content',
	message: UPLOAD_FAILED,
};

const cases: Case[] = [
	{ ...generatePhoto, step: 'presigned URL', fail: '/general/files/get-presigned-url' },
	{
		...generatePhoto,
		step: 'upload',
		fail: 'the PUT',
		message: /^Could not upload binary field "photo"/,
	},
	{
		operation: 'Media → Generate',
		step: 'default brand',
		params: mediaParams({ brandId: rl('', 'list') }),
		items: [{ json: {} }],
		fail: '/general/brand/get',
		submitPath: 'media/generate',
		message: /^Could not look up the default brand before the job was submitted/,
	},
	{ ...contentPhoto, step: 'presigned URL', fail: '/general/files/get-presigned-url' },
	{ ...contentPhoto, step: 'media record', fail: '/general/media/create' },
	{
		operation: 'Design → Create From Content',
		step: 'font lookup',
		params: contentParams({ designMode: 'custom', fonts }),
		items: [{ json: {} }],
		fail: '/general/font/get',
		submitPath: 'designs-from-content',
		message: /^Could not look up the fonts before the job was submitted/,
	},
	{
		operation: 'Font → Upload',
		step: 'presigned URL',
		params: { resource: 'font', operation: 'upload', options: { pollInterval: 0.05 } },
		items: [font],
		fail: '/general/files/get-presigned-url',
		submitPath: 'font/create',
		message: /^Could not upload binary field "data" before the job was submitted/,
	},
	{
		operation: 'Media → Upload',
		step: 'presigned URL',
		params: {
			resource: 'media',
			operation: 'upload',
			source: 'binary',
			binaryPropertyName: 'photo',
		},
		items: [photo],
		fail: '/general/files/get-presigned-url',
		submitPath: 'media/create',
		message: /^Could not upload binary field "photo" before the job was submitted/,
	},
];

describe.each(['ECONNRESET', 'ETIMEDOUT'])('a failed upload or lookup (%s)', (code) => {
	it.each(cases.map((entry) => [`${entry.operation}, ${entry.step}`, entry] as const))(
		'%s: says no job was submitted, and submits nothing',
		async (_name, entry) => {
			const run = await executeNode(
				node(entry.params, { items: entry.items, intercept: failing(entry.fail, code) }),
			);
			expect(run.nodeFailed).toBe(true);
			expect(run.error?.message).toMatch(entry.message);
			expect(run.error?.description).toContain(NOT_SUBMITTED);
			expect(callsTo(run.requests, entry.submitPath)).toHaveLength(0);
			expect(
				// The failing request was made: the failure is the one named, not an earlier refusal.
				run.requests.some((request) => failing(entry.fail, code)(request) !== undefined),
			).toBe(true);
		},
	);
});

it('with Continue On Fail, the error item says it too', async () => {
	const entry = cases[0];
	const run = await executeNode(
		node(entry.params, {
			items: entry.items,
			continueOnFail: true,
			intercept: failing(entry.fail, 'ECONNRESET'),
		}),
	);
	expect(run.output).toHaveLength(1);
	expect(run.output[0].json.error).toMatch(entry.message);
	expect(run.output[0].json.errorDescription).toContain(NOT_SUBMITTED);
	expect(run.output[0].pairedItem).toEqual({ item: 0 });
});

it('checks the resolved body as it is sent: a lookup that leaves it invalid submits nothing', async () => {
	const context = {
		getNode: () => ({
			id: '1',
			name: 'Sivi',
			type: 'sivi',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		}),
	} as unknown as IExecuteFunctions;
	const recipe = {
		properties: [],
		schema: z.object({ bId: z.string().min(1, 'is required') }).strict(),
		resolve: async () => await Promise.resolve({ bId: '' }),
	};
	await expect(resolveBody(context, 0, recipe, { body: {} })).rejects.toMatchObject({
		message: expect.stringMatching(/bId is required/),
		description: expect.stringContaining(NOT_SUBMITTED),
	});
	// The same recipe with a good answer gives the checked body.
	await expect(
		resolveBody(
			context,
			0,
			{ ...recipe, resolve: async () => await Promise.resolve({ bId: 'b1' }) },
			{ body: {} },
		),
	).resolves.toEqual({ bId: 'b1' });
});

// Create From Content → binary images and logos when media/create answers with a bare file name
// as `url` (as the media docs' example shows: "url": "photo_001.jpeg"), not a URL a design can
// fetch: the uploads then go to the design by their media IDs (siviAssets), and URL assets stay.
// The simulator answers with full URLs, so media/create's answer is cut down to the file name
// here, after the real upload and media/create went through n8n-core to the simulator.
import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import { contentParams, executeNode } from '../helpers/n8nEngine';
import { useSimulator } from '../helpers/simulatorCalls';

jest.mock('../../nodes/Sivi/actions/common/upload', () => {
	const actual = jest.requireActual('../../nodes/Sivi/actions/common/upload');
	return {
		...actual,
		uploadToLibrary: async (...args: unknown[]) => {
			const media = (await actual.uploadToLibrary(...args)) as IDataObject;
			return { ...media, url: String(media.url).split('/').pop() };
		},
	};
});

const sim = useSimulator(
	{ jobDurationMs: 60, rateLimit: { limit: 100_000, windowMs: 60_000 } },
	'all',
);

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');

it('sends uploads whose media URL is a file name as siviAssets mIds; the job completes', async () => {
	const run = await executeNode({
		params: contentParams({
			numOfVariants: 1,
			assets: { images: [{ url: 'https://example.com/hero.jpg' }] },
			imageBinaryFields: 'photo',
			logoBinaryFields: 'logo',
		}),
		items: [
			{
				json: {},
				binary: {
					photo: { data: PNG.toString('base64'), mimeType: 'image/png', fileName: 'p.png' },
					logo: { data: SVG.toString('base64'), mimeType: 'image/svg+xml', fileName: 'l.svg' },
				},
			},
		],
		baseUrl: sim.baseUrl,
		apiKey: sim.apiKey,
	});
	expect(run.output[0].json.status).toBe('completed');
	const submit = run.requests.find((request) => request.url.endsWith('/designs-from-content'))!;
	const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
	const records = sim.mediaRecords();
	const photo = records.find((record) => record.sha256 === sha(PNG))!;
	const logo = records.find((record) => record.sha256 === sha(SVG))!;
	expect(submit.body).toMatchObject({
		assets: { images: [{ url: 'https://example.com/hero.jpg' }] },
		siviAssets: [{ mId: photo.mId }, { mId: logo.mId }],
	});
	expect((submit.body as IDataObject).assets).toEqual({
		images: [{ url: 'https://example.com/hero.jpg' }],
	});
	expect([photo.type, logo.type]).toEqual(['photo', 'logo']);
	// Said once, where the user looks, although two uploads fell back.
	expect(run.hints.filter((hint) => /siviAssets/.test(hint.message))).toHaveLength(1);
});

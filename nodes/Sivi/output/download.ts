// Downloads finished images into n8n's binary store. Result URLs are CDN links, fetched without
// the Sivi credential, only over http(s), with a size cap and a timeout.
import { NodeOperationError, type IBinaryData, type IExecuteFunctions } from 'n8n-workflow';

import { isHttpUrl } from '../validation/requestSchemas';

const EXTENSIONS: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/jpg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'image/svg+xml': 'svg',
};

/**
 * What a download needs from n8n: an execute context, or the Sivi Trigger's webhook context
 * (which has no cancel signal).
 */
export type DownloadContext = Pick<IExecuteFunctions, 'getNode'> & {
	helpers: Pick<IExecuteFunctions['helpers'], 'httpRequest' | 'prepareBinaryData'>;
	getExecutionCancelSignal?: () => AbortSignal | undefined;
};

export interface DownloadLimits {
	maxBytes: number;
	timeoutMs: number;
}

function safeName(text: string): string {
	return text.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export async function downloadImage(
	context: DownloadContext,
	url: string,
	baseName: string,
	limits: DownloadLimits,
): Promise<IBinaryData> {
	if (!isHttpUrl(url))
		throw new NodeOperationError(
			context.getNode(),
			`Refused to download ${url}: only http and https URLs are fetched`,
		);
	let response: { statusCode: number; headers: Record<string, unknown>; body: unknown };
	try {
		response = await context.helpers.httpRequest({
			method: 'GET',
			url,
			encoding: 'stream',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
			timeout: limits.timeoutMs,
			abortSignal: context.getExecutionCancelSignal?.(),
		});
	} catch (error) {
		const code = (error as { code?: string }).code ?? 'no answer';
		throw new NodeOperationError(context.getNode(), `Could not download ${url} (${code})`);
	}
	const stream = response.body as AsyncIterable<Buffer> & { destroy?: () => void };
	if (response.statusCode < 200 || response.statusCode >= 300) {
		stream.destroy?.();
		throw new NodeOperationError(
			context.getNode(),
			`Could not download ${url}: the server answered ${response.statusCode}`,
		);
	}
	const declared = Number(response.headers['content-length']);
	const tooLarge = () =>
		new NodeOperationError(
			context.getNode(),
			`Refused to download ${url}: larger than the Max Download Size of ${Math.round(limits.maxBytes / 1024 / 1024)} MB`,
		);
	if (Number.isFinite(declared) && declared > limits.maxBytes) {
		stream.destroy?.();
		throw tooLarge();
	}
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		size += chunk.length;
		if (size > limits.maxBytes) {
			stream.destroy?.();
			throw tooLarge();
		}
		chunks.push(chunk);
	}
	const mimeType = String(response.headers['content-type'] ?? 'image/jpeg')
		.split(';')[0]
		.trim()
		.toLowerCase();
	const extension = EXTENSIONS[mimeType] ?? /\.([a-z0-9]{2,4})(?:$|\?)/i.exec(url)?.[1] ?? 'jpg';
	return await context.helpers.prepareBinaryData(
		Buffer.concat(chunks),
		`${safeName(baseName)}.${extension}`,
		mimeType,
	);
}

// A small OpenAI-compatible chat-completions server on 127.0.0.1, the chat model behind the AI
// Agent in test/e2e/agent.mjs. It plays a fixed two-turn script:
//   1. a request whose `messages` hold no `role: 'tool'` message → one assistant message with a
//      single `tool_calls` entry calling the Sivi tool (its name taken from the request's `tools`,
//      its arguments built from that tool's JSON schema: `prompt` gets the scripted prompt);
//   2. a request that carries the tool result (`role: 'tool'`) → a final assistant message; or,
//      when the script names a status tool (`statusToolPattern`) and the last tool result says
//      `"status":"processing"` with a requestId, a call of that status tool with that requestId
//      (what the tool's answer tells a model to do), until a result is no longer "processing".
// Answers POST /v1/chat/completions and /chat/completions, non-streaming, or as server-sent
// events when the body asks for `stream: true`. Every request is recorded (parsed body included),
// so the suite can read the tool message the agent sent back. Anything else gets 404 and is
// recorded as unexpected (e.g. the Responses API, /v1/responses, when a model node has it on).
import http from 'node:http';

const CHAT_PATHS = new Set(['/v1/chat/completions', '/chat/completions']);
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Text of an OpenAI message `content`: a string, or an array of `{ type: 'text', text }` parts. */
export function messageText(content) {
	if (typeof content === 'string') return content;
	if (Array.isArray(content)) return content.map((p) => (typeof p === 'string' ? p : (p?.text ?? ''))).join('');
	if (content == null) return '';
	return JSON.stringify(content);
}

/** Arguments for a tool call from its JSON schema (`parameters`): every property gets a value. */
function argumentsFor(parameters, prompt) {
	const args = {};
	for (const [key, schema] of Object.entries(parameters?.properties ?? {})) {
		const type = Array.isArray(schema?.type) ? schema.type.find((t) => t !== 'null') : schema?.type;
		if (/prompt/i.test(key) && (type === 'string' || type === undefined)) args[key] = prompt;
		else if (Array.isArray(schema?.enum) && schema.enum.length) args[key] = schema.enum[0];
		else if (type === 'number' || type === 'integer') args[key] = 1;
		else if (type === 'boolean') args[key] = false;
		else if (type === 'array') args[key] = [];
		else if (type === 'object') args[key] = {};
		else args[key] = `e2e ${key}`;
	}
	return args;
}

/**
 * @param {{ port?: number }} [opts] port 0 (default) = the OS picks a free one
 * @returns {Promise<{
 *   baseUrl: string, port: number,
 *   script: (s: { toolPrompt: string, finalText: string, toolNamePattern?: RegExp, statusToolPattern?: RegExp }) => void,
 *   requests: () => Array<{ t: number, method: string, path: string, body: any, raw: string, answer: string }>,
 *   chatRequests: () => Array<{ t: number, method: string, path: string, body: any, raw: string, answer: string }>,
 *   unexpected: () => Array<{ method: string, path: string }>,
 *   toolCalls: () => Array<{ id: string, name: string, arguments: object }>,
 *   reset: () => void,
 *   close: () => Promise<void>,
 * }>}
 */
export async function startOpenAiStandIn({ port = 0 } = {}) {
	let script = { toolPrompt: 'e2e agent: a lighthouse at dusk', finalText: 'Done.', toolNamePattern: /sivi/i };
	let log = [];
	let calls = [];
	let seq = 0;

	function completion(body, message, finishReason) {
		const created = Math.floor(Date.now() / 1000);
		return {
			id: `chatcmpl-e2e${++seq}`,
			object: 'chat.completion',
			created,
			model: body?.model ?? 'gpt-4o-mini',
			system_fingerprint: 'fp_e2e_stand_in',
			choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
			usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
		};
	}

	/** The requestId of a tool result that says the job is still processing, else undefined. */
	function processingRequestId(message) {
		const text = messageText(message?.content);
		if (!/"status\\*"\s*:\s*\\*"processing/.test(text)) return undefined;
		return /"requestId\\*"\s*:\s*\\*"([A-Za-z0-9_-]+)/.exec(text)?.[1];
	}

	/** The scripted assistant message for this request. */
	function reply(body) {
		const messages = Array.isArray(body?.messages) ? body.messages : [];
		const toolResults = messages.filter((m) => m?.role === 'tool');
		const tools = Array.isArray(body?.tools) ? body.tools : [];
		const fns = tools.map((t) => t?.function).filter(Boolean);
		const pending = script.statusToolPattern ? processingRequestId(toolResults.at(-1)) : undefined;
		const statusFn = pending ? fns.find((f) => script.statusToolPattern.test(f.name)) : undefined;
		if (statusFn) return toolCall(statusFn, { ...argumentsFor(statusFn.parameters, script.toolPrompt), requestId: pending });
		if (toolResults.length) return { kind: 'final', message: { role: 'assistant', content: script.finalText, refusal: null }, finish: 'stop' };
		const fn = fns.find((f) => script.toolNamePattern.test(f.name)) ?? fns[0];
		if (!fn) return { kind: 'no-tool', message: { role: 'assistant', content: 'No tool was offered to the stand-in.', refusal: null }, finish: 'stop' };
		return toolCall(fn, argumentsFor(fn.parameters, script.toolPrompt));
	}

	function toolCall(fn, args) {
		const call = { id: `call_e2e_${seq + 1}`, name: fn.name, arguments: args };
		calls.push(call);
		return {
			kind: 'tool_call',
			message: {
				role: 'assistant',
				content: null,
				refusal: null,
				tool_calls: [{ id: call.id, type: 'function', function: { name: call.name, arguments: JSON.stringify(call.arguments) } }],
			},
			finish: 'tool_calls',
		};
	}

	function sendJson(res, status, obj) {
		const text = JSON.stringify(obj);
		res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
		res.end(text);
	}

	/** The same answer as chat.completion.chunk events (role, content/tool call, finish, usage, [DONE]). */
	function sendStream(res, body, r) {
		const full = completion(body, r.message, r.finish);
		const base = { id: full.id, object: 'chat.completion.chunk', created: full.created, model: full.model, system_fingerprint: full.system_fingerprint };
		const chunks = [{ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] }];
		if (r.message.tool_calls) {
			r.message.tool_calls.forEach((tc, index) =>
				chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index, id: tc.id, type: 'function', function: { name: tc.function.name, arguments: tc.function.arguments } }] }, logprobs: null, finish_reason: null }] }),
			);
		} else {
			chunks.push({ ...base, choices: [{ index: 0, delta: { content: r.message.content }, logprobs: null, finish_reason: null }] });
		}
		chunks.push({ ...base, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: r.finish }] });
		if (body?.stream_options?.include_usage) chunks.push({ ...base, choices: [], usage: full.usage });
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
		for (const c of chunks) res.write(`data: ${JSON.stringify(c)}\n\n`);
		res.end('data: [DONE]\n\n');
	}

	const server = http.createServer((req, res) => {
		const chunks = [];
		let size = 0;
		req.on('data', (d) => {
			size += d.length;
			if (size <= MAX_BODY_BYTES) chunks.push(d);
		});
		req.on('error', () => res.destroy());
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const path = new URL(req.url, 'http://127.0.0.1').pathname;
			let body;
			try {
				body = raw ? JSON.parse(raw) : undefined;
			} catch {
				body = undefined;
			}
			const entry = { t: Date.now(), method: req.method, path, body, raw, answer: '' };
			log.push(entry);
			if (req.method !== 'POST' || !CHAT_PATHS.has(path)) {
				entry.answer = '404';
				return sendJson(res, 404, { error: { message: `stand-in: no route ${req.method} ${path}`, type: 'invalid_request_error', code: null } });
			}
			if (!body || !Array.isArray(body.messages)) {
				entry.answer = '400';
				return sendJson(res, 400, { error: { message: 'stand-in: body needs messages[]', type: 'invalid_request_error', code: null } });
			}
			const r = reply(body);
			entry.answer = r.kind;
			if (body.stream === true) return sendStream(res, body, r);
			return sendJson(res, 200, completion(body, r.message, r.finish));
		});
	});
	server.keepAliveTimeout = 1000;
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', resolve);
	});
	const actualPort = server.address().port;
	const isChat = (e) => e.method === 'POST' && CHAT_PATHS.has(e.path);
	return {
		baseUrl: `http://127.0.0.1:${actualPort}/v1`,
		port: actualPort,
		script(s) {
			script = { toolNamePattern: /sivi/i, ...s };
		},
		requests: () => log.slice(),
		chatRequests: () => log.filter(isChat),
		unexpected: () => log.filter((e) => !isChat(e)).map(({ method, path }) => ({ method, path })),
		toolCalls: () => calls.slice(),
		reset() {
			log = [];
			calls = [];
		},
		close: () =>
			new Promise((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
				setTimeout(resolve, 5000).unref();
			}),
	};
}

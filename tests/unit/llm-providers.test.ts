/**
 * The model API clients of the LLM host against small HTTP servers on 127.0.0.1: the Anthropic
 * Messages mapping (the end-to-end test covers the OpenAI-compatible one), the retry policy
 * (429/5xx retried with backoff and Retry-After, 4xx not, timeouts retried, a bounded number of
 * attempts) and that no error text ever carries the key.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProviderConfig } from '../../agents/llm/config.js';
import { ANTHROPIC_VERSION, anthropicMessages, anthropicProvider } from '../../agents/llm/providers/anthropic-messages.js';
import { ModelHttpError, postJson, retryAfterMs } from '../../agents/llm/providers/http-json.js';
import { openAiProvider } from '../../agents/llm/providers/openai-chat.js';
import type { ConversationMessage } from '../../schemas/temporal/conversation.js';

const KEY = `sk-unit-${crypto.randomUUID()}`;

interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

type Handler = (seen: Seen, res: ServerResponse) => void;

let server: Server | undefined;

/** A server answering the nth request with handlers[n] (the last one repeats), recording each request. */
async function serve(...handlers: Handler[]): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const entry = { path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown };
      seen.push(entry);
      (handlers[Math.min(seen.length - 1, handlers.length - 1)] as Handler)(entry, res);
    });
  });
  await new Promise<void>((resolve) => (server as Server).listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Handler => (_seen, res) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

function config(name: 'openai' | 'anthropic', baseUrl: string, overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  return {
    name,
    baseUrl,
    apiKey: KEY,
    model: 'm-1',
    timeoutMs: 5_000,
    maxRetries: 3,
    retryBaseMs: 5,
    maxOutputTokens: 1_024,
    maxOutputTokensExplicit: false,
    ...overrides,
  };
}

const conversation: ConversationMessage[] = [
  { role: 'user', content: '[prompt n1 from scheduler at 2025-01-01T00:00:00Z]\nReview.' },
  {
    role: 'assistant',
    content: 'Checking.',
    tool_calls: [
      { id: 'call.1', name: 'get_portfolio_status', arguments: '{"account":"paper"}' },
      { id: 'call_2', name: 'get_market_snapshot', arguments: 'not json' },
    ],
  },
  { role: 'tool', tool_call_id: 'call.1', content: '{"cash":"100000"}' },
  { role: 'tool', tool_call_id: 'call_2', content: 'INVALID_INPUT: symbols: required' },
  { role: 'user', content: 'Next prompt.' },
];
const tools = [{ name: 'get_portfolio_status', description: 'Portfolio', parameters: { type: 'object', properties: {} } }];

describe('Anthropic Messages API', () => {
  it('sends the conversation in its shape, authenticates with x-api-key, and reads text and tool_use blocks back', async () => {
    const { url, seen } = await serve(
      json(200, {
        content: [
          { type: 'text', text: 'Buying a little.' },
          { type: 'tool_use', id: 'toolu_01', name: 'submit_intent', input: { symbol: 'BTC/USDT', side: 'buy' } },
        ],
        stop_reason: 'tool_use',
      }),
    );
    const reply = await anthropicProvider(config('anthropic', url, { temperature: 0.2 })).complete(
      { system: 'You trade.', messages: conversation, tools },
      AbortSignal.timeout(10_000),
    );
    expect(reply).toEqual({
      content: 'Buying a little.',
      tool_calls: [{ id: 'toolu_01', name: 'submit_intent', arguments: '{"symbol":"BTC/USDT","side":"buy"}' }],
      stop_reason: 'tool_use',
    });
    const [request] = seen;
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe(KEY);
    expect(request?.headers['anthropic-version']).toBe(ANTHROPIC_VERSION);
    expect(request?.headers.authorization).toBeUndefined();
    expect(JSON.stringify(request?.body)).not.toContain(KEY);
    expect(request?.body).toEqual({
      model: 'm-1',
      max_tokens: 1_024,
      system: 'You trade.',
      temperature: 0.2,
      tools: [{ name: 'get_portfolio_status', description: 'Portfolio', input_schema: { type: 'object', properties: {} } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: '[prompt n1 from scheduler at 2025-01-01T00:00:00Z]\nReview.' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Checking.' },
            { type: 'tool_use', id: 'call_1', name: 'get_portfolio_status', input: { account: 'paper' } },
            { type: 'tool_use', id: 'call_2', name: 'get_market_snapshot', input: { unparsed_arguments: 'not json' } },
          ],
        },
        {
          // Tool results and the next prompt merge into one user message, results first.
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'call_1', content: '{"cash":"100000"}' },
            { type: 'tool_result', tool_use_id: 'call_2', content: 'INVALID_INPUT: symbols: required' },
            { type: 'text', text: 'Next prompt.' },
          ],
        },
      ],
    });
  });

  it('starts with a user message, leaving out a leading assistant tool call together with its results', () => {
    const messages = anthropicMessages([
      { role: 'assistant', content: '', tool_calls: [{ id: 'a', name: 'x', arguments: '{}' }] },
      { role: 'tool', tool_call_id: 'a', content: 'r' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: '' },
    ]);
    expect(messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: '(no reply)' }] },
    ]);
  });

  it('refuses an answer that is not a Messages API answer, saying what to check', async () => {
    const { url } = await serve(json(200, { choices: [] }));
    await expect(anthropicProvider(config('anthropic', url)).complete({ system: null, messages: conversation, tools }, AbortSignal.timeout(10_000))).rejects.toThrow(
      /answered without a content list; is ANTHROPIC_BASE_URL the Anthropic Messages API\?/,
    );
  });
});

describe('OpenAI-compatible chat completions', () => {
  it('sends max_tokens only when set explicitly, and makes up an id for a tool call that has none', async () => {
    const { url, seen } = await serve(
      json(200, { choices: [{ finish_reason: 'tool_calls', message: { content: null, tool_calls: [{ function: { name: 'get_portfolio_status', arguments: '' } }] } }] }),
    );
    const provider = openAiProvider(config('openai', `${url}/v1`, { maxOutputTokensExplicit: true, maxOutputTokens: 256 }));
    const reply = await provider.complete({ system: null, messages: conversation.slice(0, 1), tools: [] }, AbortSignal.timeout(10_000));
    expect(reply.tool_calls).toEqual([{ id: expect.stringMatching(/^call_0_[0-9a-f]{8}$/), name: 'get_portfolio_status', arguments: '{}' }]);
    expect(reply.content).toBe('');
    expect(seen[0]?.path).toBe('/v1/chat/completions');
    expect(seen[0]?.body).toEqual({ model: 'm-1', messages: [{ role: 'user', content: conversation[0]?.content }], max_tokens: 256 });
  });
});

describe('postJson retry policy', () => {
  const post = (url: string, overrides: { maxRetries?: number; timeoutMs?: number } = {}) =>
    postJson({
      label: 'test API',
      url,
      headers: { authorization: `Bearer ${KEY}` },
      body: { q: 1 },
      timeoutMs: overrides.timeoutMs ?? 5_000,
      maxRetries: overrides.maxRetries ?? 3,
      retryBaseMs: 5,
      signal: AbortSignal.timeout(20_000),
      secrets: [KEY],
    });

  it('retries 429 and 5xx answers, honouring Retry-After, until one succeeds', async () => {
    const { url, seen } = await serve(
      json(429, { error: { message: 'slow down' } }, { 'retry-after': '0' }),
      json(503, { error: 'overloaded' }),
      json(529, { error: { message: 'overloaded' } }, { 'retry-after-ms': '1' }),
      json(200, { ok: true }),
    );
    expect(await post(url)).toEqual({ ok: true });
    expect(seen).toHaveLength(4);
    expect(new Set(seen.map((s) => JSON.stringify(s.body)))).toEqual(new Set(['{"q":1}']));
  });

  it('gives up after maxRetries + 1 attempts, with the last answer in the error', async () => {
    const { url, seen } = await serve(json(500, { error: { message: 'internal' } }));
    const failure = await post(url, { maxRetries: 2 }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ModelHttpError);
    expect((failure as ModelHttpError).message).toBe('test API answered 500: internal. (gave up after 3 attempts)');
    expect((failure as ModelHttpError).retryable).toBe(true);
    expect(seen).toHaveLength(3);
  });

  it('does not retry a request the API refuses, and never repeats the key it echoes', async () => {
    const { url, seen } = await serve(json(401, { error: { message: `Incorrect API key provided: ${KEY}` } }));
    const failure = (await post(url).catch((err: unknown) => err)) as ModelHttpError;
    expect(failure.refusedCredentials).toBe(true);
    expect(failure.retryable).toBe(false);
    expect(failure.message).toBe('test API answered 401: Incorrect API key provided: [redacted]. Check the API key variable and that it belongs to this API.');
    expect(seen).toHaveLength(1);
  });

  it('names a model the API does not know as a 404 to check, not retried', async () => {
    const { url, seen } = await serve(json(404, { error: { message: 'The model `m-1` does not exist' } }));
    await expect(post(url)).rejects.toThrow(/answered 404: The model `m-1` does not exist\. Check LLM_MODEL and the base URL\./);
    expect(seen).toHaveLength(1);
  });

  it('retries an attempt that gets no answer within the timeout', async () => {
    const { url, seen } = await serve(
      () => undefined, // never answers
      json(200, { ok: 'second attempt' }),
    );
    expect(await post(url, { timeoutMs: 300 })).toEqual({ ok: 'second attempt' });
    expect(seen).toHaveLength(2);
  });

  it('reports an unreachable API as retryable, after its retries', async () => {
    const { url } = await serve(json(200, {}));
    await new Promise<void>((resolve) => (server as Server).close(() => resolve()));
    server = undefined;
    const failure = (await post(url, { maxRetries: 1 }).catch((err: unknown) => err)) as ModelHttpError;
    expect(failure.message).toMatch(/^test API could not be reached \(ECONNREFUSED\) \(gave up after 2 attempts\)$/);
    expect(failure.status).toBeNull();
  });

  it('stops at once when the caller aborts', async () => {
    const { url } = await serve(() => undefined);
    const controller = new AbortController();
    const pending = postJson({ label: 'test API', url, headers: {}, body: {}, timeoutMs: 60_000, maxRetries: 5, retryBaseMs: 5, signal: controller.signal, secrets: [] });
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });

  it('reads Retry-After as milliseconds, seconds or an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250' }), now)).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }), now)).toBe(10_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});

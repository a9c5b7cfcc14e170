/**
 * A scripted OpenAI-compatible chat completions server on 127.0.0.1, standing in for a model API
 * so the LLM host is tested offline. Its replies are a script, consumed in order; every request it
 * receives is recorded (headers and parsed body). A request with no scripted reply left, or to any
 * other path, is answered 400 and recorded as unscripted: tests assert that list is empty, so an
 * unexpected model call fails the test instead of passing silently.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The raw body text, to check what was (and was not) sent. */
  rawBody: string;
  body: ChatRequestBody;
}

export interface ChatRequestBody {
  model: string;
  messages: Array<{
    role: string;
    content: string | null;
    tool_calls?: Array<{ id: string; type: string; function: { name: string; arguments: string } }>;
    tool_call_id?: string;
  }>;
  tools?: Array<{ type: string; function: { name: string; description: string; parameters: Record<string, unknown> } }>;
  [key: string]: unknown;
}

/** One scripted answer: an HTTP status, optional headers and a JSON body. */
export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export const CHAT_COMPLETIONS_PATH = '/v1/chat/completions';

/** A completion whose message calls tools; args given as a string are sent verbatim (even if not JSON). */
export function toolCallReply(calls: Array<{ id: string; name: string; args: Record<string, unknown> | string }>): ScriptedReply {
  return {
    status: 200,
    body: {
      id: `chatcmpl-${calls[0]?.id ?? 'x'}`,
      object: 'chat.completion',
      choices: [
        {
          index: 0,
          finish_reason: 'tool_calls',
          message: {
            role: 'assistant',
            content: null,
            tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: typeof c.args === 'string' ? c.args : JSON.stringify(c.args) } })),
          },
        },
      ],
    },
  };
}

/** A completion with a final text answer. */
export function textReply(text: string): ScriptedReply {
  return {
    status: 200,
    body: { id: 'chatcmpl-text', object: 'chat.completion', choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: text } }] },
  };
}

/** An API error in OpenAI's shape. */
export function errorReply(status: number, message: string, headers?: Record<string, string>): ScriptedReply {
  return { status, ...(headers ? { headers } : {}), body: { error: { message, type: 'scripted_error' } } };
}

export class ScriptedLlmServer {
  readonly requests: RecordedRequest[] = [];
  /** Requests that found no scripted reply (or hit another path), as "METHOD path: reason". */
  readonly unscripted: string[] = [];
  private readonly script: ScriptedReply[] = [];
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];

  private constructor(private readonly server: Server) {}

  static async start(): Promise<ScriptedLlmServer> {
    const server = createServer();
    const scripted = new ScriptedLlmServer(server);
    server.on('request', (req, res) => void scripted.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return scripted;
  }

  /** The base URL a client is configured with (LLM_BASE_URL). */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Appends replies to the script, answered in order. */
  reply(...replies: ScriptedReply[]): void {
    this.script.push(...replies);
  }

  /** Scripted replies not yet consumed. */
  get pending(): number {
    return this.script.length;
  }

  /** Resolves once at least `count` requests in total have been received. */
  receivedAtLeast(count: number, timeoutMs = 60_000): Promise<RecordedRequest[]> {
    if (this.requests.length >= count) return Promise.resolve(this.requests.slice(0, count));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`expected ${count} model requests, got ${this.requests.length}; unscripted: ${JSON.stringify(this.unscripted)}`));
      }, timeoutMs);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.requests.slice(0, count));
        },
      });
    });
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '';
    const label = `${req.method ?? '?'} ${path}`;
    let body: ChatRequestBody;
    try {
      body = JSON.parse(rawBody) as ChatRequestBody;
    } catch {
      return this.refuse(res, `${label}: body is not JSON`);
    }
    if (req.method !== 'POST' || path !== CHAT_COMPLETIONS_PATH) return this.refuse(res, `${label}: not the chat completions endpoint`);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers[name] = value;
    this.requests.push({ method: req.method, path, headers, rawBody, body });
    for (const waiter of this.waiters.filter((w) => this.requests.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const next = this.script.shift();
    if (!next) return this.refuse(res, `${label}: request ${this.requests.length} has no scripted reply`);
    res.writeHead(next.status, { 'content-type': 'application/json', ...(next.headers ?? {}) });
    res.end(JSON.stringify(next.body));
  }

  private refuse(res: ServerResponse, reason: string): void {
    this.unscripted.push(reason);
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: `unscripted request (${reason})`, type: 'unscripted' } }));
  }
}

/**
 * A venue on 127.0.0.1 that serves recorded responses in the venue's own format. ccxt reaches it
 * through `proxyUrl` (EXCHANGE_OPTIONS), exactly as it would reach a real proxy. Each recorded URL
 * answers its responses in order and then keeps answering the last one (a market that stopped
 * moving); faults can be queued per URL in front of them. A request with no recording is answered
 * 404 and remembered, and `assertOnlyRecordedRequests` fails the test that made it.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { repoRoot } from './mcp-servers.js';

/**
 * 'hang' holds the request for holdMs and then answers it normally (a venue that is slow, not
 * failing); 'http500venue' is a 500 with the venue's own error body (Binance's -1001).
 */
export type VenueFault = 'timeout' | 'hang' | 'http429' | 'http418' | 'http500' | 'http500venue' | 'http503' | 'garbage';

export interface RecordedResponse {
  status?: number;
  headers?: Record<string, string>;
  /** A JSON value, or a string sent as is; a function makes the body when the request is answered (a live venue). */
  body: unknown;
}

export interface Recording {
  /** The venue URL ccxt asks for, query included. */
  url: string;
  responses: RecordedResponse[];
}

export interface ServedRequest {
  url: string;
  status: number;
  fault?: VenueFault;
}

/** A recorded response body from tests/fixtures/venues/<venue>/<file>. */
export function fixture(venue: string, file: string): unknown {
  return JSON.parse(readFileSync(join(repoRoot, 'tests', 'fixtures', 'venues', venue, file), 'utf8'));
}

/** One key per request regardless of query parameter order or percent-encoding. */
export function requestKey(url: string): string {
  const parsed = new URL(url);
  const params = [...parsed.searchParams.entries()].sort(([a], [b]) => a.localeCompare(b));
  return `${parsed.origin}${parsed.pathname}?${params.map(([k, v]) => `${k}=${v}`).join('&')}`;
}

/** The venue URL inside a proxied request line: `/https://host/path` or its percent-encoded form. */
export function proxiedUrl(requestUrl: string): string {
  const target = requestUrl.replace(/^\//, '');
  return /^https?%3A/i.test(target) ? decodeURIComponent(target) : target;
}

const GARBAGE_BODY = '<html><body>502 Bad Gateway</body></html>\n{"truncated":';

/** 5xx bodies in each venue's own words (a venue not listed gets an HTML page). */
const INTERNAL_ERROR_BODIES: Record<string, string> = {
  'api.binance.com': '{"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}',
};

/** Rate-limit answers in each venue's own words (a venue not listed gets plain text). */
const RATE_LIMIT_BODIES: Record<string, { 429: string; 418: string }> = {
  'api.binance.com': {
    429: '{"code":-1003,"msg":"Too many requests; current limit of IP(127.0.0.1) is 6000 requests per minute."}',
    418: '{"code":-1003,"msg":"Way too many requests; IP(127.0.0.1) banned until 1718006460000."}',
  },
  'www.okx.com': {
    429: '{"msg":"Too Many Requests","code":"50011"}',
    418: '{"msg":"Too Many Requests","code":"50011"}',
  },
};

function rateLimitBody(url: string, status: 429 | 418): { body: string; type: string } {
  const bodies = RATE_LIMIT_BODIES[new URL(url).hostname];
  return bodies ? { body: bodies[status], type: 'application/json' } : { body: 'Too Many Requests', type: 'text/plain' };
}

export class FakeVenueServer {
  readonly served: ServedRequest[] = [];
  readonly unrecorded: string[] = [];
  private readonly routes = new Map<string, { responses: RecordedResponse[]; next: number }>();
  private readonly faults = new Map<string, VenueFault[]>();
  private readonly sockets = new Set<Socket>();
  private readonly held = new Set<NodeJS.Timeout>();

  private readonly server: Server;

  private constructor(
    /** How long a 'timeout' fault holds a request: longer than the client's timeout. */
    private readonly holdMs: number,
  ) {
    this.server = createServer((req, res) => this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  static async start(recordings: Recording[], opts: { holdMs?: number } = {}): Promise<FakeVenueServer> {
    const venue = new FakeVenueServer(opts.holdMs ?? 5_000);
    for (const r of recordings) venue.record(r);
    await new Promise<void>((resolve) => venue.server.listen(0, '127.0.0.1', resolve));
    return venue;
  }

  get proxyUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
  }

  record(recording: Recording): void {
    if (recording.responses.length === 0) throw new Error(`recording for ${recording.url} has no responses`);
    this.routes.set(requestKey(recording.url), { responses: recording.responses, next: 0 });
  }

  /** Queues faults for a URL: the next requests to it get these, in order, before its recordings. */
  inject(url: string, ...faults: VenueFault[]): void {
    const key = requestKey(url);
    if (!this.routes.has(key)) throw new Error(`no recording for ${url}: faults go in front of a recording`);
    this.faults.set(key, [...(this.faults.get(key) ?? []), ...faults]);
  }

  /** Recorded (non-fault) answers given so far for a URL. */
  answered(url: string): number {
    const key = requestKey(url);
    return this.served.filter((s) => requestKey(s.url) === key && !s.fault && s.status === 200).length;
  }

  pendingFaults(url: string): number {
    return this.faults.get(requestKey(url))?.length ?? 0;
  }

  assertOnlyRecordedRequests(): void {
    if (this.unrecorded.length > 0) {
      throw new Error(`the venue was asked for URLs it has no recording for:\n${this.unrecorded.join('\n')}`);
    }
  }

  async close(): Promise<void> {
    for (const timer of this.held) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = proxiedUrl(req.url ?? '/');
    let key: string;
    try {
      key = requestKey(url);
    } catch {
      key = url;
    }
    const route = this.routes.get(key);
    if (!route || req.method !== 'GET') {
      this.unrecorded.push(`${req.method} ${url}`);
      this.served.push({ url, status: 404 });
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no recording for ${req.method} ${url}`);
      return;
    }
    const fault = this.faults.get(key)?.shift();
    if (fault) {
      this.serveFault(url, fault, res, () => this.serveRecorded(url, route, res));
      return;
    }
    this.serveRecorded(url, route, res);
  }

  private serveRecorded(url: string, route: { responses: RecordedResponse[]; next: number }, res: ServerResponse): void {
    if (res.destroyed) return;
    const response = route.responses[Math.min(route.next, route.responses.length - 1)] as RecordedResponse;
    route.next += 1;
    const status = response.status ?? 200;
    this.served.push({ url, status });
    const value = typeof response.body === 'function' ? (response.body as (now: number) => unknown)(Date.now()) : response.body;
    const body = typeof value === 'string' ? value : JSON.stringify(value);
    res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...response.headers }).end(body);
  }

  private serveFault(url: string, fault: VenueFault, res: ServerResponse, answer: () => void): void {
    switch (fault) {
      case 'hang': {
        this.served.push({ url, status: 0, fault });
        const timer = setTimeout(() => {
          this.held.delete(timer);
          answer();
        }, this.holdMs);
        this.held.add(timer);
        return;
      }
      case 'http500venue': {
        const body = INTERNAL_ERROR_BODIES[new URL(url).hostname];
        this.served.push({ url, status: 500, fault });
        if (body) res.writeHead(500, { 'content-type': 'application/json;charset=UTF-8' }).end(body);
        else res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body><h1>500 Internal Server Error</h1></body></html>');
        return;
      }
      case 'timeout': {
        this.served.push({ url, status: 0, fault });
        // Answer nothing until well after the client gave up.
        const timer = setTimeout(() => {
          this.held.delete(timer);
          if (!res.destroyed) res.writeHead(504).end();
        }, this.holdMs);
        this.held.add(timer);
        return;
      }
      case 'http429':
      case 'http418': {
        const status = fault === 'http429' ? 429 : 418;
        const { body, type } = rateLimitBody(url, status);
        this.served.push({ url, status, fault });
        res.writeHead(status, { 'content-type': type, 'retry-after': '1' }).end(body);
        return;
      }
      case 'http500':
        this.served.push({ url, status: 500, fault });
        res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body><h1>500 Internal Server Error</h1></body></html>');
        return;
      case 'http503':
        this.served.push({ url, status: 503, fault });
        res.writeHead(503, { 'content-type': 'text/html' }).end('<html><body><h1>503 Service Unavailable</h1></body></html>');
        return;
      case 'garbage':
        this.served.push({ url, status: 200, fault });
        res.writeHead(200, { 'content-type': 'application/json' }).end(GARBAGE_BODY);
        return;
    }
  }
}

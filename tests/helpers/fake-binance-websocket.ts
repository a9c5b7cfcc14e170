/**
 * A Binance market-stream websocket on 127.0.0.1, small enough to read: the RFC 6455 handshake,
 * text, ping and close frames, Binance's SUBSCRIBE request/response, and 24hrTicker events pushed
 * by the test. ccxt reaches it by overriding its websocket URL in EXCHANGE_OPTIONS.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const HANDSHAKE_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

function frame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, length]) : Buffer.alloc(length < 65_536 ? 4 : 10);
  if (length >= 126 && length < 65_536) {
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else if (length >= 65_536) {
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(length), 2);
  }
  return Buffer.concat([header, payload]);
}

interface Connection {
  socket: Socket;
  streams: Set<string>;
}

export class FakeBinanceWebsocket {
  readonly subscriptions: string[][] = [];
  private readonly connections = new Set<Connection>();
  private refusing = false;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<FakeBinanceWebsocket> {
    const server = createServer((_, res) => res.writeHead(426).end('websocket only'));
    const ws = new FakeBinanceWebsocket(server);
    server.on('upgrade', (req, socket: Socket) => ws.accept(req.headers['sec-websocket-key'], socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return ws;
  }

  /** The URL ccxt's Binance spot streams should use instead of wss://stream.binance.com:9443/ws. */
  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/ws`;
  }

  get connected(): number {
    return this.connections.size;
  }

  /** Sends a 24hrTicker event to every connection subscribed to the symbol's ticker stream. */
  pushTicker(event: Record<string, unknown> & { s: string }): void {
    const stream = `${event.s.toLowerCase()}@ticker`;
    const payload = Buffer.from(JSON.stringify({ e: '24hrTicker', ...event }));
    for (const c of this.connections) if (c.streams.has(stream)) c.socket.write(frame(0x1, payload));
  }

  /** Drops every connection and refuses new ones until `accepting()`: a websocket outage. */
  outage(): void {
    this.refusing = true;
    for (const c of this.connections) c.socket.destroy();
    this.connections.clear();
  }

  accepting(): void {
    this.refusing = false;
  }

  async close(): Promise<void> {
    this.outage();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(key: string | undefined, socket: Socket): void {
    if (this.refusing || !key) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\n\r\n');
      return;
    }
    const accept = createHash('sha1').update(key + HANDSHAKE_GUID).digest('base64');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
    const connection: Connection = { socket, streams: new Set() };
    this.connections.add(connection);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const parsed = this.readFrame(buffered);
        if (!parsed) break;
        buffered = buffered.subarray(parsed.size);
        this.onFrame(connection, parsed.opcode, parsed.payload);
      }
    });
    socket.on('close', () => this.connections.delete(connection));
    socket.on('error', () => this.connections.delete(connection));
  }

  /** One client frame (always masked, per RFC 6455), or undefined until it has fully arrived. */
  private readFrame(data: Buffer): { opcode: number; payload: Buffer; size: number } | undefined {
    if (data.length < 2) return undefined;
    const opcode = data[0]! & 0x0f;
    let length = data[1]! & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (data.length < 4) return undefined;
      length = data.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (data.length < 10) return undefined;
      length = Number(data.readBigUInt64BE(2));
      offset = 10;
    }
    const masked = (data[1]! & 0x80) !== 0;
    const maskAt = offset;
    if (masked) offset += 4;
    if (data.length < offset + length) return undefined;
    const payload = Buffer.from(data.subarray(offset, offset + length));
    if (masked) for (let i = 0; i < payload.length; i += 1) payload[i]! ^= data[maskAt + (i % 4)]!;
    return { opcode, payload, size: offset + length };
  }

  private onFrame(connection: Connection, opcode: number, payload: Buffer): void {
    if (opcode === 0x8) {
      connection.socket.end(frame(0x8, payload.subarray(0, 2)));
      return;
    }
    if (opcode === 0x9) {
      connection.socket.write(frame(0xa, payload));
      return;
    }
    if (opcode !== 0x1) return;
    const request = JSON.parse(payload.toString('utf8')) as { method?: string; params?: string[]; id?: number };
    if (request.method === 'SUBSCRIBE' && Array.isArray(request.params)) {
      for (const stream of request.params) connection.streams.add(stream);
      this.subscriptions.push(request.params);
    }
    connection.socket.write(frame(0x1, Buffer.from(JSON.stringify({ result: null, id: request.id ?? null }))));
  }
}

/**
 * A JSON-RPC relay between the worker and the local chain that can stall eth_sendRawTransaction,
 * so a test can kill the worker at the exact moment a broadcast is in flight:
 * - 'pass': relays everything;
 * - 'swallow': a send is neither relayed nor answered (the worker dies before the chain saw it);
 * - 'relay-then-hang': a send reaches the chain but its answer never comes back (the worker dies
 *   after the chain took it).
 * Every other method is always relayed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type SendMode = 'pass' | 'swallow' | 'relay-then-hang';

export interface RpcProxy {
  url: string;
  mode: SendMode;
  /** eth_sendRawTransaction requests received, whatever was done with them. */
  readonly sends: number;
  /** Of those, the ones that reached the chain. */
  readonly relayedSends: number;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startRpcProxy(upstream: string): Promise<RpcProxy> {
  const hanging = new Set<ServerResponse>();
  let sends = 0;
  let relayedSends = 0;

  const relay = async (text: string): Promise<{ status: number; text: string }> => {
    const response = await fetch(upstream, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
    return { status: response.status, text: await response.text() };
  };

  const proxy: RpcProxy = {
    url: '',
    mode: 'pass',
    get sends() {
      return sends;
    },
    get relayedSends() {
      return relayedSends;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = createServer((req, res) => {
    void (async () => {
      const text = await body(req);
      let method: string | undefined;
      try {
        method = (JSON.parse(text) as { method?: string }).method;
      } catch {
        method = undefined;
      }
      if (method === 'eth_sendRawTransaction') {
        sends += 1;
        const mode = proxy.mode;
        if (mode !== 'pass') {
          if (mode === 'relay-then-hang') {
            await relay(text);
            relayedSends += 1;
          }
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          return;
        }
        relayedSends += 1;
      }
      const answer = await relay(text);
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.text);
    })().catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return proxy;
}

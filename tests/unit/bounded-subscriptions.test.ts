/**
 * A host cannot grow a server without end by subscribing to one resource after another: past
 * MAX_SUBSCRIPTIONS the kit refuses with a message that says what to do, re-subscribing to a URI
 * it already watches still works, and unsubscribing makes room again. Served by the kit's own
 * serveResources over the SDK's in-memory transport, with a template whose reads need nothing.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResourceTemplateDefinition } from '../../servers/kit/define-resource.js';
import { MAX_SUBSCRIPTIONS, serveResources } from '../../servers/kit/serve-resources.js';
import { lazyTemporal } from '../../temporal/lazy-client.js';
import { temporalEnv } from '../../temporal/temporal-env.js';

const counter: ResourceTemplateDefinition = {
  uriTemplate: 'test://counter/{n}',
  name: 'counter',
  title: 'Counter',
  description: 'A resource per number, always at version 1.',
  match: (uri) => {
    const m = /^test:\/\/counter\/(\d+)$/.exec(uri);
    return m ? { n: m[1] as string } : undefined;
  },
  list: () => Promise.resolve([]),
  read: (vars) => Promise.resolve({ body: { n: Number(vars.n) }, version: '1' }),
};

let client: Client;
let stop: () => void;

beforeAll(async () => {
  const server = new Server({ name: 'bounded-subscriptions', version: '0' }, { capabilities: { resources: { subscribe: true } } });
  // Never connected: the template's reads do not use Temporal.
  const temporal = lazyTemporal(temporalEnv({}));
  stop = serveResources(server, [counter], { temporal, signal: new AbortController().signal });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: 'bounded-subscriptions-test', version: '0' });
  await client.connect(clientSide);
});

afterAll(async () => {
  stop?.();
  await client?.close();
});

describe('resource subscriptions', () => {
  it(`refuses the subscription past ${MAX_SUBSCRIPTIONS} with what to do, and makes room on unsubscribe`, async () => {
    for (let n = 0; n < MAX_SUBSCRIPTIONS; n += 1) await client.subscribeResource({ uri: `test://counter/${n}` });
    await expect(client.subscribeResource({ uri: `test://counter/${MAX_SUBSCRIPTIONS}` })).rejects.toThrow(/limit; unsubscribe from resources no longer needed/);
    // One already watched is not a new one.
    await client.subscribeResource({ uri: 'test://counter/0' });
    await client.unsubscribeResource({ uri: 'test://counter/0' });
    await client.subscribeResource({ uri: `test://counter/${MAX_SUBSCRIPTIONS}` });
  });
});

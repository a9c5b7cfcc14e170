/**
 * The lazy Temporal client of a server process. Nothing connects until the first tool call, so a
 * server lists its tools in milliseconds even while Temporal is down; a failed connection is not
 * cached, so the next call tries again.
 */
import type { Client } from '@temporalio/client';
import { connectionOptions, temporalEnv, type TemporalEnv } from './temporal-env.js';

export interface LazyTemporal {
  readonly env: TemporalEnv;
  client(): Promise<Client>;
  close(): Promise<void>;
}

export function lazyTemporal(env: TemporalEnv = temporalEnv()): LazyTemporal {
  let pending: Promise<{ client: Client; close(): Promise<void> }> | undefined;
  let connected = false;

  async function connect() {
    // Imported on first use: the gRPC stack costs more start-up time than the whole server.
    const [{ Client }, { ReleasingConnection }] = await Promise.all([import('./client-sdk.js'), import('./releasing-connection.js')]);
    const connection = await ReleasingConnection.connect({ ...connectionOptions(env), connectTimeout: '3 seconds' });
    return { client: new Client({ connection, namespace: env.namespace }), close: () => connection.close() };
  }

  return {
    env,
    async client() {
      pending ??= connect().then(
        (c) => {
          connected = true;
          return c;
        },
        (err: unknown) => {
          pending = undefined;
          throw err;
        },
      );
      return (await pending).client;
    },
    async close() {
      const current = pending;
      const established = connected;
      pending = undefined;
      connected = false;
      if (!current) return;
      const closing = current.then((c) => c.close()).catch(() => undefined);
      // A connection still being established is closed once it arrives, but closing does not wait
      // out its connect timeout: a server shutting down must not keep its host waiting.
      if (established) await closing;
    },
  };
}

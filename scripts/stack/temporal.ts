/**
 * The Temporal the stack runs on: the cluster named by TEMPORAL_ADDRESS when set (nothing is
 * started), otherwise the embedded dev server with its SQLite state under .data/, reused when one
 * already listens on the port.
 */
import { join } from 'node:path';
import { temporalEnv, type TemporalEnv } from '../../temporal/temporal-env.js';
import { startDevServer, waitForTemporal } from '../temporal/dev-server.js';
import { dataDir } from './paths.js';

export interface StackTemporal {
  env: TemporalEnv;
  uiUrl?: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function ensureTemporal(log: (line: string) => void): Promise<StackTemporal> {
  const env = temporalEnv();
  if (env.explicitAddress) {
    if (!env.tls && !env.apiKey) await waitForTemporal(env.address, 30_000);
    log(`Using the Temporal server at ${env.address} (namespace ${env.namespace})`);
    return { env, embedded: false, stop: async () => {} };
  }
  const port = Number(env.address.split(':')[1]);
  const server = await startDevServer({ port, dbFile: join(dataDir, 'temporal.db'), log });
  const uiUrl = server.uiUrl ?? (server.reused ? `http://127.0.0.1:${port + 1000}` : undefined);
  return { env: { ...env, address: server.address }, ...(uiUrl ? { uiUrl } : {}), embedded: !server.reused, stop: () => server.stop() };
}

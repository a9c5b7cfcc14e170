/**
 * How every process of the stack reaches Temporal, read from the environment in one place:
 * the servers, the worker and the scripts all connect the same way, to a local dev server or to
 * a Temporal cluster or Temporal Cloud.
 */
import { readFileSync } from 'node:fs';

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';
export const DEFAULT_TASK_QUEUE = 'durable-crypto-agents';

export interface TemporalTls {
  serverNameOverride?: string;
  serverRootCACertificate?: Buffer;
  clientCertPair?: { crt: Buffer; key: Buffer };
}

export interface TemporalEnv {
  address: string;
  /** True when TEMPORAL_ADDRESS was set: a server someone else runs, so nothing is started locally. */
  explicitAddress: boolean;
  namespace: string;
  taskQueue: string;
  apiKey?: string;
  tls?: TemporalTls | true;
}

export class TemporalConfigError extends Error {}

function readPem(variable: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new TemporalConfigError(`${variable}=${path} cannot be read; point it at a PEM file`);
  }
}

export function temporalEnv(env: NodeJS.ProcessEnv = process.env): TemporalEnv {
  const address = env.TEMPORAL_ADDRESS?.trim() || DEFAULT_TEMPORAL_ADDRESS;
  const port = Number(address.split(':').pop());
  if (!/^[^\s:/]+:\d{1,5}$/.test(address) || port < 1 || port > 65_535) {
    throw new TemporalConfigError(`TEMPORAL_ADDRESS=${address} is not host:port (e.g. 127.0.0.1:7233 or ns.acct.tmprl.cloud:7233)`);
  }
  const certPath = env.TEMPORAL_TLS_CERT_PATH?.trim();
  const keyPath = env.TEMPORAL_TLS_KEY_PATH?.trim();
  if (Boolean(certPath) !== Boolean(keyPath)) {
    throw new TemporalConfigError('mTLS needs both TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH');
  }
  const apiKey = env.TEMPORAL_API_KEY?.trim() || undefined;
  let tls: TemporalTls | true | undefined;
  if (certPath && keyPath) {
    tls = { clientCertPair: { crt: readPem('TEMPORAL_TLS_CERT_PATH', certPath), key: readPem('TEMPORAL_TLS_KEY_PATH', keyPath) } };
  }
  const caPath = env.TEMPORAL_TLS_CA_PATH?.trim();
  if (caPath) tls = { ...(tls === true || !tls ? {} : tls), serverRootCACertificate: readPem('TEMPORAL_TLS_CA_PATH', caPath) };
  const serverName = env.TEMPORAL_TLS_SERVER_NAME?.trim();
  if (serverName) tls = { ...(tls === true || !tls ? {} : tls), serverNameOverride: serverName };
  // An API key (Temporal Cloud) always travels over TLS; TEMPORAL_TLS=true asks for plain server-auth TLS.
  if (!tls && (apiKey || env.TEMPORAL_TLS === 'true')) tls = true;
  return {
    address,
    explicitAddress: Boolean(env.TEMPORAL_ADDRESS?.trim()),
    namespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE?.trim() || DEFAULT_TASK_QUEUE,
    ...(apiKey ? { apiKey } : {}),
    ...(tls ? { tls } : {}),
  };
}

/** Options for Connection.connect / NativeConnection.connect, identical for both. */
export function connectionOptions(t: TemporalEnv): { address: string; tls?: TemporalTls | true; apiKey?: string } {
  return { address: t.address, ...(t.tls ? { tls: t.tls } : {}), ...(t.apiKey ? { apiKey: t.apiKey } : {}) };
}

/**
 * How every process reaches Temporal: defaults for a local dev server, and clear refusals naming
 * the variable for settings that would otherwise fail later and obscurely (at connect time).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_TASK_QUEUE,
  DEFAULT_TEMPORAL_ADDRESS,
  TemporalConfigError,
  connectionOptions,
  temporalEnv,
} from '../../temporal/temporal-env.js';

let pemDir: string;
let certPath: string;
let keyPath: string;
let caPath: string;
const CERT = '-----BEGIN CERTIFICATE-----\nclient\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nkey\n-----END PRIVATE KEY-----\n';
const CA = '-----BEGIN CERTIFICATE-----\nca\n-----END CERTIFICATE-----\n';

beforeAll(() => {
  pemDir = mkdtempSync(join(tmpdir(), 'dca-pem-'));
  certPath = join(pemDir, 'client.pem');
  keyPath = join(pemDir, 'client.key');
  caPath = join(pemDir, 'ca.pem');
  writeFileSync(certPath, CERT);
  writeFileSync(keyPath, KEY);
  writeFileSync(caPath, CA);
});

afterAll(() => rmSync(pemDir, { recursive: true, force: true }));

function configError(env: NodeJS.ProcessEnv): TemporalConfigError {
  try {
    temporalEnv(env);
  } catch (err) {
    expect(err).toBeInstanceOf(TemporalConfigError);
    return err as TemporalConfigError;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe('temporalEnv defaults', () => {
  it('targets a local dev server in the default namespace without TLS when nothing is set', () => {
    expect(temporalEnv({})).toEqual({
      address: DEFAULT_TEMPORAL_ADDRESS,
      explicitAddress: false,
      namespace: 'default',
      taskQueue: DEFAULT_TASK_QUEUE,
    });
  });

  it('treats blank values as unset', () => {
    const env = temporalEnv({ TEMPORAL_ADDRESS: '  ', TEMPORAL_NAMESPACE: '', TEMPORAL_TASK_QUEUE: ' ', TEMPORAL_API_KEY: ' ' });
    expect(env).toEqual(temporalEnv({}));
  });

  it('takes address, namespace and task queue as given, trimmed, and marks the address explicit', () => {
    const env = temporalEnv({
      TEMPORAL_ADDRESS: ' ns.acct.tmprl.cloud:7233 ',
      TEMPORAL_NAMESPACE: 'ns.acct',
      TEMPORAL_TASK_QUEUE: 'desk-1',
    });
    expect(env).toEqual({ address: 'ns.acct.tmprl.cloud:7233', explicitAddress: true, namespace: 'ns.acct', taskQueue: 'desk-1' });
  });
});

describe('temporalEnv refuses a bad TEMPORAL_ADDRESS, naming it', () => {
  it.each(['localhost', 'http://127.0.0.1:7233', '127.0.0.1:', '127.0.0.1:port', 'my host:7233', '127.0.0.1:123456'])('%s', (address) => {
    const err = configError({ TEMPORAL_ADDRESS: address });
    expect(err.message).toContain(`TEMPORAL_ADDRESS=${address}`);
    expect(err.message).toContain('host:port');
  });
});

describe('temporalEnv TLS', () => {
  it('refuses half-configured mTLS, naming both variables', () => {
    for (const env of [{ TEMPORAL_TLS_CERT_PATH: certPath }, { TEMPORAL_TLS_KEY_PATH: keyPath }]) {
      const err = configError(env);
      expect(err.message).toContain('TEMPORAL_TLS_CERT_PATH');
      expect(err.message).toContain('TEMPORAL_TLS_KEY_PATH');
    }
  });

  it('reads the client certificate pair for mTLS', () => {
    const env = temporalEnv({ TEMPORAL_TLS_CERT_PATH: certPath, TEMPORAL_TLS_KEY_PATH: keyPath });
    expect(env.tls).toEqual({ clientCertPair: { crt: Buffer.from(CERT), key: Buffer.from(KEY) } });
    expect(env.apiKey).toBeUndefined();
  });

  it('adds a CA and a server name to the mTLS settings', () => {
    const env = temporalEnv({
      TEMPORAL_TLS_CERT_PATH: certPath,
      TEMPORAL_TLS_KEY_PATH: keyPath,
      TEMPORAL_TLS_CA_PATH: caPath,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(env.tls).toEqual({
      clientCertPair: { crt: Buffer.from(CERT), key: Buffer.from(KEY) },
      serverRootCACertificate: Buffer.from(CA),
      serverNameOverride: 'temporal.internal',
    });
  });

  it('names the variable whose PEM file cannot be read', () => {
    const missing = join(pemDir, 'missing.pem');
    for (const [variable, env] of [
      ['TEMPORAL_TLS_CERT_PATH', { TEMPORAL_TLS_CERT_PATH: missing, TEMPORAL_TLS_KEY_PATH: keyPath }],
      ['TEMPORAL_TLS_KEY_PATH', { TEMPORAL_TLS_CERT_PATH: certPath, TEMPORAL_TLS_KEY_PATH: missing }],
      ['TEMPORAL_TLS_CA_PATH', { TEMPORAL_TLS_CA_PATH: missing }],
    ] as const) {
      expect(configError(env).message).toBe(`${variable}=${missing} cannot be read; point it at a PEM file`);
    }
  });

  it('an API key implies TLS', () => {
    const env = temporalEnv({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: ' secret ' });
    expect(env.apiKey).toBe('secret');
    expect(env.tls).toBe(true);
    expect(connectionOptions(env)).toEqual({ address: 'ns.acct.tmprl.cloud:7233', tls: true, apiKey: 'secret' });
  });

  it('an API key keeps explicit TLS settings instead of replacing them', () => {
    const env = temporalEnv({ TEMPORAL_API_KEY: 'secret', TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' });
    expect(env.tls).toEqual({ serverNameOverride: 'temporal.internal' });
  });

  it('TEMPORAL_TLS=true asks for server-authenticated TLS; other values leave it off', () => {
    expect(temporalEnv({ TEMPORAL_TLS: 'true' }).tls).toBe(true);
    expect(temporalEnv({ TEMPORAL_TLS: 'false' }).tls).toBeUndefined();
  });

  it('connectionOptions carries only what is set', () => {
    expect(connectionOptions(temporalEnv({ TEMPORAL_ADDRESS: '10.0.0.5:7233' }))).toEqual({ address: '10.0.0.5:7233' });
  });
});

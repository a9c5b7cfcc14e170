import { Client, Connection } from '@temporalio/client';
import { inject } from 'vitest';

/** A plain Temporal client to the run's dev server, for asserting on workflows directly. */
export async function testClient(): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: inject('temporalAddress') });
  return { client: new Client({ connection }), close: () => connection.close() };
}

/**
 * A request workflow's wait ends the way its caller is told: WORKER_UNAVAILABLE when no worker
 * answers within the wait, CANCELLED when the caller's own signal aborts first. Against the real
 * dev server, on a task queue no worker polls; the deadline is built without AbortSignal.any (see
 * runtime/linked-signal.ts), and takes nothing off with it but its own listener.
 */
import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallError } from '../../temporal/call-error.js';
import { runRequestWorkflow } from '../../temporal/request-workflow.js';
import { testClient } from '../helpers/temporal-client.js';

let temporal: Awaited<ReturnType<typeof testClient>>;
beforeAll(async () => {
  temporal = await testClient();
});
afterAll(async () => {
  await temporal?.close();
});

function request(signal?: AbortSignal) {
  return {
    workflowType: 'noSuchWorkflowHere',
    workflowId: `deadline-${crypto.randomUUID()}`,
    taskQueue: `no-worker-${crypto.randomUUID().slice(0, 8)}`,
    args: [] as [],
    what: 'a deadline test',
    waitMs: 1_000,
    ...(signal ? { signal } : {}),
  };
}

async function failure(promise: Promise<unknown>): Promise<CallError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(CallError);
  return err as CallError;
}

describe('runRequestWorkflow', () => {
  it('reports WORKER_UNAVAILABLE when nothing answers within the wait, and leaves no listener on the caller signal', async () => {
    const caller = new AbortController();
    const err = await failure(runRequestWorkflow(temporal.client, request(caller.signal)));
    expect(err.code).toBe('WORKER_UNAVAILABLE');
    expect(err.hint).toMatch(/Start the worker/);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('reports CANCELLED when the caller cancels first', async () => {
    const caller = new AbortController();
    const pending = runRequestWorkflow(temporal.client, { ...request(caller.signal), waitMs: 60_000 });
    setTimeout(() => caller.abort(), 100);
    const err = await failure(pending);
    expect(err.code).toBe('CANCELLED');
  });
});

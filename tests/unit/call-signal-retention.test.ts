/**
 * A server keeps nothing per tool call once the call is over. On Node 20 a signal made with
 * AbortSignal.any stays alive for good once it has an 'abort' listener nobody removes, and the
 * Temporal client adds one for every gRPC call it makes under withAbortSignal (holding the call,
 * its request and its answer): the execution server grew by about 60 KiB per order that
 * way. These tests make 200 calls the way the server's tools do and check, with a forced garbage
 * collection, that none of the calls' signals survive and that nothing is left listening on the
 * server-lifetime signal. The same composite loses its timeout source to a collection and never
 * fires, so deadlines are linked by hand (runtime/linked-signal.ts) and the lint rule forbids it.
 */
import { getEventListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { lazyTemporal, type LazyTemporal } from '../../temporal/lazy-client.js';
import { linkedSignal, linkedSignalWithTimeout } from '../../runtime/linked-signal.js';
import { within } from '../../temporal/request-workflow.js';
import { temporalEnv } from '../../temporal/temporal-env.js';

const CALLS = 200;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** How many of the referents are still alive after a full collection. */
async function survivors(refs: readonly WeakRef<object>[]): Promise<number> {
  // WeakRef targets are kept until the current job ends: collect from a fresh macrotask.
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return refs.filter((r) => r.deref() !== undefined).length;
}

/** One tool call's signals as serve-group and the order client make them, with the SDK's deadline pattern on top. */
async function callLikeATool(client: Client, shutdown: AbortSignal, refs: WeakRef<object>[], composite = false): Promise<void> {
  const request = new AbortController();
  const call = linkedSignal([request.signal, shutdown]);
  // The shape of temporal/clients/orders/placement.ts: the call's signal and a timeout, linked;
  // or, for the control, composed the way it once was.
  const deadline = composite
    ? // eslint-disable-next-line no-restricted-properties -- the control reproduces what the rule forbids
      { signal: AbortSignal.any([call.signal, AbortSignal.timeout(60_000)]), release: () => undefined }
    : linkedSignalWithTimeout([call.signal], 60_000);
  refs.push(new WeakRef(call.signal), new WeakRef(deadline.signal));
  try {
    await client.withAbortSignal(deadline.signal, () => client.workflowService.getSystemInfo({}));
  } finally {
    deadline.release();
    call.release();
  }
}

describe('per-call signals in a server process', () => {
  let temporal: LazyTemporal;
  let client: Client;

  beforeAll(async () => {
    temporal = lazyTemporal(temporalEnv({ TEMPORAL_ADDRESS: inject('temporalAddress') }));
    client = await temporal.client();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  it(`keeps none of ${CALLS} Temporal calls' signals once they are done, through the server's own client`, async () => {
    const shutdown = new AbortController();
    const refs: WeakRef<object>[] = [];
    for (let i = 0; i < CALLS; i += 1) await callLikeATool(client, shutdown.signal, refs);
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);
    expect(await survivors(refs)).toBe(0);
  });

  // The probe above can see the leak: with the SDK's plain Connection every deadline survives.
  // Only Node 20 holds composite signals this way; a later Node may release them on its own.
  it.runIf(process.versions.node.startsWith('20.'))('would see every composite-deadline call kept with the SDK connection as it comes (Node 20)', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const plain = new Client({ connection });
      const shutdown = new AbortController();
      const refs: WeakRef<object>[] = [];
      for (let i = 0; i < CALLS; i += 1) await callLikeATool(plain, shutdown.signal, refs, true);
      expect(await survivors(refs)).toBeGreaterThanOrEqual(CALLS);
    } finally {
      await connection.close();
    }
  });

  it('still cancels a call when the host cancels it or the server shuts down', async () => {
    const shutdown = new AbortController();
    const request = new AbortController();
    const call = linkedSignal([request.signal, shutdown.signal]);
    request.abort(new Error('host cancelled'));
    expect(call.signal.aborted).toBe(true);
    expect((call.signal.reason as Error).message).toBe('host cancelled');
    expect(getEventListeners(shutdown.signal, 'abort')).toHaveLength(0);

    const next = linkedSignal([new AbortController().signal, shutdown.signal]);
    shutdown.abort();
    expect(next.signal.aborted).toBe(true);
    // A source that is already aborted gives an aborted signal at once.
    expect(linkedSignal([shutdown.signal]).signal.aborted).toBe(true);
  });

  it('fires a timed link after garbage collections, with nothing else holding it', async () => {
    const fired: boolean[] = [];
    for (let i = 0; i < 50; i += 1) {
      const timed = linkedSignalWithTimeout([new AbortController().signal], 200);
      timed.signal.addEventListener('abort', () => fired.push(timed.timedOut()), { once: true });
    }
    for (let i = 0; i < 3; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      gc();
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fired).toEqual(Array.from({ length: 50 }, () => true));
  });

  // The positive control for the test above: the composite the order client used to build as its
  // deadline loses its timeout source to the first collection on Node 20 and never fires.
  it.runIf(process.versions.node.startsWith('20.'))('would see AbortSignal.any with a timeout never fire after a collection (Node 20)', async () => {
    let fired = 0;
    const kept: AbortSignal[] = [];
    for (let i = 0; i < 50; i += 1) {
      // eslint-disable-next-line no-restricted-properties -- the control reproduces what the rule forbids
      const deadline = AbortSignal.any([new AbortController().signal, AbortSignal.timeout(200)]);
      kept.push(deadline);
      deadline.addEventListener('abort', () => (fired += 1), { once: true });
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    gc();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(fired).toBe(0);
    expect(kept.some((d) => d.aborted)).toBe(false);
  });

  it('aborts a timed link when its time is up and says so', async () => {
    const timed = linkedSignalWithTimeout([], 20);
    await new Promise((resolve) => timed.signal.addEventListener('abort', resolve, { once: true }));
    expect(timed.timedOut()).toBe(true);
    expect((timed.signal.reason as DOMException).name).toBe('TimeoutError');
    timed.release();
  });
});

describe('within', () => {
  it(`leaves no listener on a long-lived signal after ${CALLS} waits`, async () => {
    const shared = new AbortController();
    for (let i = 0; i < CALLS; i += 1) {
      await within(Promise.resolve(i), 10_000, shared.signal);
      await within(new Promise(() => undefined), 0, shared.signal);
    }
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
  });

  it('still ends the wait when the signal aborts', async () => {
    const shared = new AbortController();
    const waiting = within(new Promise(() => undefined), 60_000, shared.signal);
    shared.abort();
    expect(await waiting).toBeUndefined();
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
  });
});

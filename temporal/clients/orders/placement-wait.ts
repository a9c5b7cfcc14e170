/**
 * One wait per order per client: however many calls wait at once for the same order's placement (a
 * host repeating a call it gave up on, a burst of duplicates), they share one update on the order's
 * workflow. Temporal holds only a few updates in flight per workflow (ten by default) and turns the
 * rest away; the client retries those with a backoff of seconds that doubles each time, so a burst
 * of callers would wait out the backoff long after the order was placed.
 */
import type { Client } from '@temporalio/client';
import { awaitOrderPlacedUpdate, type PaperOrderState } from '../../../schemas/temporal/orders.js';
import { linkedSignalWithTimeout } from '../../../runtime/linked-signal.js';
import { orderHandle } from './read-order.js';

const waitsByClient = new WeakMap<Client, Map<string, Promise<PaperOrderState>>>();

/**
 * The order's placement, waited for by one update shared with every call already waiting for it.
 * The update has its own bound, `ms`, and no caller's abort: a caller that gives up (its host
 * cancelled, its deadline passed) leaves the wait to the others.
 */
export function awaitPlacedShared(client: Client, clientOrderId: string, ms: number): Promise<PaperOrderState> {
  let waits = waitsByClient.get(client);
  if (!waits) {
    waits = new Map();
    waitsByClient.set(client, waits);
  }
  const current = waits.get(clientOrderId);
  if (current) return current;
  const { signal, release } = linkedSignalWithTimeout([], ms);
  const wait = client
    .withAbortSignal(signal, () => orderHandle(client, clientOrderId).executeUpdate(awaitOrderPlacedUpdate))
    .finally(() => {
      release();
      waits.delete(clientOrderId);
    });
  // Every caller handles the outcome; this keeps a wait whose callers have all gone from being unhandled.
  wait.catch(() => undefined);
  waits.set(clientOrderId, wait);
  return wait;
}

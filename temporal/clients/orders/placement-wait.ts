/**
 * Waiting for an order's placement: the order is asked by query (orderPlacement) until it says it
 * is placed, and every call waiting for the same order at once shares one such wait per client (a
 * host repeating a call it gave up on, a burst of duplicates).
 *
 * A query rather than an update: an update is accepted into the order's history, Temporal holds
 * only ten in flight per workflow and turns the rest away (the client then retries with a backoff
 * of seconds that doubles each time), and one accepted while the order's workflow task runs a local
 * activity is one the SDK has been seen to replay out of order, a nondeterminism error that stops
 * the order. A query writes nothing, so nothing a caller does can change the order's path.
 */
import type { Client } from '@temporalio/client';
import { awaitOrderPlacedUpdate, orderPlacementQuery, type PaperOrderState } from '../../../schemas/temporal/orders.js';
import { linkedSignalWithTimeout } from '../../../runtime/linked-signal.js';
import { pause } from '../../../runtime/pause.js';
import { orderHandle } from './read-order.js';

/** Pauses between asks: short at first (most orders are placed within a few hundred ms), then steady. */
const POLL_MS = [30, 50, 80, 120, 180] as const;
const STEADY_POLL_MS = 250;

/** The wait ended because the order's run closed without placing it; the caller reads how it ended. */
class OrderClosedBeforePlacement extends Error {
  constructor(clientOrderId: string) {
    super(`order ${clientOrderId} closed before it was placed`);
  }
}

function isClosed(client: Client, handle: ReturnType<typeof orderHandle>, signal: AbortSignal): Promise<boolean> {
  return client.withAbortSignal(signal, () => handle.describe()).then((d) => d.status.name !== 'RUNNING', () => false);
}

const waitsByClient = new WeakMap<Client, Map<string, Promise<PaperOrderState>>>();

/**
 * Asks until placed. A run that cannot answer yet (its task failed with a killed worker and waits
 * to be retried, or no worker polls) is asked again at the next pause; one that has closed answers
 * from its result. Only the bound ends the wait.
 */
async function pollUntilPlaced(client: Client, clientOrderId: string, signal: AbortSignal): Promise<PaperOrderState> {
  const { QueryNotRegisteredError, WorkflowNotFoundError } = await import('../../client-sdk.js');
  const handle = orderHandle(client, clientOrderId);
  for (let poll = 0; ; poll += 1) {
    if (signal.aborted) throw signal.reason;
    try {
      const answer = await client.withAbortSignal(signal, () => handle.query(orderPlacementQuery));
      if (answer.placed) return answer.order;
      // A closed run answers queries too, from its last state: one that failed (an account nobody
      // configured) says "not placed" for good. The caller reads a closed order from how it ended.
      // Looked at on the second ask (such an order fails in its first task) and every fourth after,
      // not on every ask: a describe per poll would double the calls of every wait.
      if ((poll === 1 || (poll > 0 && poll % 4 === 0)) && (await isClosed(client, handle, signal))) throw new OrderClosedBeforePlacement(clientOrderId);
    } catch (err) {
      if (err instanceof OrderClosedBeforePlacement) throw err;
      if (signal.aborted) throw err;
      // A run begun before this query existed is waited for as it was then.
      if (err instanceof QueryNotRegisteredError) return client.withAbortSignal(signal, () => handle.executeUpdate(awaitOrderPlacedUpdate));
      if (err instanceof WorkflowNotFoundError) throw err;
      if (await isClosed(client, handle, signal)) throw err; // the caller reads a closed order from its recorded result
    }
    await pause(POLL_MS[poll] ?? STEADY_POLL_MS, signal);
  }
}

/**
 * The order's placement, waited for by one poll shared with every call already waiting for it.
 * The poll has its own bound, `ms`, and no caller's abort: a caller that gives up (its host
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
  const wait = pollUntilPlaced(client, clientOrderId, signal).finally(() => {
    release();
    waits.delete(clientOrderId);
  });
  // Every caller handles the outcome; this keeps a wait whose callers have all gone from being unhandled.
  wait.catch(() => undefined);
  waits.set(clientOrderId, wait);
  return wait;
}

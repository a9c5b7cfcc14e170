/**
 * Placing an order: started exactly once under its client_order_id, then waited for until it is
 * placed (checked by the gate, and filled or resting). The wait asks the order's latest run by
 * query, shared by every call waiting for the same order at once (placement-wait.ts); an order that
 * has closed answers from its recorded result, and one that hands over to a new run is asked there.
 * The whole call keeps to the caller's bound: an order not decided in time (no worker, a worker
 * restarting, a gate busy with a burst) is reported pending with its id and why, and goes on
 * durably; a start Temporal did not confirm in time is an error that says to repeat the call,
 * which never places twice.
 */
import type { Client } from '@temporalio/client';
import { orderWorkflowId, pendingOrderState, type PaperOrderRequest, type PaperOrderState } from '../../../schemas/temporal/orders.js';
import { CallError } from '../../call-error.js';
import { linkedSignalWithTimeout } from '../../../runtime/linked-signal.js';
import { readOrder } from './read-order.js';
import { awaitPlacedShared } from './placement-wait.js';
import { startOrder } from './start-order.js';

/** Hand-overs to a new run a single wait follows before giving up. */
const MAX_RUNS_FOLLOWED = 3;

export interface PlacedOrder {
  order: PaperOrderState;
  runId: string;
  /** The client_order_id had been used before: the order placed then is returned. */
  duplicate: boolean;
}

/**
 * The call's outcome, or the deadline's abort the moment it passes. The client is asked to give the
 * call up too, but a call it is retrying (Temporal restarting: UNAVAILABLE, a backoff, another try)
 * does not always notice an abort that came between tries; the caller's bound must not depend on it.
 * A call left behind settles on its own and changes nothing: every call here is idempotent.
 */
async function bounded<T>(client: Client, deadline: AbortSignal, call: () => Promise<T>): Promise<T> {
  if (deadline.aborted) throw deadline.reason;
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(deadline.reason);
    deadline.addEventListener('abort', onAbort, { once: true });
  });
  const work = client.withAbortSignal(deadline, call);
  work.catch(() => undefined);
  try {
    return await Promise.race([work, aborted]);
  } finally {
    deadline.removeEventListener('abort', onAbort);
  }
}

/** The order as far as anyone can tell yet: pending under its id, with why and what to do. */
function notYetDecided(request: PaperOrderRequest, waitMs: number, why: string): PaperOrderState {
  return {
    ...pendingOrderState(request, orderWorkflowId(request.client_order_id), Date.now()),
    status_reason:
      `not decided within ${waitMs / 1000} s (${why}); the order goes on durably: read it with get_order_status, ` +
      'or repeat this call with the same client_order_id, which never places it twice',
  };
}

async function awaitPlacement(
  client: Client,
  request: PaperOrderRequest,
  runId: string,
  deadline: AbortSignal,
  waitMs: number,
): Promise<{ order: PaperOrderState; runId: string }> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      const order = await bounded(client, deadline, () => awaitPlacedShared(client, request.client_order_id, waitMs));
      return { order, runId };
    } catch {
      if (deadline.aborted) return { order: notYetDecided(request, waitMs, 'no worker has checked it yet, or the risk gate is busy'), runId };
      // The wait ended before its bound: the order closed (read its result), or it is unknown.
      const read = await bounded(client, deadline, () => readOrder(client, request.client_order_id)).catch((readErr: unknown) => {
        if (readErr instanceof CallError && readErr.code !== 'ORDER_STATE_UNAVAILABLE') throw readErr;
        return null;
      });
      if (read && !read.running) return { order: read.order, runId: read.runId };
      if (deadline.aborted || attempt >= MAX_RUNS_FOLLOWED) {
        return { order: notYetDecided(request, waitMs, 'its workflow is being recovered after a worker stopped mid-task'), runId };
      }
      // Not a hand-over: give a recovering worker a moment before asking again.
      if (!read) await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
    }
  }
}

/**
 * Starts the order under its client_order_id (exactly once, whoever calls and however often) and
 * waits up to waitMs for its placement. Reusing a client_order_id for a different order is refused.
 */
export async function placeOrder(
  client: Client,
  taskQueue: string,
  request: PaperOrderRequest,
  signal: AbortSignal,
  waitMs: number,
): Promise<PlacedOrder> {
  // Not AbortSignal.any with AbortSignal.timeout: on Node 20 the timeout source of such a composite
  // is collected as soon as a garbage collection runs (it holds it weakly), and the deadline then
  // never fires. Under load that made calls wait until the host gave up instead of 15 s.
  const { signal: deadline, release } = linkedSignalWithTimeout([signal], waitMs);
  try {
    let started;
    try {
      started = await bounded(client, deadline, () => startOrder(client, taskQueue, request));
    } catch (err) {
      if (!deadline.aborted || signal.aborted) throw err;
      throw new CallError(
        'ORDER_NOT_CONFIRMED',
        `Temporal did not confirm within ${waitMs / 1000} s that order ${request.client_order_id} is started; it may or may not exist yet`,
        'Repeat this call with the same client_order_id and the same order: it is placed at most once, and the repeat answers with its state.',
        true,
      );
    }
    const placed = await awaitPlacement(client, request, started.runId, deadline, waitMs);
    return { ...placed, duplicate: started.duplicate };
  } finally {
    release();
  }
}

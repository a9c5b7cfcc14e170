/**
 * Placing an order: started exactly once under its client_order_id, then waited for until it is
 * placed (checked by the gate, and filled or resting). The wait is an update on the order's latest
 * run. An order that finishes before the update reaches it (a quick rejection, say) answers from
 * its recorded result; one that hands over to a new run is asked again there. With no worker in
 * time the order is reported pending: it goes on durably.
 */
import type { Client } from '@temporalio/client';
import { awaitOrderPlacedUpdate, orderWorkflowId, pendingOrderState, type PaperOrderRequest, type PaperOrderState } from '../../../schemas/temporal/orders.js';
import { orderHandle, readOrder } from './read-order.js';
import { startOrder } from './start-order.js';

/** Hand-overs to a new run a single wait follows before giving up. */
const MAX_RUNS_FOLLOWED = 3;

export interface PlacedOrder {
  order: PaperOrderState;
  runId: string;
  /** The client_order_id had been used before: the order placed then is returned. */
  duplicate: boolean;
}

async function awaitPlacement(
  client: Client,
  request: PaperOrderRequest,
  runId: string,
  signal: AbortSignal,
  waitMs: number,
): Promise<{ order: PaperOrderState; runId: string }> {
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(waitMs)]);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const order = await client.withAbortSignal(deadline, () => orderHandle(client, request.client_order_id).executeUpdate(awaitOrderPlacedUpdate));
      return { order, runId };
    } catch (err) {
      if (deadline.aborted) return { order: pendingOrderState(request, orderWorkflowId(request.client_order_id), Date.now()), runId };
      const read = await readOrder(client, request.client_order_id);
      if (!read.running) return { order: read.order, runId: read.runId };
      if (attempt >= MAX_RUNS_FOLLOWED) throw err;
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
  const started = await startOrder(client, taskQueue, request);
  const placed = await awaitPlacement(client, request, started.runId, signal, waitMs);
  return { ...placed, duplicate: started.duplicate };
}

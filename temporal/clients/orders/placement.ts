/**
 * Waiting for an order to be placed: checked by the gate, and filled or resting. The wait is an
 * update on the order's latest run. An order that finishes before the update reaches it (a quick
 * rejection, say) answers from its recorded result; one that hands over to a new run is asked
 * again there. With no worker in time the order is reported pending: it goes on durably.
 */
import type { Client } from '@temporalio/client';
import { awaitOrderPlacedUpdate, orderWorkflowId, pendingOrderState, type PaperOrderRequest, type PaperOrderState } from '../../../schemas/temporal/orders.js';
import { readOrder } from './read-order.js';
import { startPaperOrder } from './start-order.js';

/** Hand-overs to a new run a single wait follows before giving up. */
const MAX_RUNS_FOLLOWED = 3;

export async function awaitPlacement(
  client: Client,
  request: PaperOrderRequest,
  runId: string,
  signal: AbortSignal,
  waitMs: number,
): Promise<{ order: PaperOrderState; runId: string }> {
  const workflowId = orderWorkflowId(request.client_order_id);
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(waitMs)]);
  for (let attempt = 0; ; attempt += 1) {
    try {
      const order = await client.withAbortSignal(deadline, () => client.workflow.getHandle(workflowId).executeUpdate(awaitOrderPlacedUpdate));
      return { order, runId };
    } catch (err) {
      if (deadline.aborted) return { order: pendingOrderState(request, workflowId, Date.now()), runId };
      const read = await readOrder(client, request.client_order_id);
      if (!read.running) return { order: read.order, runId: read.runId };
      if (attempt >= MAX_RUNS_FOLLOWED) throw err;
    }
  }
}

/**
 * Starts the order under its client_order_id (exactly once, whoever calls and however often) and
 * waits for its placement. Reusing a client_order_id for a different order is refused.
 */
export async function submitPaperOrder(
  client: Client,
  taskQueue: string,
  request: PaperOrderRequest,
  signal: AbortSignal,
  waitMs: number,
): Promise<{ order: PaperOrderState; runId: string; duplicate: boolean }> {
  const started = await startPaperOrder(client, taskQueue, request);
  const placed = await awaitPlacement(client, request, started.runId, signal, waitMs);
  return { ...placed, duplicate: started.duplicate };
}

/**
 * Reading a paper order: the running workflow answers a query; a finished one is read from its
 * recorded result, which needs no worker. Every read addresses the order by its workflow id alone,
 * so it reaches the latest run after a resting order has continued as new.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { orderStatusQuery, orderWorkflowId, type PaperOrderState } from '../../../schemas/temporal/orders.js';
import type { paperOrderWorkflow } from '../../../worker/workflows/execution/orders/paper-order.js';
import { CallError } from '../../call-error.js';
import { endedForUnknownAccount, unknownAccountError } from '../../unknown-account.js';

export interface OrderRead {
  order: PaperOrderState;
  runId: string;
  running: boolean;
}

export function orderHandle(client: Client, clientOrderId: string): WorkflowHandle<typeof paperOrderWorkflow> {
  return client.workflow.getHandle<typeof paperOrderWorkflow>(orderWorkflowId(clientOrderId));
}

/** How long a read waits for a running order to answer its query; a worker that is back answers in far less. */
const QUERY_WAIT_MS = 5_000;

/**
 * A running order whose workflow cannot answer now: its last task failed (a worker crashed or
 * stopped mid-task) and waits to be retried, or no worker polls. The order is intact and goes on.
 */
export const ORDER_STATE_UNAVAILABLE = 'ORDER_STATE_UNAVAILABLE';

function orderStateUnavailable(clientOrderId: string, err: unknown): CallError {
  const detail = (err instanceof Error ? err.message : String(err)).split('\n')[0];
  return new CallError(
    ORDER_STATE_UNAVAILABLE,
    `order ${clientOrderId} is working, but its workflow cannot answer right now (${detail}): a worker is restarting or none runs`,
    'Ask again with get_order_status in a few seconds; the order goes on durably under the same client_order_id, and repeating place_mock_order never places it twice.',
    true,
  );
}

/** Asks a running order for its state, bounded; any failure of the ask itself is ORDER_STATE_UNAVAILABLE. */
async function queryRunningOrder(client: Client, handle: WorkflowHandle<typeof paperOrderWorkflow>, clientOrderId: string): Promise<PaperOrderState> {
  try {
    return await client.withDeadline(Date.now() + QUERY_WAIT_MS, () => handle.query(orderStatusQuery));
  } catch (err) {
    // A run that closed between the describe and the query has a recorded result instead.
    if (err instanceof WorkflowNotFoundError) throw err;
    const closed = await handle.describe().then((d) => d.status.name === 'COMPLETED', () => false);
    if (closed) return handle.result();
    throw orderStateUnavailable(clientOrderId, err);
  }
}

function orderNotFound(clientOrderId: string): CallError {
  return new CallError(
    'ORDER_NOT_FOUND',
    `no paper order has client_order_id ${clientOrderId}`,
    'Check the id, or place the order with place_mock_order.',
    false,
  );
}

/**
 * The order as it stands, and whether it still works; ORDER_NOT_FOUND when it was never placed,
 * UNKNOWN_ACCOUNT when the worker refused it for naming an account nobody configured.
 */
export async function readOrder(client: Client, clientOrderId: string): Promise<OrderRead> {
  const handle = orderHandle(client, clientOrderId);
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw orderNotFound(clientOrderId);
    throw err;
  }
  if (description.status.name === 'FAILED') {
    const account = await endedForUnknownAccount(client, handle.workflowId);
    if (account !== undefined) throw unknownAccountError(account);
  }
  const running = description.status.name === 'RUNNING';
  const order = description.status.name === 'COMPLETED' ? await handle.result() : await queryRunningOrder(client, handle, clientOrderId);
  return { order, runId: description.runId, running };
}

/**
 * The order's state from its query alone, or null when no such order exists. With timeoutMs, a
 * query that takes longer fails (for callers that must not wait on an order nobody serves).
 */
export async function queryOrder(client: Client, clientOrderId: string, timeoutMs?: number): Promise<PaperOrderState | null> {
  const query = () => orderHandle(client, clientOrderId).query(orderStatusQuery);
  try {
    return await (timeoutMs === undefined ? query() : client.withDeadline(Date.now() + timeoutMs, query));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/** The order once it has finished: its workflow's result, followed across continue-as-new. */
export function finishedOrder(client: Client, clientOrderId: string): Promise<PaperOrderState> {
  return orderHandle(client, clientOrderId).result();
}

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
  const order = description.status.name === 'COMPLETED' ? await handle.result() : await handle.query(orderStatusQuery);
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

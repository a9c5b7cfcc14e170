/**
 * Reading a paper order from the server side: the running workflow answers a query; a finished
 * one is read from its recorded result, which needs no worker.
 */
import type { Client } from '@temporalio/client';
import { orderStatusQuery, orderWorkflowId, type PaperOrderState } from '../../../schemas/temporal/orders.js';
import { CallError } from '../../call-error.js';

export interface OrderRead {
  order: PaperOrderState;
  runId: string;
  running: boolean;
}

export function orderNotFound(clientOrderId: string): CallError {
  return new CallError(
    'ORDER_NOT_FOUND',
    `no paper order has client_order_id ${clientOrderId}`,
    'Check the id, or place the order with place_mock_order.',
    false,
  );
}

export async function readOrder(client: Client, clientOrderId: string): Promise<OrderRead> {
  const { WorkflowNotFoundError } = await import('@temporalio/client');
  const handle = client.workflow.getHandle(orderWorkflowId(clientOrderId));
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw orderNotFound(clientOrderId);
    throw err;
  }
  const running = description.status.name === 'RUNNING';
  const order =
    description.status.name === 'COMPLETED' ? ((await handle.result()) as PaperOrderState) : await handle.query(orderStatusQuery);
  return { order, runId: description.runId, running };
}

/** The order as every order tool reports it. */
export function orderOutput(order: PaperOrderState, runId: string) {
  return { ...order, run_id: runId };
}

/**
 * Starts a paper order under its client_order_id, exactly once: the one way an order comes into
 * being, used by place_mock_order and by the intent bus's execution subscriber alike, so both
 * compute the same request fingerprint and a repeated start finds the order started before.
 */
import type { Client } from '@temporalio/client';
import { PAPER_ORDER_WORKFLOW, orderWorkflowId, type PaperOrderRequest } from '../../../schemas/temporal/orders.js';
import type { paperOrderWorkflow } from '../../../worker/workflows/execution/orders/paper-order.js';
import { sha256Hex, startIdempotent, type StartedWorkflow } from '../../idempotent-start.js';

export async function startOrder(client: Client, taskQueue: string, request: PaperOrderRequest): Promise<StartedWorkflow<typeof paperOrderWorkflow>> {
  // The key itself is not part of what was asked: the same key with the same order is a repeat.
  const { client_order_id: _key, ...asked } = request;
  return startIdempotent<typeof paperOrderWorkflow>(client, {
    workflowType: PAPER_ORDER_WORKFLOW,
    workflowId: orderWorkflowId(request.client_order_id),
    taskQueue,
    args: [{ request }],
    fingerprint: await sha256Hex(asked),
    keyName: 'client_order_id',
  });
}

/**
 * Drives paper orders through a plain Temporal client the way the execution server does: the
 * order workflow is started under its client_order_id (USE_EXISTING, REJECT_DUPLICATE) and the
 * caller waits for placement through the update; status is a query, cancel an update.
 */
import type { Client } from '@temporalio/client';
import { DEFAULT_ACCOUNT } from '../../schemas/temporal/ledger.js';
import {
  PAPER_ORDER_WORKFLOW,
  awaitOrderPlacedUpdate,
  cancelOrderUpdate,
  orderStatusQuery,
  orderWorkflowId,
  type CancelOrderResult,
  type PaperOrderInput,
  type PaperOrderRequest,
  type PaperOrderState,
} from '../../schemas/temporal/orders.js';

export class OrderDriver {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
    readonly account: string = DEFAULT_ACCOUNT,
  ) {}

  request(patch: Partial<PaperOrderRequest> & Pick<PaperOrderRequest, 'side' | 'type'>): PaperOrderRequest {
    return {
      client_order_id: `ord-${crypto.randomUUID()}`,
      account: this.account,
      symbol: 'BTC/USDT',
      qty: null,
      quote_notional: null,
      limit_price: null,
      intent_id: null,
      expires_after_sec: null,
      ...patch,
    };
  }

  async start(request: PaperOrderRequest): Promise<void> {
    const input: PaperOrderInput = { request };
    await this.client.workflow.start(PAPER_ORDER_WORKFLOW, {
      workflowId: orderWorkflowId(request.client_order_id),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
    });
  }

  /** Starts the order and returns it once checked and filled or resting. */
  async place(request: PaperOrderRequest): Promise<PaperOrderState> {
    await this.start(request);
    return this.client.workflow.getHandle(orderWorkflowId(request.client_order_id)).executeUpdate(awaitOrderPlacedUpdate);
  }

  status(clientOrderId: string): Promise<PaperOrderState> {
    return this.client.workflow.getHandle(orderWorkflowId(clientOrderId)).query(orderStatusQuery);
  }

  cancel(clientOrderId: string): Promise<CancelOrderResult> {
    return this.client.workflow.getHandle(orderWorkflowId(clientOrderId)).executeUpdate(cancelOrderUpdate);
  }

  result(clientOrderId: string): Promise<PaperOrderState> {
    return this.client.workflow.getHandle(orderWorkflowId(clientOrderId)).result() as Promise<PaperOrderState>;
  }
}

/**
 * Drives paper orders through a plain Temporal client with the order client the execution tools
 * use (temporal/clients/orders/): placing (idempotent start under the client_order_id, then the
 * placement wait), reading and cancelling, so workflow tests exercise exactly what the tools do,
 * minus MCP.
 */
import type { Client } from '@temporalio/client';
import { DEFAULT_ACCOUNT } from '../../schemas/temporal/ledger.js';
import type { PaperOrderRequest, PaperOrderState } from '../../schemas/temporal/orders.js';
import { cancelOrder } from '../../temporal/clients/orders/cancellation.js';
import { placeOrder } from '../../temporal/clients/orders/placement.js';
import { finishedOrder, readOrder } from '../../temporal/clients/orders/read-order.js';

const WAIT_MS = 30_000;

export class OrderDriver {
  /** client_order_ids submitted through this driver, for checks over every order of a test file. */
  readonly submitted: string[] = [];

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

  /** Submits the order and returns it once checked and filled or resting. */
  async place(request: PaperOrderRequest): Promise<PaperOrderState> {
    this.submitted.push(request.client_order_id);
    return (await placeOrder(this.client, this.taskQueue, request, new AbortController().signal, WAIT_MS)).order;
  }

  async status(clientOrderId: string): Promise<PaperOrderState> {
    return (await readOrder(this.client, clientOrderId)).order;
  }

  async cancel(clientOrderId: string): Promise<{ cancelled: boolean; order: PaperOrderState }> {
    const { cancelled, order } = await cancelOrder(this.client, clientOrderId, new AbortController().signal, WAIT_MS);
    return { cancelled, order };
  }

  result(clientOrderId: string): Promise<PaperOrderState> {
    return finishedOrder(this.client, clientOrderId);
  }
}

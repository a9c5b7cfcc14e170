import { placeMockOrder } from '../../../../schemas/execution-orders.js';
import { DEFAULT_ACCOUNT } from '../../../../schemas/temporal/ledger.js';
import type { PaperOrderRequest } from '../../../../schemas/temporal/orders.js';
import { orderShapeViolation } from '../../../../domain/orders/order-shape.js';
import { placeOrder } from '../../../../temporal/clients/orders/placement.js';
import { defineTool } from '../../../kit/define-tool.js';
import { ToolError } from '../../../kit/tool-error.js';
import { orderOutput } from './order-output.js';

/** How long the call waits for the order to be checked and filled or rested; it goes on durably after. */
const PLACEMENT_WAIT_MS = 15_000;

export const placeMockOrderTool = defineTool(placeMockOrder, async (input, { temporal, signal }) => {
  // Checked here as well as in the worker, so a malformed order never takes up its client_order_id.
  const misshapen = orderShapeViolation(input);
  if (misshapen) throw new ToolError('INVALID_INPUT', misshapen.message, misshapen.hint, false);

  const request: PaperOrderRequest = {
    client_order_id: input.client_order_id,
    account: input.account ?? DEFAULT_ACCOUNT,
    symbol: input.symbol,
    side: input.side,
    type: input.type,
    qty: input.qty ?? null,
    quote_notional: input.quote_notional ?? null,
    limit_price: input.limit_price ?? null,
    intent_id: input.intent_id ?? null,
    expires_after_sec: input.expires_after_sec ?? null,
  };
  const placed = await placeOrder(await temporal.client(), temporal.env.taskQueue, request, signal, PLACEMENT_WAIT_MS);
  return { ...orderOutput(placed.order, placed.runId), duplicate: placed.duplicate };
});

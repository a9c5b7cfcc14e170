import { placeMockOrder } from '../../../../schemas/execution-orders.js';
import { DEFAULT_ACCOUNT } from '../../../../schemas/temporal/ledger.js';
import type { PaperOrderRequest } from '../../../../schemas/temporal/orders.js';
import { defineTool } from '../../../kit/define-tool.js';
import { ToolError } from '../../../kit/tool-error.js';
import { submitPaperOrder } from '../../../../temporal/clients/orders/placement.js';
import { orderOutput } from '../../../../temporal/clients/orders/read-order.js';

/** How long the call waits for the order to be checked and filled or rested; it goes on durably after. */
const PLACEMENT_WAIT_MS = 15_000;

function invalid(message: string, hint: string): ToolError {
  return new ToolError('INVALID_INPUT', message, hint, false);
}

export const placeMockOrderTool = defineTool(placeMockOrder, async (input, { temporal, signal }) => {
  // Checked here as well as in the worker, so a malformed order never takes up its client_order_id.
  if ((input.qty === undefined) === (input.quote_notional === undefined)) {
    throw invalid('give exactly one of qty and quote_notional', 'Use qty for a base quantity ("0.01") or quote_notional for a quote amount ("250").');
  }
  if (input.type === 'limit' && input.limit_price === undefined) {
    throw invalid('a limit order needs limit_price', 'Add limit_price, or use type "market".');
  }
  if (input.type === 'market' && (input.limit_price !== undefined || input.expires_after_sec !== undefined)) {
    throw invalid('limit_price and expires_after_sec are for limit orders only', 'Leave them out for a market order, or use type "limit".');
  }

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
  const placed = await submitPaperOrder(await temporal.client(), temporal.env.taskQueue, request, signal, PLACEMENT_WAIT_MS);
  return { ...orderOutput(placed.order, placed.runId), duplicate: placed.duplicate };
});

import { z } from 'zod';
import { idempotencyKey } from './common.js';
import { defineContract } from './contract.js';
import { accountName, decimalString, epochMs, positiveDecimal, spotSymbol } from './ledger.js';
import { riskReason } from './risk.js';

/** Ceiling of a resting limit order's lifetime a caller may ask for (the worker may set a lower one). */
export const MAX_EXPIRES_AFTER_SEC = 365 * 86_400;

const ORDER_STATUSES = ['pending', 'open', 'partially_filled', 'filled', 'cancelled', 'expired', 'rejected'] as const;

const orderFill = z.object({
  fill_id: z.string().describe('Ledger fill id: <order workflow id>#<seq>'),
  seq: z.number().int().positive(),
  qty: decimalString,
  price: decimalString.describe('From the venue book, never from the caller'),
  fee: decimalString,
  fee_currency: z.string(),
  liquidity: z.enum(['maker', 'taker']),
  ts: epochMs.describe('Execution time, ms since the epoch'),
});

/** An order as every order tool reports it. */
const orderView = {
  client_order_id: z.string(),
  account: z.string(),
  exchange: z.string().nullable().describe('Venue whose book fills the order; null while pending'),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  type: z.enum(['market', 'limit']),
  status: z
    .enum(ORDER_STATUSES)
    .describe('pending: not yet checked; open / partially_filled: resting; filled; cancelled; expired (time ran out, or a market order ran out of book); rejected (see rejection)'),
  requested_qty: decimalString.nullable().describe('Base quantity worked (a quote_notional resolves to one)'),
  quote_notional: decimalString.nullable(),
  limit_price: decimalString.nullable(),
  intent_id: z.string().nullable(),
  fills: z.array(orderFill),
  filled_qty: decimalString,
  remaining_qty: decimalString,
  avg_price: decimalString.nullable().describe('Volume-weighted fill price'),
  filled_notional: decimalString.describe('Quote amount traded, before fees'),
  fee: decimalString.describe('Sum of fees, in fee_currency'),
  fee_currency: z.string().nullable(),
  rejection: z
    .object({
      code: z.string(),
      message: z.string(),
      risk_check_id: z.string().nullable().describe("The risk gate's decision behind a RISK_REJECTED, else null"),
      reasons: z.array(riskReason).describe('RISK_REJECTED: every check that refused, with the codes pre_trade_risk_check gives; else empty'),
    })
    .nullable()
    .describe('Why the pre-trade gate or the ledger refused the order'),
  status_reason: z.string().nullable(),
  created_ts: epochMs,
  updated_ts: epochMs,
  expires_ts: epochMs.nullable().describe('When a resting limit order expires'),
  workflow_id: z.string().describe('The order workflow (order:<client_order_id>)'),
  run_id: z.string(),
};

export const placeMockOrder = defineContract({
  name: 'place_mock_order',
  group: 'execution',
  title: 'Place a paper order',
  description:
    "Place a paper order, filled against the venue's current order book: a market order walks the book (taker fee); a limit order takes what crosses its price and rests for the rest until the book crosses it (maker fee, at the limit price), it is cancelled, or it expires. Prices always come from market data. The order first passes the pre-trade gate (positive size, known symbol, fresh book, a size the venue accepts: a qty in whole steps of at least the symbol's minimum, and at least its minimum value, as the INVALID_SIZE refusal names them; enough cash or holdings); a refusal comes back as status 'rejected' with a reason code. Every fill is booked in the account's ledger. The same client_order_id always returns the same order and never fills twice. Answers within 15 s: the order as placed (filled, resting or rejected), or status 'pending' with status_reason when it is not decided yet (no worker, a worker restarting, or the account's risk gate busy with other orders: a burst on one account waits its turn there for up to five minutes, then is rejected as RISK_GATE_BUSY); a pending order goes on durably, so read it with get_order_status. Give exactly one of qty and quote_notional.",
  input: z.object({
    client_order_id: idempotencyKey.describe('Your id for this order; it is the idempotency key, so reuse it only to ask again'),
    symbol: spotSymbol,
    side: z.enum(['buy', 'sell']),
    type: z.enum(['market', 'limit']),
    qty: positiveDecimal.optional().describe('Base quantity, e.g. "0.01": a whole number of the venue\'s steps for the symbol'),
    quote_notional: positiveDecimal.optional().describe('Quote amount to spend (buy) or receive (sell), e.g. "250"'),
    limit_price: positiveDecimal.optional().describe('Limit orders only: the worst price accepted'),
    expires_after_sec: z.number().int().min(1).max(MAX_EXPIRES_AFTER_SEC).optional().describe('Limit orders only: seconds a resting order lives (worker default when omitted)'),
    intent_id: idempotencyKey.optional().describe('The intent this order executes, for the audit trail'),
    account: accountName.optional().describe('Ledger account the fills are booked in; "paper" when omitted'),
  }),
  output: z.object({
    ...orderView,
    duplicate: z.boolean().describe('True when this client_order_id had been used before: the recorded order is returned'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
});

export const getOrderStatus = defineContract({
  name: 'get_order_status',
  group: 'execution',
  title: 'Order status',
  description: 'The current state of a paper order by its client_order_id: status, fills, average price, fees and why it ended as it did.',
  input: z.object({
    client_order_id: idempotencyKey.describe('The id the order was placed with'),
  }),
  output: z.object(orderView),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

export const cancelOrder = defineContract({
  name: 'cancel_order',
  group: 'execution',
  title: 'Cancel a paper order',
  description:
    'Cancel a resting paper order by its client_order_id. Fills it already has stand. Answers once the order has stopped; cancelling an order that has already finished changes nothing and reports cancelled: false with its final state.',
  input: z.object({
    client_order_id: idempotencyKey.describe('The id the order was placed with'),
  }),
  output: z.object({
    cancelled: z.boolean().describe('True when this call stopped a working order'),
    ...orderView,
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
});

export const executionOrderContracts = [placeMockOrder, getOrderStatus, cancelOrder] as const;

/**
 * The Temporal side of the paper-order contract: one PaperOrderWorkflow per client_order_id. It
 * passes the pre-trade gate, fills against the venue's current order book (market orders walk it;
 * limit orders take what crosses and rest for the rest), books every fill in the account's ledger
 * and can be cancelled through an update. Shared by the execution server, the worker and the risk
 * group (which routes approved intents here). Pure definitions only: bundled into workflow code.
 *
 * Amounts are decimal strings.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { FillSide, LedgerFill } from './ledger.js';
import type { RiskReason } from './risk.js';

export const PAPER_ORDER_WORKFLOW = 'paperOrderWorkflow';

export const orderWorkflowId = (clientOrderId: string): string => `order:${clientOrderId}`;

/** The fill id of the seq-th execution (1-based) of an order: the same on every retry. */
export const orderFillId = (clientOrderId: string, seq: number): string => `${orderWorkflowId(clientOrderId)}#${seq}`;

export type OrderType = 'market' | 'limit';

/**
 * pending: accepted, not yet checked; open: resting, nothing filled; partially_filled: resting with
 * some fills; filled; cancelled (on request; fills so far stand); expired (a limit order's time ran
 * out, or a market order found no more depth); rejected (by the pre-trade gate or the ledger, no fill).
 */
export type OrderStatus = 'pending' | 'open' | 'partially_filled' | 'filled' | 'cancelled' | 'expired' | 'rejected';

export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = ['filled', 'cancelled', 'expired', 'rejected'];

export const isTerminalOrderStatus = (status: OrderStatus): boolean => TERMINAL_ORDER_STATUSES.includes(status);

/** Why the pre-trade gate (or the ledger at settlement) refused an order. */
export type OrderRejectionCode =
  | 'INVALID_ORDER'
  | 'INVALID_SIZE'
  | 'INVALID_PRICE'
  | 'UNKNOWN_SYMBOL'
  | 'UNSUPPORTED_SYMBOL'
  | 'STALE_PRICE'
  | 'NO_LIQUIDITY'
  | 'INSUFFICIENT_CASH'
  | 'INSUFFICIENT_HOLDINGS'
  | 'VENUE_UNAVAILABLE'
  | 'LEDGER_UNAVAILABLE'
  | 'RISK_REJECTED'
  /** The gate was deciding other orders of the account and did not take this one in time: nothing was checked. */
  | 'RISK_GATE_BUSY'
  /** The gate could not be reached at all (its worker away): the order is refused, as the gate fails closed. */
  | 'RISK_GATE_UNAVAILABLE';

export interface OrderRejection {
  code: OrderRejectionCode;
  /** What was wrong and what to do, in words. */
  message: string;
  /** The risk gate's decision behind a RISK_REJECTED (absent otherwise, and in orders of older runs). */
  risk_check_id?: string | null;
  /** RISK_REJECTED: the gate's reasons, with the codes pre_trade_risk_check gives. */
  reasons?: RiskReason[];
}

export interface PaperOrderRequest {
  client_order_id: string;
  account: string;
  symbol: string;
  side: FillSide;
  type: OrderType;
  /** Base-asset quantity; exactly one of qty and quote_notional is set. */
  qty: string | null;
  /** Quote-currency amount to spend (buy) or receive (sell). */
  quote_notional: string | null;
  /** Required for limit orders: the worst price accepted. */
  limit_price: string | null;
  intent_id: string | null;
  /** A resting limit order expires after this long; null: the worker's default. */
  expires_after_sec: number | null;
}

/** One execution of an order, as booked in the ledger (the ledger's fill without the order's own ids), numbered within the order. */
export type OrderFill = Pick<LedgerFill, 'fill_id' | 'qty' | 'price' | 'fee' | 'fee_currency' | 'liquidity' | 'ts'> & { seq: number };

export interface PaperOrderState {
  client_order_id: string;
  account: string;
  /** The venue whose book fills the order; null until the worker has taken the order up. */
  exchange: string | null;
  symbol: string;
  side: FillSide;
  type: OrderType;
  status: OrderStatus;
  /** Base quantity asked for; for a quote_notional market order, what the book walk resolved it to. */
  requested_qty: string | null;
  quote_notional: string | null;
  limit_price: string | null;
  intent_id: string | null;
  fills: OrderFill[];
  filled_qty: string;
  /** Base quantity still working (0 once terminal). */
  remaining_qty: string;
  /** Volume-weighted average fill price; null before the first fill. */
  avg_price: string | null;
  /** Quote spent (buy) or received (sell) before fees. */
  filled_notional: string;
  /** Sum of fees, in fee_currency. */
  fee: string;
  fee_currency: string | null;
  rejection: OrderRejection | null;
  /** Why the order ended as it did, in words (null while working). */
  status_reason: string | null;
  created_ts: number;
  updated_ts: number;
  /** When a resting limit order expires, ms epoch. */
  expires_ts: number | null;
  workflow_id: string;
}

/** An order as it stands before the worker has checked it (the workflow's start, or a caller's view of a queued order). */
export function pendingOrderState(request: PaperOrderRequest, workflowId: string, now: number): PaperOrderState {
  return {
    client_order_id: request.client_order_id,
    account: request.account,
    exchange: null,
    symbol: request.symbol,
    side: request.side,
    type: request.type,
    status: 'pending',
    requested_qty: request.qty,
    quote_notional: request.quote_notional,
    limit_price: request.limit_price,
    intent_id: request.intent_id,
    fills: [],
    filled_qty: '0',
    remaining_qty: request.qty ?? '0',
    avg_price: null,
    filled_notional: '0',
    fee: '0',
    fee_currency: null,
    rejection: null,
    status_reason: null,
    created_ts: now,
    updated_ts: now,
    expires_ts: null,
    workflow_id: workflowId,
  };
}

/** Paper execution settings, from the worker's configuration (worker/config/orders-config.ts). */
export interface PaperOrderSettings {
  exchange: string;
  /** The currency ledgers keep cash in: only symbols quoted in it can be traded. */
  quoteCurrency: string;
  /** Order-book levels fetched per side. */
  bookDepth: number;
  /** A book older than this is stale: the order is rejected (STALE_PRICE). */
  maxBookAgeMs: number;
  /** Fee rates as fractions; null: the venue's own rates. */
  makerFee: string | null;
  takerFee: string | null;
  /** 'quote': every fee in the quote currency; 'received': in the asset received (base on buys). */
  feeCurrencyMode: 'quote' | 'received';
  /** Decimal places of base quantities derived from a quote_notional (rounded down). */
  qtyDecimals: number;
  /** How often a resting limit order re-checks the book. */
  restingPollSec: number;
  defaultExpiresAfterSec: number;
  maxExpiresAfterSec: number;
  /** History length past which a resting order continues as new. */
  historyLimit: number;
  /**
   * Ids and amounts are held to the spelling the tools accept (schemas/primitives: no leading
   * zeros, at most 18 decimals, ...). Absent in orders started before: they keep the plain-decimal
   * check they were recorded with.
   */
  canonicalInput?: boolean;
}

export interface PaperOrderInput {
  request: PaperOrderRequest;
  /** A resting order's state and settings handed over by continue-as-new. */
  carried?: { order: PaperOrderState; settings: PaperOrderSettings };
}

/** Waits until the order has been checked and has either finished or come to rest, then reports it. */
export const awaitOrderPlacedUpdate = defineUpdate<PaperOrderState>('awaitOrderPlaced');

export const orderStatusQuery = defineQuery<PaperOrderState>('orderStatus');

/** Whether the order has been placed (checked by the gate, and finished or resting), with its state. */
export interface OrderPlacement {
  placed: boolean;
  order: PaperOrderState;
}

/**
 * What callers waiting for a placement poll. A query writes nothing to the order's history, so any
 * number of callers may wait at once, and none of them lands in the order's history while its
 * workflow task is running a local activity (an update accepted there is one the SDK has been seen
 * to replay out of order).
 */
export const orderPlacementQuery = defineQuery<OrderPlacement>('orderPlacement');

export interface CancelOrderResult {
  /** True when this request stopped a working order (false: it had already finished). */
  cancelled: boolean;
  order: PaperOrderState;
}

/** Cancels a working order (fills so far stand); answers once the order has stopped. Idempotent. */
export const cancelOrderUpdate = defineUpdate<CancelOrderResult>('cancelOrder');

/**
 * From the account's risk workflow: the trading state tightened and this working order may no longer
 * fill (HALTED stops every order, REDUCING those that would add exposure). The order stops as if
 * cancelled, with the reason recorded.
 */
export const riskCancelOrderSignal = defineSignal<[{ reason: string }]>('riskCancelOrder');

/** Error types of the order workflows; the server kit maps them to codes. */
export const ORDER_NOT_FOUND = 'OrderNotFound';

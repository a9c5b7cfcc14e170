/**
 * The order's state transitions as pure code: created, taken up, filled in steps, finished. The
 * order workflow only orchestrates around them.
 */
import type { FillLiquidity, LedgerFill } from '../../schemas/temporal/ledger.js';
import {
  isTerminalOrderStatus,
  orderFillId,
  type OrderFill,
  type OrderRejection,
  type OrderStatus,
  type PaperOrderSettings,
  type PaperOrderState,
} from '../../schemas/temporal/orders.js';
import { spotAssets } from '../../schemas/primitives/spot-symbol.js';
import { Money, PRICE_DECIMALS, ZERO, money, text } from '../money.js';
import { feeFor, type Execution, type FeeTerms } from './fill-model.js';

/** The worker has taken the order up: the venue whose book will fill it. */
export function takeUp(order: PaperOrderState, settings: PaperOrderSettings, now: number): void {
  order.exchange = settings.exchange;
  order.updated_ts = now;
}

/** The base quantity the order works: asked for, or what a quote_notional resolved to against the book. */
export function setWorkingQty(order: PaperOrderState, qty: Money): void {
  order.requested_qty = text(qty);
  order.remaining_qty = text(Money.max(ZERO, qty.minus(order.filled_qty)));
}

export function isWorking(order: PaperOrderState): boolean {
  return !isTerminalOrderStatus(order.status);
}

export function rejectOrder(order: PaperOrderState, rejection: OrderRejection, now: number): void {
  order.status = 'rejected';
  order.rejection = rejection;
  order.status_reason = `${rejection.code}: ${rejection.message}`;
  order.remaining_qty = '0';
  order.updated_ts = now;
}

/** The ledger fills for executions of this order, numbered on from the fills it already has. */
export function ledgerFillsFor(
  order: PaperOrderState,
  executions: readonly Execution[],
  liquidity: FillLiquidity,
  terms: Omit<FeeTerms, 'base' | 'quote'>,
  ts: number,
): LedgerFill[] {
  const assets = spotAssets(order.symbol);
  if (!assets) throw new RangeError(`${order.symbol} is not a spot symbol`);
  return executions.map((execution, i) => {
    const { fee, currency } = feeFor(execution, order.side, liquidity, { ...terms, ...assets });
    return {
      fill_id: orderFillId(order.client_order_id, order.fills.length + i + 1),
      client_order_id: order.client_order_id,
      intent_id: order.intent_id,
      order_workflow_id: order.workflow_id,
      symbol: order.symbol,
      side: order.side,
      qty: text(execution.qty),
      price: text(execution.price),
      fee: text(fee),
      fee_currency: currency,
      liquidity,
      ts,
    };
  });
}

/** Adds booked fills to the order and recomputes its totals. */
export function recordFills(order: PaperOrderState, fills: readonly LedgerFill[], now: number): void {
  for (const fill of fills) {
    const seq = order.fills.length + 1;
    const entry: OrderFill = {
      fill_id: fill.fill_id,
      seq,
      qty: fill.qty,
      price: fill.price,
      fee: fill.fee,
      fee_currency: fill.fee_currency,
      liquidity: fill.liquidity,
      ts: fill.ts,
    };
    order.fills.push(entry);
  }
  let qty = ZERO;
  let notional = ZERO;
  let fee = ZERO;
  for (const f of order.fills) {
    qty = qty.plus(f.qty);
    notional = notional.plus(money(f.qty).times(f.price));
    fee = fee.plus(f.fee);
  }
  order.filled_qty = text(qty);
  order.filled_notional = text(notional);
  order.fee = text(fee);
  order.fee_currency = order.fills[0]?.fee_currency ?? null;
  order.avg_price = qty.greaterThan(0) ? text(notional.dividedBy(qty).toDecimalPlaces(PRICE_DECIMALS)) : null;
  if (order.requested_qty !== null) order.remaining_qty = text(Money.max(ZERO, money(order.requested_qty).minus(qty)));
  if (order.fills.length > 0 && isWorking(order)) order.status = 'partially_filled';
  order.updated_ts = now;
}

export function finishOrder(order: PaperOrderState, status: Exclude<OrderStatus, 'pending' | 'open' | 'partially_filled'>, reason: string, now: number): void {
  order.status = status;
  order.status_reason = reason;
  order.remaining_qty = '0';
  order.updated_ts = now;
}

/** A limit order with quantity left comes to rest on the book. */
export function rest(order: PaperOrderState, expiresAt: number, now: number): void {
  order.status = order.fills.length > 0 ? 'partially_filled' : 'open';
  order.expires_ts = expiresAt;
  order.updated_ts = now;
}

/**
 * The execution subscriber's delivery: every leg of an approved intent becomes a paper order,
 * started under its client_order_id through the order client place_mock_order uses (startOrder),
 * so a repeated delivery finds the order it started before. A market leg with max_slippage_bps becomes a limit order that far
 * beyond the mid the gate saw, resting only briefly: immediate-or-cancel in spirit.
 */
import type { Client } from '@temporalio/client';
import type { BusIntent, DeliveryOutcome } from '../../../../schemas/temporal/intents.js';
import type { PaperOrderRequest } from '../../../../schemas/temporal/orders.js';
import type { RiskLeg } from '../../../../schemas/temporal/risk.js';
import { startOrder } from '../../../../temporal/clients/orders/start-order.js';
import { CallError } from '../../../../temporal/call-error.js';
import { Money, money, text } from '../../../../domain/money.js';

/** Decimal places of a protected limit price derived from the mid. */
const PROTECTED_PRICE_DECIMALS = 8;

export function orderRequestFor(intent: BusIntent, leg: RiskLeg, protectedTtlSec: number): PaperOrderRequest {
  const base = {
    client_order_id: leg.client_order_id,
    account: intent.account,
    symbol: leg.symbol,
    side: leg.side,
    qty: leg.qty,
    quote_notional: leg.quote_notional,
    intent_id: intent.intent_id,
  };
  if (leg.limit_price !== null) return { ...base, type: 'limit', limit_price: leg.limit_price, expires_after_sec: null };
  const reference = intent.reference_prices[leg.client_order_id];
  if (intent.max_slippage_bps === null || !reference) return { ...base, type: 'market', limit_price: null, expires_after_sec: null };
  const factor = money(intent.max_slippage_bps).dividedBy(10_000);
  const protectedPrice = leg.side === 'buy' ? money(reference).times(money(1).plus(factor)) : money(reference).times(money(1).minus(factor));
  const rounding = leg.side === 'buy' ? Money.ROUND_DOWN : Money.ROUND_UP;
  return { ...base, type: 'limit', limit_price: text(protectedPrice.toDecimalPlaces(PROTECTED_PRICE_DECIMALS, rounding)), expires_after_sec: protectedTtlSec };
}

export async function deliverToExecution(client: Client, taskQueue: string, intent: BusIntent, protectedTtlSec: number): Promise<DeliveryOutcome> {
  const results: string[] = [];
  let failed = false;
  for (const leg of intent.legs) {
    const request = orderRequestFor(intent, leg, protectedTtlSec);
    try {
      const started = await startOrder(client, taskQueue, request);
      results.push(`${request.client_order_id} ${started.duplicate ? 'already placed' : 'placed'} (${request.type})`);
    } catch (err) {
      // The id was taken by a different order (placed directly): this leg cannot be placed under it.
      if (!(err instanceof CallError) || err.code !== 'IDEMPOTENCY_CONFLICT') throw err;
      failed = true;
      results.push(`${request.client_order_id} not placed: ${err.message}`);
    }
  }
  return { seq: intent.seq, intent_id: intent.intent_id, status: failed ? 'failed' : 'delivered', detail: results.join('; '), delivered_at: Date.now() };
}

/**
 * The shape rules of an order, written once for every way an order comes in: exactly one size
 * (qty or quote_notional), a limit order names its limit_price, and a market order carries no
 * limit-order field (limit_price, expires_after_sec). place_mock_order refuses a misshapen order
 * before it takes up its client_order_id; the paper-order workflow refuses it from any other caller.
 * Each violation says what was wrong and what to do; the caller picks its own error code. Pure.
 */

/** The fields the rules look at, as a tool's input (optional) or an order request (null) has them. */
export interface OrderShape {
  type: string;
  qty?: string | null | undefined;
  quote_notional?: string | null | undefined;
  limit_price?: string | null | undefined;
  expires_after_sec?: number | null | undefined;
}

export type OrderShapeRule = 'one_size' | 'limit_needs_price' | 'limit_fields_only';

export interface OrderShapeViolation {
  rule: OrderShapeRule;
  /** What is wrong with the order. */
  message: string;
  /** What to change. */
  hint: string;
}

const given = (value: unknown): boolean => value !== null && value !== undefined;

/** Exactly one of qty (a base quantity) and quote_notional (a quote amount). */
export function sizeViolation(order: Pick<OrderShape, 'qty' | 'quote_notional'>): OrderShapeViolation | null {
  if (given(order.qty) !== given(order.quote_notional)) return null;
  return {
    rule: 'one_size',
    message: 'give exactly one of qty and quote_notional',
    hint: 'Use qty for a base quantity ("0.01") or quote_notional for a quote amount ("250").',
  };
}

/** A limit order names the worst price it accepts. */
export function limitPriceViolation(order: Pick<OrderShape, 'type' | 'limit_price'>): OrderShapeViolation | null {
  if (order.type !== 'limit' || given(order.limit_price)) return null;
  return { rule: 'limit_needs_price', message: 'a limit order needs limit_price', hint: 'Add limit_price, or use type "market".' };
}

/** A market order never rests, so it has no limit price and no expiry. */
export function limitFieldsViolation(order: Pick<OrderShape, 'type' | 'limit_price' | 'expires_after_sec'>): OrderShapeViolation | null {
  if (order.type !== 'market' || (!given(order.limit_price) && !given(order.expires_after_sec))) return null;
  return {
    rule: 'limit_fields_only',
    message: 'limit_price and expires_after_sec are for limit orders only',
    hint: 'Leave them out for a market order, or use type "limit".',
  };
}

/** The first rule the order breaks, or null when its shape is sound. */
export function orderShapeViolation(order: OrderShape): OrderShapeViolation | null {
  return sizeViolation(order) ?? limitPriceViolation(order) ?? limitFieldsViolation(order);
}

/** A violation as one sentence, for a refusal recorded with the order. */
export function violationText(violation: OrderShapeViolation): string {
  return `${violation.message}. ${violation.hint}`;
}

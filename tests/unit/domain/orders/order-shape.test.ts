/**
 * The order shape rules, written once for place_mock_order and the paper-order workflow: exactly
 * one size, a limit order names its price, a market order carries no limit-order field. Tool input
 * (fields left out) and order requests (fields null) are judged alike.
 */
import { describe, expect, it } from 'vitest';
import {
  limitFieldsViolation,
  limitPriceViolation,
  orderShapeViolation,
  sizeViolation,
  violationText,
  type OrderShape,
} from '../../../../domain/orders/order-shape.js';

const market: OrderShape = { type: 'market', qty: '0.01', quote_notional: null, limit_price: null, expires_after_sec: null };
const limit: OrderShape = { type: 'limit', qty: '0.01', quote_notional: null, limit_price: '60000', expires_after_sec: 60 };

describe('order shape', () => {
  it('accepts a market order with one size, and a limit order with a price and an expiry', () => {
    expect(orderShapeViolation(market)).toBeNull();
    expect(orderShapeViolation({ ...market, qty: null, quote_notional: '250' })).toBeNull();
    expect(orderShapeViolation(limit)).toBeNull();
    expect(orderShapeViolation({ type: 'market', quote_notional: '250' })).toBeNull();
  });

  it('asks for exactly one of qty and quote_notional, saying how to give each', () => {
    for (const sizes of [{ qty: '1', quote_notional: '10' }, { qty: null, quote_notional: null }, {}]) {
      expect(sizeViolation(sizes)).toEqual({
        rule: 'one_size',
        message: 'give exactly one of qty and quote_notional',
        hint: 'Use qty for a base quantity ("0.01") or quote_notional for a quote amount ("250").',
      });
    }
    expect(orderShapeViolation({ ...limit, quote_notional: '10' })?.rule).toBe('one_size');
  });

  it('asks a limit order for its limit_price', () => {
    expect(limitPriceViolation({ type: 'limit', limit_price: null })).toMatchObject({ rule: 'limit_needs_price', message: 'a limit order needs limit_price' });
    expect(limitPriceViolation({ type: 'limit' })?.hint).toBe('Add limit_price, or use type "market".');
    expect(limitPriceViolation({ type: 'market', limit_price: null })).toBeNull();
  });

  it('refuses limit_price or expires_after_sec on a market order', () => {
    for (const extra of [{ limit_price: '100' }, { expires_after_sec: 60 }]) {
      expect(limitFieldsViolation({ ...market, ...extra })).toMatchObject({
        rule: 'limit_fields_only',
        message: 'limit_price and expires_after_sec are for limit orders only',
      });
    }
    expect(limitFieldsViolation(limit)).toBeNull();
  });

  it('reports the first rule broken, sizes first', () => {
    expect(orderShapeViolation({ type: 'limit', qty: null })?.rule).toBe('one_size');
    expect(orderShapeViolation({ type: 'limit', qty: '1' })?.rule).toBe('limit_needs_price');
    expect(orderShapeViolation({ type: 'market', qty: '1', limit_price: '5' })?.rule).toBe('limit_fields_only');
  });

  it('puts a violation in one sentence for a refusal recorded with the order', () => {
    const violation = sizeViolation({ qty: '1', quote_notional: '10' });
    expect(violation && violationText(violation)).toBe(
      'give exactly one of qty and quote_notional. Use qty for a base quantity ("0.01") or quote_notional for a quote amount ("250").',
    );
  });
});

/**
 * The paper-order checks that hold an order to the tools' spelling of amounts and ids and to the
 * venue's size rules: each refusal's code and words, both the qty and the quote_notional path, and
 * orders recorded before (no canonicalInput in their settings, no size rules with their book)
 * judged as they were.
 */
import { describe, expect, it } from 'vitest';
import type { PaperOrderRequest, PaperOrderSettings } from '../../../../schemas/temporal/orders.js';
import type { BookSnapshot } from '../../../../domain/orders/fill-model.js';
import { checkOrderShape, checkPreTrade, type BookFetch } from '../../../../domain/orders/pre-trade-checks.js';
import type { SizeRules } from '../../../../domain/orders/size-rules.js';
import { NOW, PAPER_SETTINGS, ledgerBalances, paperOrder } from './order-fixtures.js';

const recorded = PAPER_SETTINGS;
const settings: PaperOrderSettings = { ...recorded, canonicalInput: true };

const book: BookSnapshot = {
  exchange: 'sim',
  symbol: 'BTC/USDT',
  ts: NOW - 1_000,
  fetched_at: NOW - 900,
  bids: [{ price: '64990', qty: '1' }],
  asks: [{ price: '65000', qty: '1' }, { price: '65010', qty: '2' }],
  fees: { maker: '0.001', taker: '0.001' },
};
const BTC_RULES: SizeRules = { min_qty: '0.00001', qty_step: '0.00001', min_notional: '5' };
const RULES_TEXT = 'BTC/USDT trades in steps of 0.00001 with a minimum of 0.00001 and a minimum value of 5 USDT';

const balances = ledgerBalances('1000000', { 'BTC/USDT': { qty: '3', avg_price: '60000', cost: '180000' } });

const order = (patch: Partial<PaperOrderRequest>): PaperOrderRequest => paperOrder({ qty: '0.001', ...patch });

const withRules: BookFetch = { listed: true, book, size_rules: BTC_RULES };
const check = (request: PaperOrderRequest, fetched: BookFetch = withRules) => checkPreTrade({ request, settings, fetched, balances, nowMs: NOW });

describe('canonical amounts and ids in the order workflow', () => {
  it('refuses the spellings the tools refuse, saying how to write them', () => {
    expect(checkOrderShape(order({ qty: '00.5' }), settings)).toEqual({ code: 'INVALID_SIZE', message: 'qty must be a positive decimal string: write 0.5, not 00.5 (no leading zeros)' });
    expect(checkOrderShape(order({ qty: null, quote_notional: '1e-18' }), settings)).toEqual({
      code: 'INVALID_SIZE',
      message: 'quote_notional must be a positive decimal string: write 0.000000000000000001, not 1e-18 (no exponent)',
    });
    expect(checkOrderShape(order({ qty: `0.${'0'.repeat(18)}1` }), settings)?.message).toMatch(/^qty must be a positive decimal string: at most 30 digits before the "\." and 18 after/);
    expect(checkOrderShape(order({ type: 'limit', limit_price: '065000' }), settings)).toEqual({ code: 'INVALID_PRICE', message: 'limit_price must be a positive decimal string: write 65000, not 065000 (no leading zeros)' });
    expect(checkOrderShape(order({ qty: '0' }), settings)).toEqual({ code: 'INVALID_SIZE', message: 'qty must be a positive decimal string: "0" is zero; sizes and prices are greater than zero' });
  });

  it('refuses ids the tools would refuse', () => {
    expect(checkOrderShape(order({ client_order_id: 'a b' }), settings)?.message).toMatch(/^client_order_id: use 1-128 characters/);
    expect(checkOrderShape(order({ intent_id: '-x' }), settings)?.message).toMatch(/^intent_id: use 1-128 characters/);
    expect(checkOrderShape(order({ intent_id: 'intent-7.0' }), settings)).toBeNull();
  });

  it('judges an order recorded before as it was judged then', () => {
    expect(checkOrderShape(order({ qty: '00.5' }), recorded)).toBeNull();
    expect(checkOrderShape(order({ qty: '0' }), recorded)).toEqual({ code: 'INVALID_SIZE', message: 'qty must be a positive decimal such as "0.01" (got "0")' });
  });
});

describe('the venue\'s size rules at placement', () => {
  it('passes a qty in whole steps above the minimums', () => {
    expect(check(order({}))).toBeNull();
    expect(check(order({ qty: '0.00008' }))).toBeNull();
  });

  it('refuses a qty below the minimum, naming the rules and the size that passes', () => {
    expect(check(order({ qty: '0.000000000000000001' }))).toEqual({
      code: 'INVALID_SIZE',
      message: `qty 0.000000000000000001 is below the minimum: ${RULES_TEXT}; raise qty to at least 0.00001`,
    });
  });

  it('refuses a qty off the step, naming the whole numbers of steps on either side', () => {
    expect(check(order({ qty: '0.000015' }))).toEqual({
      code: 'INVALID_SIZE',
      message: `qty 0.000015 is not a whole number of steps: ${RULES_TEXT}; use a whole number of steps, such as 0.00001 or 0.00002`,
    });
    expect(check(order({ side: 'sell', qty: '1.000001' }))?.code).toBe('INVALID_SIZE');
  });

  it('values a qty at the book for the minimum value, a resting limit order too', () => {
    // 0.00007 x 65000 = 4.55 USDT.
    expect(check(order({ qty: '0.00007' }))).toEqual({
      code: 'INVALID_SIZE',
      message: `qty 0.00007 is below the minimum value: ${RULES_TEXT}; it is worth about 4.55 USDT at the book; raise qty to at least 0.00008`,
    });
    expect(check(order({ type: 'limit', qty: '0.00007', limit_price: '1' }))?.code).toBe('INVALID_SIZE');
    // A limit buy far below the market is worth what the book says, not its limit.
    expect(check(order({ type: 'limit', qty: '0.01', limit_price: '1' }))).toBeNull();
  });

  it('refuses a quote_notional below the minimum value or buying less than the minimum', () => {
    expect(check(order({ qty: null, quote_notional: '4.99' }))).toEqual({
      code: 'INVALID_SIZE',
      message: `quote_notional 4.99 is below the minimum value: ${RULES_TEXT}; raise it to at least 5`,
    });
    expect(check(order({ qty: null, quote_notional: '0.000000000000000001' }))?.code).toBe('INVALID_SIZE');
    const coarse: BookFetch = { ...withRules, size_rules: { ...BTC_RULES, min_qty: '0.001' } };
    expect(check(order({ qty: null, quote_notional: '10' }), coarse)).toEqual({
      code: 'INVALID_SIZE',
      message: 'quote_notional 10 comes to 0.00015384 at the book, below the minimum: BTC/USDT trades in steps of 0.00001 with a minimum of 0.001 and a minimum value of 5 USDT; raise it to at least 65',
    });
    // Its quantity comes from the book, so the step is not asked of it.
    expect(check(order({ qty: null, quote_notional: '10' }))).toBeNull();
  });

  it('leaves an order recorded before the venue reported its rules as it was', () => {
    expect(check(order({ qty: '0.000015' }), { listed: true, book })).toBeNull();
  });

  it('falls back to the engine\'s own quantity resolution when the venue names no step', () => {
    const noStep: BookFetch = { ...withRules, size_rules: { min_qty: null, qty_step: null, min_notional: null } };
    expect(check(order({ qty: '0.000000001' }), noStep)?.message).toBe(
      'qty 0.000000001 is not a whole number of steps: BTC/USDT trades in steps of 0.00000001; use a whole number of steps, such as 0.00000001',
    );
  });
});

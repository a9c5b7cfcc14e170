/**
 * The paper fill model against a recorded Binance order book (tests/fixtures/venues/binance,
 * BTC/USDT, five levels a side): book walks, partial fills where depth is short, limit orders
 * that take what crosses and rest for the rest, resting fills once the book crosses, and fees.
 * Expected figures are read off the recording by hand.
 */
import { describe, expect, it } from 'vitest';
import { feeFor, restingFill, totalNotional, totalQty, walkBook, type BookLevelText, type Execution } from '../../../../domain/orders/fill-model.js';
import { money, text } from '../../../../domain/money.js';
import { fixture } from '../../../helpers/fake-venue-server.js';

const recorded = fixture('binance', 'depth-BTCUSDT-5.json') as { bids: [string, string][]; asks: [string, string][] };
const levels = (rows: [string, string][]): BookLevelText[] => rows.map(([price, qty]) => ({ price: text(money(price)), qty: text(money(qty)) }));
const bids = levels(recorded.bids);
const asks = levels(recorded.asks);

const asText = (executions: Execution[]) => executions.map((e) => [text(e.qty), text(e.price)]);

describe('walking the recorded book', () => {
  it('a market buy takes the asks best first, level by level', () => {
    const walk = walkBook(asks, 'buy', { qty: money('6.1535'), qtyDecimals: 8 });
    expect(asText(walk)).toEqual([
      ['6.1531', '69412.01'],
      ['0.00023', '69412.02'],
      ['0.00016', '69412.05'],
      ['0.00001', '69412.3'],
    ]);
    expect(text(totalQty(walk))).toBe('6.1535');
    // 6.1531*69412.01 + 0.00023*69412.02 + 0.00016*69412.05 + 0.00001*69412.3
    expect(text(totalNotional(walk))).toBe('427126.8035466');
  });

  it('a market sell takes the bids best first', () => {
    const walk = walkBook(bids, 'sell', { qty: money('2.32'), qtyDecimals: 8 });
    expect(asText(walk)).toEqual([
      ['2.31455', '69412'],
      ['0.001', '69411.99'],
      ['0.00016', '69411.98'],
      ['0.00429', '69411.9'],
    ]);
  });

  it('fills partially when the depth is short: everything the five levels hold, nothing more', () => {
    const walk = walkBook(asks, 'buy', { qty: money('10'), qtyDecimals: 8 });
    expect(walk).toHaveLength(5);
    // 6.1531 + 0.00023 + 0.00016 + 0.08011 + 0.0281
    expect(text(totalQty(walk))).toBe('6.2617');
  });

  it('spends a quote notional, rounding the quantity down to the configured decimals', () => {
    const walk = walkBook(asks, 'buy', { notional: money('1000'), qtyDecimals: 8 });
    // 1000 / 69412.01 = 0.014406729... -> 0.01440672
    expect(asText(walk)).toEqual([['0.01440672', '69412.01']]);
    expect(totalNotional(walk).lessThanOrEqualTo(1000)).toBe(true);
    expect(walkBook(asks, 'buy', { notional: money('0.0001'), qtyDecimals: 8 })).toEqual([]);
  });

  it('a limit buy takes only the levels at or under its price', () => {
    const walk = walkBook(asks, 'buy', { qty: money('7'), limitPrice: money('69412.02'), qtyDecimals: 8 });
    expect(asText(walk)).toEqual([
      ['6.1531', '69412.01'],
      ['0.00023', '69412.02'],
    ]);
    expect(walkBook(asks, 'buy', { qty: money('1'), limitPrice: money('69412'), qtyDecimals: 8 })).toEqual([]);
    expect(walkBook(bids, 'sell', { qty: money('3'), limitPrice: money('69411.99'), qtyDecimals: 8 }).map((e) => text(e.price))).toEqual([
      '69412',
      '69411.99',
    ]);
  });
});

describe('a resting limit order', () => {
  it('does not fill while the book stays on its side of the price', () => {
    expect(restingFill(asks, 'buy', money('69412'), money('1'))).toBeNull();
    expect(restingFill(bids, 'sell', money('69412.01'), money('1'))).toBeNull();
  });

  it('fills at its own price, up to the crossing depth, once the book crosses it', () => {
    // A buy resting at 69412.05 is crossed by the first three ask levels: 6.15349 BTC.
    expect(restingFill(asks, 'buy', money('69412.05'), money('10'))).toEqual({ price: money('69412.05'), qty: money('6.15349') });
    expect(restingFill(asks, 'buy', money('69412.05'), money('0.5'))).toEqual({ price: money('69412.05'), qty: money('0.5') });
    expect(restingFill(bids, 'sell', money('69411.99'), money('5'))).toEqual({ price: money('69411.99'), qty: money('2.31555') });
  });
});

describe('fees', () => {
  const execution = { qty: money('0.5'), price: money('69412.01') };
  const rates = { maker: '0.0002', taker: '0.001' };

  it('charges the taker or maker rate on the notional, in the quote currency', () => {
    const taker = feeFor(execution, 'buy', 'taker', { rates, mode: 'quote', base: 'BTC', quote: 'USDT' });
    expect([text(taker.fee), taker.currency]).toEqual(['34.706005', 'USDT']);
    const maker = feeFor(execution, 'sell', 'maker', { rates, mode: 'quote', base: 'BTC', quote: 'USDT' });
    expect([text(maker.fee), maker.currency]).toEqual(['6.941201', 'USDT']);
  });

  it('charges in the asset received when so configured: base on a buy, quote on a sell', () => {
    const buy = feeFor(execution, 'buy', 'taker', { rates, mode: 'received', base: 'BTC', quote: 'USDT' });
    expect([text(buy.fee), buy.currency]).toEqual(['0.0005', 'BTC']);
    const sell = feeFor(execution, 'sell', 'taker', { rates, mode: 'received', base: 'BTC', quote: 'USDT' });
    expect([text(sell.fee), sell.currency]).toEqual(['34.706005', 'USDT']);
  });
});

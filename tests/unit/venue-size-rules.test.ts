/**
 * Where the size rules come from: a ccxt market (the recorded Binance listing, read as ccxt reads
 * it) and the sim venue's catalog, whose every pair has a realistic step, minimum and minimum
 * value, with books quoted in whole steps.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { money } from '../../domain/money.js';
import { isOnStep } from '../../domain/orders/size-rules.js';
import { sizeRulesFromCcxt } from '../../worker/activities/market/venues/ccxt-venue.js';
import { SIM_MARKETS } from '../../worker/activities/market/venues/sim/sim-catalog.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';

const T = Date.UTC(2025, 5, 10, 12, 0, 0);

describe('a ccxt market\'s size rules', () => {
  it('are its amount minimum, amount precision as a step, and cost minimum', async () => {
    const binance = new ccxt.binance({ options: { fetchMarkets: { types: ['spot'] } } });
    const exchangeInfo = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/venues/binance/exchangeInfo.json'), 'utf8')) as unknown;
    // ccxt parses the recorded listing exactly as it would the live answer.
    (binance as unknown as { fetch: () => Promise<unknown> }).fetch = async () => exchangeInfo;
    await binance.loadMarkets();
    expect(sizeRulesFromCcxt(binance.markets!['BTC/USDT']!, Number(binance.precisionMode))).toEqual({ minQty: 0.00001, qtyStep: 0.00001, minNotional: 5 });
    expect(sizeRulesFromCcxt(binance.markets!['SOL/USDT']!, Number(binance.precisionMode))).toEqual({ minQty: 0.001, qtyStep: 0.001, minNotional: 5 });
  });

  it('read a precision in decimal places as its step, and name no rule a market leaves out', () => {
    const market = { precision: { amount: 4 }, limits: { amount: { min: 0 }, cost: {} } } as never;
    expect(sizeRulesFromCcxt(market, ccxt.DECIMAL_PLACES)).toEqual({ minQty: null, qtyStep: 0.0001, minNotional: null });
    expect(sizeRulesFromCcxt(market, ccxt.SIGNIFICANT_DIGITS)).toEqual({ minQty: null, qtyStep: null, minNotional: null });
  });
});

describe('the sim venue\'s size rules', () => {
  it('give every pair a step worth 0.01-1 USDT, a minimum of one step and a minimum value of 5 USDT', async () => {
    const venue = new SimVenue(7);
    for (const market of SIM_MARKETS) {
      const rules = await venue.sizeRules(market.symbol);
      expect(rules.minQty, market.symbol).toBe(rules.qtyStep);
      expect(rules.minNotional).toBe(5);
      const stepValue = (rules.qtyStep as number) * market.basePrice;
      expect(stepValue, market.symbol).toBeGreaterThanOrEqual(0.01);
      expect(stepValue, market.symbol).toBeLessThanOrEqual(1);
      // A power of ten, spelt exactly.
      expect(String(rules.qtyStep), market.symbol).toMatch(/^(1|10+|0\.0*1)$/);
    }
    expect(await venue.sizeRules('BTC/USDT')).toEqual({ minQty: 0.00001, qtyStep: 0.00001, minNotional: 5 });
    await expect(venue.sizeRules('FOO/USDT')).rejects.toThrow(/sim does not list FOO\/USDT/);
  });

  it('quote every book level in whole steps', () => {
    const venue = new SimVenue(7);
    for (const market of SIM_MARKETS.slice(0, 30)) {
      const book = venue.bookAt(market.symbol, T, 10);
      for (const level of [...book.bids, ...book.asks]) expect(isOnStep(money(String(level.qty)), money(String(market.amountStep))), market.symbol).toBe(true);
    }
  });
});

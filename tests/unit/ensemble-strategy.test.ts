import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_STRATEGY_PARAMS, decide } from '../../agents/strategy/ensemble-strategy.js';
import { ema, zScore } from '../../agents/strategy/indicators.js';
import { loadStrategyParams } from '../../agents/strategy/load-params.js';
import { intentIdFor } from '../../agents/ensemble/trade-key.js';

const params = { ...DEFAULT_STRATEGY_PARAMS, minTicks: 10, fastPeriod: 3, slowPeriod: 10, reversionWindow: 10, minTradeNotional: 10 };
const rising = Array.from({ length: 40 }, (_, i) => 100 * 1.001 ** i);
const falling = Array.from({ length: 40 }, (_, i) => 100 * 0.999 ** i);

describe('indicators', () => {
  it('ema of a constant series is the constant; z-score of a constant series is 0', () => {
    expect(ema([5, 5, 5, 5], 3)).toBe(5);
    expect(zScore([5, 5, 5, 5], 4)).toBe(0);
  });
  it('ema follows the recursion alpha = 2 / (n + 1)', () => {
    // 1, then 0.5*3 + 0.5*1 = 2, then 0.5*5 + 0.5*2 = 3.5
    expect(ema([1, 3, 5], 3)).toBeCloseTo(3.5, 12);
  });
});

describe('ensemble strategy', () => {
  it('holds without enough history', () => {
    const d = decide({ symbol: 'BTC/USDT', prices: rising.slice(0, 5), positionQty: 0 }, 100_000, params);
    expect(d.action).toBe('hold');
    expect(d.reason).toContain('only 5 ticks');
  });

  it('buys an uptrend toward its target and explains the votes', () => {
    const d = decide({ symbol: 'BTC/USDT', prices: rising, positionQty: 0 }, 100_000, params);
    expect(d.action).toBe('buy');
    expect(d.quoteNotional).toBeGreaterThan(0);
    expect(d.quoteNotional).toBeLessThanOrEqual(params.maxPositionFraction * 100_000 + 1e-9);
    expect(d.reason).toMatch(/momentum \+1/);
  });

  it('sells a held position in a downtrend but never more than is held (spot: no shorts)', () => {
    const held = 3;
    const d = decide({ symbol: 'BTC/USDT', prices: falling, positionQty: held }, 100_000, params);
    expect(d.action).toBe('sell');
    expect(d.qty).toBeLessThanOrEqual(held);
    expect(decide({ symbol: 'BTC/USDT', prices: falling, positionQty: 0 }, 100_000, params).action).toBe('hold');
  });

  it('is deterministic and never sells more than held nor buys past the cap', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 1, max: 1e5, noNaN: true }), { minLength: 10, maxLength: 80 }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        (prices, held) => {
          const a = decide({ symbol: 'X/USDT', prices, positionQty: held }, 50_000, params);
          const b = decide({ symbol: 'X/USDT', prices, positionQty: held }, 50_000, params);
          expect(a).toEqual(b);
          if (a.action === 'sell') expect(a.qty).toBeLessThanOrEqual(held + 1e-12);
          if (a.action === 'buy') expect(a.quoteNotional).toBeLessThanOrEqual(params.maxPositionFraction * 50_000 + 1e-6);
        },
      ),
    );
  });
});

describe('strategy parameters from configuration', () => {
  it('applies inline overrides and refuses unknown or bad ones by name', () => {
    expect(loadStrategyParams({ ENSEMBLE_STRATEGY: '{"minTicks": 5}' }).minTicks).toBe(5);
    expect(() => loadStrategyParams({ ENSEMBLE_STRATEGY: '{"minTick": 5}' })).toThrow(/unknown parameter minTick/);
    expect(() => loadStrategyParams({ ENSEMBLE_STRATEGY: '{"minTicks": -1}' })).toThrow(/minTicks must be a non-negative number/);
    expect(() => loadStrategyParams({ ENSEMBLE_STRATEGY: 'nope' })).toThrow(/not valid JSON/);
    expect(() => loadStrategyParams({ ENSEMBLE_STRATEGY_FILE: '/nonexistent/strategy.json' })).toThrow(/cannot be read/);
    expect(() => loadStrategyParams({ ENSEMBLE_STRATEGY: '{"fastPeriod": 50, "slowPeriod": 10}' })).toThrow(/fastPeriod must be smaller/);
  });
});

describe('trade keys', () => {
  it('derives the same valid idempotency key from the same prompt and symbol', () => {
    const id = intentIdFor('nudge:ensemble-2026-11-24T05:21:18Z', 'BTC/USDT');
    expect(id).toBe(intentIdFor('nudge:ensemble-2026-11-24T05:21:18Z', 'BTC/USDT'));
    expect(id).toMatch(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/);
    expect(id).not.toBe(intentIdFor('nudge:ensemble-2026-11-24T05:21:18Z', 'ETH/USDT'));
    expect(intentIdFor('x'.repeat(200), 'BTC/USDT').length).toBeLessThanOrEqual(128);
  });
});

/**
 * Performance statistics against values computed independently (by hand, or with Python's
 * statistics module where noted): returns on a regular grid, Sharpe and Sortino annualised over
 * 365 days, max drawdown, win rate and profit factor, and the report built from a ledger's curve.
 */
import { describe, expect, it } from 'vitest';
import type { PerformanceInputs } from '../../../../schemas/temporal/ledger.js';
import {
  equityAt,
  maxDrawdown,
  periodReturns,
  periodsPerYear,
  resample,
  sharpeRatio,
  sortinoRatio,
  tradeStats,
} from '../../../../domain/ledger/performance.js';
import { performanceReport } from '../../../../domain/ledger/reports.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);

describe('returns and ratios', () => {
  const returns = periodReturns([100, 110, 99, 120]);

  it('takes simple returns between consecutive values', () => {
    expect(returns.map((r) => Number(r.toFixed(12)))).toEqual([0.1, -0.1, Number((21 / 99).toFixed(12))]);
    expect(periodReturns([0, 10, 20])).toEqual([1]);
  });

  it('annualises over 365 days: 8760 hourly periods a year', () => {
    expect(periodsPerYear(HOUR)).toBe(8760);
    expect(periodsPerYear(86_400_000)).toBe(365);
  });

  it('Sharpe: mean over sample standard deviation, times sqrt(periods a year)', () => {
    // mean 0.0707070707, stdev (n-1) 0.1581090432 (Python statistics.stdev); * sqrt(8760)
    expect(sharpeRatio(returns, 8760)).toBeCloseTo(41.85604487663145, 9);
    expect(sharpeRatio([0.01, 0.01, 0.01], 8760)).toBeNull();
    expect(sharpeRatio([0.01], 8760)).toBeNull();
  });

  it('Sortino: mean over the downside deviation with a zero target', () => {
    // downside deviation sqrt(0.1^2 / 3) = 0.0577350269
    expect(sortinoRatio(returns, 8760)).toBeCloseTo(114.6239910336293, 9);
    expect(sortinoRatio([0.01, 0.02], 365)).toBeNull();
  });

  it('max drawdown: the largest fall from a running peak', () => {
    const points = [100, 110, 99, 120, 90, 130].map((equity, i) => ({ ts: T0 + i * HOUR, equity }));
    expect(maxDrawdown(points)).toEqual({ max_drawdown: 0.25, peak_ts: T0 + 3 * HOUR, trough_ts: T0 + 4 * HOUR });
    expect(maxDrawdown([{ ts: T0, equity: 1 }, { ts: T0 + 1, equity: 2 }])).toEqual({ max_drawdown: 0, peak_ts: null, trough_ts: null });
  });

  it('win rate and profit factor over closing trades', () => {
    expect(tradeStats([10, -5, 0, 20, -15])).toEqual({
      trades: 5,
      wins: 2,
      losses: 2,
      win_rate: 0.4,
      profit_factor: 1.5,
      gross_profit: 30,
      gross_loss: 20,
    });
    expect(tradeStats([5, 7])).toMatchObject({ win_rate: 1, profit_factor: null });
    expect(tradeStats([])).toMatchObject({ trades: 0, win_rate: null, profit_factor: null });
  });

  it('resamples the curve onto a grid, carrying the last value forward', () => {
    const points = [
      { ts: T0 + 30 * 60_000, equity: 101 },
      { ts: T0 + 2 * HOUR + 1, equity: 103 },
    ];
    expect(equityAt(points, T0, 100)).toBe(100);
    expect(resample(points, T0, T0 + 3 * HOUR, HOUR, 100)).toEqual([100, 101, 101, 103]);
  });
});

describe('the performance report of a ledger', () => {
  const inputs: PerformanceInputs = {
    initial_cash: '1000',
    created_ts: T0,
    equity_sample_sec: 3_600,
    equity_curve: [
      { ts: T0, equity: '1000', source: 'open' },
      { ts: T0 + HOUR, equity: '1100', source: 'mark' },
      { ts: T0 + 2 * HOUR, equity: '990', source: 'mark' },
      { ts: T0 + 3 * HOUR, equity: '1200', source: 'fill' },
    ],
    trades: [
      { ts: T0 + 2 * HOUR, pnl: '-10' },
      { ts: T0 + 3 * HOUR, pnl: '30' },
    ],
  };

  it('over the whole life: return from the opening cash, ratios from hourly returns', () => {
    const report = performanceReport('acct', inputs, '1200', 'all', T0 + 3 * HOUR);
    expect(report).toMatchObject({
      from_ts: T0,
      to_ts: T0 + 3 * HOUR,
      period_sec: 3_600,
      periods: 3,
      start_equity: '1000',
      end_equity: '1200',
      total_return_pct: 20,
      max_drawdown_pct: 10,
      trades: 2,
      wins: 1,
      losses: 1,
      win_rate_pct: 50,
      profit_factor: 3,
    });
    // The same hourly returns as 100 -> 110 -> 99 -> 120.
    expect(report.sharpe).toBeCloseTo(41.856, 2);
    expect(report.sortino).toBeCloseTo(114.624, 2);
    expect(report.equity_curve.map((p) => p.equity)).toEqual(['1000', '1100', '990', '1200']);
  });

  it('over a window: starts from the equity then, and counts only the trades inside', () => {
    const report = performanceReport('acct', inputs, '1188', '1h', T0 + 3 * HOUR + 30 * 60_000);
    expect(report).toMatchObject({
      from_ts: T0 + 2 * HOUR + 30 * 60_000,
      start_equity: '990',
      end_equity: '1188',
      total_return_pct: 20,
      trades: 1,
      wins: 1,
      losses: 0,
      profit_factor: null,
    });
    expect(report.equity_curve).toEqual([
      { ts: T0 + 2 * HOUR + 30 * 60_000, equity: '990', source: 'mark' },
      { ts: T0 + 3 * HOUR, equity: '1200', source: 'fill' },
      { ts: T0 + 3 * HOUR + 30 * 60_000, equity: '1188', source: 'mark' },
    ]);
    expect(report.max_drawdown_pct).toBe(1);
  });

  it('widens the period rather than compute an unbounded grid', () => {
    const tiny = { ...inputs, equity_sample_sec: 1 };
    const report = performanceReport('acct', tiny, '1200', 'all', T0 + 30 * 86_400_000);
    expect(report.periods).toBeLessThanOrEqual(20_000);
    expect(report.period_sec % 1).toBe(0);
    expect(report.period_sec).toBeGreaterThan(1);
  });
});

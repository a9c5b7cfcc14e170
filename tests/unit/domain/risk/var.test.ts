/**
 * The VaR engine against independent computations on fixed return series: a case small enough to
 * work by hand, and a larger fixed series recomputed here by another route (the portfolio return
 * series' own variance instead of w'Σw; a plain sort instead of the engine's typed-array sort).
 */
import { describe, expect, it } from 'vitest';
import { computePortfolioVar } from '../../../../domain/risk/portfolio-var.js';
import { alignReturns } from '../../../../domain/risk/return-grid.js';
import {
  annualisedVolatilities,
  covarianceMatrix,
  historicalVar,
  normalQuantile,
  oneDayCovariance,
  parametricVar,
} from '../../../../domain/risk/var.js';

/** z(0.99), z(0.975), z(0.95) from standard normal tables (Abramowitz and Stegun, 26.2). */
const Z99 = 2.3263478740408408;
const Z975 = 1.959963984540054;
const Z95 = 1.6448536269514722;

describe('normal quantile', () => {
  it('matches the tabulated quantiles to 1e-12', () => {
    expect(normalQuantile(0.99)).toBeCloseTo(Z99, 12);
    expect(normalQuantile(0.975)).toBeCloseTo(Z975, 12);
    expect(normalQuantile(0.95)).toBeCloseTo(Z95, 12);
    expect(normalQuantile(0.01)).toBeCloseTo(-Z99, 12);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it('refuses probabilities outside (0, 1)', () => {
    expect(() => normalQuantile(1)).toThrow(/0 < p < 1/);
    expect(() => normalQuantile(0)).toThrow(/0 < p < 1/);
  });
});

describe('a portfolio small enough to compute by hand', () => {
  // Two assets, four daily returns (interval 86 400 s, so no scaling), positions 1000 and 2000.
  const rows = [
    [0.01, 0.02],
    [-0.02, -0.01],
    [0.03, -0.01],
    [0, 0],
  ];
  const weights = [1000, 2000];

  it('parametric VaR is z · the sample deviation of w·r', () => {
    // w·r per day: 50, -40, 10, 0; mean 5; deviations 45, -45, 5, -5; squares sum 4100; /3.
    const expected = Z99 * Math.sqrt(4100 / 3);
    const cov = oneDayCovariance(covarianceMatrix(rows), 86_400);
    expect(parametricVar(weights, cov, 0.99)).toBeCloseTo(expected, 9);
  });

  it('historical VaR and expected shortfall are the k worst revaluation losses', () => {
    // Losses -Σ w(e^r - 1): row 2 loses 1000(1-e^-0.02) + 2000(1-e^-0.01) = 19.80133 + 19.90033 = 39.70166,
    // row 4 loses 0, rows 1 and 3 gain. At 50 %, k = ceil(4 · 0.5) = 2: VaR is the 2nd worst loss (0),
    // ES the mean of the two worst, 39.70166 / 2.
    const loss2 = 1000 * (1 - Math.exp(-0.02)) + 2000 * (1 - Math.exp(-0.01));
    expect(loss2).toBeCloseTo(39.70166, 4);
    const figures = historicalVar(weights, rows, 0.5, 86_400);
    expect(figures.tail_count).toBe(2);
    expect(figures.var).toBe(0);
    expect(figures.expected_shortfall).toBeCloseTo(loss2 / 2, 9);
    // At 75 % only the worst row counts.
    const worst = historicalVar(weights, rows, 0.75, 86_400);
    expect(worst.var).toBeCloseTo(loss2, 9);
    expect(worst.expected_shortfall).toBeCloseTo(loss2, 9);
  });
});

/** A fixed, reproducible return series: a linear congruential generator, three correlated assets. */
function fixedSeries(n: number): number[][] {
  let seed = 20240601;
  const uniform = () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  const rows: number[][] = [];
  for (let t = 0; t < n; t += 1) {
    const market = gaussian();
    rows.push([0.0004 * market + 0.0002 * gaussian(), 0.0005 * market + 0.0004 * gaussian(), -0.0001 * market + 0.0006 * gaussian()]);
  }
  return rows;
}

describe('a fixed series of 500 ten-second returns, three assets', () => {
  const rows = fixedSeries(500);
  const intervalSec = 10;
  const weights = [40_000, -5_000, 12_000];
  const stepsPerDay = 86_400 / intervalSec;

  it('parametric VaR equals z · sd(portfolio returns) · sqrt(steps per day)', () => {
    const portfolio = rows.map((r) => r.reduce((sum, x, i) => sum + x * (weights[i] as number), 0));
    const mean = portfolio.reduce((a, b) => a + b, 0) / portfolio.length;
    const variance = portfolio.reduce((a, p) => a + (p - mean) ** 2, 0) / (portfolio.length - 1);
    const expected = Z99 * Math.sqrt(variance * stepsPerDay);
    const cov = oneDayCovariance(covarianceMatrix(rows), intervalSec);
    expect(parametricVar(weights, cov, 0.99)).toBeCloseTo(expected, 6);
  });

  it('the covariance annualises on 365 days: σ_annual = sd · sqrt(365 · steps per day)', () => {
    const column = rows.map((r) => r[0] as number);
    const mean = column.reduce((a, b) => a + b, 0) / column.length;
    const sd = Math.sqrt(column.reduce((a, x) => a + (x - mean) ** 2, 0) / (column.length - 1));
    const [vol] = annualisedVolatilities(covarianceMatrix(rows), intervalSec);
    expect(vol).toBeCloseTo(sd * Math.sqrt(365 * stepsPerDay), 10);
  });

  it('historical VaR and ES equal the 5 worst of 500 revaluation losses, scaled by sqrt(steps per day)', () => {
    const losses = rows.map((r) => -r.reduce((sum, x, i) => sum + (weights[i] as number) * (Math.exp(x) - 1), 0));
    const worstFirst = [...losses].sort((a, b) => b - a);
    const k = 5; // ceil(500 · 0.01)
    const scale = Math.sqrt(stepsPerDay);
    const figures = historicalVar(weights, rows, 0.99, intervalSec);
    expect(figures.tail_count).toBe(k);
    expect(figures.var).toBeCloseTo((worstFirst[k - 1] as number) * scale, 8);
    expect(figures.expected_shortfall).toBeCloseTo((worstFirst.slice(0, k).reduce((a, b) => a + b, 0) / k) * scale, 8);
    expect(figures.expected_shortfall).toBeGreaterThanOrEqual(figures.var);
  });

  it('before and after an intent share one covariance; adding the hedge lowers VaR', () => {
    const end = 1_700_000_000_000;
    const series = Object.fromEntries(
      ['AAA/USDT', 'BBB/USDT', 'CCC/USDT'].map((symbol, i) => {
        const ts: number[] = [];
        const price: number[] = [];
        let p = 100;
        ts.push(end - rows.length * 10_000);
        price.push(p);
        rows.forEach((r, t) => {
          p *= Math.exp(r[i] as number);
          ts.push(end - (rows.length - 1 - t) * 10_000);
          price.push(p);
        });
        return [symbol, { ts, price }];
      }),
    );
    const result = computePortfolioVar(series, {
      exchange: 'sim',
      weights_before: { 'AAA/USDT': 40_000, 'BBB/USDT': 0, 'CCC/USDT': 0 },
      weights_after: { 'AAA/USDT': 40_000, 'BBB/USDT': -5_000, 'CCC/USDT': 12_000 },
      confidence: 0.99,
      window_returns: 500,
      interval_sec: 10,
      min_observations: 30,
      end_ms: end,
    });
    if (!result.available) throw new Error(result.reason);
    expect(result.comparison.observations).toBe(500);
    const cov = oneDayCovariance(covarianceMatrix(rows), intervalSec);
    // The grid recovers exactly the series' returns, so the figures equal the direct computation.
    expect(result.comparison.after.parametric).toBeCloseTo(parametricVar(weights, cov, 0.99), 4);
    expect(result.comparison.before.parametric).toBeCloseTo(parametricVar([40_000, 0, 0], cov, 0.99), 4);
    expect(result.comparison.after.historical).toBeCloseTo(historicalVar(weights, rows, 0.99, 10).var, 4);
  });
});

describe('return grid', () => {
  it('samples the last price at or before each grid point and drops rows a symbol lacks', () => {
    const aligned = alignReturns(
      {
        'A/USDT': { ts: [0, 9_000, 21_000, 30_000], price: [100, 101, 102, 99] },
        // B has nothing between 0 s and 25 s: grid points 10 s and 20 s carry 50 forward; 30 s has 55.
        'B/USDT': { ts: [0, 25_000], price: [50, 55] },
      },
      { endMs: 30_500, intervalMs: 10_000, windowReturns: 3, maxFillMs: 60_000 },
    );
    // Grid 0, 10, 20, 30 s. A: 100, 101, 101, 99. B: 50, 50, 50, 55.
    expect(aligned.symbols).toEqual(['A/USDT', 'B/USDT']);
    expect(aligned.rows).toHaveLength(3);
    expect(aligned.rows[0]?.[0]).toBeCloseTo(Math.log(101 / 100), 12);
    expect(aligned.rows[1]?.[0]).toBe(0);
    expect(aligned.rows[2]?.[0]).toBeCloseTo(Math.log(99 / 101), 12);
    expect(aligned.rows[2]?.[1]).toBeCloseTo(Math.log(55 / 50), 12);
  });

  it('does not carry a price across a gap longer than the fill bound', () => {
    const aligned = alignReturns(
      { 'A/USDT': { ts: [0, 10_000, 20_000, 30_000], price: [1, 2, 3, 4] }, 'B/USDT': { ts: [0, 30_000], price: [1, 2] } },
      { endMs: 30_000, intervalMs: 10_000, windowReturns: 3, maxFillMs: 5_000 },
    );
    expect(aligned.rows).toHaveLength(0);
    expect(aligned.missing_by_symbol['B/USDT']).toBe(3);
  });

  it('reports VaR unavailable when too few aligned returns exist, naming the short symbol', () => {
    const result = computePortfolioVar(
      { 'A/USDT': { ts: [0, 10_000], price: [1, 1.01] }, 'B/USDT': { ts: [], price: [] } },
      { exchange: 'sim', weights_before: { 'A/USDT': 10 }, weights_after: { 'A/USDT': 10, 'B/USDT': 5 }, confidence: 0.99, window_returns: 100, interval_sec: 10, min_observations: 30, end_ms: 20_000 },
    );
    expect(result).toMatchObject({ available: false, missing_symbols: ['B/USDT'] });
  });

  it('holds nothing at risk for an empty portfolio', () => {
    const result = computePortfolioVar({}, { exchange: 'sim', weights_before: {}, weights_after: {}, confidence: 0.99, window_returns: 100, interval_sec: 10, min_observations: 30, end_ms: 0 });
    expect(result).toMatchObject({ available: true, comparison: { before: { parametric: 0, historical: 0 }, after: { parametric: 0 } } });
  });
});

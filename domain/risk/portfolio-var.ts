/**
 * Check 10's estimate: the portfolio's VaR before and after an intent, from the tick stores'
 * prices. The activity that reads the ticks calls this; the result (a few numbers) is what enters
 * the risk workflow's history. Pure.
 */
import type { VarComparison } from '../../schemas/temporal/risk.js';
import { alignReturns, defaultMaxFillMs, type PriceSeries } from './return-grid.js';
import type { PortfolioVarRequest, PortfolioVarResult } from './risk-inputs.js';
import { annualisedVolatilities, covarianceMatrix, oneDayCovariance, portfolioVar } from './var.js';

export function computePortfolioVar(seriesBySymbol: Record<string, PriceSeries>, req: PortfolioVarRequest): PortfolioVarResult {
  const symbols = [...new Set([...Object.keys(req.weights_before), ...Object.keys(req.weights_after)])].sort();
  if (symbols.length === 0) {
    // Nothing held before or after: nothing at risk.
    const none = { parametric: 0, historical: 0, expected_shortfall: 0 };
    return {
      available: true,
      comparison: { before: none, after: none, confidence: req.confidence, horizon_days: 1, observations: 0, return_interval_sec: req.interval_sec, symbols: [], annualised_volatility: {} },
    };
  }
  const withoutPrices = symbols.filter((s) => !seriesBySymbol[s] || (seriesBySymbol[s] as PriceSeries).ts.length === 0);
  if (withoutPrices.length) {
    return { available: false, reason: `no price history for ${withoutPrices.join(', ')}`, observations: 0, missing_symbols: withoutPrices };
  }
  const intervalMs = req.interval_sec * 1000;
  const aligned = alignReturns(
    Object.fromEntries(symbols.map((s) => [s, seriesBySymbol[s] as PriceSeries])),
    { endMs: req.end_ms, intervalMs, windowReturns: req.window_returns, maxFillMs: defaultMaxFillMs(intervalMs) },
  );
  if (aligned.rows.length < req.min_observations) {
    const short = Object.entries(aligned.missing_by_symbol)
      .sort((a, b) => b[1] - a[1])
      .map(([s]) => s);
    return {
      available: false,
      reason:
        `only ${aligned.rows.length} aligned ${req.interval_sec}-second returns over the window (at least ${req.min_observations} needed)` +
        (short.length ? `; prices missing most for ${short.slice(0, 5).join(', ')}` : '; the streams have not run long enough'),
      observations: aligned.rows.length,
      missing_symbols: short,
    };
  }
  const perStep = covarianceMatrix(aligned.rows);
  const covariance = oneDayCovariance(perStep, req.interval_sec);
  const volatilities = annualisedVolatilities(perStep, req.interval_sec);
  const vector = (weights: Record<string, number>) => aligned.symbols.map((s) => weights[s] ?? 0);
  const comparison: VarComparison = {
    before: portfolioVar(vector(req.weights_before), aligned.rows, covariance, req.confidence, req.interval_sec),
    after: portfolioVar(vector(req.weights_after), aligned.rows, covariance, req.confidence, req.interval_sec),
    confidence: req.confidence,
    horizon_days: 1,
    observations: aligned.rows.length,
    return_interval_sec: req.interval_sec,
    symbols: aligned.symbols,
    annualised_volatility: Object.fromEntries(aligned.symbols.map((s, i) => [s, volatilities[i] as number])),
  };
  return { available: true, comparison };
}

/**
 * Performance statistics as pure functions over an equity curve and closing trades. Returns are
 * simple returns per fixed period on a regular grid (the curve carried forward between points);
 * Sharpe and Sortino take a zero risk-free rate and are annualised over a 365-day year, since
 * crypto trades every day. Ratios are floats: they are statistics, not money.
 */

export const DAYS_PER_YEAR = 365;
const MS_PER_YEAR = DAYS_PER_YEAR * 86_400_000;

export interface CurvePoint {
  ts: number;
  equity: number;
}

/** Equity at time t: the newest point at or before t; before the first point, `before`. */
export function equityAt(points: readonly CurvePoint[], t: number, before: number): number {
  let lo = 0;
  let hi = points.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((points[mid] as CurvePoint).ts <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? before : (points[found] as CurvePoint).equity;
}

/** Equity sampled at from, from + step, ... up to and including `to` (points sorted by ts). */
export function resample(points: readonly CurvePoint[], from: number, to: number, stepMs: number, before: number): number[] {
  if (!(stepMs > 0)) throw new RangeError('step must be positive');
  const values: number[] = [];
  for (let t = from; t <= to; t += stepMs) values.push(equityAt(points, t, before));
  return values;
}

/** Simple returns between consecutive values; a period starting from zero equity has none. */
export function periodReturns(values: readonly number[]): number[] {
  const returns: number[] = [];
  for (let i = 1; i < values.length; i += 1) {
    const previous = values[i - 1] as number;
    if (previous > 0) returns.push((values[i] as number) / previous - 1);
  }
  return returns;
}

export function periodsPerYear(stepMs: number): number {
  return MS_PER_YEAR / stepMs;
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Annualised Sharpe ratio (sample standard deviation); null with fewer than 2 returns or none varying. */
export function sharpeRatio(returns: readonly number[], periodsInYear: number): number | null {
  if (returns.length < 2) return null;
  const m = mean(returns);
  const variance = returns.reduce((acc, r) => acc + (r - m) ** 2, 0) / (returns.length - 1);
  const sd = Math.sqrt(variance);
  if (!(sd > 1e-15)) return null;
  return (m / sd) * Math.sqrt(periodsInYear);
}

/**
 * Annualised Sortino ratio with a zero target: mean return over the downside deviation
 * sqrt(sum(min(r, 0)^2) / n). Null with fewer than 2 returns or no losing period.
 */
export function sortinoRatio(returns: readonly number[], periodsInYear: number): number | null {
  if (returns.length < 2) return null;
  const downside = Math.sqrt(returns.reduce((acc, r) => acc + Math.min(r, 0) ** 2, 0) / returns.length);
  if (!(downside > 1e-15)) return null;
  return (mean(returns) / downside) * Math.sqrt(periodsInYear);
}

export interface Drawdown {
  /** Largest fall from a running peak, as a fraction of that peak (0 when equity never fell). */
  max_drawdown: number;
  peak_ts: number | null;
  trough_ts: number | null;
}

export function maxDrawdown(points: readonly CurvePoint[]): Drawdown {
  let peak: CurvePoint | undefined;
  let worst: Drawdown = { max_drawdown: 0, peak_ts: null, trough_ts: null };
  for (const p of points) {
    if (!peak || p.equity > peak.equity) peak = p;
    if (peak.equity > 0) {
      const dd = (peak.equity - p.equity) / peak.equity;
      if (dd > worst.max_drawdown) worst = { max_drawdown: dd, peak_ts: peak.ts, trough_ts: p.ts };
    }
  }
  return worst;
}

export interface TradeStats {
  trades: number;
  wins: number;
  losses: number;
  /** wins / trades; null without trades. */
  win_rate: number | null;
  /** Gross profit over gross loss; null when there was no losing trade. */
  profit_factor: number | null;
  gross_profit: number;
  gross_loss: number;
}

export function tradeStats(pnls: readonly number[]): TradeStats {
  let wins = 0;
  let losses = 0;
  let grossProfit = 0;
  let grossLoss = 0;
  for (const pnl of pnls) {
    if (pnl > 0) {
      wins += 1;
      grossProfit += pnl;
    } else if (pnl < 0) {
      losses += 1;
      grossLoss -= pnl;
    }
  }
  return {
    trades: pnls.length,
    wins,
    losses,
    win_rate: pnls.length ? wins / pnls.length : null,
    profit_factor: grossLoss > 0 ? grossProfit / grossLoss : null,
    gross_profit: grossProfit,
    gross_loss: grossLoss,
  };
}

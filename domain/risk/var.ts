/**
 * Value at risk of a portfolio of position values (quote currency, signed) over aligned log
 * returns sampled every `intervalSec` seconds.
 *
 * - Parametric (variance-covariance): the sample covariance of the returns (zero-mean assumption
 *   for the horizon, n - 1 denominator) is annualised on a 365-day year, scaled to one day, and
 *   VaR = z(c) * sqrt(w' Σ_1d w).
 * - Historical simulation: each return row revalues today's positions, loss_t = -Σ w_i (e^{r_ti} - 1);
 *   with k = ceil(n (1 - c)), VaR is the k-th largest loss and expected shortfall the mean of the k
 *   largest, both scaled from the sampling step to one day by the square root of time.
 *
 * Pure and deterministic (plain arithmetic, no clock, no randomness).
 */

export const SECONDS_PER_DAY = 86_400;
/** ln(sqrt(2π)): the normal density is exp(-x²/2 - LOG_SQRT_2PI). */
const LOG_SQRT_2PI = 0.9189385332046727;
export const DAYS_PER_YEAR = 365;

/** Φ(x) by Marsaglia's series 1/2 + φ(x) Σ x^(2n+1)/(2n+1)!!: every term positive, so no cancellation. */
export function normalCdf(x: number): number {
  if (x < -8) return 0;
  if (x > 8) return 1;
  let term = x;
  let sum = x;
  for (let n = 1; n < 500 && Math.abs(term) > 1e-17 * Math.abs(sum); n += 1) {
    term = (term * x * x) / (2 * n + 1);
    sum += term;
  }
  return 0.5 + sum * Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
}

const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

const poly = (coefficients: number[], x: number): number => coefficients.reduce((acc, c) => acc * x + c, 0);

/**
 * The standard normal quantile z(p): Acklam's rational approximation (relative error ~1e-9),
 * polished by two Newton steps on Φ to full double precision.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const pLow = 0.02425;
  let x: number;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = poly(ACKLAM_C, q) / (poly(ACKLAM_D, q) * q + 1);
  } else if (p <= 1 - pLow) {
    const q = p - 0.5;
    const r = q * q;
    x = (poly(ACKLAM_A, r) * q) / (poly(ACKLAM_B, r) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -poly(ACKLAM_C, q) / (poly(ACKLAM_D, q) * q + 1);
  }
  for (let i = 0; i < 2; i += 1) {
    const density = Math.exp(-0.5 * x * x - LOG_SQRT_2PI);
    x -= (normalCdf(x) - p) / density;
  }
  return x;
}

/** Sample covariance (n - 1) of return rows (rows[t][i]); columns are demeaned. */
export function covarianceMatrix(rows: readonly number[][]): number[][] {
  const n = rows.length;
  const k = n ? (rows[0] as number[]).length : 0;
  if (n < 2) throw new RangeError(`a covariance needs at least 2 return rows, got ${n}`);
  const means = new Array<number>(k).fill(0);
  for (const row of rows) for (let i = 0; i < k; i += 1) means[i] = (means[i] as number) + (row[i] as number) / n;
  const cov: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const centred = new Array<number>(k);
  for (const row of rows) {
    for (let i = 0; i < k; i += 1) centred[i] = (row[i] as number) - (means[i] as number);
    for (let i = 0; i < k; i += 1) {
      const ci = centred[i] as number;
      const covRow = cov[i] as number[];
      for (let j = i; j < k; j += 1) covRow[j] = (covRow[j] as number) + ci * (centred[j] as number);
    }
  }
  for (let i = 0; i < k; i += 1) {
    for (let j = i; j < k; j += 1) {
      const value = ((cov[i] as number[])[j] as number) / (n - 1);
      (cov[i] as number[])[j] = value;
      (cov[j] as number[])[i] = value;
    }
  }
  return cov;
}

/** Sampling steps per day, and the factor that takes a per-step covariance to one day via a 365-day year. */
export function horizonScaling(intervalSec: number): { periodsPerDay: number; periodsPerYear: number } {
  const periodsPerDay = SECONDS_PER_DAY / intervalSec;
  return { periodsPerDay, periodsPerYear: periodsPerDay * DAYS_PER_YEAR };
}

/** Covariance of one-day returns: per-step covariance annualised (× steps per year), then / 365. */
export function oneDayCovariance(perStep: readonly number[][], intervalSec: number): number[][] {
  const { periodsPerYear } = horizonScaling(intervalSec);
  return perStep.map((row) => row.map((v) => (v * periodsPerYear) / DAYS_PER_YEAR));
}

/** Annualised volatility of each column of a per-step covariance. */
export function annualisedVolatilities(perStep: readonly number[][], intervalSec: number): number[] {
  const { periodsPerYear } = horizonScaling(intervalSec);
  return perStep.map((row, i) => Math.sqrt(Math.max(0, (row[i] as number) * periodsPerYear)));
}

/** z(c) · sqrt(w' Σ w) for position values w and a one-day covariance Σ. */
export function parametricVar(weights: readonly number[], covariance1d: readonly number[][], confidence: number): number {
  let variance = 0;
  for (let i = 0; i < weights.length; i += 1) {
    const wi = weights[i] as number;
    if (wi === 0) continue;
    const row = covariance1d[i] as number[];
    for (let j = 0; j < weights.length; j += 1) variance += wi * (row[j] as number) * (weights[j] as number);
  }
  return normalQuantile(confidence) * Math.sqrt(Math.max(0, variance));
}

export interface HistoricalFigures {
  var: number;
  expected_shortfall: number;
  /** The k worst scenarios averaged for the expected shortfall. */
  tail_count: number;
}

/** Historical-simulation VaR and expected shortfall, scaled from one step to one day. */
export function historicalVar(weights: readonly number[], rows: readonly number[][], confidence: number, intervalSec: number): HistoricalFigures {
  const n = rows.length;
  if (n === 0) throw new RangeError('historical VaR needs at least one return row');
  const losses = new Float64Array(n);
  for (let t = 0; t < n; t += 1) {
    const row = rows[t] as number[];
    let pnl = 0;
    for (let i = 0; i < weights.length; i += 1) {
      const wi = weights[i] as number;
      if (wi !== 0) pnl += wi * Math.expm1(row[i] as number);
    }
    losses[t] = -pnl;
  }
  losses.sort();
  // Tiny tolerance: n (1 - c) is often an integer that floating point lands just above.
  const k = Math.min(n, Math.max(1, Math.ceil(n * (1 - confidence) - 1e-9)));
  let tail = 0;
  for (let m = 0; m < k; m += 1) tail += losses[n - 1 - m] as number;
  const scale = Math.sqrt(horizonScaling(intervalSec).periodsPerDay);
  // A negative figure would mean a gain even in the tail: no loss at this confidence.
  return {
    var: Math.max(0, (losses[n - k] as number) * scale),
    expected_shortfall: Math.max(0, (tail / k) * scale),
    tail_count: k,
  };
}

export interface PortfolioVarFigures {
  parametric: number;
  historical: number;
  expected_shortfall: number;
}

/** Both estimates for one set of position values, sharing one covariance. */
export function portfolioVar(
  weights: readonly number[],
  rows: readonly number[][],
  covariance1d: readonly number[][],
  confidence: number,
  intervalSec: number,
): PortfolioVarFigures {
  const historical = historicalVar(weights, rows, confidence, intervalSec);
  return {
    parametric: parametricVar(weights, covariance1d, confidence),
    historical: historical.var,
    expected_shortfall: historical.expected_shortfall,
  };
}

/** The figure the gate compares with its limit: the more conservative of the two estimates. */
export const gatingVar = (figures: PortfolioVarFigures): number => Math.max(figures.parametric, figures.historical);

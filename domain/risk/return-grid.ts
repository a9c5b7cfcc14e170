/**
 * Returns aligned across symbols. Tick stores quote each symbol at its own times, so prices are
 * sampled on one time grid (the last price at or before each grid point) and log returns are taken
 * between consecutive grid points. A row counts only when every symbol has a price at both of its
 * points, so each row is one joint observation for the covariance and the historical simulation.
 * Pure and deterministic: used by the VaR activity, the risk report and the unit tests alike.
 */

/** One symbol's prices, oldest first (ts in ms epoch, price > 0). */
export interface PriceSeries {
  ts: number[];
  price: number[];
}

export interface GridOptions {
  /** The grid ends at the last multiple of the interval at or before this time. */
  endMs: number;
  intervalMs: number;
  /** Returns wanted: the grid has one more point than this. */
  windowReturns: number;
  /**
   * A price is carried forward to a grid point for at most this long; past it (a stream gap) the
   * point has no price and the rows around it are dropped rather than filled with made-up zeros.
   */
  maxFillMs: number;
}

export interface AlignedReturns {
  symbols: string[];
  /** rows[t][i]: log return of symbols[i] over grid step t, oldest first. */
  rows: number[][];
  /** Grid steps without a complete row, per symbol that lacked a price (the reason rows were dropped). */
  missing_by_symbol: Record<string, number>;
}

/** How long a price may be carried forward by default: six grid steps, at least a minute. */
export const defaultMaxFillMs = (intervalMs: number): number => Math.max(intervalMs * 6, 60_000);

/** The last price at or before each grid point (NaN where there is none recent enough). */
function sampleOnGrid(series: PriceSeries, grid: number[], maxFillMs: number): number[] {
  const sampled: number[] = new Array<number>(grid.length).fill(Number.NaN);
  let cursor = -1;
  for (let g = 0; g < grid.length; g += 1) {
    const point = grid[g] as number;
    while (cursor + 1 < series.ts.length && (series.ts[cursor + 1] as number) <= point) cursor += 1;
    if (cursor < 0) continue;
    const price = series.price[cursor] as number;
    if (point - (series.ts[cursor] as number) <= maxFillMs && Number.isFinite(price) && price > 0) sampled[g] = price;
  }
  return sampled;
}

export function alignReturns(seriesBySymbol: Record<string, PriceSeries>, opts: GridOptions): AlignedReturns {
  const symbols = Object.keys(seriesBySymbol).sort();
  const end = Math.floor(opts.endMs / opts.intervalMs) * opts.intervalMs;
  const grid: number[] = [];
  for (let j = opts.windowReturns; j >= 0; j -= 1) grid.push(end - j * opts.intervalMs);
  const sampled = symbols.map((s) => sampleOnGrid(seriesBySymbol[s] as PriceSeries, grid, opts.maxFillMs));

  const rows: number[][] = [];
  const missing: Record<string, number> = {};
  for (let t = 1; t < grid.length; t += 1) {
    const row: number[] = [];
    for (let i = 0; i < symbols.length; i += 1) {
      const prev = (sampled[i] as number[])[t - 1] as number;
      const cur = (sampled[i] as number[])[t] as number;
      if (Number.isNaN(prev) || Number.isNaN(cur)) {
        const symbol = symbols[i] as string;
        missing[symbol] = (missing[symbol] ?? 0) + 1;
      } else {
        row.push(Math.log(cur / prev));
      }
    }
    if (row.length === symbols.length) rows.push(row);
  }
  return { symbols, rows, missing_by_symbol: missing };
}

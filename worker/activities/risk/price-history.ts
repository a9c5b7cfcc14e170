/**
 * Mid prices from the tick stores over a VaR window, paged through the tick-store client, and the
 * VaR estimate computed from them (domain/risk/portfolio-var.ts). Only the figures go back to the
 * workflow, so a check's history stays small however long the window.
 */
import type { Client } from '@temporalio/client';
import { TICKS_PAGE_MAX } from '../../../schemas/temporal/market.js';
import { readTicks } from '../../../temporal/clients/tick-store.js';
import { computePortfolioVar } from '../../../domain/risk/portfolio-var.js';
import { defaultMaxFillMs, type PriceSeries } from '../../../domain/risk/return-grid.js';
import type { PortfolioVarRequest, PortfolioVarResult } from '../../../domain/risk/risk-inputs.js';
import { RISK_QUERY_TIMEOUT_MS } from './gather-inputs.js';

/** Pages read per symbol at most (a page is up to TICKS_PAGE_MAX ticks). */
const MAX_PAGES = 20;

/** Mids (bid/ask midpoint) of one symbol's ticks at or after sinceTs, oldest first; empty without a store. */
export async function readMidHistory(client: Client, exchange: string, symbol: string, sinceTs: number): Promise<PriceSeries> {
  const series: PriceSeries = { ts: [], price: [] };
  let since = sinceTs;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const read = await readTicks(client, exchange, symbol, { since_ts: since, limit: TICKS_PAGE_MAX }, { timeoutMs: RISK_QUERY_TIMEOUT_MS });
    if (!read) return series;
    for (const tick of read.ticks) {
      if (tick.bid > 0 && tick.ask > 0 && tick.bid <= tick.ask) {
        series.ts.push(tick.ts);
        series.price.push((tick.bid + tick.ask) / 2);
      }
    }
    const last = read.ticks[read.ticks.length - 1];
    if (!read.has_more || !last) break;
    since = last.ts + 1;
  }
  return series;
}

export async function estimatePortfolioVar(client: Client, req: PortfolioVarRequest): Promise<PortfolioVarResult> {
  const symbols = [...new Set([...Object.keys(req.weights_before), ...Object.keys(req.weights_after)])].sort();
  const intervalMs = req.interval_sec * 1000;
  // One grid step more than the window, plus how far a price may be carried onto the first point.
  const sinceTs = req.end_ms - (req.window_returns + 1) * intervalMs - defaultMaxFillMs(intervalMs);
  const histories = await Promise.all(symbols.map(async (s) => [s, await readMidHistory(client, req.exchange, s, sinceTs)] as const));
  return computePortfolioVar(Object.fromEntries(histories), req);
}

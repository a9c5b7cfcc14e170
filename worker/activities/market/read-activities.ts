/**
 * The I/O behind the market read tools: validating a request against the venue's listing, reading
 * the tick stores (history and newest quotes), and candles straight from the venue.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  NO_TICK_STORE,
  TICKS_PAGE_MAX,
  canonicalSymbols,
  tickStoreWorkflowId,
  tickAgeMs,
  type HistoricalTicksRequest,
  type HistoricalTicksResult,
  type MarketSnapshotRequest,
  type MarketSnapshotResult,
  type MarketTick,
  type OhlcvRequest,
  type OhlcvResult,
  type ResolvedVenue,
  type SnapshotQuote,
  type VenueRequest,
} from '../../../schemas/temporal/market.js';
import type { MarketConfig } from '../../config/market-config.js';
import { readLatest, readTicks } from '../../../temporal/clients/tick-store.js';
import { resolveVenue } from './venue-resolution.js';
import { requireListed } from './venues/symbol-check.js';

/** Ticks one history read returns across all its symbols: keeps the result well under Temporal's payload limit. */
export const HISTORY_READ_MAX_TICKS = TICKS_PAGE_MAX;

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}

export function spreadBps(bid: number, ask: number): number {
  const mid = (bid + ask) / 2;
  return mid > 0 ? round(((ask - bid) / mid) * 10_000, 3) : 0;
}

export function createReadActivities(config: MarketConfig) {
  return {
    async resolveMarketRequest(req: VenueRequest & { symbols: string[] }): Promise<ResolvedVenue & { symbols: string[] }> {
      const { venue, resolved } = resolveVenue(req, config);
      const symbols = canonicalSymbols(req.symbols);
      requireListed(venue.id, symbols, await venue.symbols());
      return { ...resolved, symbols };
    },

    async readHistoricalTicks(req: HistoricalTicksRequest): Promise<HistoricalTicksResult> {
      const { client } = Context.current();
      const { venue, resolved } = resolveVenue(req, config);
      const symbols = canonicalSymbols(req.symbols);
      const perSymbol = Math.max(1, Math.floor(Math.min(req.limit ?? 100, HISTORY_READ_MAX_TICKS / symbols.length)));
      const pages = await Promise.all(
        symbols.map((symbol) => readTicks(client, resolved.exchange, symbol, { since_ts: req.since_ts ?? null, limit: perSymbol })),
      );
      const missing = symbols.filter((_, i) => pages[i] === undefined);
      if (missing.length > 0) {
        // Tell a misspelt symbol from one that simply is not streamed yet (if the venue can say).
        const listed = await venue.symbols().catch(() => undefined);
        if (listed) requireListed(venue.id, missing, listed);
        throw ApplicationFailure.create({
          type: NO_TICK_STORE,
          nonRetryable: true,
          message: `no ticks are stored for ${missing.join(', ')} on ${resolved.exchange}; start streaming with start_market_stream (or subscribe_cex_stream) and ask again`,
        });
      }
      return {
        ...resolved,
        series: pages.map((page, i) => ({ ...page!, workflow_id: tickStoreWorkflowId(resolved.exchange, symbols[i]!) })),
      };
    },

    async readMarketSnapshot(req: MarketSnapshotRequest): Promise<MarketSnapshotResult> {
      const { client } = Context.current();
      const { venue, resolved } = resolveVenue(req, config);
      const symbols = canonicalSymbols(req.symbols);
      const latest = await Promise.all(symbols.map((s) => readLatest(client, resolved.exchange, s)));
      const unstreamed = symbols.filter((_, i) => latest[i] === undefined);
      const fetched = unstreamed.length > 0 ? await venue.fetchTickers(unstreamed) : {};
      const takenAt = Date.now();
      const quote = (symbol: string, tick: MarketTick, source: SnapshotQuote['source']): SnapshotQuote => {
        const age = tickAgeMs({ tick }, takenAt);
        return {
          symbol,
          last: tick.last,
          bid: tick.bid,
          ask: tick.ask,
          spread_bps: spreadBps(tick.bid, tick.ask),
          change_24h_pct: tick.change_24h_pct ?? null,
          volume_24h: tick.volume ?? null,
          ts: tick.ts,
          age_ms: age,
          stale: age > config.staleAfterMs,
          source,
          store_workflow_id: source === 'stream' ? tickStoreWorkflowId(resolved.exchange, symbol) : null,
        };
      };
      const quotes: SnapshotQuote[] = [];
      symbols.forEach((symbol, i) => {
        const stored = latest[i];
        if (stored) quotes.push(quote(symbol, stored.tick, 'stream'));
        else if (fetched[symbol]) quotes.push(quote(symbol, fetched[symbol], 'venue'));
      });
      return { ...resolved, taken_at: takenAt, stale_after_ms: config.staleAfterMs, quotes };
    },

    async fetchCandles(req: OhlcvRequest): Promise<OhlcvResult> {
      const { venue, resolved } = resolveVenue(req, config);
      const candles = await venue.fetchOHLCV(req.symbol, req.timeframe, req.limit);
      return { ...resolved, symbol: req.symbol, timeframe: req.timeframe, candles };
    },
  };
}

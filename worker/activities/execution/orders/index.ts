/**
 * Paper order activities: the order workflow's settings and the venue's order book with the
 * symbol's size rules, converted to decimal strings once, here, so every price the workflow fills
 * at and every rule it holds the order to is recorded in its history.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { UNKNOWN_SYMBOL } from '../../../../schemas/temporal/market.js';
import type { PaperOrderSettings } from '../../../../schemas/temporal/orders.js';
import type { WorkerConfig } from '../../../config/worker-config.js';
import { fromVenueNumber, text } from '../../../../domain/money.js';
import type { BookLevelText } from '../../../../domain/orders/fill-model.js';
import type { BookFetch } from '../../../../domain/orders/pre-trade-checks.js';
import type { SizeRules } from '../../../../domain/orders/size-rules.js';
import { getVenue } from '../../market/venues/registry.js';
import type { OrderBookLevel, VenueSizeRules } from '../../market/venues/venue.js';

export interface OrderBookRequest {
  exchange: string;
  symbol: string;
  depth: number;
  /** Configured fee rates that replace the venue's own; null keeps the venue's. */
  fee_overrides: { maker: string | null; taker: string | null };
}

function levelsAsText(levels: readonly OrderBookLevel[]): BookLevelText[] {
  return levels.map((l) => ({ price: text(fromVenueNumber(l.price)), qty: text(fromVenueNumber(l.qty)) }));
}

function sizeRulesAsText(rules: VenueSizeRules): SizeRules {
  const asText = (value: number | null) => (value === null ? null : text(fromVenueNumber(value)));
  return { min_qty: asText(rules.minQty), qty_step: asText(rules.qtyStep), min_notional: asText(rules.minNotional) };
}

export function createOrderActivities(config: WorkerConfig) {
  return {
    async loadPaperOrderSettings(): Promise<PaperOrderSettings> {
      // canonicalInput: orders started from now on hold ids and amounts to the tools' spelling.
      return { ...config.orders, exchange: config.market.defaultExchange, quoteCurrency: config.ledger.quoteCurrency, canonicalInput: true };
    },

    /** The venue's current book for one symbol, or listed:false when the venue does not list it. */
    async fetchOrderBookSnapshot(req: OrderBookRequest): Promise<BookFetch> {
      const venue = getVenue(req.exchange, config.market);
      let book;
      try {
        book = await venue.fetchOrderBook(req.symbol, req.depth);
      } catch (err) {
        if (err instanceof ApplicationFailure && err.type === UNKNOWN_SYMBOL) return { listed: false, message: err.message };
        throw err;
      }
      const fees = venue.fees();
      const sizeRules = sizeRulesAsText(await venue.sizeRules(req.symbol));
      return {
        listed: true,
        size_rules: sizeRules,
        book: {
          exchange: venue.id,
          symbol: book.symbol,
          ts: book.ts,
          fetched_at: Date.now(),
          bids: levelsAsText(book.bids),
          asks: levelsAsText(book.asks),
          fees: {
            maker: req.fee_overrides.maker ?? text(fromVenueNumber(fees.maker)),
            taker: req.fee_overrides.taker ?? text(fromVenueNumber(fees.taker)),
          },
        },
      };
    },
  };
}

export type OrderActivities = ReturnType<typeof createOrderActivities>;

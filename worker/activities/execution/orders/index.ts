/**
 * Paper order activities: the order workflow's settings and the venue's order book, converted to
 * decimal strings once, here, so every price the workflow fills at is recorded in its history.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { UNKNOWN_SYMBOL } from '../../../../schemas/temporal/market.js';
import type { PaperOrderSettings } from '../../../../schemas/temporal/orders.js';
import type { WorkerConfig } from '../../../config/worker-config.js';
import { fromVenueNumber, text } from '../../../../domain/money.js';
import type { BookLevelText } from '../../../../domain/orders/fill-model.js';
import type { BookFetch } from '../../../../domain/orders/pre-trade-checks.js';
import { getVenue } from '../../market/venues/registry.js';
import type { OrderBookLevel } from '../../market/venues/venue.js';

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

export function createOrderActivities(config: WorkerConfig) {
  return {
    async loadPaperOrderSettings(): Promise<PaperOrderSettings> {
      return { ...config.orders, exchange: config.market.defaultExchange, quoteCurrency: config.ledger.quoteCurrency };
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
      return {
        listed: true,
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

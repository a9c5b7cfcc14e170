/**
 * What every venue offers the worker, a ccxt exchange or the embedded simulator alike: listed
 * symbols, tickers, an order book with depth (paper fills walk it), candles, fee rates and the
 * size rules orders are held to.
 * Implementations throw ApplicationFailure with the market error types (schemas/temporal/market.ts),
 * retryable or not, so callers never see a venue SDK's own error classes.
 */
import type { MarketTick, OhlcvCandle } from '../../../../schemas/temporal/market.js';

/** ms epoch venue time; bid/ask/last as quoted; volume is the 24h base volume. */
export type Tick = MarketTick;

export interface OrderBookLevel {
  price: number;
  qty: number;
}

export interface OrderBook {
  symbol: string;
  ts: number;
  /** Best (highest) first. */
  bids: OrderBookLevel[];
  /** Best (lowest) first. */
  asks: OrderBookLevel[];
}

export type Candle = OhlcvCandle;

/** What a venue accepts as an order size for one symbol; null where it names no rule. */
export interface VenueSizeRules {
  /** Smallest base quantity (ccxt limits.amount.min). */
  minQty: number | null;
  /** Base quantity increment (ccxt precision.amount, as a step). */
  qtyStep: number | null;
  /** Smallest order value in the quote currency (ccxt limits.cost.min). */
  minNotional: number | null;
}

export interface Venue {
  /** ccxt id or 'sim'. */
  readonly id: string;
  readonly simulated: boolean;
  /** ccxt unified symbols it lists. */
  symbols(): Promise<string[]>;
  fetchTickers(symbols: string[]): Promise<Record<string, Tick>>;
  fetchOrderBook(symbol: string, depth: number): Promise<OrderBook>;
  fetchOHLCV(symbol: string, timeframe: string, limit: number): Promise<Candle[]>;
  /** Fractions, e.g. 0.001. */
  fees(): { maker: number; taker: number };
  /** The size rules of a listed symbol (UnknownSymbol for any other). */
  sizeRules(symbol: string): Promise<VenueSizeRules>;
  /**
   * The quotes of the `count` whole seconds before `beforeTs`, one per second, oldest first,
   * exactly as fetchTickers would have returned them at those seconds: what a new tick store is
   * seeded with. Only a venue whose past quotes are known exactly offers it (the simulator, a pure
   * function of seed, symbol and second). A ccxt exchange does not: its past would have to come
   * from candles, which aggregate trades over a period and carry no bid, ask or per-second last
   * price, so ticks made from them would be invented rather than quoted.
   */
  ticksBefore?(symbol: string, beforeTs: number, count: number): Tick[];
}

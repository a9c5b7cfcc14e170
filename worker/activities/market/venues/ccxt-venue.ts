/**
 * A ccxt exchange behind the Venue interface: public endpoints only (market data needs no keys),
 * every call's failure converted by ccxt-errors.ts, every answer checked before it is trusted.
 */
import { ApplicationFailure } from '@temporalio/common';
import ccxt, { type Exchange, type MarketInterface, type Ticker } from 'ccxt';
import { UNSUPPORTED_TIMEFRAME, VENUE_BAD_RESPONSE, VENUE_REJECTED } from '../../../../schemas/temporal/market.js';
import { venueFailure, type RateLimitPolicy } from './ccxt-errors.js';
import { requireListed } from './symbol-check.js';
import type { TickerWatch } from './ticker-watch.js';
import type { Candle, OrderBook, OrderBookLevel, Tick, Venue, VenueSizeRules } from './venue.js';

/** Listings change rarely; reloading them hourly picks up new and delisted pairs. */
const MARKETS_MAX_AGE_MS = 60 * 60 * 1000;
/** Used when the exchange's ccxt description names no trading fees. */
const DEFAULT_FEE = 0.001;

function finitePositive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0;
}

function optionalNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * A ccxt market's size rules: limits.amount.min, limits.cost.min, and precision.amount read as a
 * step in whichever precision mode the exchange describes it (a step itself, or a number of
 * decimals). Significant-digit precision has no fixed step, so none is named. Zero or missing
 * values mean the exchange names no such rule.
 */
export function sizeRulesFromCcxt(market: Pick<MarketInterface, 'limits' | 'precision'>, precisionMode: number): VenueSizeRules {
  const precision = market.precision?.amount;
  const qtyStep =
    precisionMode === ccxt.TICK_SIZE ? (finitePositive(precision) ? precision : null)
    : precisionMode === ccxt.DECIMAL_PLACES && typeof precision === 'number' && Number.isInteger(precision) && precision >= 0 && precision <= 18 ? Number((10 ** -precision).toFixed(precision))
    : null;
  const positiveOrNull = (value: unknown): number | null => (finitePositive(value) ? value : null);
  return { minQty: positiveOrNull(market.limits?.amount?.min), qtyStep, minNotional: positiveOrNull(market.limits?.cost?.min) };
}

/** A ccxt ticker as a Tick, or undefined when it carries no usable price. */
export function tickFromCcxt(ticker: Ticker, receivedAt: number): Tick | undefined {
  const last = ticker.last ?? ticker.close;
  if (!finitePositive(last)) return undefined;
  // Some venues' tickers carry no book: the last trade then stands for both sides.
  const bid = finitePositive(ticker.bid) ? ticker.bid : last;
  const ask = finitePositive(ticker.ask) ? ticker.ask : last;
  const ts = typeof ticker.timestamp === 'number' && Number.isFinite(ticker.timestamp) ? ticker.timestamp : receivedAt;
  return { ts, bid, ask, last, volume: optionalNumber(ticker.baseVolume), change_24h_pct: optionalNumber(ticker.percentage) };
}

function badResponse(venueId: string, what: string): ApplicationFailure {
  return ApplicationFailure.create({ type: VENUE_BAD_RESPONSE, message: `${venueId} sent ${what}` });
}

export class CcxtVenue implements Venue {
  readonly simulated = false;
  private listing: Promise<string[]> | undefined;
  private listedAt = 0;
  private listingFailed = false;
  /**
   * HTTP status of the newest REST answer: ccxt types a venue's error body by its code before it
   * looks at the status, so a 5xx whose body names a code (Binance's -1001) needs the status to be
   * seen as the outage it is.
   */
  private lastHttpStatus: number | undefined;

  constructor(
    readonly id: string,
    private readonly exchange: Exchange,
    private readonly policy: RateLimitPolicy,
    /** Websocket tickers, when configured and the exchange streams them; REST covers whatever it cannot. */
    private readonly watch?: TickerWatch,
  ) {
    const onRestResponse = exchange.onRestResponse.bind(exchange);
    exchange.onRestResponse = (statusCode: unknown, ...rest: unknown[]) => {
      this.lastHttpStatus = typeof statusCode === 'number' ? statusCode : undefined;
      return (onRestResponse as (...args: unknown[]) => unknown)(statusCode, ...rest);
    };
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    this.lastHttpStatus = undefined;
    try {
      return await fn();
    } catch (err) {
      throw venueFailure(err, this.id, this.policy, this.exchange.last_response_headers as Record<string, unknown> | undefined, this.lastHttpStatus);
    }
  }

  symbols(): Promise<string[]> {
    const stale = Date.now() - this.listedAt > MARKETS_MAX_AGE_MS;
    if (!this.listing || (stale && this.listedAt > 0)) {
      // After a failure ccxt keeps the rejected load; asking for a reload starts a fresh one.
      const reload = this.listingFailed || this.listedAt > 0;
      const loading = this.call(async () => {
        const markets = await this.exchange.loadMarkets(reload);
        return Object.values(markets)
          .filter((m) => m !== undefined && m.active !== false)
          .map((m) => m!.symbol)
          .sort();
      });
      this.listing = loading.then(
        (symbols) => {
          this.listedAt = Date.now();
          this.listingFailed = false;
          return symbols;
        },
        (err: unknown) => {
          this.listing = undefined;
          this.listingFailed = true;
          throw err;
        },
      );
    }
    return this.listing;
  }

  async fetchTickers(symbols: string[]): Promise<Record<string, Tick>> {
    requireListed(this.id, symbols, await this.symbols());
    const receivedAt = Date.now();
    const watched = this.watch?.take(symbols, receivedAt) ?? {};
    const polled = symbols.filter((s) => watched[s] === undefined);
    const fetched = polled.length === 0 ? {} : await this.call(() => this.fetchTickersOverRest(polled));
    if (!fetched || typeof fetched !== 'object') throw badResponse(this.id, 'no tickers');
    const raw = { ...fetched, ...watched };
    const ticks: Record<string, Tick> = {};
    for (const symbol of symbols) {
      const ticker = (raw as Record<string, Ticker | undefined>)[symbol];
      const tick = ticker ? tickFromCcxt(ticker, receivedAt) : undefined;
      if (tick) ticks[symbol] = tick;
    }
    // A body that parsed into nothing recognisable is a malformed answer, not an empty market.
    if (Object.keys(ticks).length === 0) throw badResponse(this.id, `no usable quote for ${symbols.join(', ')}`);
    return ticks;
  }

  private async fetchTickersOverRest(symbols: string[]): Promise<Record<string, Ticker>> {
    if (this.exchange.has['fetchTickers']) return this.exchange.fetchTickers(symbols);
    const tickers = await Promise.all(symbols.map((s) => this.exchange.fetchTicker(s)));
    return Object.fromEntries(tickers.map((t, i) => [symbols[i], t]));
  }

  async fetchOrderBook(symbol: string, depth: number): Promise<OrderBook> {
    requireListed(this.id, [symbol], await this.symbols());
    const book = await this.call(() => this.exchange.fetchOrderBook(symbol, depth));
    const levels = (side: unknown, name: string): OrderBookLevel[] => {
      if (!Array.isArray(side)) throw badResponse(this.id, `an order book for ${symbol} without ${name}`);
      return side.slice(0, depth).map((level: unknown) => {
        const [price, qty] = Array.isArray(level) ? level : [];
        if (!finitePositive(price) || !finitePositive(qty)) throw badResponse(this.id, `an unreadable ${name} level for ${symbol}`);
        return { price, qty };
      });
    };
    return {
      symbol,
      ts: typeof book.timestamp === 'number' ? book.timestamp : Date.now(),
      bids: levels(book.bids, 'bids'),
      asks: levels(book.asks, 'asks'),
    };
  }

  async fetchOHLCV(symbol: string, timeframe: string, limit: number): Promise<Candle[]> {
    requireListed(this.id, [symbol], await this.symbols());
    if (!this.exchange.has['fetchOHLCV']) {
      throw ApplicationFailure.create({ type: VENUE_REJECTED, nonRetryable: true, message: `${this.id} does not serve candles through ccxt` });
    }
    const timeframes = Object.keys(this.exchange.timeframes ?? {});
    if (!timeframes.includes(timeframe)) {
      throw ApplicationFailure.create({
        type: UNSUPPORTED_TIMEFRAME,
        nonRetryable: true,
        message: `${this.id} has no ${timeframe} candles; valid timeframes: ${timeframes.join(', ')}`,
      });
    }
    const rows = await this.call(() => this.exchange.fetchOHLCV(symbol, timeframe, undefined, limit));
    if (!Array.isArray(rows)) throw badResponse(this.id, `unreadable ${timeframe} candles for ${symbol}`);
    return rows.map((row) => {
      const [ts, open, high, low, close, volume] = row;
      if (typeof ts !== 'number' || ![open, high, low, close].every(finitePositive)) {
        throw badResponse(this.id, `an unreadable ${timeframe} candle for ${symbol}`);
      }
      return { ts, open: open!, high: high!, low: low!, close: close!, volume: optionalNumber(volume) ?? 0 };
    });
  }

  async sizeRules(symbol: string): Promise<VenueSizeRules> {
    requireListed(this.id, [symbol], await this.symbols());
    const market = this.exchange.markets?.[symbol];
    if (!market) throw badResponse(this.id, `no market description for ${symbol}`);
    return sizeRulesFromCcxt(market, Number(this.exchange.precisionMode));
  }

  fees(): { maker: number; taker: number } {
    const trading = (this.exchange.fees as { trading?: { maker?: unknown; taker?: unknown } } | undefined)?.trading;
    return {
      maker: optionalNumber(trading?.maker) ?? DEFAULT_FEE,
      taker: optionalNumber(trading?.taker) ?? DEFAULT_FEE,
    };
  }
}

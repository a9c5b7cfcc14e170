/**
 * The embedded simulated venue ('sim'): the default when no exchange is configured, so the whole
 * stack runs without a network. Quotes, books and candles all derive from SimPriceProcess, so they
 * agree with each other and are identical in every worker process for the same seed and second.
 */
import { ApplicationFailure } from '@temporalio/common';
import { SIM_EXCHANGE, UNSUPPORTED_TIMEFRAME, VENUE_REJECTED } from '../../../../../schemas/temporal/market.js';
import { requireListed } from '../symbol-check.js';
import type { Candle, OrderBook, OrderBookLevel, Tick, Venue, VenueSizeRules } from '../venue.js';
import { SIM_MARKETS, SIM_MARKETS_BY_SYMBOL, type SimMarket } from './sim-catalog.js';
import { SIM_EPOCH_MS, SIM_SECONDS_PER_HOUR, SimOutOfRangeError, SimPriceProcess, summarize, type HourBlock, type HourSummary } from './sim-price-process.js';
import { uniformAt } from './sim-random.js';

export const SIM_TIMEFRAMES_SEC: Readonly<Record<string, number>> = {
  '1m': 60,
  '3m': 180,
  '5m': 300,
  '15m': 900,
  '30m': 1_800,
  '1h': 3_600,
  '2h': 7_200,
  '4h': 14_400,
  '6h': 21_600,
  '12h': 43_200,
  '1d': 86_400,
};

/** Hours of per-second path one candle request may compute (about half a second of CPU). */
export const SIM_MAX_CANDLE_HOURS = 2_400;
const SIM_MAX_BOOK_DEPTH = 500;
/** Hour blocks kept per venue: the current and day-old hours of every streamed symbol, with room. */
const BLOCK_CACHE_SIZE = 512;
const SUMMARY_CACHE_SIZE = 200_000;
const FEE = 0.001;
/** A tick's 24-hour change and volume reach a day back (and the hour that day-old second sits in). */
const SIM_FIRST_FULL_DAY_SEC = 86_400 + SIM_SECONDS_PER_HOUR;
/** Distance between book levels beyond the touch, basis points of the mid. */
const LEVEL_STEP_BPS = 0.5;

function decimalsOf(step: number): number {
  return Math.max(0, Math.round(-Math.log10(step)));
}

function roundTo(x: number, step: number, mode: 'floor' | 'ceil' | 'round'): number {
  const units = Math[mode](x / step + (mode === 'round' ? 0 : mode === 'floor' ? 1e-9 : -1e-9));
  return Number((units * step).toFixed(decimalsOf(step)));
}

/** Insertion-ordered map that drops its oldest entry past a size (reads refresh an entry). */
class BoundedCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly size: number) {}
  get(key: string, make: () => V): V {
    const hit = this.map.get(key);
    if (hit !== undefined) {
      this.map.delete(key);
      this.map.set(key, hit);
      return hit;
    }
    const value = make();
    this.map.set(key, value);
    if (this.map.size > this.size) this.map.delete(this.map.keys().next().value as string);
    return value;
  }
}

export class SimVenue implements Venue {
  readonly id = SIM_EXCHANGE;
  readonly simulated = true;
  private readonly processes = new Map<string, SimPriceProcess>();
  private readonly blocks = new BoundedCache<HourBlock>(BLOCK_CACHE_SIZE);
  private readonly summaries = new BoundedCache<HourSummary>(SUMMARY_CACHE_SIZE);

  constructor(
    readonly seed: number,
    private readonly now: () => number = Date.now,
  ) {}

  async symbols(): Promise<string[]> {
    return SIM_MARKETS.map((m) => m.symbol);
  }

  async fetchTickers(symbols: string[]): Promise<Record<string, Tick>> {
    requireListed(this.id, symbols, await this.symbols());
    const now = this.now();
    return Object.fromEntries(symbols.map((s) => [s, this.tickAt(s, now)]));
  }

  async fetchOrderBook(symbol: string, depth: number): Promise<OrderBook> {
    requireListed(this.id, [symbol], await this.symbols());
    return this.bookAt(symbol, this.now(), depth);
  }

  async fetchOHLCV(symbol: string, timeframe: string, limit: number): Promise<Candle[]> {
    requireListed(this.id, [symbol], await this.symbols());
    return this.candlesAt(symbol, timeframe, limit, this.now());
  }

  fees(): { maker: number; taker: number } {
    return { maker: FEE, taker: FEE };
  }

  /** From the catalog: the step every book level and order size is a whole number of, its minimum and minimum value. */
  async sizeRules(symbol: string): Promise<VenueSizeRules> {
    requireListed(this.id, [symbol], await this.symbols());
    const market = this.marketOf(symbol);
    return { minQty: market.minQty, qtyStep: market.amountStep, minNotional: market.minNotional };
  }

  /** The quote at a moment: a pure function of (seed, symbol, second). */
  tickAt(symbol: string, ms: number): Tick {
    return this.guard(() => {
      const sec = Math.floor(ms / 1000);
      const market = this.marketOf(symbol);
      const { bid, ask } = this.touch(market, sec);
      const last = uniformAt(`${this.seed}:${symbol}:side:${sec}`) < 0.5 ? bid : ask;
      const dayAgo = this.midAt(symbol, sec - 86_400);
      const mid = this.midAt(symbol, sec);
      return {
        ts: sec * 1000,
        bid,
        ask,
        last,
        volume: roundTo(this.volume24h(symbol, sec), market.amountStep, 'round'),
        // `+ 0` turns a rounded -0 into 0: JSON carries no negative zero, so a quote read back from a
        // tick store must equal the one the venue produced.
        change_24h_pct: Number(((mid / dayAgo - 1) * 100).toFixed(3)) + 0,
      };
    });
  }

  /**
   * The quotes of the `count` whole seconds strictly before `beforeTs`, oldest first: tickAt at
   * each, the function fetchTickers quotes with. Seconds too early for the process (its first day
   * has no 24-hour figures) are left out rather than refused.
   */
  ticksBefore(symbol: string, beforeTs: number, count: number): Tick[] {
    const lastSec = Math.ceil(beforeTs / 1000) - 1;
    const firstSec = Math.max(lastSec - Math.max(0, Math.floor(count)) + 1, SIM_EPOCH_MS / 1000 + SIM_FIRST_FULL_DAY_SEC);
    const ticks: Tick[] = [];
    for (let sec = firstSec; sec <= lastSec; sec += 1) ticks.push(this.tickAt(symbol, sec * 1000));
    return ticks;
  }

  /** The book at a moment: the touch of tickAt, then levels further out holding more size. */
  bookAt(symbol: string, ms: number, depth: number): OrderBook {
    return this.guard(() => {
      const sec = Math.floor(ms / 1000);
      const market = this.marketOf(symbol);
      const levels = Math.max(1, Math.min(SIM_MAX_BOOK_DEPTH, Math.floor(depth)));
      const { bid, ask, mid } = this.touch(market, sec);
      const step = Math.max(market.tickSize, roundTo((mid * LEVEL_STEP_BPS) / 10_000, market.tickSize, 'round'));
      const side = (best: number, direction: 1 | -1, name: string): OrderBookLevel[] =>
        Array.from({ length: levels }, (_, i) => {
          const u = uniformAt(`${this.seed}:${symbol}:book:${sec}:${name}:${i}`);
          const qty = ((market.levelNotional / mid) * (1 + 0.35 * i) * (0.6 + 0.8 * u));
          return {
            price: Number((best + direction * i * step).toFixed(decimalsOf(market.tickSize))),
            qty: Math.max(market.amountStep, roundTo(qty, market.amountStep, 'floor')),
          };
        }).filter((level) => level.price > 0);
      return { symbol, ts: sec * 1000, bids: side(bid, -1, 'bid'), asks: side(ask, 1, 'ask') };
    });
  }

  candlesAt(symbol: string, timeframe: string, limit: number, ms: number): Candle[] {
    const tf = SIM_TIMEFRAMES_SEC[timeframe];
    if (tf === undefined) {
      throw ApplicationFailure.create({
        type: UNSUPPORTED_TIMEFRAME,
        nonRetryable: true,
        message: `the simulated venue has no ${timeframe} candles; valid timeframes: ${Object.keys(SIM_TIMEFRAMES_SEC).join(', ')}`,
      });
    }
    const hours = Math.ceil((limit * tf) / SIM_SECONDS_PER_HOUR);
    if (hours > SIM_MAX_CANDLE_HOURS) {
      throw ApplicationFailure.create({
        type: VENUE_REJECTED,
        nonRetryable: true,
        message: `the simulated venue computes at most ${SIM_MAX_CANDLE_HOURS} hours of candles per request; use limit <= ${Math.floor((SIM_MAX_CANDLE_HOURS * SIM_SECONDS_PER_HOUR) / tf)} for ${timeframe}`,
      });
    }
    return this.guard(() => {
      const nowSec = Math.floor(ms / 1000);
      const lastStart = Math.floor(nowSec / tf) * tf;
      const firstStart = lastStart - (limit - 1) * tf;
      const candles: Candle[] = [];
      for (let start = firstStart; start <= lastStart; start += tf) {
        const end = Math.min(start + tf, nowSec + 1);
        const s = this.summaryOver(symbol, start, end);
        const market = this.marketOf(symbol);
        const price = (x: number) => roundTo(x, market.tickSize, 'round');
        candles.push({
          ts: start * 1000,
          open: price(s.open),
          high: price(s.high),
          low: price(s.low),
          close: price(s.close),
          volume: roundTo(s.volume, market.amountStep, 'round'),
        });
      }
      return candles;
    });
  }

  private marketOf(symbol: string): SimMarket {
    const market = SIM_MARKETS_BY_SYMBOL.get(symbol);
    if (!market) requireListed(this.id, [symbol], SIM_MARKETS.map((m) => m.symbol));
    return market as SimMarket;
  }

  private process(symbol: string): SimPriceProcess {
    let process = this.processes.get(symbol);
    if (!process) {
      process = new SimPriceProcess(this.seed, this.marketOf(symbol));
      this.processes.set(symbol, process);
    }
    return process;
  }

  private block(symbol: string, hour: number): HourBlock {
    return this.blocks.get(`${symbol}:${hour}`, () => this.process(symbol).hourBlock(hour));
  }

  private locate(sec: number): { hour: number; offset: number } {
    const hour = SimPriceProcess.hourOf(sec * 1000);
    return { hour, offset: sec - (SIM_EPOCH_MS / 1000 + hour * SIM_SECONDS_PER_HOUR) };
  }

  private midAt(symbol: string, sec: number): number {
    const { hour, offset } = this.locate(sec);
    return Math.exp(this.block(symbol, hour).logPrice[offset] as number);
  }

  /** Best bid and ask: a spread around the mid that widens when volatility is high. */
  private touch(market: SimMarket, sec: number): { bid: number; ask: number; mid: number } {
    const { hour, offset } = this.locate(sec);
    const block = this.block(market.symbol, hour);
    const mid = Math.exp(block.logPrice[offset] as number);
    const widen = Math.min(5, Math.max(0.6, block.volRatio[Math.min(offset, SIM_SECONDS_PER_HOUR - 1)] as number));
    const half = (mid * market.halfSpreadBps * widen) / 10_000;
    const bid = roundTo(mid - half, market.tickSize, 'floor');
    let ask = roundTo(mid + half, market.tickSize, 'ceil');
    if (ask <= bid) ask = Number((bid + market.tickSize).toFixed(decimalsOf(market.tickSize)));
    return { bid, ask, mid };
  }

  private hourSummary(symbol: string, hour: number): HourSummary {
    return this.summaries.get(`${symbol}:${hour}`, () => summarize(this.block(symbol, hour), 0, SIM_SECONDS_PER_HOUR));
  }

  /** Base volume over the trailing 24 hours ending with second `sec`. */
  private volume24h(symbol: string, sec: number): number {
    const { hour, offset } = this.locate(sec);
    const current = this.block(symbol, hour);
    let volume = (current.cumVolume[offset + 1] as number) - (current.cumVolume[0] as number);
    for (let h = hour - 23; h < hour; h += 1) volume += this.hourSummary(symbol, h).volume;
    const old = this.block(symbol, hour - 24);
    volume += (old.cumVolume[SIM_SECONDS_PER_HOUR] as number) - (old.cumVolume[offset + 1] as number);
    return volume;
  }

  /** OHLCV over seconds [from, to), which may span hours. */
  private summaryOver(symbol: string, from: number, to: number): HourSummary {
    let result: HourSummary | undefined;
    for (let sec = from; sec < to; ) {
      const { hour, offset } = this.locate(sec);
      const until = Math.min(to - sec, SIM_SECONDS_PER_HOUR - offset);
      const part =
        offset === 0 && until === SIM_SECONDS_PER_HOUR
          ? this.hourSummary(symbol, hour)
          : summarize(this.block(symbol, hour), offset, offset + until);
      result = result
        ? { open: result.open, high: Math.max(result.high, part.high), low: Math.min(result.low, part.low), close: part.close, volume: result.volume + part.volume }
        : { ...part };
      sec += until;
    }
    return result as HourSummary;
  }

  /** Times before the process begins are a caller error, not a venue outage. */
  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (err instanceof SimOutOfRangeError) {
        throw ApplicationFailure.create({ type: VENUE_REJECTED, nonRetryable: true, message: err.message });
      }
      throw err;
    }
  }
}

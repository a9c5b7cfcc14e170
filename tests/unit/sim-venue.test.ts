/**
 * The simulated venue: prices are a pure function of (seed, symbol, second), continuous across
 * hour boundaries, fat-tailed with volatility clustering; quotes, books and candles agree with
 * each other; bad requests are refused with what is valid.
 */
import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIM_MARKETS } from '../../worker/activities/market/venues/sim/sim-catalog.js';
import { SimPriceProcess } from '../../worker/activities/market/venues/sim/sim-price-process.js';
import { studentT4 } from '../../worker/activities/market/venues/sim/sim-random.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';

/** A fixed moment well inside the process's range, on an hour boundary. */
const T = Date.UTC(2025, 5, 10, 12, 0, 0);
const mid = (v: SimVenue, symbol: string, ms: number) => {
  const t = v.tickAt(symbol, ms);
  return (t.bid + t.ask) / 2;
};

function logReturns(v: SimVenue, symbol: string, from: number, seconds: number): number[] {
  const out: number[] = [];
  let prev = mid(v, symbol, from);
  for (let s = 1; s <= seconds; s += 1) {
    const m = mid(v, symbol, from + s * 1000);
    out.push(Math.log(m / prev));
    prev = m;
  }
  return out;
}

describe('the price process', () => {
  it('is a pure function of seed, symbol and second: independent instances agree, other seeds differ', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SIM_MARKETS.map((m) => m.symbol)), fc.integer({ min: 0, max: 30 * 86_400 }), fc.integer({ min: 0, max: 999 }), (symbol, second, ms) => {
        const at = T + second * 1000;
        const a = new SimVenue(7).tickAt(symbol, at);
        expect(new SimVenue(7).tickAt(symbol, at + ms)).toEqual(a);
        expect(a.ts).toBe(at);
        expect(new SimVenue(8).tickAt(symbol, at).last).not.toBe(a.last);
      }),
      { numRuns: 25 },
    );
  });

  it('stays continuous across hour boundaries (the bridge lands on the next hour\'s anchor)', () => {
    const process = new SimPriceProcess(3, SIM_MARKETS[0]!);
    const hour = SimPriceProcess.hourOf(T);
    for (let h = hour; h < hour + 24; h += 1) {
      const block = process.hourBlock(h);
      const next = process.hourBlock(h + 1);
      expect(block.logPrice[3_600]).toBeCloseTo(next.logPrice[0]!, 12);
    }
  });

  it('has fat tails and volatility clustering in one-second returns', () => {
    const v = new SimVenue(11);
    const r = logReturns(v, 'ETH/USDT', T, 4 * 3_600);
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length;
    const kurtosis = r.reduce((a, b) => a + (b - mean) ** 4, 0) / r.length / variance ** 2;
    expect(kurtosis).toBeGreaterThan(4);
    const sq = r.map((x) => (x - mean) ** 2);
    const sqMean = sq.reduce((a, b) => a + b, 0) / sq.length;
    let num = 0;
    let den = 0;
    for (let i = 0; i < sq.length; i += 1) {
      den += (sq[i]! - sqMean) ** 2;
      if (i > 0) num += (sq[i]! - sqMean) * (sq[i - 1]! - sqMean);
    }
    expect(num / den).toBeGreaterThan(0.05);
  });

  it('the Student-t shock has unit variance and is symmetric', () => {
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i += 1) {
      const x = studentT4((i + 0.5) / n);
      sum += x;
      sumSq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(1e-9);
    expect(sumSq / n).toBeGreaterThan(0.9);
    expect(sumSq / n).toBeLessThan(1.05);
  });
});

describe('quotes and books', () => {
  it('quotes a positive spread on the tick grid, last at the bid or the ask', () => {
    const v = new SimVenue(5);
    for (const market of SIM_MARKETS) {
      const t = v.tickAt(market.symbol, T + 17_000);
      expect(t.ask).toBeGreaterThan(t.bid);
      expect([t.bid, t.ask]).toContain(t.last);
      expect(Math.abs(t.bid / market.tickSize - Math.round(t.bid / market.tickSize))).toBeLessThan(1e-6);
      expect(t.volume).toBeGreaterThan(0);
      expect(Number.isFinite(t.change_24h_pct)).toBe(true);
    }
  });

  it('books start at the quote, are sorted best first, and hold more size further out', async () => {
    const v = new SimVenue(5);
    const book = v.bookAt('BTC/USDT', T, 20);
    const tick = v.tickAt('BTC/USDT', T);
    expect(book.bids[0]!.price).toBe(tick.bid);
    expect(book.asks[0]!.price).toBe(tick.ask);
    expect(book.bids).toHaveLength(20);
    for (let i = 1; i < 20; i += 1) {
      expect(book.bids[i]!.price).toBeLessThan(book.bids[i - 1]!.price);
      expect(book.asks[i]!.price).toBeGreaterThan(book.asks[i - 1]!.price);
    }
    const near = book.asks.slice(0, 5).reduce((a, l) => a + l.qty, 0);
    const far = book.asks.slice(15).reduce((a, l) => a + l.qty, 0);
    expect(far).toBeGreaterThan(near);
    expect((await v.fetchOrderBook('BTC/USDT', 5)).asks).toHaveLength(5);
  });

  it('widens the spread when volatility is high', () => {
    const v = new SimVenue(21);
    const market = SIM_MARKETS.find((m) => m.symbol === 'SOL/USDT')!;
    const process = new SimPriceProcess(21, market);
    const block = process.hourBlock(SimPriceProcess.hourOf(T));
    let calm = 0;
    let wild = 0;
    for (let s = 0; s < 3_600; s += 1) {
      if (block.volRatio[s]! < block.volRatio[calm]!) calm = s;
      if (block.volRatio[s]! > block.volRatio[wild]!) wild = s;
    }
    const spread = (s: number) => {
      const t = v.tickAt('SOL/USDT', T + s * 1000);
      return (t.ask - t.bid) / ((t.ask + t.bid) / 2);
    };
    expect(spread(wild)).toBeGreaterThan(spread(calm));
  });
});

describe('candles', () => {
  it('agree with the per-second quotes and aggregate consistently across timeframes', () => {
    const v = new SimVenue(9);
    const now = T + 3 * 3_600_000 + 1_234;
    const minutes = v.candlesAt('BNB/USDT', '1m', 180, now);
    const hours = v.candlesAt('BNB/USDT', '1h', 3, now);
    expect(minutes).toHaveLength(180);
    expect(hours.map((h) => h.ts)).toEqual([T, T + 3_600_000, T + 7_200_000].map((x) => x + 3_600_000));
    for (const c of minutes) {
      expect(c.high).toBeGreaterThanOrEqual(Math.max(c.open, c.close));
      expect(c.low).toBeLessThanOrEqual(Math.min(c.open, c.close));
    }
    // A full hour equals its sixty minutes.
    const hour = hours[0]!;
    const inHour = minutes.filter((m) => m.ts >= hour.ts && m.ts < hour.ts + 3_600_000);
    expect(inHour).toHaveLength(60);
    expect(hour.open).toBe(inHour[0]!.open);
    expect(hour.close).toBe(inHour[59]!.close);
    expect(hour.high).toBe(Math.max(...inHour.map((m) => m.high)));
    expect(hour.low).toBe(Math.min(...inHour.map((m) => m.low)));
  });

  it('refuses an unknown timeframe and an oversized request with what is valid', () => {
    const v = new SimVenue(9);
    expect(() => v.candlesAt('BTC/USDT', '2m', 10, T)).toThrow(/valid timeframes: 1m, 3m, 5m/);
    try {
      v.candlesAt('BTC/USDT', '1d', 1_000, T);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect((err as ApplicationFailure).nonRetryable).toBe(true);
      expect((err as Error).message).toMatch(/use limit <= 100 for 1d/);
    }
  });
});

describe('listing', () => {
  it('lists the familiar pairs and at least 50 symbols, and refuses an unknown one naming valid ones', async () => {
    const v = new SimVenue(1);
    const symbols = await v.symbols();
    expect(symbols).toEqual(expect.arrayContaining(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'BNB/USDT', 'XRP/USDT', 'ADA/USDT', 'DOGE/USDT']));
    expect(symbols.length).toBeGreaterThanOrEqual(50);
    await expect(v.fetchTickers(['BTC/USDC'])).rejects.toMatchObject({ type: 'UnknownSymbol', nonRetryable: true, message: expect.stringMatching(/sim does not list BTC\/USDC.*Valid symbols include: BTC\/USDT/) });
  });
});

/**
 * The recorded Binance and OKX answers the venue tests serve, and the EXCHANGE_OPTIONS that point
 * ccxt at them: spot markets only (so loading markets needs one endpoint), no client-side rate
 * limiting, and a short timeout so a held request counts as a timeout quickly.
 */
import { fixture, type FakeVenueServer, type Recording } from './fake-venue-server.js';

export const BINANCE = {
  exchangeInfo: 'https://api.binance.com/api/v3/exchangeInfo',
  tickers: 'https://api.binance.com/api/v3/ticker/24hr?symbols=["BTCUSDT","ETHUSDT"]',
  /** A second symbol set, so fault tests never share a tick store with the clean-stream tests. */
  faultTickers: 'https://api.binance.com/api/v3/ticker/24hr?symbols=["ETHBTC","SOLUSDT"]',
  depth: 'https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=5',
  klines: 'https://api.binance.com/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=3',
};

export const OKX = {
  instruments: 'https://www.okx.com/api/v5/public/instruments?instType=SPOT',
  tickers: 'https://www.okx.com/api/v5/market/tickers?instType=SPOT',
  books: 'https://www.okx.com/api/v5/market/books?instId=BTC-USDT&sz=5',
  candles: 'https://www.okx.com/api/v5/market/candles?instId=BTC-USDT&bar=1m&limit=3',
};

export const TICKER_RECORDINGS = 3;

const sequence = (venue: string, name: (i: number) => string) =>
  Array.from({ length: TICKER_RECORDINGS }, (_, i) => ({ body: fixture(venue, name(i + 1)) }));

export function binanceRecordings(): Recording[] {
  return [
    { url: BINANCE.exchangeInfo, responses: [{ body: fixture('binance', 'exchangeInfo.json') }] },
    { url: BINANCE.tickers, responses: sequence('binance', (i) => `ticker-24hr-${i}.json`) },
    { url: BINANCE.faultTickers, responses: sequence('binance', (i) => `ticker-24hr-ETHBTC-SOLUSDT-${i}.json`) },
    { url: BINANCE.depth, responses: [{ body: fixture('binance', 'depth-BTCUSDT-5.json') }] },
    { url: BINANCE.klines, responses: [{ body: fixture('binance', 'klines-BTCUSDT-1m-3.json') }] },
  ];
}

export function okxRecordings(): Recording[] {
  return [
    { url: OKX.instruments, responses: [{ body: fixture('okx', 'instruments-SPOT.json') }] },
    { url: OKX.tickers, responses: sequence('okx', (i) => `tickers-SPOT-${i}.json`) },
    { url: OKX.books, responses: [{ body: fixture('okx', 'books-BTC-USDT-5.json') }] },
    { url: OKX.candles, responses: [{ body: fixture('okx', 'candles-BTC-USDT-1m-3.json') }] },
  ];
}

/** The tickers of the fault-test symbol set (ETH/BTC, SOL/USDT). */
export const BINANCE_FAULT_FILES = (i: number) => `ticker-24hr-ETHBTC-SOLUSDT-${i}.json`;

export function exchangeOptionsFor(venue: FakeVenueServer): string {
  const common = { proxyUrl: venue.proxyUrl, enableRateLimit: false, timeout: 1_000, options: { fetchMarkets: { types: ['spot'] } } };
  return JSON.stringify({ binance: common, okx: common });
}

export interface ExpectedTick {
  ts: number;
  bid: number;
  ask: number;
  last: number;
  volume: number;
}

/** The ticks a Binance 24hr-ticker recording holds for a symbol, read straight from the fixture. */
export function binanceExpected(symbolId: string, files = (i: number) => `ticker-24hr-${i}.json`): ExpectedTick[] {
  return Array.from({ length: TICKER_RECORDINGS }, (_, i) => {
    const rows = fixture('binance', files(i + 1)) as Array<Record<string, string | number>>;
    const row = rows.find((r) => r.symbol === symbolId)!;
    return { ts: Number(row.closeTime), bid: Number(row.bidPrice), ask: Number(row.askPrice), last: Number(row.lastPrice), volume: Number(row.volume) };
  });
}

/** The ticks an OKX tickers recording holds for an instrument, read straight from the fixture. */
export function okxExpected(instId: string): ExpectedTick[] {
  return Array.from({ length: TICKER_RECORDINGS }, (_, i) => {
    const { data } = fixture('okx', `tickers-SPOT-${i + 1}.json`) as { data: Array<Record<string, string>> };
    const row = data.find((r) => r.instId === instId)!;
    return { ts: Number(row.ts), bid: Number(row.bidPx), ask: Number(row.askPx), last: Number(row.last), volume: Number(row.vol24h) };
  });
}

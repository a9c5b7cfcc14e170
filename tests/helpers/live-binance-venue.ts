/**
 * A Binance REST venue on 127.0.0.1 whose tickers are live: each answer is the recorded SOLUSDT
 * 24hr ticker re-quoted at the moment it is served (closeTime = now), for pairs of its own that no
 * other test file's stores hold. Gap tests need this: a gap's true start and end are the venue
 * timestamps of the ticks around it, so the ticks must carry the time they were answered at.
 */
import { fixture, FakeVenueServer, type Recording } from './fake-venue-server.js';
import { BINANCE } from './recorded-venues.js';

type Row = Record<string, unknown>;

/** The 24hr ticker URL ccxt asks for one symbol. */
export function liveTickerUrl(base: string): string {
  return `https://api.binance.com/api/v3/ticker/24hr?symbols=["${base}USDT"]`;
}

function listing(bases: readonly string[]): unknown {
  const info = fixture('binance', 'exchangeInfo.json') as { symbols: Row[] };
  const template = info.symbols.find((s) => s.symbol === 'SOLUSDT')!;
  return { ...info, symbols: [...info.symbols, ...bases.map((base) => ({ ...template, symbol: `${base}USDT`, baseAsset: base }))] };
}

function liveRow(base: string, now: number): Row {
  const rows = fixture('binance', 'ticker-24hr-ETHBTC-SOLUSDT-1.json') as Row[];
  const template = rows.find((r) => r.symbol === 'SOLUSDT')!;
  return { ...template, symbol: `${base}USDT`, openTime: now - 86_400_000, closeTime: now };
}

export function liveBinanceRecordings(bases: readonly string[]): Recording[] {
  return [
    { url: BINANCE.exchangeInfo, responses: [{ body: listing(bases) }] },
    ...bases.map((base) => ({ url: liveTickerUrl(base), responses: [{ body: (now: number) => [liveRow(base, now)] }] })),
  ];
}

export function liveBinanceVenue(bases: readonly string[], holdMs: number): Promise<FakeVenueServer> {
  return FakeVenueServer.start(liveBinanceRecordings(bases), { holdMs });
}

/** EXCHANGE_OPTIONS for it: no client-side rate limit, and a venue timeout longer than a hang. */
export function liveBinanceOptions(venue: FakeVenueServer, timeoutMs: number): string {
  return JSON.stringify({ binance: { proxyUrl: venue.proxyUrl, enableRateLimit: false, timeout: timeoutMs, options: { fetchMarkets: { types: ['spot'] } } } });
}

/**
 * The one way activities obtain a venue: 'sim' or any ccxt exchange id, configured from
 * EXCHANGE_OPTIONS. One instance per id (and configuration) per process, so ccxt's market cache,
 * its rate limiter and the simulator's path cache are shared by every activity of the worker.
 */
import { ApplicationFailure } from '@temporalio/common';
import ccxt, { type Exchange } from 'ccxt';
import { SIM_EXCHANGE, UNKNOWN_EXCHANGE } from '../../../../schemas/temporal/market.js';
import type { MarketConfig } from '../../../config/market-config.js';
import { CcxtVenue } from './ccxt-venue.js';
import { SimVenue } from './sim/sim-venue.js';
import { TickerWatch, type TickerWatchOptions } from './ticker-watch.js';
import type { Venue } from './venue.js';

const venues = new Map<string, Venue>();
const WATCH_OPTION = 'watchTickers';
/** A websocket quote older than this is not used: the cycle asks REST instead. */
const DEFAULT_WATCH_MAX_AGE_MS = 5_000;
/** A subscription nobody read for this long is closed (a stream cycle reads at least every interval). */
const WATCH_IDLE_MS = 2 * 60_000;
const watches = new Set<TickerWatch>();

/** Every id getVenue accepts. */
export function knownExchangeIds(): string[] {
  return [SIM_EXCHANGE, ...ccxt.exchanges];
}

export function unknownExchangeFailure(exchangeId: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: UNKNOWN_EXCHANGE,
    nonRetryable: true,
    message: `unknown exchange "${exchangeId}"; use "sim" (the embedded simulated venue) or a ccxt exchange id: ${ccxt.exchanges.join(', ')}`,
  });
}

export function getVenue(exchangeId: string, config: MarketConfig): Venue {
  if (exchangeId === SIM_EXCHANGE) {
    const key = `${SIM_EXCHANGE}|${config.simSeed}`;
    let sim = venues.get(key);
    if (!sim) {
      sim = new SimVenue(config.simSeed);
      venues.set(key, sim);
    }
    return sim;
  }
  if (!ccxt.exchanges.includes(exchangeId)) throw unknownExchangeFailure(exchangeId);
  const options = config.exchangeOptions[exchangeId] ?? {};
  const key = `${exchangeId}|${JSON.stringify(options)}`;
  let venue = venues.get(key);
  if (!venue) {
    const { ccxtOptions, watch } = splitExchangeOptions(options);
    const rest = (ccxt as unknown as Record<string, ExchangeClass | undefined>)[exchangeId];
    const streaming = (ccxt.pro as unknown as Record<string, ExchangeClass | undefined>)[exchangeId];
    // The websocket flavour also answers REST calls, so one instance (one market cache) serves both.
    const ExchangeClass = watch && streaming ? streaming : rest;
    if (!ExchangeClass) throw unknownExchangeFailure(exchangeId);
    // ccxt's own rate limiter stays on unless the configuration turns it off.
    const exchange = new ExchangeClass({ enableRateLimit: true, ...ccxtOptions });
    const tickerWatch = watch && streaming && exchange.has['watchTickers'] ? new TickerWatch(exchange, watch) : undefined;
    if (tickerWatch) watches.add(tickerWatch);
    venue = new CcxtVenue(exchangeId, exchange, { rateLimitBackoffMs: config.rateLimitBackoffMs }, tickerWatch);
    venues.set(key, venue);
  }
  return venue;
}

/** Closes every websocket subscription of this process: call it once the worker has stopped. */
export async function closeVenues(): Promise<void> {
  await Promise.all([...watches].map((w) => w.close()));
}

type ExchangeClass = new (options: Record<string, unknown>) => Exchange;

/**
 * EXCHANGE_OPTIONS entries are ccxt constructor options, plus one of this project's own:
 * `watchTickers` (true, or {"params": {...}, "maxAgeMs": n}) streams tickers over the exchange's
 * websocket where ccxt supports it, with REST as the fallback.
 */
export function splitExchangeOptions(options: Record<string, unknown>): {
  ccxtOptions: Record<string, unknown>;
  watch?: TickerWatchOptions;
} {
  const { [WATCH_OPTION]: raw, ...ccxtOptions } = options;
  if (raw === undefined || raw === false) return { ccxtOptions };
  const given = raw === true ? {} : (raw as { params?: unknown; maxAgeMs?: unknown });
  return {
    ccxtOptions,
    watch: {
      params: given.params && typeof given.params === 'object' ? (given.params as Record<string, unknown>) : {},
      maxAgeMs: typeof given.maxAgeMs === 'number' && given.maxAgeMs > 0 ? given.maxAgeMs : DEFAULT_WATCH_MAX_AGE_MS,
      idleMs: WATCH_IDLE_MS,
    },
  };
}

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
import type { Venue } from './venue.js';

const venues = new Map<string, Venue>();

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
    const ExchangeClass = (ccxt as unknown as Record<string, new (options: Record<string, unknown>) => Exchange>)[exchangeId];
    if (!ExchangeClass) throw unknownExchangeFailure(exchangeId);
    // ccxt's own rate limiter stays on unless the configuration turns it off.
    const exchange = new ExchangeClass({ enableRateLimit: true, ...options });
    venue = new CcxtVenue(exchangeId, exchange, { rateLimitBackoffMs: config.rateLimitBackoffMs });
    venues.set(key, venue);
  }
  return venue;
}

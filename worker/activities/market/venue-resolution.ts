/** Which venue a request means: the one it names or the worker's MARKET_EXCHANGE. */
import type { ResolvedVenue, VenueRequest } from '../../../schemas/temporal/market.js';
import type { MarketConfig } from '../../config/market-config.js';
import { getVenue } from './venues/registry.js';
import type { Venue } from './venues/venue.js';

export function resolveVenue(req: VenueRequest, config: MarketConfig): { venue: Venue; resolved: ResolvedVenue } {
  const exchange = req.exchange?.trim() || config.defaultExchange;
  const venue = getVenue(exchange, config);
  return { venue, resolved: { exchange, simulated: venue.simulated } };
}

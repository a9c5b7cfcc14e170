/**
 * A 5xx is the venue's outage whatever its body says: ccxt types Binance's -1001 body by its code
 * (OperationFailed, or ExchangeError in another table), but with the HTTP status it is unavailable
 * and retried, never a bad response or a rejection.
 */
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { venueFailure } from '../../worker/activities/market/venues/ccxt-errors.js';

const policy = { rateLimitBackoffMs: 10_000 };
const BODY = 'binance {"code":-1001,"msg":"Internal error; unable to process your request. Please try again."}';

describe('venueFailure with the HTTP status', () => {
  it.each([new ccxt.OperationFailed(BODY), new ccxt.ExchangeError(BODY), new ccxt.BadResponse(BODY)])('a 500 carrying %s is VenueUnavailable', (err) => {
    const failure = venueFailure(err, 'binance', policy, undefined, 500);
    expect(failure).toMatchObject({ type: 'VenueUnavailable', nonRetryable: false });
    expect(failure.message).toMatch(/binance is failing \(HTTP 500\).*-1001/);
  });

  it('keeps a rate limit a rate limit, and types by class below 500', () => {
    expect(venueFailure(new ccxt.DDoSProtection('418'), 'binance', policy, { 'Retry-After': '3' }, 503)).toMatchObject({ type: 'VenueRateLimited', nextRetryDelay: 3_000 });
    expect(venueFailure(new ccxt.OperationFailed(BODY), 'binance', policy, undefined, 200).type).toBe('VenueBadResponse');
    expect(venueFailure(new ccxt.ExchangeError('rejected'), 'binance', policy, undefined, 400)).toMatchObject({ type: 'VenueRejected', nonRetryable: true });
  });
});

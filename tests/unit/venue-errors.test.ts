/**
 * Venue failures become ApplicationFailures whose type and retryability tell the stream what to
 * do: ccxt's OperationFailed family is retried (rate limits after the pause the venue asked for),
 * its ExchangeError family is not; unknown symbols name the valid ones.
 */
import { ApplicationFailure } from '@temporalio/common';
import ccxt from 'ccxt';
import { describe, expect, it } from 'vitest';
import { retryAfterMs, venueFailure } from '../../worker/activities/market/venues/ccxt-errors.js';
import { suggestSymbols, unknownSymbolFailure } from '../../worker/activities/market/venues/symbol-check.js';
import { getVenue, knownExchangeIds, splitExchangeOptions } from '../../worker/activities/market/venues/registry.js';
import { marketConfigFromEnv } from '../../worker/config/market-config.js';

const policy = { rateLimitBackoffMs: 10_000 };

describe('venueFailure', () => {
  it.each([
    [new ccxt.RequestTimeout('timed out'), 'VenueUnavailable', false],
    [new ccxt.ExchangeNotAvailable('503'), 'VenueUnavailable', false],
    [new ccxt.OnMaintenance('maintenance'), 'VenueUnavailable', false],
    [new ccxt.NetworkError('ECONNRESET'), 'VenueUnavailable', false],
    [new ccxt.BadResponse('not json'), 'VenueBadResponse', false],
    [new ccxt.NullResponse('empty'), 'VenueBadResponse', false],
    [new TypeError("Cannot read properties of undefined (reading 'symbol')"), 'VenueBadResponse', false],
    [new ccxt.BadSymbol('no such market'), 'UnknownSymbol', true],
    [new ccxt.ExchangeError('rejected'), 'VenueRejected', true],
    [new ccxt.PermissionDenied('region'), 'VenueRejected', true],
  ] as const)('%s -> %s (nonRetryable %s)', (err, type, nonRetryable) => {
    const failure = venueFailure(err, 'binance', policy);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe(type);
    expect(failure.nonRetryable).toBe(nonRetryable);
    expect(failure.message).toContain('binance');
  });

  it('pauses a 429 for the Retry-After the venue sent, else for the configured backoff', () => {
    expect(venueFailure(new ccxt.RateLimitExceeded('429'), 'okx', policy, { 'Retry-After': '7' }).nextRetryDelay).toBe(7_000);
    expect(venueFailure(new ccxt.RateLimitExceeded('429'), 'okx', policy).nextRetryDelay).toBe(10_000);
  });

  it('waits four times longer after an IP ban (418) that names no Retry-After', () => {
    const failure = venueFailure(new ccxt.DDoSProtection('418'), 'binance', policy);
    expect(failure).toMatchObject({ type: 'VenueRateLimited', nonRetryable: false, nextRetryDelay: 40_000 });
    expect(failure.details).toEqual([{ retry_after_ms: 40_000 }]);
  });

  it('keeps long venue messages short', () => {
    const failure = venueFailure(new ccxt.ExchangeNotAvailable(`503 ${'<html>'.repeat(500)}`), 'binance', policy);
    expect(failure.message.length).toBeLessThan(400);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.UTC(2025, 0, 1);
    expect(retryAfterMs({ 'Retry-After': '2' }, now)).toBe(2_000);
    expect(retryAfterMs({ 'Retry-After': new Date(now + 30_000).toUTCString() }, now)).toBe(30_000);
    expect(retryAfterMs({ 'Retry-After': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});

describe('symbol suggestions', () => {
  it('suggests the same pair first, then the same base, then the same quote', () => {
    const listed = ['ADA/USDT', 'BTC/EUR', 'BTC/USDT', 'ETH/BTC', 'ETH/USDC', 'XRP/USDT'];
    expect(suggestSymbols(['BTC/USDC'], listed).slice(0, 3)).toEqual(['BTC/EUR', 'BTC/USDT', 'ETH/USDC']);
    const failure = unknownSymbolFailure('kraken', ['BTC/USDC'], listed);
    expect(failure).toMatchObject({ type: 'UnknownSymbol', nonRetryable: true });
    expect(failure.message).toMatch(/kraken does not list BTC\/USDC.*Valid symbols include: BTC\/EUR, BTC\/USDT/);
  });
});

describe('getVenue', () => {
  it('returns one instance per exchange and configuration, the sim by default', () => {
    const config = marketConfigFromEnv({});
    expect(config.defaultExchange).toBe('sim');
    const sim = getVenue('sim', config);
    expect(sim).toMatchObject({ id: 'sim', simulated: true });
    expect(getVenue('sim', config)).toBe(sim);
    const binance = getVenue('binance', config);
    expect(binance).toMatchObject({ id: 'binance', simulated: false });
    expect(getVenue('binance', config)).toBe(binance);
    expect(getVenue('binance', marketConfigFromEnv({ EXCHANGE_OPTIONS: '{"binance":{"timeout":1234}}' }))).not.toBe(binance);
    expect(knownExchangeIds()).toEqual(expect.arrayContaining(['sim', 'binance', 'okx', 'bybit']));
  });

  it('refuses an unknown exchange id, listing the valid ones', () => {
    try {
      getVenue('binanse', marketConfigFromEnv({}));
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ type: 'UnknownExchange', nonRetryable: true });
      expect((err as Error).message).toMatch(/unknown exchange "binanse".*"sim".*binance, .*okx/);
    }
  });
});

describe('splitExchangeOptions', () => {
  it('takes watchTickers out of the ccxt options and fills its defaults', () => {
    expect(splitExchangeOptions({ timeout: 2_000 })).toEqual({ ccxtOptions: { timeout: 2_000 } });
    expect(splitExchangeOptions({ timeout: 2_000, watchTickers: false })).toEqual({ ccxtOptions: { timeout: 2_000 } });
    expect(splitExchangeOptions({ watchTickers: true })).toEqual({ ccxtOptions: {}, watch: { params: {}, maxAgeMs: 5_000, idleMs: 120_000 } });
    expect(splitExchangeOptions({ watchTickers: { params: { name: 'ticker' }, maxAgeMs: 3_000 } }).watch).toEqual({
      params: { name: 'ticker' },
      maxAgeMs: 3_000,
      idleMs: 120_000,
    });
  });
});

describe('marketConfigFromEnv', () => {
  it('reads every setting with its documented default', () => {
    expect(marketConfigFromEnv({})).toEqual({
      defaultExchange: 'sim',
      exchangeOptions: {},
      simSeed: 42,
      simBackfillSec: 600,
      streamContinueEvery: 3_600,
      streamHistoryLimit: 9_000,
      streamCycleAttempts: 4,
      streamFetchTimeoutMs: 20_000,
      rateLimitBackoffMs: 30_000,
      tickRetentionCount: 3_600,
      tickRetentionSec: 3_600,
      tickStoreContinueEvery: 1_000,
      tickStoreMaxGaps: 200,
      staleAfterMs: 10_000,
    });
  });

  it.each([
    [{ EXCHANGE_OPTIONS: '{binance: 1}' }, /EXCHANGE_OPTIONS is not valid JSON/],
    [{ EXCHANGE_OPTIONS: '[]' }, /EXCHANGE_OPTIONS must be a JSON object/],
    [{ EXCHANGE_OPTIONS: '{"Binance": {}}' }, /EXCHANGE_OPTIONS key "Binance" is not a ccxt exchange id/],
    [{ EXCHANGE_OPTIONS: '{"binance": "fast"}' }, /EXCHANGE_OPTIONS.binance must be an object/],
    [{ MARKET_EXCHANGE: 'Binance US' }, /MARKET_EXCHANGE=Binance US is not a ccxt exchange id/],
    [{ EXCHANGE_OPTIONS: '{"binance": {"watchTickers": "yes"}}' }, /EXCHANGE_OPTIONS.binance.watchTickers must be true or/],
    [{ EXCHANGE_OPTIONS: '{"binance": {"watchTickers": {"maxAge": 5}}}' }, /watchTickers has unknown key\(s\) maxAge/],
    [{ EXCHANGE_OPTIONS: '{"binance": {"watchTickers": {"maxAgeMs": -1}}}' }, /watchTickers.maxAgeMs must be a positive number/],
    [{ STREAM_CONTINUE_EVERY: '0' }, /STREAM_CONTINUE_EVERY=0 is not an integer between 1 and/],
    [{ TICK_RETENTION_COUNT: '50000' }, /TICK_RETENTION_COUNT=50000 is not an integer between 1 and 10000/],
    [{ SIM_BACKFILL_SEC: '-1' }, /SIM_BACKFILL_SEC=-1 is not an integer between 0 and 7200/],
    [{ SIM_BACKFILL_SEC: '7201' }, /SIM_BACKFILL_SEC=7201 is not an integer between 0 and 7200/],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => marketConfigFromEnv(env)).toThrow(message);
  });
});

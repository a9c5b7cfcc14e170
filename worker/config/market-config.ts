/**
 * Market settings from the worker's environment, read once at start-up with errors that name the
 * variable. They reach workflows as input (a stream's settings are resolved by the activity that
 * starts it), never by a workflow reading the environment.
 */
import { EXCHANGE_ID } from '../../schemas/primitives/exchange-id.js';
import { envInteger } from './env-number.js';

export interface MarketConfig {
  /** MARKET_EXCHANGE: the venue used when a tool names none ('sim' when unset). */
  defaultExchange: string;
  /**
   * EXCHANGE_OPTIONS: ccxt id -> constructor options (proxyUrl, timeout, enableRateLimit, options, ...),
   * plus `watchTickers` to stream tickers over the exchange's websocket with REST as the fallback.
   */
  exchangeOptions: Record<string, Record<string, unknown>>;
  /** SIM_SEED: the simulated venue's prices are a pure function of (seed, symbol, second). */
  simSeed: number;
  /**
   * SIM_BACKFILL_SEC: when a stream on the simulated venue creates a symbol's tick store, it seeds
   * it with the venue's quotes for this many seconds before the first streamed tick, one per
   * second (never more than the store's retention keeps); 0 turns it off. At most two hours: the
   * quotes travel in the store's start event, which stays under Temporal's payload warning size.
   */
  simBackfillSec: number;
  /** STREAM_CONTINUE_EVERY: stream cycles before a stream run continues as new. */
  streamContinueEvery: number;
  /** STREAM_HISTORY_LIMIT: history events past which a stream or tick store continues as new. */
  streamHistoryLimit: number;
  /** STREAM_CYCLE_ATTEMPTS: fetch attempts per cycle before the cycle is recorded as a gap. */
  streamCycleAttempts: number;
  /** STREAM_FETCH_TIMEOUT_MS: upper bound of one fetch attempt (the venue's own timeout should be lower). */
  streamFetchTimeoutMs: number;
  /** STREAM_RATE_LIMIT_BACKOFF_MS: pause after a 429 that names no Retry-After; a 418 ban waits 4x. */
  rateLimitBackoffMs: number;
  /** TICK_RETENTION_COUNT: ticks a store keeps per symbol. */
  tickRetentionCount: number;
  /** TICK_RETENTION_SEC: ticks older than this (from the newest stored tick) are dropped. */
  tickRetentionSec: number;
  /** TICK_STORE_CONTINUE_EVERY: tick batches a store handles before it continues as new. */
  tickStoreContinueEvery: number;
  /** TICK_STORE_MAX_GAPS: gaps a store keeps. */
  tickStoreMaxGaps: number;
  /** MARKET_STALE_AFTER_MS: a snapshot marks a quote older than this as stale. */
  staleAfterMs: number;
}

export class MarketConfigError extends Error {}

function exchangeOptionsFromEnv(raw: string | undefined): Record<string, Record<string, unknown>> {
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    throw new MarketConfigError(
      `EXCHANGE_OPTIONS is not valid JSON (${err instanceof Error ? err.message : String(err)}); ` +
        'expected a map from ccxt id to options, e.g. {"binance": {"timeout": 2000}}',
    );
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MarketConfigError('EXCHANGE_OPTIONS must be a JSON object mapping ccxt ids to option objects');
  }
  const result: Record<string, Record<string, unknown>> = {};
  for (const [id, options] of Object.entries(parsed)) {
    if (!EXCHANGE_ID.test(id)) throw new MarketConfigError(`EXCHANGE_OPTIONS key "${id}" is not a ccxt exchange id (lowercase, e.g. "binance")`);
    if (!options || typeof options !== 'object' || Array.isArray(options)) {
      throw new MarketConfigError(`EXCHANGE_OPTIONS.${id} must be an object of ccxt constructor options`);
    }
    checkWatchOption(id, (options as Record<string, unknown>).watchTickers);
    result[id] = options as Record<string, unknown>;
  }
  return result;
}

/** The project's own `watchTickers` option: websocket tickers with REST as the fallback. */
function checkWatchOption(id: string, watch: unknown): void {
  if (watch === undefined || typeof watch === 'boolean') return;
  const shape = 'true or {"params": {...}, "maxAgeMs": <positive number>}';
  if (!watch || typeof watch !== 'object' || Array.isArray(watch)) throw new MarketConfigError(`EXCHANGE_OPTIONS.${id}.watchTickers must be ${shape}`);
  const { params, maxAgeMs, ...rest } = watch as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new MarketConfigError(`EXCHANGE_OPTIONS.${id}.watchTickers has unknown key(s) ${unknown.join(', ')}; expected ${shape}`);
  if (params !== undefined && (!params || typeof params !== 'object' || Array.isArray(params))) {
    throw new MarketConfigError(`EXCHANGE_OPTIONS.${id}.watchTickers.params must be an object of watchTickers parameters`);
  }
  if (maxAgeMs !== undefined && !(typeof maxAgeMs === 'number' && maxAgeMs > 0)) {
    throw new MarketConfigError(`EXCHANGE_OPTIONS.${id}.watchTickers.maxAgeMs must be a positive number of milliseconds`);
  }
}

export function marketConfigFromEnv(env: NodeJS.ProcessEnv = process.env): MarketConfig {
  const defaultExchange = env.MARKET_EXCHANGE?.trim() || 'sim';
  if (!EXCHANGE_ID.test(defaultExchange)) {
    throw new MarketConfigError(`MARKET_EXCHANGE=${defaultExchange} is not a ccxt exchange id (e.g. binance, okx) or "sim"`);
  }
  return {
    defaultExchange,
    exchangeOptions: exchangeOptionsFromEnv(env.EXCHANGE_OPTIONS),
    simSeed: envInteger(env, 'SIM_SEED', 42, 0, 2 ** 31 - 1),
    simBackfillSec: envInteger(env, 'SIM_BACKFILL_SEC', 600, 0, 7_200),
    streamContinueEvery: envInteger(env, 'STREAM_CONTINUE_EVERY', 3_600, 1, 1_000_000),
    streamHistoryLimit: envInteger(env, 'STREAM_HISTORY_LIMIT', 9_000, 100, 40_000),
    streamCycleAttempts: envInteger(env, 'STREAM_CYCLE_ATTEMPTS', 4, 1, 100),
    streamFetchTimeoutMs: envInteger(env, 'STREAM_FETCH_TIMEOUT_MS', 20_000, 100, 600_000),
    rateLimitBackoffMs: envInteger(env, 'STREAM_RATE_LIMIT_BACKOFF_MS', 30_000, 10, 3_600_000),
    tickRetentionCount: envInteger(env, 'TICK_RETENTION_COUNT', 3_600, 1, 10_000),
    tickRetentionSec: envInteger(env, 'TICK_RETENTION_SEC', 3_600, 1, 30 * 86_400),
    tickStoreContinueEvery: envInteger(env, 'TICK_STORE_CONTINUE_EVERY', 1_000, 1, 1_000_000),
    tickStoreMaxGaps: envInteger(env, 'TICK_STORE_MAX_GAPS', 200, 1, 5_000),
    staleAfterMs: envInteger(env, 'MARKET_STALE_AFTER_MS', 10_000, 1, 86_400_000),
  };
}

import { z } from 'zod';
import { defineContract } from './contract.js';
import { workflowRef } from './common.js';
import { EXCHANGE_ID } from './primitives/exchange-id.js';

/** Symbols and streams one call may name: a stream fetches all of them in one ticker request. */
export const MAX_STREAM_SYMBOLS = 100;
export const MAX_INTERVAL_SEC = 86_400;
export const MAX_HISTORY_LIMIT = 5_000;
export const MAX_CANDLES = 1_000;

export const marketSymbol = z
  .string()
  .regex(
    /^[A-Za-z0-9._-]{1,32}\/[A-Za-z0-9._-]{1,32}(:[A-Za-z0-9._-]{1,40})?$/,
    'use a ccxt unified symbol such as BTC/USDT (spot) or BTC/USDT:USDT (swap)',
  )
  .describe('ccxt unified symbol, e.g. "BTC/USDT"');

export const exchangeId = z
  .string()
  .regex(EXCHANGE_ID, 'use a ccxt exchange id such as binance or okx, or sim for the simulated venue')
  .describe('Venue: a ccxt exchange id (binance, okx, bybit, ...) or "sim", the embedded simulated venue');

const symbolList = z
  .array(marketSymbol)
  .min(1, 'name at least one symbol')
  .max(MAX_STREAM_SYMBOLS, `name at most ${MAX_STREAM_SYMBOLS} symbols per call`);

const intervalSec = z
  .number()
  .int('interval_sec must be a whole number of seconds')
  .min(1, 'interval_sec must be at least 1')
  .max(MAX_INTERVAL_SEC, `interval_sec must be at most ${MAX_INTERVAL_SEC}`);

const venueFields = {
  exchange: z.string().describe('The venue that answered'),
  simulated: z.boolean().describe('True for the embedded simulated venue: its prices are not a real market'),
  notice: z.string().nullable().describe('Set when prices are simulated, so nobody mistakes them for a market'),
};

const msEpoch = z.number().int().describe('Milliseconds since the Unix epoch (UTC)');

const tick = z.object({
  ts: msEpoch.describe('Venue time of the quote, ms epoch'),
  bid: z.number(),
  ask: z.number(),
  last: z.number(),
  volume: z.number().nullable().optional().describe('Base-asset volume of the trailing 24 hours'),
  change_24h_pct: z.number().nullable().optional().describe('Percent change of the last price over 24 hours'),
});

const gap = z.object({
  from_ts: msEpoch.describe('Start of the stretch without ticks: the ts of the last tick before it'),
  to_ts: msEpoch.describe('End of the stretch: the ts of the first tick after it (while the outage lasts, when the stream last gave up)'),
  cycles: z.number().int().positive().describe('Stream intervals missed in the stretch'),
  error_type: z
    .string()
    .describe('e.g. VenueUnavailable, VenueRateLimited, VenueBadResponse; TicksMissing when no cycle failed (a hang, a worker restart, a stream not running)'),
  reason: z.string(),
  stream_id: z.string(),
});

const streamResult = z.object({
  ...venueFields,
  symbols: z.array(z.string()).describe('The stream\'s symbols, sorted'),
  interval_sec: z.number().int().describe('The interval the stream runs at (a stream already running keeps its own)'),
  requested_interval_sec: z.number().int(),
  attached: z.boolean().describe('True when the stream was already running and this call attached to it'),
  store_workflow_ids: z.record(z.string(), z.string()).describe('Tick-store workflow per symbol'),
  request_workflow_id: z.string().describe('The workflow that recorded this call'),
  ...workflowRef,
});

export const subscribeCexStream = defineContract({
  name: 'subscribe_cex_stream',
  group: 'market',
  title: 'Subscribe to a venue stream',
  description:
    'Stream tickers of the given symbols from one venue every interval_sec into per-symbol tick stores (durable workflows). One stream runs per exchange and symbol set: calling again with the same set attaches to it. Fetch failures never stop the stream; they are recorded as gaps that get_historical_ticks shows. workflow_id is the stream.',
  input: z.object({
    exchange: exchangeId,
    symbols: symbolList.describe('ccxt unified symbols, e.g. ["BTC/USDT", "ETH/USDT"]'),
    interval_sec: intervalSec.describe(`Seconds between fetches, 1-${MAX_INTERVAL_SEC}`),
  }),
  output: streamResult,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
});

export const startMarketStream = defineContract({
  name: 'start_market_stream',
  group: 'market',
  title: 'Start market streams',
  description:
    'Begin streaming the selected pairs (default venue: the worker\'s MARKET_EXCHANGE, the simulated venue when unset). Starts, or attaches to, the stream for this exchange and symbol set and its per-symbol tick stores, and returns their workflow ids. stop_market_stream ends it.',
  input: z.object({
    symbols: symbolList.describe('ccxt unified symbols, e.g. ["BTC/USDT", "ETH/USDT"]'),
    interval_sec: intervalSec.default(1).describe(`Seconds between fetches, 1-${MAX_INTERVAL_SEC} (default 1)`),
    exchange: exchangeId.optional(),
  }),
  output: streamResult,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
});

export const stopMarketStream = defineContract({
  name: 'stop_market_stream',
  group: 'market',
  title: 'Stop market streams',
  description:
    'Stop streaming: either the symbols given (on the default or given exchange; every stream delivering them drops them, and a stream left with none ends) or one stream by its workflow id (stream_id, optionally with symbols to drop only those). Stored ticks stay readable. Stopping what is not streaming is not an error: it is listed in not_streaming.',
  input: z.object({
    symbols: symbolList.optional().describe('Symbols to stop'),
    stream_id: z.string().min(1).max(1_000).optional().describe('A stream workflow id from start_market_stream or subscribe_cex_stream'),
    exchange: exchangeId.optional(),
  }),
  output: z.object({
    exchange: z.string().nullable(),
    streams: z.array(
      z.object({
        workflow_id: z.string(),
        removed: z.array(z.string()).describe('Symbols this stream no longer fetches'),
        remaining: z.array(z.string()).describe('Symbols it still fetches'),
        stopped: z.boolean().describe('The stream has ended'),
      }),
    ),
    not_streaming: z.array(z.string()).describe('Requested symbols no running stream was delivering'),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
});

export const getHistoricalTicks = defineContract({
  name: 'get_historical_ticks',
  group: 'market',
  title: 'Historical ticks',
  description:
    'Ticks from the tick stores, oldest first, each {ts, bid, ask, last, volume}. With since_ts: the first `limit` ticks at or after it (has_more: ask again with since_ts = last ts + 1); without: the newest `limit`. Gaps list stretches without ticks (a failing, rate-limited or hung venue, a worker restart, no stream running), each from the ts of the last tick before it to that of the first tick after, with the stream intervals it missed. Retention is bounded by count and age. One call returns at most 5,000 ticks across its symbols.',
  input: z.object({
    symbol: marketSymbol.optional().describe('One symbol (or use symbols)'),
    symbols: symbolList.optional().describe('Several symbols (or use symbol)'),
    since_ts: z.number().int().nonnegative().optional().describe('Only ticks with ts >= since_ts, ms epoch'),
    limit: z.number().int().min(1).max(MAX_HISTORY_LIMIT).default(100).describe(`Ticks per symbol, 1-${MAX_HISTORY_LIMIT} (default 100)`),
    exchange: exchangeId.optional(),
  }),
  output: z.object({
    ...venueFields,
    series: z.array(
      z.object({
        symbol: z.string(),
        ticks: z.array(tick),
        gaps: z.array(gap),
        has_more: z.boolean().describe('More ticks follow the returned ones'),
        retained: z.number().int().nonnegative().describe('Ticks the store holds'),
        oldest_ts: z.number().int().nullable(),
        newest_ts: z.number().int().nullable(),
        workflow_id: z.string().describe('The tick-store workflow'),
      }),
    ),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

export const getMarketSnapshot = defineContract({
  name: 'get_market_snapshot',
  group: 'market',
  title: 'Market snapshot',
  description:
    'Latest last, bid, ask, spread_bps and change_24h_pct per symbol, with age_ms and stale (older than the worker\'s MARKET_STALE_AFTER_MS). A streamed symbol answers from its tick store (source "stream"); any other is fetched from the venue now (source "venue").',
  input: z.object({
    symbols: symbolList.describe('ccxt unified symbols'),
    exchange: exchangeId.optional(),
  }),
  output: z.object({
    ...venueFields,
    taken_at: msEpoch,
    stale_after_ms: z.number().int(),
    quotes: z.array(
      z.object({
        symbol: z.string(),
        last: z.number(),
        bid: z.number(),
        ask: z.number(),
        spread_bps: z.number().describe('(ask - bid) / mid in basis points'),
        change_24h_pct: z.number().nullable(),
        volume_24h: z.number().nullable(),
        ts: msEpoch.describe('Venue time of the quote'),
        age_ms: z.number().int().nonnegative(),
        stale: z.boolean(),
        source: z.enum(['stream', 'venue']),
        store_workflow_id: z.string().nullable(),
      }),
    ),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
});

export const getOhlcv = defineContract({
  name: 'get_ohlcv',
  group: 'market',
  title: 'Candles',
  description: 'OHLCV candles from the venue, oldest first; the newest may still be forming.',
  input: z.object({
    symbol: marketSymbol,
    timeframe: z
      .string()
      .regex(/^[1-9][0-9]{0,2}[smhdwMy]$/, 'use a ccxt timeframe such as 1m, 5m, 1h, 4h or 1d')
      .default('1m')
      .describe('ccxt timeframe, e.g. 1m, 5m, 1h, 1d (default 1m)'),
    limit: z.number().int().min(1).max(MAX_CANDLES).default(100).describe(`Candles, 1-${MAX_CANDLES} (default 100)`),
    exchange: exchangeId.optional(),
  }),
  output: z.object({
    ...venueFields,
    symbol: z.string(),
    timeframe: z.string(),
    candles: z.array(
      z.object({ ts: msEpoch.describe('Candle open time'), open: z.number(), high: z.number(), low: z.number(), close: z.number(), volume: z.number() }),
    ),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
});

/** The market server's tool contracts. */
export const marketContracts = [
  subscribeCexStream,
  startMarketStream,
  stopMarketStream,
  getHistoricalTicks,
  getMarketSnapshot,
  getOhlcv,
] as const;

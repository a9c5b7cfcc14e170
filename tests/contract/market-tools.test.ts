/**
 * The six market tools through the spawned market server (mcp.json), with a real worker behind it
 * streaming from the simulated venue and from recorded Binance answers on 127.0.0.1: results
 * match the output contracts, simulated prices are labelled, and every bad input gets a clear
 * isError that says what is valid.
 */
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { getHistoricalTicks, getMarketSnapshot, getOhlcv, startMarketStream, stopMarketStream, subscribeCexStream } from '../../schemas/market.js';
import { tickStoreWorkflowId } from '../../schemas/temporal/market.js';
import { eventually } from '../helpers/eventually.js';
import { FakeVenueServer, fixture } from '../helpers/fake-venue-server.js';
import { MarketDriver } from '../helpers/market-driver.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { binanceRecordings, exchangeOptionsFor } from '../helpers/recorded-venues.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { toolCaller } from '../helpers/tool-calls.js';

/** Symbols no other test file streams. */
const STREAMED = 'SIM16/USDT';
const NEVER_STREAMED = 'SIM19/USDT';

let venue: FakeVenueServer;
let worker: RunningWorker;
let server: ConnectedServer;
let temporal: Awaited<ReturnType<typeof testClient>>;
let market: MarketDriver;

beforeAll(async () => {
  venue = await FakeVenueServer.start(binanceRecordings());
  const taskQueue = uniqueTaskQueue('market-tools');
  worker = await startTestWorker(taskQueue, { EXCHANGE_OPTIONS: exchangeOptionsFor(venue), SIM_SEED: '5' });
  temporal = await testClient();
  market = new MarketDriver(temporal.client, taskQueue);
  server = await connectServer('market', { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue });
});

afterEach(() => {
  venue.assertOnlyRecordedRequests();
});

afterAll(async () => {
  await server?.close();
  await market?.terminate([tickStoreWorkflowId('sim', STREAMED)]);
  await worker?.stop();
  await temporal?.close();
  await venue?.close();
});

const { succeed, fail } = toolCaller(() => server.client);

describe('market tools on the simulated venue', () => {
  it('start, attach, read history and snapshot, then stop: every result labelled simulated and traceable', async () => {
    const started = await succeed('start_market_stream', { symbols: [STREAMED] }, startMarketStream.output);
    expect(started).toMatchObject({ exchange: 'sim', simulated: true, symbols: [STREAMED], interval_sec: 1, attached: false });
    expect(started.notice).toMatch(/^Simulated prices/);
    expect(started.store_workflow_ids).toEqual({ [STREAMED]: tickStoreWorkflowId('sim', STREAMED) });
    const stream = await temporal.client.workflow.getHandle(started.workflow_id, started.run_id).describe();
    expect(stream.status.name).toBe('RUNNING');
    const request = await temporal.client.workflow.getHandle(started.request_workflow_id).describe();
    expect(request.status.name).toBe('COMPLETED');

    const attached = await succeed('subscribe_cex_stream', { exchange: 'sim', symbols: [STREAMED], interval_sec: 3 }, subscribeCexStream.output);
    expect(attached).toMatchObject({ attached: true, workflow_id: started.workflow_id, interval_sec: 1, requested_interval_sec: 3 });

    const history = await eventually(async () => {
      const h = await succeed('get_historical_ticks', { symbol: STREAMED, limit: 50 }, getHistoricalTicks.output);
      expect(h.series[0]!.ticks.length).toBeGreaterThanOrEqual(3);
      return h;
    });
    expect(history).toMatchObject({ exchange: 'sim', simulated: true, notice: expect.stringMatching(/^Simulated/) });
    expect(history.series[0]).toMatchObject({ symbol: STREAMED, workflow_id: tickStoreWorkflowId('sim', STREAMED), gaps: [] });
    const [first, second] = history.series[0]!.ticks;
    const page = await succeed('get_historical_ticks', { symbols: [STREAMED], since_ts: second!.ts, limit: 1 }, getHistoricalTicks.output);
    expect(page.series[0]!.ticks).toEqual([second]);
    expect(page.series[0]!.has_more).toBe(true);
    expect(first!.ts).toBeLessThan(second!.ts);

    const snapshot = await succeed('get_market_snapshot', { symbols: [STREAMED, NEVER_STREAMED] }, getMarketSnapshot.output);
    expect(snapshot).toMatchObject({ exchange: 'sim', simulated: true });
    const [streamed, fetched] = snapshot.quotes;
    expect(streamed).toMatchObject({ symbol: STREAMED, source: 'stream', store_workflow_id: tickStoreWorkflowId('sim', STREAMED) });
    expect(fetched).toMatchObject({ symbol: NEVER_STREAMED, source: 'venue', store_workflow_id: null });
    for (const q of snapshot.quotes) {
      expect(q.ask).toBeGreaterThan(q.bid);
      expect(q.spread_bps).toBeCloseTo(((q.ask - q.bid) / ((q.ask + q.bid) / 2)) * 10_000, 2);
      expect(q.stale).toBe(q.age_ms > snapshot.stale_after_ms);
    }

    const stopped = await succeed('stop_market_stream', { symbols: [STREAMED] }, stopMarketStream.output);
    expect(stopped.streams).toEqual([{ workflow_id: started.workflow_id, removed: [STREAMED], remaining: [], stopped: true }]);
    await temporal.client.workflow.getHandle(started.workflow_id).result();
    const again = await succeed('stop_market_stream', { symbols: [STREAMED] }, stopMarketStream.output);
    expect(again).toMatchObject({ streams: [], not_streaming: [STREAMED] });
    // The history outlives the stream.
    const kept = await succeed('get_historical_ticks', { symbol: STREAMED }, getHistoricalTicks.output);
    expect(kept.series[0]!.ticks.length).toBeGreaterThanOrEqual(3);
  });

  it('get_ohlcv returns simulated candles oldest first', async () => {
    const result = await succeed('get_ohlcv', { symbol: 'BTC/USDT', timeframe: '5m', limit: 4 }, getOhlcv.output);
    expect(result).toMatchObject({ exchange: 'sim', simulated: true, symbol: 'BTC/USDT', timeframe: '5m' });
    expect(result.candles).toHaveLength(4);
    const ts = result.candles.map((c) => c.ts);
    expect(ts.slice(1).map((t, i) => t - ts[i]!)).toEqual([300_000, 300_000, 300_000]);
  });
});

describe('market tools on a recorded venue', () => {
  it('get_ohlcv returns the recorded Binance klines exactly', async () => {
    const result = await succeed('get_ohlcv', { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', limit: 3 }, getOhlcv.output);
    const klines = fixture('binance', 'klines-BTCUSDT-1m-3.json') as Array<Array<string | number>>;
    expect(result).toMatchObject({ exchange: 'binance', simulated: false, notice: null });
    expect(result.candles).toEqual(
      klines.map((k) => ({ ts: k[0], open: Number(k[1]), high: Number(k[2]), low: Number(k[3]), close: Number(k[4]), volume: Number(k[5]) })),
    );
  });
});

describe('bad input', () => {
  it.each([
    ['subscribe_cex_stream', { exchange: 'nosuchex', symbols: ['BTC/USDT'], interval_sec: 1 }, /^UNKNOWN_EXCHANGE: unknown exchange "nosuchex"; use "sim".*binance/],
    ['start_market_stream', { exchange: 'binance', symbols: ['DOGE/USDT'] }, /^UNKNOWN_SYMBOL: binance does not list DOGE\/USDT.*Valid symbols include: .*BTC\/USDT/],
    ['start_market_stream', { symbols: ['BTC/USDC'] }, /^UNKNOWN_SYMBOL: sim does not list BTC\/USDC.*Valid symbols include: BTC\/USDT/],
    ['start_market_stream', { symbols: ['BTC/USDT'], interval_sec: 0 }, /^INVALID_INPUT: interval_sec: interval_sec must be at least 1/],
    ['start_market_stream', { symbols: ['BTC/USDT'], interval_sec: 1.5 }, /^INVALID_INPUT: interval_sec: interval_sec must be a whole number/],
    ['start_market_stream', { symbols: [] }, /^INVALID_INPUT: symbols: name at least one symbol/],
    ['subscribe_cex_stream', { exchange: 'sim', symbols: ['btcusdt'], interval_sec: 1 }, /^INVALID_INPUT: symbols.0: use a ccxt unified symbol/],
    ['subscribe_cex_stream', { symbols: ['BTC/USDT'], interval_sec: 1 }, /^INVALID_INPUT: exchange: /],
    ['stop_market_stream', {}, /^INVALID_INPUT: name the symbols to stop or a stream_id/],
    ['stop_market_stream', { stream_id: 'market-stream:sim:NOPE/USDT' }, /^STREAM_NOT_FOUND: no stream market-stream:sim:NOPE\/USDT exists/],
    ['stop_market_stream', { stream_id: 'tick-store:sim:BTC/USDT' }, /^STREAM_NOT_FOUND: tick-store:sim:BTC\/USDT is not a market stream id/],
    ['get_historical_ticks', {}, /^INVALID_INPUT: name a symbol or symbols/],
    ['get_historical_ticks', { symbol: NEVER_STREAMED }, /^NO_TICK_STORE: no ticks are stored for SIM19\/USDT on sim; start streaming with start_market_stream/],
    ['get_historical_ticks', { symbol: 'NOPE/USDT' }, /^UNKNOWN_SYMBOL: sim does not list NOPE\/USDT/],
    ['get_historical_ticks', { symbol: 'BTC/USDT', limit: 0 }, /^INVALID_INPUT: limit: /],
    ['get_market_snapshot', { symbols: ['BTC/USDT'], exchange: 'Binance' }, /^INVALID_INPUT: exchange: use a ccxt exchange id/],
    ['get_ohlcv', { symbol: 'BTC/USDT', timeframe: '2m' }, /^UNSUPPORTED_TIMEFRAME: the simulated venue has no 2m candles; valid timeframes: 1m, 3m, 5m/],
    ['get_ohlcv', { symbol: 'BTC/USDT', timeframe: 'hourly' }, /^INVALID_INPUT: timeframe: use a ccxt timeframe/],
    ['get_ohlcv', { exchange: 'binance', symbol: 'BTC/USDT', timeframe: '7m' }, /^UNSUPPORTED_TIMEFRAME: binance has no 7m candles; valid timeframes: .*1m/],
  ] as const)('%s %j is refused clearly', async (tool, args, expected) => {
    const message = await fail(tool, args);
    expect(message).toMatch(expected);
    expect(message).toMatch(/Retrying (can|the same call will not) help\.$/);
  });

  it('says that retrying will not help for a refused request', async () => {
    expect(await fail('start_market_stream', { symbols: ['BTC/USDC'] })).toMatch(/Retrying the same call will not help\.$/);
  });
});

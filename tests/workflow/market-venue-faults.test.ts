/**
 * Fault injection on recorded venues: timeouts, 429, 418, 5xx and garbage bodies never fail a
 * stream, never lose, duplicate or reorder a tick, and always leave a gap that readers can see.
 * Each stream here uses symbols no other test file streams, so its stores are its own.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VENUE_NO_QUOTE, VENUE_RATE_LIMITED, VENUE_UNAVAILABLE } from '../../schemas/temporal/market.js';
import { eventually } from '../helpers/eventually.js';
import { FakeVenueServer, fixture } from '../helpers/fake-venue-server.js';
import { MarketDriver } from '../helpers/market-driver.js';
import {
  BINANCE,
  BINANCE_FAULT_FILES,
  OKX,
  TICKER_RECORDINGS,
  binanceExpected,
  binanceRecordings,
  exchangeOptionsFor,
  okxExpected,
  okxRecordings,
} from '../helpers/recorded-venues.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

let venue: FakeVenueServer;
let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let market: MarketDriver;

beforeAll(async () => {
  venue = await FakeVenueServer.start([...binanceRecordings(), ...okxRecordings()], { holdMs: 3_000 });
  const taskQueue = uniqueTaskQueue('market-faults');
  worker = await startTestWorker(taskQueue, {
    EXCHANGE_OPTIONS: exchangeOptionsFor(venue),
    // Two attempts per cycle: one fault is retried away, two in a row make a gap.
    STREAM_CYCLE_ATTEMPTS: '2',
    MARKET_STALE_AFTER_MS: '60000',
  });
  temporal = await testClient();
  market = new MarketDriver(temporal.client, taskQueue);
});

afterEach(() => {
  venue.assertOnlyRecordedRequests();
});

afterAll(async () => {
  await market?.terminate();
  await worker?.stop();
  await temporal?.close();
  await venue?.close();
});

const strip = (t: { ts: number; bid: number; ask: number; last: number; volume?: number | null }) => ({
  ts: t.ts,
  bid: t.bid,
  ask: t.ask,
  last: t.last,
  volume: t.volume,
});

describe('a stream meeting a failing venue', () => {
  it('rides out 429, 500, garbage and a timeout: every recorded tick once, in order, and the failed stretch as one gap', async () => {
    const symbols = ['ETH/BTC', 'SOL/USDT'];
    venue.inject(BINANCE.faultTickers, 'http429', 'http500', 'garbage', 'timeout');
    const opened = await market.openStream(symbols, 1, 'binance');
    await eventually(() => expect(venue.answered(BINANCE.faultTickers)).toBeGreaterThan(TICKER_RECORDINGS), 45_000);

    const read = await market.historicalTicks({ exchange: 'binance', symbols });
    for (const [symbol, id] of [['ETH/BTC', 'ETHBTC'], ['SOL/USDT', 'SOLUSDT']] as const) {
      const series = read.series.find((s) => s.symbol === symbol)!;
      expect(series.ticks.map(strip)).toEqual(binanceExpected(id, BINANCE_FAULT_FILES));
      // Two failed cycles in a row (429 then 500; garbage then a timeout) merge into one gap.
      expect(series.gaps).toHaveLength(1);
      expect(series.gaps[0]).toMatchObject({ error_type: VENUE_UNAVAILABLE, stream_id: opened.stream_workflow_id });
      // Each failed cycle and its retry cost at least one slot of the 1 s grid.
      expect(series.gaps[0]!.cycles).toBeGreaterThanOrEqual(2);
      expect(series.gaps[0]!.reason).toMatch(/timed out|RequestTimeout|unreachable/i);
    }

    // A later outage while the venue's price stands still: a second gap after the last tick.
    venue.inject(BINANCE.faultTickers, 'http500', 'http503', 'http503', 'http500');
    await eventually(async () => {
      expect(venue.pendingFaults(BINANCE.faultTickers)).toBe(0);
      const status = await market.streamStatus(opened.stream_workflow_id);
      expect(status.stats.failed_cycles).toBe(4);
      expect(status.stats.last_success_at).toBeGreaterThan(status.stats.started_at);
    }, 45_000);
    const later = await market.historicalTicks({ exchange: 'binance', symbols: ['SOL/USDT'] });
    expect(later.series[0]!.ticks.map(strip)).toEqual(binanceExpected('SOLUSDT', BINANCE_FAULT_FILES));
    expect(later.series[0]!.gaps).toHaveLength(2);
    for (const g of later.series[0]!.gaps) expect(g.cycles).toBeGreaterThanOrEqual(2);

    // The snapshot shows the quote's real age: the recorded price is old, so it is stale.
    const snapshot = await market.snapshot({ exchange: 'binance', symbols: ['SOL/USDT'] });
    expect(snapshot.quotes[0]).toMatchObject({ source: 'stream', ts: binanceExpected('SOLUSDT', BINANCE_FAULT_FILES)[2]!.ts, stale: true });
    expect(snapshot.quotes[0]!.age_ms).toBeGreaterThan(60_000);

    // One good answer closes the outage's gap; then the venue answers but leaves ETH/BTC out:
    // a gap for that symbol alone.
    const answeredAfterOutage = venue.answered(BINANCE.faultTickers);
    await eventually(() => expect(venue.answered(BINANCE.faultTickers)).toBeGreaterThan(answeredAfterOutage), 30_000);
    const lastRecording = fixture('binance', BINANCE_FAULT_FILES(TICKER_RECORDINGS)) as Array<{ symbol: string }>;
    venue.record({ url: BINANCE.faultTickers, responses: [{ body: lastRecording.filter((row) => row.symbol === 'SOLUSDT') }] });
    await eventually(async () => {
      const partial = await market.historicalTicks({ exchange: 'binance', symbols });
      const gapsOf = (symbol: string) => partial.series.find((s) => s.symbol === symbol)!.gaps.map((g) => g.error_type);
      expect(gapsOf('ETH/BTC')).toEqual([VENUE_UNAVAILABLE, VENUE_UNAVAILABLE, VENUE_NO_QUOTE]);
      expect(gapsOf('SOL/USDT')).toEqual([VENUE_UNAVAILABLE, VENUE_UNAVAILABLE]);
    }, 30_000);

    const description = await temporal.client.workflow.getHandle(opened.stream_workflow_id).describe();
    expect(description.status.name).toBe('RUNNING');
  });

  it('backs off a rate-limited venue (418, 429) and keeps every tick of another venue format', async () => {
    venue.inject(OKX.tickers, 'http503', 'garbage', 'http418', 'http429');
    const opened = await market.openStream(['ETH/USDT'], 1, 'okx');
    await eventually(() => expect(venue.answered(OKX.tickers)).toBeGreaterThan(TICKER_RECORDINGS), 45_000);
    const read = await market.historicalTicks({ exchange: 'okx', symbols: ['ETH/USDT'] });
    const series = read.series[0]!;
    expect(series.ticks.map(strip)).toEqual(okxExpected('ETH-USDT'));
    expect(series.gaps).toHaveLength(1);
    expect(series.gaps[0]).toMatchObject({ error_type: VENUE_RATE_LIMITED });
    expect(series.gaps[0]!.cycles).toBeGreaterThanOrEqual(2);
    const status = await market.streamStatus(opened.stream_workflow_id);
    expect(status.stats).toMatchObject({ failed_cycles: 2, gaps_recorded: 2 });
    expect(status.stats.last_error).toMatch(/^VenueRateLimited: okx is rate limiting/);
  });
});

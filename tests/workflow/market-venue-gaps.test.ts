/**
 * Every venue outage longer than one interval is one gap with its true start, end and cycle count,
 * on a real Temporal dev server and worker against a live-clock Binance venue on 127.0.0.1: a hang
 * that fails nothing, a 429 followed by a 418 ban, and 5xx answers carrying Binance's -1001 body.
 * The gap starts at the ts of the last tick before the outage, ends at the ts of the first tick
 * after it, and counts the interval slots between them that went without a tick.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TICKS_MISSING, VENUE_RATE_LIMITED, VENUE_UNAVAILABLE, type MarketTick, type TickGap } from '../../schemas/temporal/market.js';
import { eventually } from '../helpers/eventually.js';
import type { FakeVenueServer, VenueFault } from '../helpers/fake-venue-server.js';
import { liveBinanceOptions, liveBinanceVenue, liveTickerUrl } from '../helpers/live-binance-venue.js';
import { MarketDriver } from '../helpers/market-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

const INTERVAL_SEC = 2;
const INTERVAL_MS = INTERVAL_SEC * 1000;
/** A hang holds the request this long, then answers: longer than three intervals, shorter than any timeout. */
const HANG_MS = 7_000;

let venue: FakeVenueServer;
let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let market: MarketDriver;

beforeAll(async () => {
  venue = await liveBinanceVenue(['ADA', 'XRP', 'DOT'], HANG_MS);
  const taskQueue = uniqueTaskQueue('market-gaps');
  worker = await startTestWorker(taskQueue, {
    EXCHANGE_OPTIONS: liveBinanceOptions(venue, 12_000),
    STREAM_FETCH_TIMEOUT_MS: '15000',
    // Two attempts per cycle: a pair of faults fails a cycle.
    STREAM_CYCLE_ATTEMPTS: '2',
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

interface Outage {
  gap: TickGap;
  before: MarketTick;
  after: MarketTick;
  gapsSinceFault: TickGap[];
}

/**
 * Streams `base`/USDT until it has ticks, injects the faults, and waits until ticks have resumed
 * and the outage's gap is closed; returns that gap with the ticks around it.
 */
async function outageOf(base: string, faults: VenueFault[]): Promise<Outage> {
  const symbol = `${base}/USDT`;
  const opened = await market.openStream([symbol], INTERVAL_SEC, 'binance');
  const read = async () => (await market.historicalTicks({ exchange: 'binance', symbols: [symbol], limit: 200 })).series[0]!;
  const warm = await eventually(async () => {
    const series = await read();
    expect(series.ticks.length).toBeGreaterThanOrEqual(2);
    return series;
  }, 60_000);
  const lastBeforeFault = warm.ticks[warm.ticks.length - 1]!.ts;
  venue.inject(liveTickerUrl(base), ...faults);
  const outage = await eventually(async () => {
    expect(venue.pendingFaults(liveTickerUrl(base))).toBe(0);
    const series = await read();
    const gapsSinceFault = series.gaps.filter((g) => g.to_ts > lastBeforeFault);
    expect(gapsSinceFault.length).toBeGreaterThanOrEqual(1);
    const gap = gapsSinceFault[0]!;
    const at = series.ticks.findIndex((t) => t.ts === gap.from_ts);
    expect(at).toBeGreaterThanOrEqual(0);
    // Closed by ticks resuming, and two more cycles after it so nothing is still in flight.
    expect(series.ticks.length).toBeGreaterThan(at + 3);
    return { gap, before: series.ticks[at]!, after: series.ticks[at + 1]!, gapsSinceFault };
  }, 90_000, 500);
  await market.stopStreams({ stream_id: opened.stream_workflow_id });
  return outage;
}

function expectTrueSpan({ gap, before, after, gapsSinceFault }: Outage, minCycles: number): void {
  expect(gapsSinceFault).toHaveLength(1);
  expect(gap.from_ts).toBe(before.ts);
  expect(gap.to_ts).toBe(after.ts);
  expect(gap.cycles).toBe(Math.round((after.ts - before.ts) / INTERVAL_MS) - 1);
  expect(gap.cycles).toBeGreaterThanOrEqual(minCycles);
}

describe('venue outages as gaps', () => {
  it('a hang with no error is one gap from the tick before to the tick after', { timeout: 180_000 }, async () => {
    const outage = await outageOf('ADA', ['hang']);
    // The held request answered after HANG_MS: at least that long without a tick.
    expect(outage.after.ts - outage.before.ts).toBeGreaterThanOrEqual(HANG_MS);
    expectTrueSpan(outage, Math.floor(HANG_MS / INTERVAL_MS) - 1);
    expect(outage.gap.error_type).toBe(TICKS_MISSING);
  });

  it('429 then 418, twice: one rate-limit gap with the true start, end and cycles', { timeout: 180_000 }, async () => {
    const outage = await outageOf('XRP', ['http429', 'http418', 'http429', 'http418']);
    expectTrueSpan(outage, 2);
    expect(outage.gap).toMatchObject({ error_type: VENUE_RATE_LIMITED });
    expect(outage.gap.reason).toMatch(/binance is rate limiting/);
  });

  it("5xx answers with Binance's -1001 body: one VenueUnavailable gap, not a bad response", { timeout: 180_000 }, async () => {
    const outage = await outageOf('DOT', ['http500venue', 'http500venue']);
    expectTrueSpan(outage, 1);
    expect(outage.gap.error_type).toBe(VENUE_UNAVAILABLE);
    expect(outage.gap.reason).toMatch(/HTTP 500.*-1001/);
  });
});

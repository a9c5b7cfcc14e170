/**
 * A new tick store on the simulated venue starts seeded with the venue's own quotes for the
 * SIM_BACKFILL_SEC seconds before its first streamed tick, on a real Temporal dev server: exactly
 * the simulator's prices, one per second, strictly older than the first streamed tick, once per
 * store (a second stream or a restarted worker seeds nothing more), none at SIM_BACKFILL_SEC=0,
 * and never more than the store's retention count keeps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MarketTick, TickStoreStatus } from '../../schemas/temporal/market.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import { marketConfigFromEnv } from '../../worker/config/market-config.js';
import { eventually } from '../helpers/eventually.js';
import { MarketDriver } from '../helpers/market-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

const SEED = 4321;
const ENV = { SIM_SEED: String(SEED) };
/** The default setting: the main worker runs without SIM_BACKFILL_SEC in its environment. */
const BACKFILL_SEC = marketConfigFromEnv({}).simBackfillSec;
const SMALL_RETENTION = 50;
const reference = new SimVenue(SEED);

let temporal: Awaited<ReturnType<typeof testClient>>;
let mainQueue: string;
let mainWorker: RunningWorker;
const otherWorkers: RunningWorker[] = [];
let main: MarketDriver;
let other: MarketDriver;
let off: MarketDriver;
let small: MarketDriver;

beforeAll(async () => {
  temporal = await testClient();
  mainQueue = uniqueTaskQueue('market-backfill');
  mainWorker = await startTestWorker(mainQueue, ENV);
  main = new MarketDriver(temporal.client, mainQueue);
  const otherQueue = uniqueTaskQueue('market-backfill-other');
  otherWorkers.push(await startTestWorker(otherQueue, ENV));
  other = new MarketDriver(temporal.client, otherQueue);
  const offQueue = uniqueTaskQueue('market-backfill-off');
  otherWorkers.push(await startTestWorker(offQueue, { ...ENV, SIM_BACKFILL_SEC: '0' }));
  off = new MarketDriver(temporal.client, offQueue);
  const smallQueue = uniqueTaskQueue('market-backfill-small');
  otherWorkers.push(await startTestWorker(smallQueue, { ...ENV, TICK_RETENTION_COUNT: String(SMALL_RETENTION) }));
  small = new MarketDriver(temporal.client, smallQueue);
});

afterAll(async () => {
  for (const driver of [main, other, off, small]) await driver?.terminate();
  await mainWorker?.stop();
  for (const w of otherWorkers) await w.stop();
  await temporal?.close();
});

async function storedTicks(driver: MarketDriver, symbol: string): Promise<MarketTick[]> {
  const page = await driver.ticksSince('sim', symbol, { since_ts: 0 });
  expect(page.has_more).toBe(false);
  return page.ticks;
}

/** A store that has taken at least `streamed` ticks from its streams, beside what it was seeded with. */
function streamedAtLeast(driver: MarketDriver, symbol: string, streamed: number): Promise<TickStoreStatus> {
  return eventually(async () => {
    const status = await driver.storeStatus('sim', symbol);
    expect(status.stats.accepted - status.stats.backfilled).toBeGreaterThanOrEqual(streamed);
    return status;
  });
}

function expectStrictlyIncreasing(ticks: MarketTick[]): void {
  for (let i = 1; i < ticks.length; i += 1) expect(ticks[i]!.ts).toBeGreaterThan(ticks[i - 1]!.ts);
}

/**
 * The retained seeded ticks: one per second up to the second before the first streamed tick, each
 * the simulator's quote at that second, as is every streamed tick.
 */
function expectSeeded(symbol: string, ticks: MarketTick[], status: TickStoreStatus): MarketTick[] {
  expectStrictlyIncreasing(ticks);
  const through = status.stats.backfilled_through_ts;
  expect(through).not.toBeNull();
  const seeded = ticks.filter((t) => t.ts <= through!);
  const firstStreamed = ticks[seeded.length];
  expect(firstStreamed).toBeDefined();
  expect(through).toBe(firstStreamed!.ts - 1_000);
  expect(seeded.map((t) => t.ts)).toEqual(seeded.map((_, i) => through! - (seeded.length - 1 - i) * 1_000));
  for (const tick of ticks) expect(tick).toEqual(reference.tickAt(symbol, tick.ts));
  return seeded;
}

describe('backfill of new tick stores on the simulated venue', () => {
  it('seeds a new store with the venue quotes of the SIM_BACKFILL_SEC seconds before its first streamed tick', async () => {
    expect(BACKFILL_SEC).toBe(600);
    const symbol = 'SIM31/USDT';
    await main.openStream([symbol], 1);
    const status = await streamedAtLeast(main, symbol, 2);
    // A cycle that lands in the same venue second as the one before re-reads that quote; the store
    // ignores it as stale (never stored twice), so only the backfill and eviction counts are exact.
    expect(status.stats).toMatchObject({ backfilled: BACKFILL_SEC, evicted: 0, ignored_invalid: 0, runs: 1 });
    const ticks = await storedTicks(main, symbol);
    expect(ticks.length).toBeGreaterThanOrEqual(BACKFILL_SEC + 2);
    const seeded = expectSeeded(symbol, ticks, status);
    expect(seeded).toHaveLength(BACKFILL_SEC);
    expect(seeded[0]).toEqual(ticks[0]);
  });

  it('seeds a store only when a stream creates it: a second stream and a restarted worker add nothing', async () => {
    const symbol = 'SIM32/USDT';
    const fresh = 'SIM33/USDT';
    const first = await main.openStream([symbol], 1);
    const seededStatus = await streamedAtLeast(main, symbol, 1);
    const seeded = expectSeeded(symbol, await storedTicks(main, symbol), seededStatus);
    expect(seeded).toHaveLength(BACKFILL_SEC);

    // Another worker (its own record of the stores it fed) streams the same symbol beside a new one.
    const second = await other.openStream([symbol, fresh], 1);
    expect(second.stream_workflow_id).not.toBe(first.stream_workflow_id);
    await eventually(async () => expect(Object.keys((await main.storeStatus('sim', symbol)).feeders)).toContain(second.stream_workflow_id));
    const freshStatus = await streamedAtLeast(other, fresh, 1);
    expect(expectSeeded(fresh, await storedTicks(other, fresh), freshStatus)).toHaveLength(BACKFILL_SEC);

    const afterSecond = await streamedAtLeast(main, symbol, seededStatus.stats.accepted - BACKFILL_SEC + 2);
    expect(afterSecond.stats).toMatchObject({ backfilled: BACKFILL_SEC, backfilled_through_ts: seededStatus.stats.backfilled_through_ts, runs: 1 });
    expect(expectSeeded(symbol, await storedTicks(main, symbol), afterSecond)).toEqual(seeded);

    // A restarted worker has no record of the stores it fed: its first batch for the store offers a
    // backfill again, which the running store never sees.
    await mainWorker.stop();
    const restartedAt = Date.now();
    mainWorker = await startTestWorker(mainQueue, ENV);
    const afterRestart = await eventually(async () => {
      const status = await main.storeStatus('sim', symbol);
      expect(status.feeders[first.stream_workflow_id]).toBeGreaterThan(restartedAt);
      return status;
    });
    expect(afterRestart.stats).toMatchObject({ backfilled: BACKFILL_SEC, backfilled_through_ts: seededStatus.stats.backfilled_through_ts, runs: 1 });
    const ticks = await storedTicks(main, symbol);
    expect(new Set(ticks.map((t) => t.ts)).size).toBe(ticks.length);
    expect(expectSeeded(symbol, ticks, afterRestart)).toEqual(seeded);
    expect(afterRestart.retained).toBe(ticks.length);
    expect(afterRestart.stats.accepted - afterRestart.stats.evicted).toBe(ticks.length);
  });

  it('seeds nothing with SIM_BACKFILL_SEC=0', async () => {
    const symbol = 'SIM34/USDT';
    const openedAt = Date.now();
    await off.openStream([symbol], 1);
    const status = await eventually(async () => {
      const s = await off.storeStatus('sim', symbol);
      expect(s.stats.accepted).toBeGreaterThanOrEqual(2);
      return s;
    });
    expect(status.stats).toMatchObject({ backfilled: 0, backfilled_through_ts: null });
    const ticks = await storedTicks(off, symbol);
    expectStrictlyIncreasing(ticks);
    expect(ticks[0]!.ts).toBeGreaterThanOrEqual(Math.floor(openedAt / 1_000) * 1_000);
    for (const tick of ticks) expect(tick).toEqual(reference.tickAt(symbol, tick.ts));
  });

  it('seeds no more than the retention count keeps beside the first streamed tick', async () => {
    const symbol = 'SIM35/USDT';
    await small.openStream([symbol], 1);
    const status = await streamedAtLeast(small, symbol, 1);
    expect(status.stats.backfilled).toBe(SMALL_RETENTION - 1);
    const ticks = await storedTicks(small, symbol);
    expect(ticks.length).toBeLessThanOrEqual(SMALL_RETENTION);
    expectStrictlyIncreasing(ticks);
    for (const tick of ticks) expect(tick).toEqual(reference.tickAt(symbol, tick.ts));
    // Seeded ticks still held end one second before the first streamed one.
    const through = status.stats.backfilled_through_ts!;
    const held = ticks.filter((t) => t.ts <= through);
    if (held.length > 0) expect(ticks[held.length]!.ts).toBe(through + 1_000);
    const latest = await small.storeStatus('sim', symbol);
    expect(latest.stats.accepted - latest.stats.evicted).toBe(latest.retained);
  });
});

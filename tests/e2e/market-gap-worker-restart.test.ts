/**
 * A worker restart is a gap, end to end: the real worker process is SIGKILLed under two running
 * streams and started again. On a live-clock Binance venue the hole is one gap from the last tick
 * before the kill to the first tick after the restart, with the slots between counted; on the
 * simulator, whose quotes are a function of time, the restarted worker fills the skipped seconds
 * with the quotes it had then, and any stretch it could not fill is a gap: never a silent hole.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { MarketTick, TickGap } from '../../schemas/temporal/market.js';
import { CATCH_UP_MAX_SLOTS } from '../../worker/activities/market/stream-catch-up.js';
import { eventually } from '../helpers/eventually.js';
import type { FakeVenueServer } from '../helpers/fake-venue-server.js';
import { liveBinanceOptions, liveBinanceVenue } from '../helpers/live-binance-venue.js';
import { MarketDriver } from '../helpers/market-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { uniqueTaskQueue } from '../helpers/test-worker.js';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const VENUE_SYMBOL = 'LTC/USDT';
const SIM_SYMBOL = 'SIM55/USDT';
const VENUE_INTERVAL_MS = 2_000;
/** How long no worker runs: several intervals of either stream. */
const DOWN_MS = 8_000;

const workers: WorkerProcess[] = [];
let workerEnv: Record<string, string>;
let venue: FakeVenueServer;
let temporal: Awaited<ReturnType<typeof testClient>>;
let market: MarketDriver;

async function startWorker(): Promise<WorkerProcess> {
  const worker = spawnWorkerProcess(workerEnv);
  workers.push(worker);
  await worker.ready;
  return worker;
}

async function series(exchange: string, symbol: string): Promise<{ ticks: MarketTick[]; gaps: TickGap[] }> {
  return (await market.historicalTicks({ exchange, symbols: [symbol], limit: 1_000 })).series[0]!;
}

beforeAll(async () => {
  venue = await liveBinanceVenue(['LTC'], 1_000);
  const taskQueue = uniqueTaskQueue('e2e-gap-restart');
  workerEnv = {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    EXCHANGE_OPTIONS: liveBinanceOptions(venue, 3_000),
    // A cycle lost with the killed worker is retried once its attempt times out: keep that short.
    STREAM_FETCH_TIMEOUT_MS: '4000',
  };
  temporal = await testClient();
  market = new MarketDriver(temporal.client, taskQueue);
}, 240_000);

afterAll(async () => {
  if (workers.length > 0) await market?.terminate().catch(() => undefined);
  await Promise.all(workers.map((w) => w.stop()));
  await temporal?.close();
  await venue?.close();
});

describe('worker killed under running streams', () => {
  it('records the hole as one gap with the neighbouring ticks as its ends, and leaves no silent hole on the simulator', { timeout: 600_000 }, async () => {
    const first = await startWorker();
    await market.openStream([VENUE_SYMBOL], VENUE_INTERVAL_MS / 1000, 'binance');
    await market.openStream([SIM_SYMBOL], 1, 'sim');
    await eventually(async () => {
      expect((await series('binance', VENUE_SYMBOL)).ticks.length).toBeGreaterThanOrEqual(3);
      expect((await series('sim', SIM_SYMBOL)).ticks.length).toBeGreaterThanOrEqual(3);
    }, 120_000);

    const killedAt = Date.now();
    await first.kill();
    expect(await first.exited).toMatchObject({ signal: 'SIGKILL' });
    // No worker for a while: the streams' timers and activities wait on the server.
    await new Promise((resolve) => setTimeout(resolve, DOWN_MS));
    await startWorker();
    const readyAt = Date.now();

    const outage = await eventually(async () => {
      const { ticks, gaps } = await series('binance', VENUE_SYMBOL);
      const restartGaps = gaps.filter((g) => g.to_ts > killedAt);
      expect(restartGaps).toHaveLength(1);
      const gap = restartGaps[0]!;
      const at = ticks.findIndex((t) => t.ts === gap.from_ts);
      expect(at).toBeGreaterThanOrEqual(0);
      expect(ticks.length).toBeGreaterThan(at + 3);
      return { gap, before: ticks[at]!, after: ticks[at + 1]! };
    }, 180_000, 500);
    expect(outage.before.ts).toBeLessThanOrEqual(killedAt);
    expect(outage.after.ts).toBeGreaterThanOrEqual(readyAt);
    expect(outage.gap.to_ts).toBe(outage.after.ts);
    expect(outage.gap.cycles).toBe(Math.round((outage.after.ts - outage.before.ts) / VENUE_INTERVAL_MS) - 1);
    expect(outage.gap.cycles).toBeGreaterThanOrEqual(Math.floor((readyAt - killedAt) / VENUE_INTERVAL_MS) - 1);

    // The simulator: past the restart, every second from before the kill on is a tick, or lies in
    // a gap whose ends are the ticks around it.
    const sim = await eventually(async () => {
      const read = await series('sim', SIM_SYMBOL);
      expect(read.ticks[read.ticks.length - 1]!.ts).toBeGreaterThan(readyAt + 2_000);
      return read;
    }, 60_000);
    const window = sim.ticks.filter((t) => t.ts >= killedAt - 3_000);
    expect(window.length).toBeGreaterThan(DOWN_MS / 1000);
    // A restart shorter than the catch-up bound is filled entirely.
    if (readyAt - killedAt < CATCH_UP_MAX_SLOTS * 1_000) {
      expect(window.slice(1).map((t, i) => t.ts - window[i]!.ts)).toEqual(window.slice(1).map(() => 1_000));
      expect(sim.gaps.filter((g) => g.to_ts >= killedAt - 3_000)).toEqual([]);
    }
    for (let i = 1; i < window.length; i += 1) {
      const [before, after] = [window[i - 1]!, window[i]!];
      if (after.ts - before.ts === 1_000) continue;
      expect(sim.gaps).toContainEqual(expect.objectContaining({ from_ts: before.ts, to_ts: after.ts, cycles: (after.ts - before.ts) / 1_000 - 1 }));
    }
  });
});

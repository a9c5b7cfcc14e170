/**
 * Streams from the simulated venue into tick stores on a real Temporal dev server: the stored
 * ticks are exactly the simulator's prices for their seconds, a second subscription attaches,
 * stopping ends the stream but keeps the history readable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import { eventually } from '../helpers/eventually.js';
import { MarketDriver } from '../helpers/market-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

const SEED = 1234;
let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let market: MarketDriver;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue('market-sim');
  worker = await startTestWorker(taskQueue, { SIM_SEED: String(SEED) });
  temporal = await testClient();
  market = new MarketDriver(temporal.client, taskQueue);
});

afterAll(async () => {
  await market?.terminate();
  await worker?.stop();
  await temporal?.close();
});

describe('a stream from the simulated venue', () => {
  it('stores exactly the simulated prices, in order, attaches a second subscription and stops on request', async () => {
    // Symbols unique to this test so stores from other runs on the same server cannot interfere.
    const symbols = ['SIM11/USDT', 'SIM12/USDT'];
    const opened = await market.openStream(symbols, 1);
    expect(opened).toMatchObject({ exchange: 'sim', simulated: true, symbols, interval_sec: 1, attached: false });

    const pages = await eventually(async () => {
      // The stores start seeded with the venue's past quotes (SIM_BACKFILL_SEC): wait for four streamed ones.
      for (const symbol of symbols) {
        const { stats } = await market.storeStatus('sim', symbol);
        expect(stats.accepted - stats.backfilled).toBeGreaterThanOrEqual(4);
      }
      return market.historicalTicks({ symbols, limit: 100 });
    });
    const reference = new SimVenue(SEED);
    for (const series of pages.series) {
      const ts = series.ticks.map((t) => t.ts);
      expect([...ts].sort((a, b) => a - b)).toEqual(ts);
      expect(new Set(ts).size).toBe(ts.length);
      for (const tick of series.ticks) expect(tick).toEqual(reference.tickAt(series.symbol, tick.ts));
    }

    const again = await market.openStream([...symbols].reverse(), 5);
    expect(again).toMatchObject({ attached: true, interval_sec: 1, requested_interval_sec: 5 });
    expect(again.stream_workflow_id).toBe(opened.stream_workflow_id);

    const stopped = await market.stopStreams({ symbols });
    expect(stopped.streams).toEqual([{ workflow_id: opened.stream_workflow_id, removed: symbols, remaining: [], stopped: true }]);
    expect(stopped.not_streaming).toEqual([]);
    const handle = temporal.client.workflow.getHandle(opened.stream_workflow_id);
    const summary = (await handle.result()) as { stats: { cycles: number } };
    expect(summary.stats.cycles).toBeGreaterThanOrEqual(4);
    const after = await market.historicalTicks({ symbols: [symbols[0]!] });
    expect(after.series[0]!.ticks.length).toBeGreaterThanOrEqual(4);
  });
});

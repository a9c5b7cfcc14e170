/**
 * Long-lived market workflows stay bounded: streams and tick stores continue as new on their
 * cycle counts carrying their state, a stream's history grows by a fixed number of events per
 * cycle whatever its symbol count, and stores keep no more ticks than the count and age bounds.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { tickStoreWorkflowId } from '../../schemas/temporal/market.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import { eventually } from '../helpers/eventually.js';
import { MarketDriver } from '../helpers/market-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

const SEED = 99;
const workers: RunningWorker[] = [];
let temporal: Awaited<ReturnType<typeof testClient>>;
let bounded: MarketDriver;
let aged: MarketDriver;

beforeAll(async () => {
  temporal = await testClient();
  const countQueue = uniqueTaskQueue('market-can');
  workers.push(
    await startTestWorker(countQueue, {
      SIM_SEED: String(SEED),
      STREAM_CONTINUE_EVERY: '3',
      TICK_STORE_CONTINUE_EVERY: '4',
      TICK_RETENTION_COUNT: '5',
    }),
  );
  bounded = new MarketDriver(temporal.client, countQueue);
  const ageQueue = uniqueTaskQueue('market-age');
  workers.push(await startTestWorker(ageQueue, { SIM_SEED: String(SEED), TICK_RETENTION_SEC: '3', TICK_RETENTION_COUNT: '1000' }));
  aged = new MarketDriver(temporal.client, ageQueue);
});

afterAll(async () => {
  await bounded?.terminate();
  await aged?.terminate();
  for (const w of workers) await w.stop();
  await temporal?.close();
});

/** The first `runs` histories of a chain, following each run's continued-as-new link. */
async function chainHistories(client: Client, workflowId: string, firstRunId: string, runs: number): Promise<History[]> {
  const histories: History[] = [];
  let runId: string | null | undefined = firstRunId;
  while (runId && histories.length < runs) {
    const fetched: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.push(fetched);
    const events = fetched.events ?? [];
    const next: string | null | undefined = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    runId = next;
  }
  return histories;
}

async function firstRunOf(client: Client, workflowId: string): Promise<string> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  return (latest.raw.workflowExecutionInfo?.firstRunId as string | undefined) ?? latest.runId;
}

describe('continue-as-new and retention', () => {
  it('hands over every few cycles carrying stream and store state, with history per cycle independent of symbol count', async () => {
    const few = ['SIM13/USDT', 'SIM14/USDT'];
    const many = Array.from({ length: 10 }, (_, i) => `SIM${20 + i}/USDT`);
    const [small, large] = await Promise.all([bounded.openStream(few, 1), bounded.openStream(many, 1)]);

    const status = await eventually(async () => {
      const s = await bounded.streamStatus(small.stream_workflow_id);
      expect(s.stats.runs).toBeGreaterThanOrEqual(4);
      const store = await bounded.storeStatus('sim', 'SIM13/USDT');
      expect(store.stats.runs).toBeGreaterThanOrEqual(3);
      return s;
    }, 60_000);
    // Counters survive the hand-overs: three cycles per run.
    expect(status.stats.cycles).toBeGreaterThanOrEqual(3 * (status.stats.runs - 1));
    expect(status.symbols).toEqual(few);

    const store = await bounded.storeStatus('sim', 'SIM13/USDT');
    expect(store.retained).toBe(5);
    expect(store.stats.evicted).toBe(store.stats.accepted - store.retained);
    const page = await bounded.ticksSince('sim', 'SIM13/USDT', {});
    const reference = new SimVenue(SEED);
    const ts = page.ticks.map((t) => t.ts);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(new Set(ts).size).toBe(5);
    for (const tick of page.ticks) expect(tick).toEqual(reference.tickAt('SIM13/USDT', tick.ts));

    // Completed middle runs (no start-up update in them): the same history per cycle for 2 and 10 symbols.
    await eventually(async () => expect((await bounded.streamStatus(large.stream_workflow_id)).stats.runs).toBeGreaterThanOrEqual(3), 60_000);
    const smallRuns = await chainHistories(temporal.client, small.stream_workflow_id, small.stream_run_id, 3);
    const largeRuns = await chainHistories(temporal.client, large.stream_workflow_id, large.stream_run_id, 3);
    const middle = (runs: History[]) => runs[1]!.events!.length;
    expect(middle(smallRuns)).toBe(middle(largeRuns));
    // Started + first task (4) + six events per cycle (3 cycles) + the continued-as-new event.
    expect(middle(smallRuns)).toBeLessThanOrEqual(4 + 6 * 3 + 1);

    // Every recorded run, hand-overs included, replays against the current workflow code.
    const storeId = tickStoreWorkflowId('sim', 'SIM13/USDT');
    const storeRuns = await chainHistories(temporal.client, storeId, await firstRunOf(temporal.client, storeId), 2);
    async function* recorded() {
      for (const history of smallRuns) yield { workflowId: small.stream_workflow_id, history };
      for (const history of storeRuns) yield { workflowId: storeId, history };
    }
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundlePath') } }, recorded())) {
      expect(result.error).toBeUndefined();
      replayed += 1;
    }
    expect(replayed).toBe(smallRuns.length + storeRuns.length);
  });

  it('attaches a later start_market_stream to a stream that has handed over several times', async () => {
    // The stream's current run is no longer the first of its chain: a handle naming the run that
    // answered the start would not find it, so the attach must address the stream by id alone.
    // Tick stores are shared by every task queue in the namespace: these symbols are this test's
    // alone, so no other file queries a store whose worker stopped with this file.
    const symbols = ['SIM21/USDT', 'SIM22/USDT'];
    const first = await bounded.openStream(symbols, 1);
    expect(first.attached).toBe(false);
    await eventually(async () => expect((await bounded.streamStatus(first.stream_workflow_id)).stats.runs).toBeGreaterThanOrEqual(4), 60_000);

    const again = await bounded.openStream([...symbols].reverse(), 1);
    expect(again.attached).toBe(true);
    expect(again.stream_workflow_id).toBe(first.stream_workflow_id);
    expect(again.stream_run_id).not.toBe(first.stream_run_id);
    expect(again.symbols).toEqual(symbols);
    const status = await bounded.streamStatus(first.stream_workflow_id);
    expect(status.symbols).toEqual(symbols);
    expect(status.stopping).toBe(false);
  });

  it('drops ticks older than the age bound, measured from the newest tick', async () => {
    const opened = await aged.openStream(['SIM17/USDT'], 1);
    const store = await eventually(async () => {
      const s = await aged.storeStatus('sim', 'SIM17/USDT');
      expect(s.stats.evicted).toBeGreaterThanOrEqual(2);
      return s;
    }, 60_000);
    expect(store.newest_ts! - store.oldest_ts!).toBeLessThanOrEqual(3_000);
    expect(store.retained).toBeLessThanOrEqual(4);
    await aged.stopStreams({ stream_id: opened.stream_workflow_id });
  });
});

/**
 * Market ingestion figures: one worker streaming 50 simulated symbols at interval_sec = 1 into
 * their tick stores with retention bounded and hand-overs happening, measured over a fixed window
 * after a warm-up: ticks per second ingested (against the 50 per second offered), history events
 * per tick across the stream and every store (all runs), and worker CPU per tick.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { tickStoreWorkflowId } from '../../schemas/temporal/market.js';
import { openMarketStream } from '../../temporal/clients/market-requests.js';
import { stopStreamSymbols, streamSummary } from '../../temporal/clients/market-stream.js';
import { readStoreStatus } from '../../temporal/clients/tick-store.js';
import { SIM_MARKETS } from '../../worker/activities/market/venues/sim/sim-catalog.js';
import type { BenchContext } from './bench-context.js';
import { startBenchWorker } from './bench-stack.js';

type History = Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;

const SYMBOLS = 50;
const WARM_UP_MS = 5_000;
const MEASURE_MS = 40_000;
/** Small enough that retention evicts and both streams and stores hand over within the window. */
const SETTINGS = {
  SIM_SEED: '2024',
  TICK_RETENTION_COUNT: '30',
  TICK_STORE_CONTINUE_EVERY: '20',
  STREAM_CONTINUE_EVERY: '10',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function acceptedTicks(client: Client, symbols: string[]): Promise<number> {
  const statuses = await Promise.all(
    symbols.map(async (s) => {
      const status = await readStoreStatus(client, 'sim', s);
      if (!status) throw new Error(`no tick store ${tickStoreWorkflowId('sim', s)}: the stream has not delivered ${s}`);
      return status;
    }),
  );
  // Seeded ticks (SIM_BACKFILL_SEC) arrive once, with a store's creation: only streamed ones count.
  return statuses.reduce((sum, s) => sum + s.stats.accepted - (s.stats.backfilled ?? 0), 0);
}

/** Events in every run of a workflow chain, following continued-as-new links from its first run. */
async function chainEvents(client: Client, workflowId: string, firstRunId: string): Promise<{ events: number; runs: number }> {
  let events = 0;
  let runs = 0;
  let runId: string | null | undefined = firstRunId;
  while (runId) {
    const fetched: History = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    const history = fetched.events ?? [];
    events += history.length;
    runs += 1;
    const next: string | null | undefined = history[history.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;
    runId = next;
  }
  return { events, runs };
}

async function firstRunId(client: Client, workflowId: string): Promise<string> {
  const latest = await client.workflow.getHandle(workflowId).describe();
  // Every run of a chain names the first one; describing the latest run finds it.
  return (latest.raw.workflowExecutionInfo?.firstRunId as string | undefined) ?? latest.runId;
}

export async function benchMarket(ctx: BenchContext): Promise<void> {
  const bench = await startBenchWorker(ctx, 'bench-market', SETTINGS);
  const { taskQueue, client } = bench;
  const symbols = SIM_MARKETS.slice(0, SYMBOLS).map((m) => m.symbol);
  let streamId: string | undefined;
  try {
    const { result: opened } = await openMarketStream(client, taskQueue, { request_id: crypto.randomUUID(), exchange: 'sim', symbols, interval_sec: 1 });
    streamId = opened.stream_workflow_id;
    await sleep(WARM_UP_MS);

    const before = await acceptedTicks(client, symbols);
    const cpuBefore = process.cpuUsage();
    const temporalCpuBefore = ctx.temporalCpuMs();
    const started = performance.now();
    await sleep(MEASURE_MS);
    const after = await acceptedTicks(client, symbols);
    const elapsedSec = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const temporalCpuAfter = ctx.temporalCpuMs();
    const temporalCpu = temporalCpuBefore === null || temporalCpuAfter === null ? null : temporalCpuAfter - temporalCpuBefore;

    // A graceful stop lets the cycle in flight finish, so every run's history is complete.
    await stopStreamSymbols(client, streamId, null);
    await streamSummary(client, streamId);
    const stream = await chainEvents(client, streamId, opened.stream_run_id);
    let storeEvents = 0;
    let storeRuns = 0;
    for (const symbol of symbols) {
      const id = tickStoreWorkflowId('sim', symbol);
      const chain = await chainEvents(client, id, await firstRunId(client, id));
      storeEvents += chain.events;
      storeRuns += chain.runs;
    }
    const totalTicks = await acceptedTicks(client, symbols);

    const ingested = after - before;
    ctx.report(
      `ingestion, ${SYMBOLS} simulated symbols at interval_sec = 1 (one stream, ${SYMBOLS} stores): ${(ingested / elapsedSec).toFixed(1)} ticks/s ` +
        `over ${elapsedSec.toFixed(0)} s (${((ingested / (SYMBOLS * elapsedSec)) * 100).toFixed(1)} % of the ${SYMBOLS} ticks/s offered)`,
    );
    ctx.report(
      `history per tick: ${((stream.events + storeEvents) / totalTicks).toFixed(2)} events ` +
        `(stream ${(stream.events / totalTicks).toFixed(3)}, stores ${(storeEvents / totalTicks).toFixed(2)}) over ${totalTicks} ticks, ` +
        `${stream.runs} stream runs and ${storeRuns} store runs (retention ${SETTINGS.TICK_RETENTION_COUNT} ticks, ` +
        `store hand-over every ${SETTINGS.TICK_STORE_CONTINUE_EVERY} batches, stream every ${SETTINGS.STREAM_CONTINUE_EVERY} cycles)`,
    );
    const perTick = (ms: number) => ms / Math.max(1, ingested);
    const workerCpu = (cpu.user + cpu.system) / 1000;
    ctx.report(
      `CPU (user + system) per tick ingested: worker ${perTick(workerCpu).toFixed(2)} ms` +
        (temporalCpu === null ? ', Temporal server not readable here' : `, Temporal server ${perTick(temporalCpu).toFixed(2)} ms, both ${perTick(workerCpu + temporalCpu).toFixed(2)} ms`),
      {
        ingest_worker_cpu_ms_per_tick: perTick(workerCpu),
        ...(temporalCpu === null ? {} : { ingest_temporal_cpu_ms_per_tick: perTick(temporalCpu), ingest_total_cpu_ms_per_tick: perTick(workerCpu + temporalCpu) }),
      },
    );
  } finally {
    // Nothing outlives the section, even when it failed half-way.
    if (streamId) await client.workflow.getHandle(streamId).terminate('benchmark finished').catch(() => undefined);
    await Promise.all(symbols.map((s) => client.workflow.getHandle(tickStoreWorkflowId('sim', s)).terminate('benchmark finished').catch(() => undefined)));
    await bench.stop();
  }
}

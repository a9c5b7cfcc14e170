/**
 * How activities talk to tick stores through Temporal: signal-with-start to deliver (the first
 * batch creates the store, seeded with past quotes when the caller has them), queries to read.
 * A store that does not exist reads as undefined.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import {
  TICK_STORE_WORKFLOW,
  appendTicksSignal,
  latestTickQuery,
  recordGapSignal,
  tickStoreStatusQuery,
  tickStoreWorkflowId,
  ticksSinceQuery,
  type LatestTick,
  type TickBatch,
  type TickColumns,
  type TickGap,
  type TickStoreInput,
  type TickStoreSettings,
  type TickStoreStatus,
  type TicksPage,
  type TicksSinceRequest,
} from '../../schemas/temporal/market.js';
import type { tickStoreWorkflow } from '../../worker/workflows/market/tick-store.js';

export interface StoreAddress {
  exchange: string;
  symbol: string;
  simulated: boolean;
}

function startOptions(store: StoreAddress, settings: TickStoreSettings, taskQueue: string, backfill?: TickColumns) {
  const input: TickStoreInput = { exchange: store.exchange, symbol: store.symbol, simulated: store.simulated, settings };
  if (backfill) input.backfill = backfill;
  return {
    workflowId: tickStoreWorkflowId(store.exchange, store.symbol),
    taskQueue,
    args: [input] as Parameters<typeof tickStoreWorkflow>,
  };
}

/**
 * Delivers a batch, creating the store if it does not run. `backfill` (quotes older than the
 * batch) goes into the start input: Temporal uses it only when this call creates the store, and a
 * running store never sees it.
 */
export async function deliverBatch(
  client: Client,
  taskQueue: string,
  store: StoreAddress,
  settings: TickStoreSettings,
  batch: TickBatch,
  backfill?: TickColumns,
): Promise<void> {
  await client.workflow.signalWithStart<typeof tickStoreWorkflow, [TickBatch]>(TICK_STORE_WORKFLOW, {
    ...startOptions(store, settings, taskQueue, backfill),
    signal: appendTicksSignal,
    signalArgs: [batch],
  });
}

export async function deliverGap(client: Client, taskQueue: string, store: StoreAddress, settings: TickStoreSettings, gap: TickGap): Promise<void> {
  await client.workflow.signalWithStart<typeof tickStoreWorkflow, [TickGap]>(TICK_STORE_WORKFLOW, {
    ...startOptions(store, settings, taskQueue),
    signal: recordGapSignal,
    signalArgs: [gap],
  });
}

async function orUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

export function readTicks(client: Client, exchange: string, symbol: string, req: TicksSinceRequest): Promise<TicksPage | undefined> {
  return orUndefined(client.workflow.getHandle(tickStoreWorkflowId(exchange, symbol)).query(ticksSinceQuery, req));
}

export async function readLatest(client: Client, exchange: string, symbol: string): Promise<LatestTick | undefined> {
  const latest = await orUndefined(client.workflow.getHandle(tickStoreWorkflowId(exchange, symbol)).query(latestTickQuery));
  return latest ?? undefined;
}

export function readStoreStatus(client: Client, exchange: string, symbol: string): Promise<TickStoreStatus | undefined> {
  return orUndefined(client.workflow.getHandle(tickStoreWorkflowId(exchange, symbol)).query(tickStoreStatusQuery));
}

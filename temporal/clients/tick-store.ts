/**
 * Owns the client side of the tick stores (one long-lived workflow per exchange and symbol): how
 * they are fed, by signal-with-start (the first batch creates the store, seeded with past quotes
 * when the caller has them), and how they are read, by query. Every reader of ticks goes through
 * here: the market tools' activities, the ledger's marks, the risk checks, scripts and tests.
 *
 * A store that does not exist reads as undefined. A read may be bounded in time, so a store whose
 * worker is gone cannot hold its caller up.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
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

export interface StoreRead {
  /** Gives up after this long with the client's deadline error; unbounded when absent. */
  timeoutMs?: number;
}

type TickStoreHandle = WorkflowHandle<typeof tickStoreWorkflow>;

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

/** A query on one store, addressed by workflow id alone (the store continues as new), undefined when it does not exist. */
async function readStore<T>(client: Client, exchange: string, symbol: string, bound: StoreRead, read: (store: TickStoreHandle) => Promise<T>): Promise<T | undefined> {
  const store = client.workflow.getHandle<typeof tickStoreWorkflow>(tickStoreWorkflowId(exchange, symbol));
  try {
    return await (bound.timeoutMs === undefined ? read(store) : client.withDeadline(Date.now() + bound.timeoutMs, () => read(store)));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

export function readTicks(client: Client, exchange: string, symbol: string, req: TicksSinceRequest, bound: StoreRead = {}): Promise<TicksPage | undefined> {
  return readStore(client, exchange, symbol, bound, (store) => store.query(ticksSinceQuery, req));
}

/** The newest tick, or undefined when there is no store or it holds no tick yet. */
export async function readLatest(client: Client, exchange: string, symbol: string, bound: StoreRead = {}): Promise<LatestTick | undefined> {
  const latest = await readStore(client, exchange, symbol, bound, (store) => store.query(latestTickQuery));
  return latest ?? undefined;
}

export function readStoreStatus(client: Client, exchange: string, symbol: string, bound: StoreRead = {}): Promise<TickStoreStatus | undefined> {
  return readStore(client, exchange, symbol, bound, (store) => store.query(tickStoreStatusQuery));
}

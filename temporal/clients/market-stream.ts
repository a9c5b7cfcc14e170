/**
 * Owns the client side of the market streams (one long-lived workflow per exchange and symbol
 * set, continuing as new for as long as it streams): opening one or attaching to the one that
 * runs, stopping some or all of its symbols, reading its status.
 *
 * A stream is started with USE_EXISTING and from then on addressed by its workflow id alone. The
 * handle that start returns names the run that answered; once that run has handed over, Temporal
 * finds no chain starting at it, and an update sent through it fails with "not found".
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  MARKET_STREAM_WORKFLOW,
  attachStreamUpdate,
  marketStreamStatusQuery,
  marketStreamWorkflowId,
  stopStreamSymbolsUpdate,
  type MarketStreamInput,
  type MarketStreamStatus,
  type MarketStreamSummary,
  type StoppedStream,
} from '../../schemas/temporal/market.js';
import type { marketStreamWorkflow } from '../../worker/workflows/market/market-stream.js';

/** A stream run that is just handing over refuses attachment for a moment; this bounds the retries. */
const ATTACH_ATTEMPTS = 8;

export interface OpenedStream {
  status: MarketStreamStatus;
  /** The run streaming now (not necessarily the first of the chain). */
  runId: string;
}

function stream(client: Client, workflowId: string): WorkflowHandle<typeof marketStreamWorkflow> {
  return client.workflow.getHandle<typeof marketStreamWorkflow>(workflowId);
}

function isClosedWorkflowError(err: unknown): boolean {
  const text = err instanceof Error ? `${err.name} ${err.message} ${(err.cause as Error | undefined)?.message ?? ''}` : String(err);
  return err instanceof WorkflowNotFoundError || /already completed|closing|not found/i.test(text);
}

async function isRunning(client: Client, workflowId: string): Promise<boolean> {
  try {
    return (await stream(client, workflowId).describe()).status.name === 'RUNNING';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/**
 * Starts the stream of `input`'s exchange and symbols unless it runs, and attaches `requestId`'s
 * symbols to it. The stream's own `opened_by` tells whether this call started it.
 */
export async function openStream(client: Client, taskQueue: string, input: MarketStreamInput, requestId: string): Promise<OpenedStream> {
  const workflowId = marketStreamWorkflowId(input.exchange, input.symbols);
  let status: MarketStreamStatus | undefined;
  for (let attempt = 1; !status; attempt += 1) {
    await client.workflow.start<typeof marketStreamWorkflow>(MARKET_STREAM_WORKFLOW, {
      workflowId,
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    });
    try {
      status = await stream(client, workflowId).executeUpdate(attachStreamUpdate, { args: [{ request_id: requestId, symbols: input.symbols }] });
    } catch (err) {
      // The run was stopping or handing over: the next start finds (or starts) its successor.
      if (attempt >= ATTACH_ATTEMPTS || !isClosedWorkflowError(err)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
  const { runId } = await stream(client, workflowId).describe();
  return { status, runId };
}

/** Whether a stream of this id was ever started (running or closed). */
export async function streamExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await stream(client, workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** Stops `symbols` (all of them when null) on a running stream; undefined when it does not run. */
export async function stopStreamSymbols(client: Client, workflowId: string, symbols: string[] | null): Promise<StoppedStream | undefined> {
  if (!(await isRunning(client, workflowId))) return undefined;
  try {
    const result = await stream(client, workflowId).executeUpdate(stopStreamSymbolsUpdate, { args: [{ symbols }] });
    return { workflow_id: workflowId, ...result };
  } catch (err) {
    // It finished between the check and the update: nothing left to stop.
    if (isClosedWorkflowError(err)) return undefined;
    throw err;
  }
}

export function readStreamStatus(client: Client, workflowId: string): Promise<MarketStreamStatus> {
  return stream(client, workflowId).query(marketStreamStatusQuery);
}

/** The summary a stream returns once its last symbol is stopped and its cycle in flight is done. */
export function streamSummary(client: Client, workflowId: string): Promise<MarketStreamSummary> {
  return stream(client, workflowId).result();
}

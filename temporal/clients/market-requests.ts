/**
 * Owns the market group's request workflows: one short workflow per call (the durable record of
 * what was asked and answered), run through runRequestWorkflow. The market tools, the scripts and
 * the test drivers all ask through these functions, so every market call is recorded under the
 * same kind of id (market-request:<tool>:<uuid>) and waited for the same way.
 */
import type { Client } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import {
  FETCH_OHLCV_WORKFLOW,
  MARKET_SNAPSHOT_WORKFLOW,
  OPEN_MARKET_STREAM_WORKFLOW,
  READ_HISTORICAL_TICKS_WORKFLOW,
  STOP_MARKET_STREAM_WORKFLOW,
  marketRequestWorkflowId,
  type HistoricalTicksRequest,
  type MarketSnapshotRequest,
  type OhlcvRequest,
  type OpenMarketStreamRequest,
  type StopMarketStreamRequest,
} from '../../schemas/temporal/market.js';
import type {
  fetchOhlcvWorkflow,
  marketSnapshotWorkflow,
  openMarketStreamWorkflow,
  readHistoricalTicksWorkflow,
  stopMarketStreamWorkflow,
} from '../../worker/workflows/market/market-requests.js';
import { runRequestWorkflow, type RequestAnswer } from '../request-workflow.js';

/** Long enough for a venue's bounded retries inside the workflow, short enough for a host. */
export const MARKET_REQUEST_WAIT_MS = 60_000;

/** The two tools that open a stream: each names its own requests. */
export type StreamOpener = 'start_market_stream' | 'subscribe_cex_stream';

function ask<W extends Workflow>(
  client: Client,
  taskQueue: string,
  workflowType: string,
  tool: string,
  args: Parameters<W>,
  signal: AbortSignal | undefined,
): Promise<RequestAnswer<W>> {
  return runRequestWorkflow<W>(client, {
    workflowType,
    workflowId: marketRequestWorkflowId(tool, crypto.randomUUID()),
    taskQueue,
    args,
    what: tool,
    waitMs: MARKET_REQUEST_WAIT_MS,
    signal,
  });
}

export function openMarketStream(
  client: Client,
  taskQueue: string,
  request: OpenMarketStreamRequest,
  signal?: AbortSignal,
  tool: StreamOpener = 'start_market_stream',
): Promise<RequestAnswer<typeof openMarketStreamWorkflow>> {
  return ask<typeof openMarketStreamWorkflow>(client, taskQueue, OPEN_MARKET_STREAM_WORKFLOW, tool, [request], signal);
}

export function stopMarketStreams(
  client: Client,
  taskQueue: string,
  request: StopMarketStreamRequest,
  signal?: AbortSignal,
): Promise<RequestAnswer<typeof stopMarketStreamWorkflow>> {
  return ask<typeof stopMarketStreamWorkflow>(client, taskQueue, STOP_MARKET_STREAM_WORKFLOW, 'stop_market_stream', [request], signal);
}

export function readHistoricalTicks(
  client: Client,
  taskQueue: string,
  request: HistoricalTicksRequest,
  signal?: AbortSignal,
): Promise<RequestAnswer<typeof readHistoricalTicksWorkflow>> {
  return ask<typeof readHistoricalTicksWorkflow>(client, taskQueue, READ_HISTORICAL_TICKS_WORKFLOW, 'get_historical_ticks', [request], signal);
}

export function readMarketSnapshot(
  client: Client,
  taskQueue: string,
  request: MarketSnapshotRequest,
  signal?: AbortSignal,
): Promise<RequestAnswer<typeof marketSnapshotWorkflow>> {
  return ask<typeof marketSnapshotWorkflow>(client, taskQueue, MARKET_SNAPSHOT_WORKFLOW, 'get_market_snapshot', [request], signal);
}

export function fetchOhlcv(client: Client, taskQueue: string, request: OhlcvRequest, signal?: AbortSignal): Promise<RequestAnswer<typeof fetchOhlcvWorkflow>> {
  return ask<typeof fetchOhlcvWorkflow>(client, taskQueue, FETCH_OHLCV_WORKFLOW, 'get_ohlcv', [request], signal);
}

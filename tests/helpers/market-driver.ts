/**
 * Drives the market workflows through a plain Temporal client exactly as the market server does:
 * each tool call is one short request workflow (servers/market/market-request.ts), and the tick
 * stores and streams are read through the queries the other groups use.
 */
import type { Client } from '@temporalio/client';
import {
  FETCH_OHLCV_WORKFLOW,
  MARKET_SNAPSHOT_WORKFLOW,
  OPEN_MARKET_STREAM_WORKFLOW,
  READ_HISTORICAL_TICKS_WORKFLOW,
  STOP_MARKET_STREAM_WORKFLOW,
  latestTickQuery,
  marketRequestWorkflowId,
  marketStreamStatusQuery,
  tickStoreStatusQuery,
  tickStoreWorkflowId,
  ticksSinceQuery,
  type HistoricalTicksRequest,
  type HistoricalTicksResult,
  type LatestTick,
  type MarketSnapshotRequest,
  type MarketSnapshotResult,
  type MarketStreamStatus,
  type OhlcvRequest,
  type OhlcvResult,
  type OpenMarketStreamResult,
  type StopMarketStreamRequest,
  type StopMarketStreamResult,
  type TickStoreStatus,
  type TicksPage,
  type TicksSinceRequest,
} from '../../schemas/temporal/market.js';

export class MarketDriver {
  /** Streams and stores this driver opened, for `terminate` at the end of a test file. */
  readonly opened = new Set<string>();

  constructor(
    readonly client: Client,
    readonly taskQueue: string,
  ) {}

  private async request<T>(tool: string, workflowType: string, request: unknown): Promise<T> {
    return this.client.workflow.execute(workflowType, {
      workflowId: marketRequestWorkflowId(tool, crypto.randomUUID()),
      taskQueue: this.taskQueue,
      args: [request],
      workflowExecutionTimeout: '2 minutes',
    }) as Promise<T>;
  }

  async openStream(symbols: string[], intervalSec = 1, exchange: string | null = null): Promise<OpenMarketStreamResult> {
    const opened = await this.request<OpenMarketStreamResult>('start_market_stream', OPEN_MARKET_STREAM_WORKFLOW, {
      request_id: crypto.randomUUID(),
      exchange,
      symbols,
      interval_sec: intervalSec,
    });
    this.opened.add(opened.stream_workflow_id);
    for (const id of Object.values(opened.store_workflow_ids)) this.opened.add(id);
    return opened;
  }

  stopStreams(req: StopMarketStreamRequest): Promise<StopMarketStreamResult> {
    return this.request('stop_market_stream', STOP_MARKET_STREAM_WORKFLOW, req);
  }

  historicalTicks(req: HistoricalTicksRequest): Promise<HistoricalTicksResult> {
    return this.request('get_historical_ticks', READ_HISTORICAL_TICKS_WORKFLOW, req);
  }

  snapshot(req: MarketSnapshotRequest): Promise<MarketSnapshotResult> {
    return this.request('get_market_snapshot', MARKET_SNAPSHOT_WORKFLOW, req);
  }

  ohlcv(req: OhlcvRequest): Promise<OhlcvResult> {
    return this.request('get_ohlcv', FETCH_OHLCV_WORKFLOW, req);
  }

  ticksSince(exchange: string, symbol: string, req: TicksSinceRequest = {}): Promise<TicksPage> {
    return this.client.workflow.getHandle(tickStoreWorkflowId(exchange, symbol)).query(ticksSinceQuery, req);
  }

  latest(exchange: string, symbol: string): Promise<LatestTick | null> {
    return this.client.workflow.getHandle(tickStoreWorkflowId(exchange, symbol)).query(latestTickQuery);
  }

  storeStatus(exchange: string, symbol: string): Promise<TickStoreStatus> {
    return this.client.workflow.getHandle(tickStoreWorkflowId(exchange, symbol)).query(tickStoreStatusQuery);
  }

  /** Ends the given workflows (streams, stores) so no later test on this server meets them. */
  async terminate(workflowIds: Iterable<string> = this.opened): Promise<void> {
    await Promise.all(
      [...workflowIds].map((id) =>
        this.client.workflow
          .getHandle(id)
          .terminate('test finished')
          .catch(() => undefined),
      ),
    );
  }

  streamStatus(streamId: string): Promise<MarketStreamStatus> {
    return this.client.workflow.getHandle(streamId).query(marketStreamStatusQuery);
  }
}

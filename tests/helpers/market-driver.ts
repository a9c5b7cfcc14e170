/**
 * Drives the market workflows through a plain Temporal client exactly as the market server does:
 * each tool call is one short request workflow (temporal/clients/market-requests.ts), and the
 * tick stores and streams are read through their clients (temporal/clients/tick-store.ts,
 * market-stream.ts), as the other groups read them.
 */
import type { Client } from '@temporalio/client';
import type {
  HistoricalTicksRequest,
  HistoricalTicksResult,
  LatestTick,
  MarketSnapshotRequest,
  MarketSnapshotResult,
  MarketStreamStatus,
  OhlcvRequest,
  OhlcvResult,
  OpenMarketStreamResult,
  StopMarketStreamRequest,
  StopMarketStreamResult,
  TickStoreStatus,
  TicksPage,
  TicksSinceRequest,
} from '../../schemas/temporal/market.js';
import { fetchOhlcv, openMarketStream, readHistoricalTicks, readMarketSnapshot, stopMarketStreams } from '../../temporal/clients/market-requests.js';
import { readStreamStatus } from '../../temporal/clients/market-stream.js';
import { readLatest, readStoreStatus, readTicks } from '../../temporal/clients/tick-store.js';

/** A read of a store that must exist by now: a missing one fails the test with its name. */
function existing<T>(exchange: string, symbol: string, read: T | undefined): T {
  if (read === undefined) throw new Error(`no tick store for ${symbol} on ${exchange}`);
  return read;
}

export class MarketDriver {
  /** Streams and stores this driver opened, for `terminate` at the end of a test file. */
  readonly opened = new Set<string>();

  constructor(
    readonly client: Client,
    readonly taskQueue: string,
  ) {}

  async openStream(symbols: string[], intervalSec = 1, exchange: string | null = null): Promise<OpenMarketStreamResult> {
    const { result: opened } = await openMarketStream(this.client, this.taskQueue, {
      request_id: crypto.randomUUID(),
      exchange,
      symbols,
      interval_sec: intervalSec,
    });
    this.opened.add(opened.stream_workflow_id);
    for (const id of Object.values(opened.store_workflow_ids)) this.opened.add(id);
    return opened;
  }

  async stopStreams(req: StopMarketStreamRequest): Promise<StopMarketStreamResult> {
    return (await stopMarketStreams(this.client, this.taskQueue, req)).result;
  }

  async historicalTicks(req: HistoricalTicksRequest): Promise<HistoricalTicksResult> {
    return (await readHistoricalTicks(this.client, this.taskQueue, req)).result;
  }

  async snapshot(req: MarketSnapshotRequest): Promise<MarketSnapshotResult> {
    return (await readMarketSnapshot(this.client, this.taskQueue, req)).result;
  }

  async ohlcv(req: OhlcvRequest): Promise<OhlcvResult> {
    return (await fetchOhlcv(this.client, this.taskQueue, req)).result;
  }

  async ticksSince(exchange: string, symbol: string, req: TicksSinceRequest = {}): Promise<TicksPage> {
    return existing(exchange, symbol, await readTicks(this.client, exchange, symbol, req));
  }

  /** The newest tick, null while there is none (no store yet, or an empty one). */
  async latest(exchange: string, symbol: string): Promise<LatestTick | null> {
    return (await readLatest(this.client, exchange, symbol)) ?? null;
  }

  async storeStatus(exchange: string, symbol: string): Promise<TickStoreStatus> {
    return existing(exchange, symbol, await readStoreStatus(this.client, exchange, symbol));
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
    return readStreamStatus(this.client, streamId);
  }
}

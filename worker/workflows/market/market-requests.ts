/**
 * The short workflows behind the market tools, one per call: each is the durable record of what
 * was asked and answered, and runs the I/O in activities (venue calls, Temporal queries to the
 * tick stores). A venue that keeps failing fails the call after a short, bounded retry, with the
 * venue's error type for the caller; a refused request (unknown symbol, exchange or timeframe) is
 * not retried at all.
 */
import { proxyActivities } from '@temporalio/workflow';
import type {
  HistoricalTicksRequest,
  HistoricalTicksResult,
  MarketSnapshotRequest,
  MarketSnapshotResult,
  OhlcvRequest,
  OhlcvResult,
  OpenMarketStreamRequest,
  OpenMarketStreamResult,
  StopMarketStreamRequest,
  StopMarketStreamResult,
} from '../../../schemas/temporal/market.js';
import type { MarketActivities } from '../../activities/market/index.js';

const { resolveMarketRequest, ensureMarketStream, stopMarketStreams, readHistoricalTicks, readMarketSnapshot, fetchCandles } =
  proxyActivities<MarketActivities>({
    startToCloseTimeout: '30 seconds',
    // A caller is waiting: a few quick retries ride out a blip, then the error is theirs to see.
    scheduleToCloseTimeout: '45 seconds',
    retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '5 seconds', maximumAttempts: 4 },
  });

export async function openMarketStreamWorkflow(req: OpenMarketStreamRequest): Promise<OpenMarketStreamResult> {
  const venue = await resolveMarketRequest({ exchange: req.exchange ?? null, symbols: req.symbols });
  return ensureMarketStream({ ...venue, request_id: req.request_id, interval_sec: req.interval_sec });
}

export async function stopMarketStreamWorkflow(req: StopMarketStreamRequest): Promise<StopMarketStreamResult> {
  return stopMarketStreams(req);
}

export async function readHistoricalTicksWorkflow(req: HistoricalTicksRequest): Promise<HistoricalTicksResult> {
  return readHistoricalTicks(req);
}

export async function marketSnapshotWorkflow(req: MarketSnapshotRequest): Promise<MarketSnapshotResult> {
  return readMarketSnapshot(req);
}

export async function fetchOhlcvWorkflow(req: OhlcvRequest): Promise<OhlcvResult> {
  return fetchCandles(req);
}

/**
 * The Temporal side of the market contract: workflow types, workflow ids, and the messages the
 * stream and tick-store workflows accept. Shared by the MCP servers, the worker and the other
 * groups (the ledger marks positions and risk checks freshness through `latestTickQuery`; risk
 * reads returns through `ticksSinceQuery`). Pure definitions only: this module is bundled into
 * workflow code.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export const MARKET_STREAM_WORKFLOW = 'marketStreamWorkflow';
export const TICK_STORE_WORKFLOW = 'tickStoreWorkflow';
/** Short workflows, one per tool call, that record what was asked and answered. */
export const OPEN_MARKET_STREAM_WORKFLOW = 'openMarketStreamWorkflow';
export const STOP_MARKET_STREAM_WORKFLOW = 'stopMarketStreamWorkflow';
export const READ_HISTORICAL_TICKS_WORKFLOW = 'readHistoricalTicksWorkflow';
export const MARKET_SNAPSHOT_WORKFLOW = 'marketSnapshotWorkflow';
export const FETCH_OHLCV_WORKFLOW = 'fetchOhlcvWorkflow';

/** The id of the venue that needs no network: a seeded price process inside the worker. */
export const SIM_EXCHANGE = 'sim';

export const tickStoreWorkflowId = (exchange: string, symbol: string): string => `tick-store:${exchange}:${symbol}`;

/** Symbol sets longer than this are named by a digest so the id stays readable and bounded. */
const MAX_LISTED_SYMBOLS_CHARS = 160;
const STREAM_ID_PREFIX = 'market-stream:';

/** 64-bit FNV-1a as hex: a stable, dependency-free digest (workflow code cannot use node:crypto). */
export function fnv1a64Hex(text: string): string {
  let hash = 0xcbf29ce484222325n;
  const prime = 0x100000001b3n;
  const mask = 0xffffffffffffffffn;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * prime) & mask;
  }
  return hash.toString(16).padStart(16, '0');
}

/** Symbols as a stream sees them: unique and sorted, so the same set always names the same stream. */
export function canonicalSymbols(symbols: readonly string[]): string[] {
  return [...new Set(symbols)].sort();
}

/** One stream per exchange and symbol set: a second subscription to the same set attaches to it. */
export function marketStreamWorkflowId(exchange: string, symbols: readonly string[]): string {
  const sorted = canonicalSymbols(symbols);
  const listed = sorted.join(',');
  const key = listed.length <= MAX_LISTED_SYMBOLS_CHARS ? listed : `${sorted.length}-symbols-${fnv1a64Hex(listed)}`;
  return `${STREAM_ID_PREFIX}${exchange}:${key}`;
}

export function isMarketStreamWorkflowId(id: string): boolean {
  return id.startsWith(STREAM_ID_PREFIX) && id.indexOf(':', STREAM_ID_PREFIX.length) > STREAM_ID_PREFIX.length;
}

/** A short workflow per tool call: unique per call, prefixed by the tool so the UI groups them. */
export const marketRequestWorkflowId = (tool: string, requestId: string): string => `market-request:${tool}:${requestId}`;

/** One tick: top of book plus last trade, numbers as the venue quotes them. */
export interface MarketTick {
  /** Venue time of the quote, ms since the epoch. */
  ts: number;
  bid: number;
  ask: number;
  last: number;
  /** Base-asset volume of the trailing 24 hours, when the venue reports it. */
  volume?: number | null;
  /** Percent change of the last price over the trailing 24 hours, when the venue reports it. */
  change_24h_pct?: number | null;
}

/**
 * A stretch without ticks, stored beside the ticks so readers see it: from failed cycles, or found
 * by the store itself where consecutive ticks lie further apart than the stream's interval allows.
 */
export interface TickGap {
  /** Start of the missing stretch: the ts of the last tick before it (or, with no tick yet, the first failed cycle), ms epoch. */
  from_ts: number;
  /** End of the stretch: the ts of the first tick after it once ticks resume; until then when the stream last gave up, ms epoch. */
  to_ts: number;
  /** Interval slots missed in the stretch (at least the failed cycles merged into it). */
  cycles: number;
  /** The failure type (e.g. VenueUnavailable, VenueRateLimited) of the last failed cycle. */
  error_type: string;
  /** What went wrong, in words. */
  reason: string;
  stream_id: string;
}

/** How much a tick store keeps and when it hands over to a fresh run. */
export interface TickStoreSettings {
  /** The newest this many ticks are kept. */
  retentionCount: number;
  /** Ticks older than this, measured from the store's newest tick, are dropped. */
  retentionMs: number;
  /** Gaps kept, newest first, regardless of age. */
  maxGaps: number;
  /** Batches handled before the run continues as new. */
  continueEvery: number;
  /** History length past which the run continues as new. */
  historyLimit: number;
}

export interface TickStoreCarriedState {
  /** Retained ticks, oldest first, columnar to keep the continue-as-new payload small. */
  ticks: TickColumns;
  gaps: TickGap[];
  /** Streams that delivered here, with the time they last did (ms epoch): who feeds this symbol. */
  feeders: Record<string, number>;
  last_received_at: number | null;
  stats: TickStoreStats;
  /** The newest event was a gap (no answer since): the next failure of the same stream extends it. */
  gap_open: boolean;
  /**
   * Worker time of the newest batch that carried any quote, accepted or not newer than the newest
   * tick (a venue whose price stood still still answered). Absent in state carried before it was kept.
   */
  last_answered_at?: number | null;
}

export interface TickColumns {
  ts: number[];
  bid: number[];
  ask: number[];
  last: number[];
  volume: Array<number | null>;
  change_24h_pct: Array<number | null>;
}

export interface TickStoreStats {
  /** Ticks accepted since the store was first started (across runs). */
  accepted: number;
  /** Ticks refused because a price was missing, not finite or not positive. */
  ignored_invalid: number;
  /** Ticks ignored because their ts was not newer than the newest stored tick. */
  ignored_stale: number;
  /** Ticks dropped by the count or age bound. */
  evicted: number;
  /** Runs so far (1 + continue-as-new hand-overs). */
  runs: number;
  /**
   * Ticks the store was seeded with when a stream created it: the venue's own quotes for the
   * seconds before the first streamed tick (the simulated venue only; see SIM_BACKFILL_SEC).
   * Counted in `accepted` too; 0 when the store was not seeded.
   */
  backfilled: number;
  /** ts of the newest seeded tick: every tick up to it was backfilled, every later one streamed. */
  backfilled_through_ts: number | null;
}

export interface TickStoreInput {
  exchange: string;
  symbol: string;
  simulated: boolean;
  settings: TickStoreSettings;
  carried?: TickStoreCarriedState;
  /**
   * Quotes for the stretch before the first streamed tick, oldest first: sent with the
   * signal-with-start of a stream's first batch, so they take effect only when that call creates
   * the store (a running store ignores start input) and only on a store without carried state.
   */
  backfill?: TickColumns;
}

/** A batch of ticks for one symbol, as a stream cycle delivers it. */
export interface TickBatch {
  stream_id: string;
  /** Worker time the batch was fetched, ms epoch. */
  received_at: number;
  ticks: MarketTick[];
  /**
   * The feeding stream's interval, ms: ticks further apart than it allows are recorded as a gap.
   * Batches sent before streams carried it have none, and are not checked.
   */
  interval_ms?: number;
}

export const appendTicksSignal = defineSignal<[TickBatch]>('appendTicks');
export const recordGapSignal = defineSignal<[TickGap]>('recordGap');

/** The newest tick of a store, with where it came from. */
export interface LatestTick {
  exchange: string;
  symbol: string;
  simulated: boolean;
  tick: MarketTick;
  /** Worker time the tick was fetched, ms epoch. */
  received_at: number;
  /**
   * Not filled by the query (a query runs on the workflow's clock, not the reader's): readers
   * compute it with `tickAgeMs` against their own clock.
   */
  age_ms?: number;
}

export const latestTickQuery = defineQuery<LatestTick | null>('latestTick');

/** Age of a tick against a reader's clock, ms; never negative (venue clocks may run ahead). */
export function tickAgeMs(latest: Pick<LatestTick, 'tick'>, nowMs: number): number {
  return Math.max(0, nowMs - latest.tick.ts);
}

export interface TicksSinceRequest {
  /** Ticks with ts >= since_ts, oldest first; omitted: the newest `limit` ticks. */
  since_ts?: number | null;
  /** At most this many ticks (default and ceiling: TICKS_PAGE_MAX). */
  limit?: number | null;
}

export const TICKS_PAGE_MAX = 5_000;

export interface TicksPage {
  exchange: string;
  symbol: string;
  simulated: boolean;
  /** Oldest first. */
  ticks: MarketTick[];
  /** Gaps overlapping the returned stretch (or all retained gaps when no tick is returned). */
  gaps: TickGap[];
  /** More ticks follow the returned ones (ask again with since_ts = last ts + 1). */
  has_more: boolean;
  retained: number;
  oldest_ts: number | null;
  newest_ts: number | null;
}

export const ticksSinceQuery = defineQuery<TicksPage, [TicksSinceRequest]>('ticksSince');

export interface TickStoreStatus {
  exchange: string;
  symbol: string;
  simulated: boolean;
  retained: number;
  oldest_ts: number | null;
  newest_ts: number | null;
  gaps: number;
  feeders: Record<string, number>;
  settings: TickStoreSettings;
  stats: TickStoreStats;
}

export const tickStoreStatusQuery = defineQuery<TickStoreStatus>('tickStoreStatus');

/** Retry and hand-over settings of a stream, resolved from the worker's configuration at start. */
export interface MarketStreamSettings {
  /** Cycles before the run continues as new. */
  continueEvery: number;
  /** History length past which the run continues as new. */
  historyLimit: number;
  /** Attempts one cycle's fetch gets before the cycle is recorded as a gap. */
  cycleAttempts: number;
  /** Upper bound of one fetch attempt, ms. */
  fetchTimeoutMs: number;
  /** Pause after a rate-limit answer when the venue names none, ms; an IP ban (418) waits four times this. */
  rateLimitBackoffMs: number;
  store: TickStoreSettings;
}

export interface MarketStreamInput {
  exchange: string;
  /** The stream's own symbol set (canonical); its workflow id is derived from it. */
  symbols: string[];
  interval_sec: number;
  simulated: boolean;
  settings: MarketStreamSettings;
  /** Request id of the call that started the stream: a later call with another id attached. */
  opened_by: string;
  carried?: MarketStreamCarriedState;
}

export interface MarketStreamCarriedState {
  /** Symbols still streamed (a stop may have removed some of the original set). */
  symbols: string[];
  stats: MarketStreamStats;
  /** Start of the current failing stretch, if the last cycle failed. */
  failing_since: number | null;
}

export interface MarketStreamStats {
  cycles: number;
  failed_cycles: number;
  ticks_delivered: number;
  gaps_recorded: number;
  runs: number;
  started_at: number;
  last_success_at: number | null;
  last_error: string | null;
}

export interface MarketStreamStatus {
  workflow_id: string;
  exchange: string;
  simulated: boolean;
  symbols: string[];
  interval_sec: number;
  stopping: boolean;
  opened_by: string;
  stats: MarketStreamStats;
}

export const marketStreamStatusQuery = defineQuery<MarketStreamStatus>('marketStreamStatus');

export interface StopStreamSymbolsRequest {
  /** Symbols to stop; omitted or empty: all of them (the stream completes). */
  symbols?: string[] | null;
}

export interface StopStreamSymbolsResult {
  removed: string[];
  remaining: string[];
  /** The stream has no symbols left and is completing. */
  stopped: boolean;
}

export const stopStreamSymbolsUpdate = defineUpdate<StopStreamSymbolsResult, [StopStreamSymbolsRequest]>('stopStreamSymbols');

export interface AttachStreamRequest {
  request_id: string;
  /** Symbols of this stream's own set to stream again if a stop had removed them. */
  symbols: string[];
}

export const attachStreamUpdate = defineUpdate<MarketStreamStatus, [AttachStreamRequest]>('attachStream');

/** What a stream returns when it has been stopped. */
export interface MarketStreamSummary {
  exchange: string;
  symbols: string[];
  stats: MarketStreamStats;
}

/** One stream cycle: fetch the symbols' tickers at or after not_before and deliver them to their stores. */
export interface StreamCycleRequest {
  stream_id: string;
  exchange: string;
  simulated: boolean;
  symbols: string[];
  /** The cycle's slot on the interval grid, ms epoch: the activity waits for it. */
  not_before: number;
  store: TickStoreSettings;
  /** The stream's interval, ms (absent in requests recorded before it was sent). */
  interval_ms?: number;
  /**
   * When the stream's previous good cycle fetched, ms epoch: a venue that knows its past quotes
   * (the simulator) fills the interval slots skipped since then, so a slow cycle loses no tick.
   */
  previous_fetched_at?: number | null;
}

export interface StreamGapRequest {
  exchange: string;
  simulated: boolean;
  symbols: string[];
  store: TickStoreSettings;
  gap: TickGap;
}

/** What one stream cycle's fetch-and-deliver activity reports (kept small: it is recorded in history). */
export interface StreamCycleResult {
  fetched: number;
  delivered: number;
  /** Symbols the venue returned no quote for this cycle. */
  missing: string[];
  fetched_at: number;
}

/** Requests and results of the short per-call workflows behind the market tools. */
export interface VenueRequest {
  /** A ccxt id or 'sim'; omitted: the worker's MARKET_EXCHANGE. */
  exchange?: string | null;
}

export interface ResolvedVenue {
  exchange: string;
  simulated: boolean;
}

export interface OpenMarketStreamRequest extends VenueRequest {
  request_id: string;
  symbols: string[];
  interval_sec: number;
}

export interface OpenMarketStreamResult extends ResolvedVenue {
  symbols: string[];
  /** The interval the stream runs at (a stream that was already running keeps its own). */
  interval_sec: number;
  requested_interval_sec: number;
  attached: boolean;
  stream_workflow_id: string;
  stream_run_id: string;
  store_workflow_ids: Record<string, string>;
}

export interface StopMarketStreamRequest extends VenueRequest {
  symbols?: string[] | null;
  stream_id?: string | null;
}

export interface StoppedStream {
  workflow_id: string;
  removed: string[];
  remaining: string[];
  stopped: boolean;
}

export interface StopMarketStreamResult {
  exchange: string | null;
  streams: StoppedStream[];
  /** Requested symbols no running stream was delivering. */
  not_streaming: string[];
}

export interface HistoricalTicksRequest extends VenueRequest {
  symbols: string[];
  since_ts?: number | null;
  limit?: number | null;
}

export interface HistoricalTicksResult extends ResolvedVenue {
  series: Array<TicksPage & { workflow_id: string }>;
}

export interface MarketSnapshotRequest extends VenueRequest {
  symbols: string[];
}

export interface SnapshotQuote {
  symbol: string;
  last: number;
  bid: number;
  ask: number;
  spread_bps: number;
  change_24h_pct: number | null;
  volume_24h: number | null;
  ts: number;
  age_ms: number;
  stale: boolean;
  /** 'stream': the newest tick of the symbol's store; 'venue': fetched now (no stream for it). */
  source: 'stream' | 'venue';
  store_workflow_id: string | null;
}

export interface MarketSnapshotResult extends ResolvedVenue {
  taken_at: number;
  stale_after_ms: number;
  quotes: SnapshotQuote[];
}

export interface OhlcvRequest extends VenueRequest {
  symbol: string;
  timeframe: string;
  limit: number;
}

export interface OhlcvCandle {
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface OhlcvResult extends ResolvedVenue {
  symbol: string;
  timeframe: string;
  candles: OhlcvCandle[];
}

/** Error types the market workflows and activities raise; the server kit maps them to isError text. */
export const UNKNOWN_EXCHANGE = 'UnknownExchange';
export const UNKNOWN_SYMBOL = 'UnknownSymbol';
export const VENUE_UNAVAILABLE = 'VenueUnavailable';
export const VENUE_RATE_LIMITED = 'VenueRateLimited';
export const VENUE_BAD_RESPONSE = 'VenueBadResponse';
export const VENUE_REJECTED = 'VenueRejected';
/** A venue answered but left a streamed symbol out: recorded as a gap for that symbol. */
export const VENUE_NO_QUOTE = 'VenueNoQuote';
/**
 * Ticks are missing with no failed cycle to blame: the venue hung or was slow without an error,
 * the worker was down, or the stream was not running. Found by the store from the ticks themselves.
 */
export const TICKS_MISSING = 'TicksMissing';
export const UNSUPPORTED_TIMEFRAME = 'UnsupportedTimeframe';
export const NO_TICK_STORE = 'NoTickStore';
export const STREAM_NOT_FOUND = 'StreamNotFound';

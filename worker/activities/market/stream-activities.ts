/**
 * The I/O of market streams: one cycle's fetch-and-deliver (a new store on the simulated venue
 * is created seeded with that venue's quotes for the SIM_BACKFILL_SEC seconds before its first
 * tick, and an existing one gets the simulator's quotes for any slot the stream skipped), gap
 * reports to the stores, and the start, attach and stop of stream workflows (done here, through
 * the worker's own client and temporal/clients/, because a workflow cannot start or update a
 * workflow that is not its child).
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  STREAM_NOT_FOUND,
  VENUE_NO_QUOTE,
  canonicalSymbols,
  isMarketStreamWorkflowId,
  marketStreamWorkflowId,
  tickStoreWorkflowId,
  type MarketStreamInput,
  type OpenMarketStreamResult,
  type ResolvedVenue,
  type StopMarketStreamRequest,
  type StopMarketStreamResult,
  type StoppedStream,
  type StreamCycleRequest,
  type StreamCycleResult,
  type StreamGapRequest,
  type TickColumns,
} from '../../../schemas/temporal/market.js';
import type { MarketConfig } from '../../config/market-config.js';
import { toColumns } from '../../../domain/market/tick-store-state.js';
import { backfillSeconds, streamSettings } from './stream-settings.js';
import { openStream, stopStreamSymbols, streamExists } from '../../../temporal/clients/market-stream.js';
import { deliverBatch, deliverGap, readStoreStatus } from '../../../temporal/clients/tick-store.js';
import { skippedSlotTicks } from './stream-catch-up.js';
import { resolveVenue } from './venue-resolution.js';
import { getVenue } from './venues/registry.js';
import type { Tick, Venue } from './venues/venue.js';

export interface EnsureStreamRequest extends ResolvedVenue {
  request_id: string;
  symbols: string[];
  interval_sec: number;
}

export function createStreamActivities(config: MarketConfig) {
  /**
   * Stores of a backfilling venue this worker has delivered to: they exist, so their batches carry
   * no backfill. Bounded by the simulated venue's listing. After a restart a store's first batch
   * carries one again, and Temporal drops it: start input only counts when the call creates the
   * store, so a store is seeded once, when it is created, and never on top of ticks it holds.
   */
  const delivered = new Set<string>();

  /** Past quotes for a store this worker has not delivered to yet, ending just before `first`. */
  async function backfillFor(venue: Venue, req: StreamCycleRequest, symbol: string, first: Tick): Promise<TickColumns | undefined> {
    // Only the simulator knows its past quotes exactly; a ccxt venue's past would have to be made
    // up from candles, which are not ticks (see Venue.ticksBefore), so its stores start empty.
    if (!venue.ticksBefore || delivered.has(tickStoreWorkflowId(req.exchange, symbol))) return undefined;
    const seconds = backfillSeconds(config, req.store);
    if (seconds === 0) return undefined;
    // Tens of milliseconds of CPU per symbol: one symbol per turn of the event loop, so a wide
    // stream's first cycle does not hold up everything else the worker runs.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      return toColumns(venue.ticksBefore(symbol, first.ts, seconds));
    } catch (err) {
      // A backfill is a head start, not the stream's job: the live tick goes through without it.
      Context.current().log.warn('no backfill for a new tick store', { exchange: req.exchange, symbol, error: String(err) });
      return undefined;
    }
  }

  return {
    async ingestStreamCycle(req: StreamCycleRequest): Promise<StreamCycleResult> {
      const ctx = Context.current();
      const wait = req.not_before - Date.now();
      if (wait > 0) await ctx.sleep(wait);
      const venue = getVenue(req.exchange, config);
      const fetchedAt = Date.now();
      const ticks = await venue.fetchTickers(req.symbols);
      // When the answer arrived: a store tells a venue that hung from one whose price stood still by it.
      const answeredAt = Date.now();
      const present = req.symbols.filter((s) => ticks[s] !== undefined);
      const missing = req.symbols.filter((s) => ticks[s] === undefined);
      const store = (symbol: string) => ({ exchange: req.exchange, symbol, simulated: req.simulated });
      await Promise.all([
        ...present.map(async (symbol) => {
          const tick = ticks[symbol]!;
          const backfill = await backfillFor(venue, req, symbol, tick);
          // What this stream skipped (a late cycle, a worker restart); a store this batch creates has
          // them from its backfill already and ignores them as not newer.
          const skipped = skippedSlotTicks(venue, symbol, tick, req);
          const batch = { stream_id: req.stream_id, received_at: answeredAt, ticks: [...skipped, tick], interval_ms: req.interval_ms };
          await deliverBatch(ctx.client, ctx.info.taskQueue, store(symbol), req.store, batch, backfill);
          if (venue.ticksBefore) delivered.add(tickStoreWorkflowId(req.exchange, symbol));
        }),
        // A symbol the venue left out of an otherwise good answer is a gap for that symbol alone.
        ...missing.map((symbol) =>
          deliverGap(ctx.client, ctx.info.taskQueue, store(symbol), req.store, {
            from_ts: Math.min(req.not_before, fetchedAt),
            to_ts: fetchedAt,
            cycles: 1,
            error_type: VENUE_NO_QUOTE,
            reason: `${req.exchange} returned no usable quote for ${symbol}`,
            stream_id: req.stream_id,
          }),
        ),
      ]);
      return { fetched: present.length, delivered: present.length, missing, fetched_at: fetchedAt };
    },

    async recordStreamGap(req: StreamGapRequest): Promise<void> {
      const ctx = Context.current();
      await Promise.all(
        req.symbols.map((symbol) =>
          deliverGap(ctx.client, ctx.info.taskQueue, { exchange: req.exchange, symbol, simulated: req.simulated }, req.store, req.gap),
        ),
      );
    },

    async ensureMarketStream(req: EnsureStreamRequest): Promise<OpenMarketStreamResult> {
      const { client, info } = Context.current();
      const symbols = canonicalSymbols(req.symbols);
      const workflowId = marketStreamWorkflowId(req.exchange, symbols);
      const input: MarketStreamInput = {
        exchange: req.exchange,
        symbols,
        interval_sec: req.interval_sec,
        simulated: req.simulated,
        settings: streamSettings(config),
        opened_by: req.request_id,
      };
      const { status, runId } = await openStream(client, info.taskQueue, input, req.request_id);
      return {
        exchange: req.exchange,
        simulated: req.simulated,
        symbols,
        interval_sec: status.interval_sec,
        requested_interval_sec: req.interval_sec,
        attached: status.opened_by !== req.request_id,
        stream_workflow_id: workflowId,
        stream_run_id: runId,
        store_workflow_ids: Object.fromEntries(symbols.map((s) => [s, tickStoreWorkflowId(req.exchange, s)])),
      };
    },

    async stopMarketStreams(req: StopMarketStreamRequest): Promise<StopMarketStreamResult> {
      const { client } = Context.current();
      const asked = req.symbols && req.symbols.length > 0 ? canonicalSymbols(req.symbols) : null;
      if (req.stream_id) {
        if (!isMarketStreamWorkflowId(req.stream_id)) {
          throw ApplicationFailure.create({
            type: STREAM_NOT_FOUND,
            nonRetryable: true,
            message: `${req.stream_id} is not a market stream id; stream ids look like market-stream:<exchange>:<symbols> (start_market_stream returns them)`,
          });
        }
        if (!(await streamExists(client, req.stream_id))) {
          throw ApplicationFailure.create({
            type: STREAM_NOT_FOUND,
            nonRetryable: true,
            message: `no stream ${req.stream_id} exists; start_market_stream returns the ids of the streams it starts`,
          });
        }
        const stopped = await stopStreamSymbols(client, req.stream_id, asked);
        return {
          exchange: req.stream_id.split(':')[1] ?? null,
          // A stream that had already finished is reported as stopped with nothing removed.
          streams: [stopped ?? { workflow_id: req.stream_id, removed: [], remaining: [], stopped: true }],
          not_streaming: asked ? asked.filter((s) => !stopped?.removed.includes(s)) : [],
        };
      }
      if (!asked) {
        throw ApplicationFailure.create({ type: 'InvalidRequest', nonRetryable: true, message: 'name the symbols to stop or a stream_id' });
      }
      const { resolved } = resolveVenue(req, config);
      // Streams that feed each symbol are known to its store; the stream for exactly this set may
      // not have delivered yet, so it is asked too.
      const candidates = new Set<string>([marketStreamWorkflowId(resolved.exchange, asked)]);
      for (const symbol of asked) {
        const status = await readStoreStatus(client, resolved.exchange, symbol);
        for (const id of Object.keys(status?.feeders ?? {})) candidates.add(id);
      }
      const streams: StoppedStream[] = [];
      for (const id of candidates) {
        const stopped = await stopStreamSymbols(client, id, asked);
        if (stopped && stopped.removed.length > 0) streams.push(stopped);
      }
      const removed = new Set(streams.flatMap((s) => s.removed));
      return { exchange: resolved.exchange, streams, not_streaming: asked.filter((s) => !removed.has(s)) };
    },
  };
}

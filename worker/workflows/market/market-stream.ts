/**
 * One fan-in stream per exchange and symbol set. Each cycle is a single activity that waits for
 * its slot on the interval grid, fetches every symbol's ticker from the venue and hands each tick
 * to that symbol's store itself, so the stream's own history grows by about six events per cycle
 * whatever the number of symbols. A cycle whose attempts run out is recorded as a gap in the stores,
 * counting every interval slot it cost, and the stream goes on (the stores close the gap at the
 * first tick after it, and find holes no cycle failed for themselves); a rate-limited venue is
 * left alone for the pause it asked for. The run continues as new every STREAM_CONTINUE_EVERY
 * cycles, past STREAM_HISTORY_LIMIT events or when the server suggests it.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  VENUE_RATE_LIMITED,
  attachStreamUpdate,
  canonicalSymbols,
  marketStreamStatusQuery,
  stopStreamSymbolsUpdate,
  type MarketStreamInput,
  type MarketStreamStats,
  type MarketStreamStatus,
  type MarketStreamSummary,
  type StreamCycleResult,
} from '../../../schemas/temporal/market.js';
import type { MarketActivities } from '../../activities/market/index.js';
import { cycleAttemptTimeoutMs, missedSlots, nextSlot, requestedPauseMs, waitsInActivity } from '../../../domain/market/stream-schedule.js';

function newStats(now: number): MarketStreamStats {
  return {
    cycles: 0,
    failed_cycles: 0,
    ticks_delivered: 0,
    gaps_recorded: 0,
    runs: 0,
    started_at: now,
    last_success_at: null,
    last_error: null,
  };
}

export async function marketStreamWorkflow(input: MarketStreamInput): Promise<MarketStreamSummary> {
  const { exchange, simulated, settings } = input;
  const ownSymbols = canonicalSymbols(input.symbols ?? []);
  const intervalMs = input.interval_sec * 1000;
  if (ownSymbols.length === 0 || !Number.isInteger(input.interval_sec) || input.interval_sec < 1) {
    throw ApplicationFailure.create({ nonRetryable: true, type: 'InvalidStream', message: 'a stream needs at least one symbol and an interval_sec >= 1' });
  }
  const workflowId = workflowInfo().workflowId;
  let symbols = input.carried?.symbols ?? ownSymbols;
  const stats = input.carried?.stats ?? newStats(Date.now());
  stats.runs += 1;
  let failingSince = input.carried?.failing_since ?? null;
  // The end of the stretch whose missed slots a gap record has counted, while cycles keep failing.
  let missedCountedThrough: number | null = null;
  let stopping = symbols.length === 0;
  let closing = false;
  let cyclesThisRun = 0;

  const { ingestStreamCycle } = proxyActivities<MarketActivities>({
    startToCloseTimeout: cycleAttemptTimeoutMs(settings, intervalMs),
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: settings.cycleAttempts },
  });
  // Telling the stores about a gap only needs Temporal itself: retry it until it lands.
  const { recordStreamGap } = proxyActivities<MarketActivities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
  });

  const status = (): MarketStreamStatus => ({
    workflow_id: workflowId,
    exchange,
    simulated,
    symbols: [...symbols],
    interval_sec: input.interval_sec,
    stopping,
    opened_by: input.opened_by,
    stats: { ...stats },
  });

  setHandler(marketStreamStatusQuery, status);

  setHandler(
    stopStreamSymbolsUpdate,
    (req) => {
      const asked = req?.symbols && req.symbols.length > 0 ? new Set(req.symbols) : new Set(symbols);
      const removed = symbols.filter((s) => asked.has(s));
      symbols = symbols.filter((s) => !asked.has(s));
      if (symbols.length === 0) stopping = true;
      return { removed, remaining: [...symbols], stopped: stopping };
    },
    {
      validator: (req) => {
        if (req?.symbols != null && (!Array.isArray(req.symbols) || req.symbols.some((s: unknown) => typeof s !== 'string'))) {
          throw new Error('symbols must be a list of symbol strings');
        }
      },
    },
  );

  setHandler(
    attachStreamUpdate,
    (req) => {
      const wanted = new Set(req.symbols);
      symbols = ownSymbols.filter((s) => wanted.has(s) || symbols.includes(s));
      stopping = symbols.length === 0;
      return status();
    },
    {
      validator: (req) => {
        // A stream that has left its loop cannot take symbols back: the caller starts a new run.
        if (closing) throw new Error('this stream run is closing; start the stream again');
        if (!req || !Array.isArray(req.symbols) || req.symbols.some((s: string) => !ownSymbols.includes(s))) {
          throw new Error(`a stream attaches only its own symbols (${ownSymbols.join(', ')})`);
        }
      },
    },
  );

  const handOver = () =>
    cyclesThisRun >= settings.continueEvery ||
    workflowInfo().historyLength >= settings.historyLimit ||
    workflowInfo().continueAsNewSuggested;

  while (!stopping && !handOver()) {
    const slot = nextSlot(Date.now(), intervalMs);
    if (!waitsInActivity(intervalMs)) {
      await condition(() => stopping, slot - Date.now());
      if (stopping) break;
    }
    cyclesThisRun += 1;
    stats.cycles += 1;
    const cycleSymbols = [...symbols];
    try {
      const result: StreamCycleResult = await ingestStreamCycle({
        stream_id: workflowId,
        exchange,
        simulated,
        symbols: cycleSymbols,
        not_before: slot,
        store: settings.store,
        interval_ms: intervalMs,
        previous_fetched_at: stats.last_success_at,
      });
      stats.ticks_delivered += result.delivered;
      stats.last_success_at = result.fetched_at;
      failingSince = null;
      missedCountedThrough = null;
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      const cause = err.cause;
      const failure = cause instanceof ApplicationFailure ? cause : undefined;
      const errorType = failure?.type ?? cause?.name ?? 'CycleFailed';
      const reason = cause?.message ?? err.message;
      const from = failingSince ?? stats.last_success_at ?? slot;
      failingSince = from;
      // Every slot since the last count went without a tick: the cycle's own, those its retries
      // sat through and those of a rate limit's pause before it.
      const now = Date.now();
      const cycles = missedSlots(missedCountedThrough ?? slot - 1, now, intervalMs);
      missedCountedThrough = now;
      stats.failed_cycles += 1;
      stats.gaps_recorded += 1;
      stats.last_error = `${errorType}: ${reason}`;
      await recordStreamGap({
        exchange,
        simulated,
        symbols: cycleSymbols,
        store: settings.store,
        gap: { from_ts: from, to_ts: now, cycles, error_type: errorType, reason, stream_id: workflowId },
      });
      if (errorType === VENUE_RATE_LIMITED) {
        // Coming straight back would extend the ban: leave the venue alone for the pause it asked for.
        await condition(() => stopping, requestedPauseMs(failure?.details ?? undefined));
      }
    }
  }

  closing = true;
  await condition(allHandlersFinished);
  if (!stopping) {
    await continueAsNew<typeof marketStreamWorkflow>({
      ...input,
      carried: { symbols, stats, failing_since: failingSince },
    });
  }
  return { exchange, symbols: ownSymbols, stats };
}

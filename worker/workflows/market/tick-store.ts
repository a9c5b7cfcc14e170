/**
 * One long-lived tick store per exchange and symbol, fed by stream cycles through signals (sent
 * with signal-with-start, so the first batch creates the store, seeded with the venue's own recent
 * quotes when the stream brings them). It keeps a bounded window of ticks and gaps, answers
 * queries for the newest tick and for ticks since a time, and continues as new on a batch count,
 * a history length or the server's suggestion, carrying the window.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import {
  appendTicksSignal,
  latestTickQuery,
  recordGapSignal,
  tickStoreStatusQuery,
  ticksSinceQuery,
  type LatestTick,
  type TickStoreInput,
} from '../../../schemas/temporal/market.js';
import { appendBatch, carryState, fromColumns, recordGap, restoreState, seedBackfill, ticksSince } from '../../../domain/market/tick-store-state.js';

export async function tickStoreWorkflow(input: TickStoreInput): Promise<void> {
  const { exchange, symbol, simulated, settings } = input;
  const state = restoreState(input.carried);
  // A store created by a stream's first batch may come with the venue's quotes for the stretch
  // before it; they are in place before that batch's signal is handled.
  if (!input.carried && input.backfill) seedBackfill(state, fromColumns(input.backfill), settings);
  state.stats.runs += 1;
  let handledThisRun = 0;

  setHandler(appendTicksSignal, (batch) => {
    appendBatch(state, batch, settings);
    handledThisRun += 1;
  });

  setHandler(recordGapSignal, (gap) => {
    recordGap(state, gap, settings);
    handledThisRun += 1;
  });

  setHandler(latestTickQuery, (): LatestTick | null => {
    const tick = state.ticks[state.ticks.length - 1];
    if (!tick) return null;
    return { exchange, symbol, simulated, tick, received_at: state.last_received_at ?? tick.ts };
  });

  setHandler(ticksSinceQuery, (req) => {
    const slice = ticksSince(state, req);
    return {
      exchange,
      symbol,
      simulated,
      ...slice,
      retained: state.ticks.length,
      oldest_ts: state.ticks[0]?.ts ?? null,
      newest_ts: state.ticks[state.ticks.length - 1]?.ts ?? null,
    };
  });

  setHandler(tickStoreStatusQuery, () => ({
    exchange,
    symbol,
    simulated,
    retained: state.ticks.length,
    oldest_ts: state.ticks[0]?.ts ?? null,
    newest_ts: state.ticks[state.ticks.length - 1]?.ts ?? null,
    gaps: state.gaps.length,
    feeders: { ...state.feeders },
    settings,
    stats: { ...state.stats },
  }));

  await condition(
    () =>
      handledThisRun >= settings.continueEvery ||
      workflowInfo().historyLength >= settings.historyLimit ||
      workflowInfo().continueAsNewSuggested,
  );
  await condition(allHandlersFinished);
  await continueAsNew<typeof tickStoreWorkflow>({ exchange, symbol, simulated, settings, carried: carryState(state) });
}

/**
 * The tick store's pure state transitions, apart from the workflow so they can be unit tested:
 * ticks are kept oldest first and strictly increasing in ts (a tick not newer than the newest one
 * is ignored, so redelivered or out-of-order batches never duplicate or reorder anything), bounded
 * by count and by age, with the gaps the feeding streams reported alongside.
 */
import {
  TICKS_MISSING,
  TICKS_PAGE_MAX,
  type MarketTick,
  type TickBatch,
  type TickColumns,
  type TickGap,
  type TickStoreCarriedState,
  type TickStoreSettings,
  type TickStoreStats,
  type TicksSinceRequest,
} from '../../schemas/temporal/market.js';

/** Streams remembered as feeders of a store (the most recent ones). */
export const MAX_FEEDERS = 32;

/**
 * Slack on top of one interval before two consecutive ticks count as a gap: venue timestamps and
 * cycle starts jitter by a fraction of an interval, a missed slot moves the next tick a whole one.
 */
export function gapThresholdMs(intervalMs: number): number {
  return intervalMs + intervalMs / 2;
}

/** Interval slots with no tick between a tick at fromTs and the next one at toTs (at least one). */
export function missedIntervals(fromTs: number, toTs: number, intervalMs: number): number {
  return Math.max(1, Math.round((toTs - fromTs) / intervalMs) - 1);
}

function validInterval(ms: unknown): number | null {
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : null;
}

export interface TickStoreState {
  ticks: MarketTick[];
  gaps: TickGap[];
  feeders: Record<string, number>;
  last_received_at: number | null;
  stats: TickStoreStats;
  /** The newest event was a gap: the next failed cycle of the same stream extends it. */
  gapOpen: boolean;
  /** Worker time of the newest batch that carried any quote (see TickStoreCarriedState). */
  last_answered_at: number | null;
}

export function emptyStats(): TickStoreStats {
  return { accepted: 0, ignored_invalid: 0, ignored_stale: 0, evicted: 0, runs: 0, backfilled: 0, backfilled_through_ts: null };
}

export function restoreState(carried: TickStoreCarriedState | undefined): TickStoreState {
  if (!carried) return { ticks: [], gaps: [], feeders: {}, last_received_at: null, stats: emptyStats(), gapOpen: false, last_answered_at: null };
  return {
    ticks: fromColumns(carried.ticks),
    gaps: [...carried.gaps],
    feeders: { ...carried.feeders },
    last_received_at: carried.last_received_at,
    stats: { ...emptyStats(), ...carried.stats },
    gapOpen: carried.gap_open,
    // State carried before this was kept: the newest tick's receipt is the best guess.
    last_answered_at: carried.last_answered_at ?? carried.last_received_at,
  };
}

export function carryState(state: TickStoreState): TickStoreCarriedState {
  return {
    ticks: toColumns(state.ticks),
    gaps: state.gaps,
    feeders: state.feeders,
    last_received_at: state.last_received_at,
    stats: state.stats,
    gap_open: state.gapOpen,
    last_answered_at: state.last_answered_at,
  };
}

export function toColumns(ticks: readonly MarketTick[]): TickColumns {
  return {
    ts: ticks.map((t) => t.ts),
    bid: ticks.map((t) => t.bid),
    ask: ticks.map((t) => t.ask),
    last: ticks.map((t) => t.last),
    volume: ticks.map((t) => t.volume ?? null),
    change_24h_pct: ticks.map((t) => t.change_24h_pct ?? null),
  };
}

export function fromColumns(c: TickColumns): MarketTick[] {
  return c.ts.map((ts, i) => ({
    ts,
    bid: c.bid[i] as number,
    ask: c.ask[i] as number,
    last: c.last[i] as number,
    volume: c.volume[i] ?? null,
    change_24h_pct: c.change_24h_pct[i] ?? null,
  }));
}

function isPrice(x: unknown): x is number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0;
}

function optionalFinite(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

/** A tick as stored, or undefined when it cannot be trusted. */
export function cleanTick(raw: MarketTick): MarketTick | undefined {
  if (!raw || !Number.isSafeInteger(raw.ts) || raw.ts <= 0) return undefined;
  if (!isPrice(raw.bid) || !isPrice(raw.ask) || !isPrice(raw.last)) return undefined;
  return {
    ts: raw.ts,
    bid: raw.bid,
    ask: raw.ask,
    last: raw.last,
    volume: optionalFinite(raw.volume),
    change_24h_pct: optionalFinite(raw.change_24h_pct),
  };
}

export interface AppendOutcome {
  accepted: number;
  ignored_stale: number;
  ignored_invalid: number;
  evicted: number;
}

/**
 * Appends a batch: valid ticks newer than the newest stored one, in ts order; then the bounds.
 * Gaps are decided from the ticks themselves: the first tick after a gap a failed cycle opened
 * closes it at that tick's ts, and a tick further from the one before than the feeding stream's
 * interval allows (while the venue did not answer either) is a gap of its own from the tick before
 * to this one, whatever the cause (a hang, a rate limit's pause, a worker restart).
 */
export function appendBatch(state: TickStoreState, batch: TickBatch, settings: TickStoreSettings): AppendOutcome {
  const outcome: AppendOutcome = { accepted: 0, ignored_stale: 0, ignored_invalid: 0, evicted: 0 };
  const incoming = Array.isArray(batch?.ticks) ? [...batch.ticks] : [];
  incoming.sort((a, b) => (a?.ts ?? 0) - (b?.ts ?? 0));
  const intervalMs = validInterval(batch?.interval_ms);
  const answeredBefore = state.last_answered_at;
  for (const raw of incoming) {
    const tick = cleanTick(raw);
    if (!tick) {
      outcome.ignored_invalid += 1;
      continue;
    }
    const newest = state.ticks[state.ticks.length - 1];
    if (newest && tick.ts <= newest.ts) {
      outcome.ignored_stale += 1;
      continue;
    }
    noteHoleBefore(state, newest, tick, intervalMs, batch, answeredBefore);
    state.ticks.push(tick);
    outcome.accepted += 1;
  }
  if (outcome.accepted > 0) state.last_received_at = batch.received_at;
  // The venue answered: a failed stretch ends here, even if the price had not moved.
  if (outcome.accepted > 0 || outcome.ignored_stale > 0) {
    state.gapOpen = false;
    if (Number.isFinite(batch.received_at)) state.last_answered_at = Math.max(state.last_answered_at ?? 0, batch.received_at);
  }
  if (batch?.stream_id) rememberFeeder(state, batch.stream_id, batch.received_at);
  outcome.evicted = enforceRetention(state, settings);
  state.stats.accepted += outcome.accepted;
  state.stats.ignored_stale += outcome.ignored_stale;
  state.stats.ignored_invalid += outcome.ignored_invalid;
  state.stats.evicted += outcome.evicted;
  return outcome;
}

/** What the stretch between the newest stored tick and the next accepted one says about gaps. */
function noteHoleBefore(
  state: TickStoreState,
  before: MarketTick | undefined,
  after: MarketTick,
  intervalMs: number | null,
  batch: TickBatch,
  answeredBefore: number | null,
): void {
  const open = state.gapOpen ? state.gaps[state.gaps.length - 1] : undefined;
  if (open) {
    // Ticks resumed: the outage ends at the first of them, and counts every slot it cost. (A gap
    // opened on an empty store is dated by the worker's clock; a venue quoting older times than
    // that, a replayed recording, leaves it as the stream dated it.)
    if (after.ts >= open.from_ts) {
      open.to_ts = after.ts;
      if (intervalMs !== null) open.cycles = Math.max(open.cycles, missedIntervals(open.from_ts, open.to_ts, intervalMs));
    }
    state.gapOpen = false;
    return;
  }
  if (!before || intervalMs === null) return;
  const threshold = gapThresholdMs(intervalMs);
  if (after.ts - before.ts <= threshold) return;
  // A venue whose price stood still kept answering with its old quote: that is no outage.
  if (answeredBefore !== null && Number.isFinite(batch.received_at) && batch.received_at - answeredBefore <= threshold) return;
  const cycles = missedIntervals(before.ts, after.ts, intervalMs);
  state.gaps.push({
    from_ts: before.ts,
    to_ts: after.ts,
    cycles,
    error_type: TICKS_MISSING,
    reason: `no tick for ${Math.round((after.ts - before.ts) / 1000)} s (${cycles} of the stream's ${intervalMs / 1000} s intervals) with no failed cycle: the venue hung or was slow, the worker was down, or no stream ran`,
    stream_id: batch.stream_id,
  });
}

/**
 * Seeds a store that has never held a tick with the venue's own quotes for the stretch before its
 * first streamed tick. A store that holds or ever accepted ticks, or was seeded already, takes
 * nothing. Keeps the valid ticks, strictly increasing in ts, at most retentionCount of them (the
 * newest) and none older than the age bound; they count as accepted and as backfilled.
 */
export function seedBackfill(state: TickStoreState, ticks: readonly MarketTick[], settings: TickStoreSettings): number {
  if (state.ticks.length > 0 || state.stats.accepted > 0 || state.stats.backfilled > 0) return 0;
  const valid: MarketTick[] = [];
  for (const raw of ticks) {
    const tick = cleanTick(raw);
    if (tick) valid.push(tick);
    else state.stats.ignored_invalid += 1;
  }
  valid.sort((a, b) => a.ts - b.ts);
  const increasing = valid.filter((t, i) => i === 0 || t.ts > (valid[i - 1] as MarketTick).ts);
  const newest = increasing.slice(-Math.max(0, settings.retentionCount));
  const last = newest[newest.length - 1];
  const cutoff = last ? last.ts - settings.retentionMs : 0;
  const kept = newest.filter((t) => t.ts >= cutoff);
  state.ticks.push(...kept);
  state.stats.accepted += kept.length;
  state.stats.backfilled = kept.length;
  state.stats.backfilled_through_ts = kept[kept.length - 1]?.ts ?? null;
  return kept.length;
}

function rememberFeeder(state: TickStoreState, streamId: string, at: number): void {
  state.feeders[streamId] = at;
  const ids = Object.keys(state.feeders);
  if (ids.length <= MAX_FEEDERS) return;
  const oldest = ids.sort((a, b) => (state.feeders[a] as number) - (state.feeders[b] as number)).slice(0, ids.length - MAX_FEEDERS);
  for (const id of oldest) delete state.feeders[id];
}

/** Drops ticks beyond the count bound and older than the age bound (from the newest tick). */
export function enforceRetention(state: TickStoreState, settings: TickStoreSettings): number {
  const newest = state.ticks[state.ticks.length - 1];
  if (!newest) return 0;
  const cutoff = newest.ts - settings.retentionMs;
  let drop = Math.max(0, state.ticks.length - settings.retentionCount);
  while (drop < state.ticks.length && (state.ticks[drop] as MarketTick).ts < cutoff) drop += 1;
  if (drop > 0) state.ticks.splice(0, drop);
  const oldest = state.ticks[0];
  // Gaps are kept while they overlap the retained stretch, and never more than maxGaps of them.
  if (oldest) state.gaps = state.gaps.filter((g) => g.to_ts >= oldest.ts);
  if (state.gaps.length > settings.maxGaps) state.gaps.splice(0, state.gaps.length - settings.maxGaps);
  return drop;
}

/**
 * Records a failed stretch; consecutive failures of the same stream merge into one gap. A new gap
 * starts at the newest stored tick (the last one before it), not when the stream noticed.
 */
export function recordGap(state: TickStoreState, gap: TickGap, settings: TickStoreSettings): void {
  if (!gap || !Number.isFinite(gap.from_ts) || !Number.isFinite(gap.to_ts)) return;
  const cycles = Number.isFinite(gap.cycles) ? Math.max(1, Math.floor(gap.cycles)) : 1;
  const last = state.gaps[state.gaps.length - 1];
  if (state.gapOpen && last && last.stream_id === gap.stream_id) {
    // The start stays where the gap opened (the last tick before it): the stream's own idea of
    // it is when its last good cycle began fetching, a moment before that tick's venue time.
    last.to_ts = Math.max(last.to_ts, gap.to_ts);
    last.cycles += cycles;
    last.error_type = gap.error_type;
    last.reason = gap.reason;
  } else {
    const newest = state.ticks[state.ticks.length - 1];
    const from = newest ? newest.ts : gap.from_ts;
    state.gaps.push({ ...gap, from_ts: from, to_ts: Math.max(from, gap.to_ts), cycles });
    if (state.gaps.length > settings.maxGaps) state.gaps.splice(0, state.gaps.length - settings.maxGaps);
  }
  state.gapOpen = true;
}

/** Index of the first tick with ts >= since (ticks are strictly increasing). */
function firstIndexAtOrAfter(ticks: readonly MarketTick[], since: number): number {
  let lo = 0;
  let hi = ticks.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ticks[mid] as MarketTick).ts < since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface TicksSlice {
  ticks: MarketTick[];
  gaps: TickGap[];
  has_more: boolean;
}

/**
 * With since_ts: the first `limit` ticks at or after it (page on with since_ts = last ts + 1).
 * Without: the newest `limit` ticks. Gaps that overlap the stretch asked for come along.
 */
export function ticksSince(state: TickStoreState, req: TicksSinceRequest | undefined): TicksSlice {
  const limit = Math.max(1, Math.min(TICKS_PAGE_MAX, Math.floor(req?.limit ?? TICKS_PAGE_MAX)));
  const since = typeof req?.since_ts === 'number' && Number.isFinite(req.since_ts) ? req.since_ts : null;
  let start: number;
  let end: number;
  if (since !== null) {
    start = firstIndexAtOrAfter(state.ticks, since);
    end = Math.min(state.ticks.length, start + limit);
  } else {
    end = state.ticks.length;
    start = Math.max(0, end - limit);
  }
  const ticks = state.ticks.slice(start, end);
  const has_more = end < state.ticks.length;
  const from = since ?? ticks[0]?.ts ?? -Infinity;
  const to = has_more ? (ticks[ticks.length - 1] as MarketTick).ts : Infinity;
  const gaps = state.gaps.filter((g) => g.to_ts >= from && g.from_ts <= to).map((g) => ({ ...g }));
  return { ticks, gaps, has_more };
}

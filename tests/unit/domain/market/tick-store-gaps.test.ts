/**
 * Gaps decided from the ticks themselves: a hole longer than the stream's interval allows is a gap
 * from the tick before to the tick after, counted in missed slots; a gap a failed cycle opened ends
 * at the first tick after it; a venue whose price stood still (it kept answering) is no gap.
 */
import { describe, expect, it } from 'vitest';
import { TICKS_MISSING, type MarketTick, type TickGap, type TickStoreSettings } from '../../../../schemas/temporal/market.js';
import { appendBatch, carryState, gapThresholdMs, missedIntervals, recordGap, restoreState } from '../../../../domain/market/tick-store-state.js';
import { missedSlots } from '../../../../domain/market/stream-schedule.js';

const STREAM = 'market-stream:binance:SOL/USDT';
const settings: TickStoreSettings = { retentionCount: 1_000, retentionMs: 3_600_000, maxGaps: 10, continueEvery: 1_000, historyLimit: 9_000 };
const tickAt = (ts: number): MarketTick => ({ ts, bid: 99, ask: 101, last: 100, volume: 1, change_24h_pct: 0 });

/** A batch of a 1 s stream whose answer arrived at `receivedAt` (the tick's own ts unless said). */
const batch = (ts: number[], receivedAt = ts[ts.length - 1] ?? 0, intervalMs = 1_000) => ({
  stream_id: STREAM,
  received_at: receivedAt,
  ticks: ts.map(tickAt),
  interval_ms: intervalMs,
});

const failure = (from: number, to: number, cycles: number): TickGap => ({
  from_ts: from,
  to_ts: to,
  cycles,
  error_type: 'VenueRateLimited',
  reason: 'binance is rate limiting requests',
  stream_id: STREAM,
});

const spans = (gaps: TickGap[]) => gaps.map((g) => [g.from_ts, g.to_ts, g.cycles, g.error_type]);

describe('holes between ticks', () => {
  it('records a hang as one gap from the tick before to the tick after, in missed slots', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([1_000]), settings);
    appendBatch(state, batch([2_050]), settings);
    appendBatch(state, batch([6_020]), settings);
    appendBatch(state, batch([7_010]), settings);
    expect(spans(state.gaps)).toEqual([[2_050, 6_020, 3, TICKS_MISSING]]);
    expect(state.gaps[0]!.stream_id).toBe(STREAM);
    expect(state.gaps[0]!.reason).toMatch(/no tick for 4 s/);
  });

  it('lets venue timestamps jitter by up to half an interval without a gap', () => {
    const state = restoreState(undefined);
    for (const ts of [1_000, 2_400, 3_900, 4_600, 6_100]) appendBatch(state, batch([ts]), settings);
    expect(state.gaps).toEqual([]);
    appendBatch(state, batch([7_700]), settings);
    expect(spans(state.gaps)).toEqual([[6_100, 7_700, 1, TICKS_MISSING]]);
  });

  it('measures against the feeding stream interval: 5 s apart is fine for a 5 s stream', () => {
    const state = restoreState(undefined);
    for (const ts of [5_000, 10_000, 15_000]) appendBatch(state, batch([ts], ts, 5_000), settings);
    expect(state.gaps).toEqual([]);
    appendBatch(state, batch([30_000], 30_000, 5_000), settings);
    expect(spans(state.gaps)).toEqual([[15_000, 30_000, 2, TICKS_MISSING]]);
  });

  it('is no gap while the venue kept answering with an unchanged quote', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([1_000], 1_000), settings);
    for (const at of [2_000, 3_000, 4_000]) appendBatch(state, batch([1_000], at), settings);
    appendBatch(state, batch([5_000], 5_000), settings);
    expect(state.gaps).toEqual([]);
    expect(state.stats.ignored_stale).toBe(3);
  });

  it('leaves batches without an interval (sent before streams carried one) unchecked', () => {
    const state = restoreState(undefined);
    appendBatch(state, { stream_id: STREAM, received_at: 1_000, ticks: [tickAt(1_000)] }, settings);
    appendBatch(state, { stream_id: STREAM, received_at: 9_000, ticks: [tickAt(9_000)] }, settings);
    expect(state.gaps).toEqual([]);
  });

  it('takes the skipped slots a batch fills (a caught-up simulator) as ticks, not as a hole', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([1_000]), settings);
    appendBatch(state, batch([2_000, 3_000, 4_000, 5_000]), settings);
    expect(state.gaps).toEqual([]);
    expect(state.ticks.map((t) => t.ts)).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
  });
});

describe('gaps that failed cycles opened', () => {
  it('start at the last tick before, merge, and end at the first tick after with every missed slot', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([1_000]), settings);
    // A 429 then a 418: two failed cycles that together cost five slots, noticed late.
    recordGap(state, failure(900, 4_300, 3), settings);
    // The stream dates the stretch from when its last good cycle began fetching (900), a moment
    // before that cycle's tick: the gap keeps starting at the tick.
    recordGap(state, { ...failure(900, 6_200, 2), error_type: 'VenueRateLimited', reason: 'banned' }, settings);
    expect(spans(state.gaps)).toEqual([[1_000, 6_200, 5, 'VenueRateLimited']]);
    // Ticks resume after the ban's pause: the gap ends there and counts the pause's slots too.
    appendBatch(state, batch([9_000]), settings);
    appendBatch(state, batch([10_000]), settings);
    expect(spans(state.gaps)).toEqual([[1_000, 9_000, 7, 'VenueRateLimited']]);
    expect(state.gaps[0]!.reason).toBe('banned');
    expect(state.gapOpen).toBe(false);
  });

  it('keeps the failed-cycle count when the ticks themselves show fewer missed slots', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([1_000]), settings);
    recordGap(state, failure(1_000, 3_000, 4), settings);
    appendBatch(state, batch([2_000], 5_000), settings);
    expect(spans(state.gaps)).toEqual([[1_000, 2_000, 4, 'VenueRateLimited']]);
  });

  it('on an empty store starts where the stream says and ends at the first tick', () => {
    const state = restoreState(undefined);
    recordGap(state, failure(1_000, 2_500, 2), settings);
    appendBatch(state, batch([4_000]), settings);
    expect(spans(state.gaps)).toEqual([[1_000, 4_000, 2, 'VenueRateLimited']]);
    // A venue quoting times before the stream's own dating (a replayed recording) leaves it be.
    const replayed = restoreState(undefined);
    recordGap(replayed, failure(10_000, 12_500, 2), settings);
    appendBatch(replayed, batch([4_000], 13_000), settings);
    expect(spans(replayed.gaps)).toEqual([[10_000, 12_500, 2, 'VenueRateLimited']]);
  });

  it('survives a hand-over while open, and state carried before answers were kept restores', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([1_000]), settings);
    recordGap(state, failure(1_000, 3_000, 2), settings);
    const carried = carryState(state);
    const restored = restoreState(JSON.parse(JSON.stringify(carried)));
    appendBatch(restored, batch([6_000]), settings);
    expect(spans(restored.gaps)).toEqual([[1_000, 6_000, 4, 'VenueRateLimited']]);

    const { last_answered_at: _dropped, ...old } = carryState(restoreState(undefined));
    const fromOld = restoreState({ ...old, ticks: { ts: [1_000], bid: [99], ask: [101], last: [100], volume: [1], change_24h_pct: [0] }, last_received_at: 1_000 });
    expect(fromOld.last_answered_at).toBe(1_000);
    appendBatch(fromOld, batch([5_000]), settings);
    expect(spans(fromOld.gaps)).toEqual([[1_000, 5_000, 3, TICKS_MISSING]]);
  });
});

describe('slot arithmetic', () => {
  it('counts missed slots between ticks and within a failing stretch', () => {
    expect(gapThresholdMs(1_000)).toBe(1_500);
    expect(missedIntervals(1_000, 2_000, 1_000)).toBe(1);
    expect(missedIntervals(1_000, 6_000, 1_000)).toBe(4);
    // The failed cycle of slot 10 s whose retries ran until 11.2 s cost slots 10 and 11.
    expect(missedSlots(9_999, 11_200, 1_000)).toBe(2);
    expect(missedSlots(11_200, 14_050, 1_000)).toBe(3);
    expect(missedSlots(10_000, 10_000, 1_000)).toBe(1);
  });
});

/**
 * The tick store's pure transitions: whatever order, duplication or garbage the batches arrive
 * with, stored ticks are valid, strictly increasing in ts, each taken from the input, and within
 * the count and age bounds; carried state restores exactly; paging reads every tick once.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketTick, TickGap, TickStoreSettings } from '../../../../schemas/temporal/market.js';
import {
  appendBatch,
  carryState,
  recordGap,
  restoreState,
  seedBackfill,
  ticksSince,
  type TickStoreState,
} from '../../../../domain/market/tick-store-state.js';

const settings = (over: Partial<TickStoreSettings> = {}): TickStoreSettings => ({
  retentionCount: 1_000,
  retentionMs: 3_600_000,
  maxGaps: 10,
  continueEvery: 1_000,
  historyLimit: 9_000,
  ...over,
});

const tickAt = (ts: number, price = 100): MarketTick => ({ ts, bid: price - 0.01, ask: price + 0.01, last: price, volume: 10, change_24h_pct: 1.5 });

const batch = (ticks: MarketTick[], receivedAt = 0, streamId = 'market-stream:sim:A/B') => ({ stream_id: streamId, received_at: receivedAt, ticks });

const gap = (from: number, to: number, streamId = 'market-stream:sim:A/B'): TickGap => ({
  from_ts: from,
  to_ts: to,
  cycles: 1,
  error_type: 'VenueUnavailable',
  reason: 'venue down',
  stream_id: streamId,
});

const arbitraryTick = fc.record({
  ts: fc.integer({ min: 1, max: 200 }).map((s) => s * 1000),
  bid: fc.double({ min: 1, max: 1e5, noNaN: true }),
  ask: fc.double({ min: 1, max: 1e5, noNaN: true }),
  last: fc.oneof(fc.double({ min: 1, max: 1e5, noNaN: true }), fc.constantFrom(Number.NaN, 0, -1, Number.POSITIVE_INFINITY)),
  volume: fc.option(fc.double({ min: 0, max: 1e9, noNaN: true }), { nil: null }),
});

describe('appendBatch', () => {
  it('keeps stored ticks valid, strictly increasing, drawn from the input and within both bounds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(arbitraryTick, { maxLength: 8 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 100 }),
        (batches, retentionCount, retentionSec) => {
          const s = settings({ retentionCount, retentionMs: retentionSec * 1000 });
          const state = restoreState(undefined);
          const seen = new Set<string>();
          let accepted = 0;
          for (const ticks of batches) {
            for (const t of ticks) seen.add(JSON.stringify({ ...t, change_24h_pct: null }));
            accepted += appendBatch(state, batch(ticks), s).accepted;
          }
          const ts = state.ticks.map((t) => t.ts);
          for (let i = 1; i < ts.length; i += 1) expect(ts[i]!).toBeGreaterThan(ts[i - 1]!);
          expect(state.ticks.length).toBeLessThanOrEqual(retentionCount);
          const newest = ts[ts.length - 1];
          if (newest !== undefined) expect(newest - ts[0]!).toBeLessThanOrEqual(retentionSec * 1000);
          for (const t of state.ticks) {
            expect(Number.isFinite(t.last) && t.last > 0).toBe(true);
            expect(seen.has(JSON.stringify(t))).toBe(true);
          }
          expect(state.stats.accepted).toBe(accepted);
          expect(state.stats.accepted - state.stats.evicted).toBe(state.ticks.length);
        },
      ),
    );
  });

  it('ignores a redelivered batch and an older tick arriving late', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([tickAt(2_000), tickAt(3_000)]), settings());
    const again = appendBatch(state, batch([tickAt(2_000), tickAt(3_000)]), settings());
    const late = appendBatch(state, batch([tickAt(1_000)]), settings());
    expect(again).toMatchObject({ accepted: 0, ignored_stale: 2 });
    expect(late).toMatchObject({ accepted: 0, ignored_stale: 1 });
    expect(state.ticks.map((t) => t.ts)).toEqual([2_000, 3_000]);
  });

  it('orders the ticks within one batch before appending them', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([tickAt(3_000), tickAt(1_000), tickAt(2_000)]), settings());
    expect(state.ticks.map((t) => t.ts)).toEqual([1_000, 2_000, 3_000]);
  });

  it('remembers the streams that feed the store, newest last-seen time per stream', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([tickAt(1_000)], 50, 'market-stream:sim:X'), settings());
    appendBatch(state, batch([tickAt(2_000)], 60, 'market-stream:sim:Y'), settings());
    appendBatch(state, batch([tickAt(2_000)], 70, 'market-stream:sim:X'), settings());
    expect(state.feeders).toEqual({ 'market-stream:sim:X': 70, 'market-stream:sim:Y': 60 });
  });
});

describe('seedBackfill', () => {
  it('seeds an empty store once, in order, counted as accepted and backfilled, then streamed ticks follow', () => {
    const state = restoreState(undefined);
    expect(seedBackfill(state, [tickAt(3_000), tickAt(1_000), tickAt(2_000), tickAt(2_000)], settings())).toBe(3);
    expect(state.ticks.map((t) => t.ts)).toEqual([1_000, 2_000, 3_000]);
    expect(state.stats).toMatchObject({ accepted: 3, backfilled: 3, backfilled_through_ts: 3_000, evicted: 0 });
    expect(seedBackfill(state, [tickAt(500)], settings())).toBe(0);
    appendBatch(state, batch([tickAt(4_000)], 4_000), settings());
    expect(state.ticks.map((t) => t.ts)).toEqual([1_000, 2_000, 3_000, 4_000]);
    expect(state.stats).toMatchObject({ accepted: 4, backfilled: 3, backfilled_through_ts: 3_000 });
  });

  it('never seeds a store that holds or held ticks', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([tickAt(5_000)], 5_000), settings());
    expect(seedBackfill(state, [tickAt(1_000), tickAt(2_000)], settings())).toBe(0);
    expect(state.ticks.map((t) => t.ts)).toEqual([5_000]);
    expect(state.stats.backfilled).toBe(0);
  });

  it('keeps within the count and age bounds, newest first, and drops invalid ticks', () => {
    const state = restoreState(undefined);
    const ticks = Array.from({ length: 20 }, (_, i) => tickAt((i + 1) * 1_000));
    expect(seedBackfill(state, [...ticks, { ...tickAt(30_000), last: Number.NaN }], settings({ retentionCount: 5 }))).toBe(5);
    expect(state.ticks.map((t) => t.ts)).toEqual([16_000, 17_000, 18_000, 19_000, 20_000]);
    expect(state.stats.ignored_invalid).toBe(1);
    const aged = restoreState(undefined);
    seedBackfill(aged, ticks, settings({ retentionMs: 3_000 }));
    expect(aged.ticks.map((t) => t.ts)).toEqual([17_000, 18_000, 19_000, 20_000]);
  });
});

describe('gaps', () => {
  it('merges consecutive failures of one stream and starts a new gap after a tick', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([tickAt(1_000)], 1_000), settings());
    recordGap(state, gap(1_000, 3_000), settings());
    recordGap(state, gap(1_000, 5_000), settings());
    expect(state.gaps).toEqual([{ ...gap(1_000, 5_000), cycles: 2 }]);
    appendBatch(state, batch([tickAt(6_000)], 6_000), settings());
    recordGap(state, gap(6_000, 8_000), settings());
    // The first tick after the outage is where it ended.
    expect(state.gaps.map((g) => [g.from_ts, g.to_ts, g.cycles])).toEqual([
      [1_000, 6_000, 2],
      [6_000, 8_000, 1],
    ]);
  });

  it('ends a failed stretch when the venue answers again, even with an unchanged quote', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([tickAt(1_000)], 1_000), settings());
    recordGap(state, gap(1_000, 3_000), settings());
    appendBatch(state, batch([tickAt(1_000)], 4_000), settings());
    recordGap(state, gap(4_000, 5_000), settings());
    expect(state.gaps.map((g) => g.cycles)).toEqual([1, 1]);
  });

  it('keeps at most maxGaps gaps and drops those older than the oldest retained tick', () => {
    const state = restoreState(undefined);
    const s = settings({ maxGaps: 3, retentionCount: 2 });
    for (let i = 1; i <= 5; i += 1) {
      appendBatch(state, batch([tickAt(i * 10_000)], i * 10_000), s);
      recordGap(state, gap(i * 10_000, i * 10_000 + 5_000), s);
    }
    expect(state.gaps.length).toBeLessThanOrEqual(3);
    for (const g of state.gaps) expect(g.to_ts).toBeGreaterThanOrEqual(state.ticks[0]!.ts);
  });
});

describe('carried state', () => {
  it('restores exactly what was carried, an open gap included', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([tickAt(1_000, 50), { ...tickAt(2_000, 51), volume: null, change_24h_pct: null }], 2_000), settings());
    recordGap(state, gap(2_000, 4_000), settings());
    const carried = JSON.parse(JSON.stringify(carryState(state)));
    const restored: TickStoreState = restoreState(carried);
    expect(restored).toEqual(state);
    recordGap(restored, gap(2_000, 6_000), settings());
    expect(restored.gaps).toHaveLength(1);
  });
});

describe('ticksSince', () => {
  it('pages through every tick exactly once with since_ts = last ts + 1', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 200 }), fc.integer({ min: 1, max: 30 }), (stamps, limit) => {
        const state = restoreState(undefined);
        appendBatch(state, batch(stamps.map((s) => tickAt(s))), settings());
        const read: number[] = [];
        let since = 0;
        for (;;) {
          const page = ticksSince(state, { since_ts: since, limit });
          read.push(...page.ticks.map((t) => t.ts));
          if (!page.has_more) break;
          since = page.ticks[page.ticks.length - 1]!.ts + 1;
        }
        expect(read).toEqual([...stamps].sort((a, b) => a - b));
      }),
    );
  });

  it('without since_ts returns the newest ticks, oldest first, with the gaps of that stretch', () => {
    const state = restoreState(undefined);
    appendBatch(state, batch([1, 2, 3, 4, 5].map((s) => tickAt(s * 1_000)), 5_000), settings());
    recordGap(state, gap(5_500, 9_000), settings());
    const page = ticksSince(state, { limit: 2 });
    expect(page.ticks.map((t) => t.ts)).toEqual([4_000, 5_000]);
    expect(page.has_more).toBe(false);
    expect(page.gaps).toHaveLength(1);
  });
});

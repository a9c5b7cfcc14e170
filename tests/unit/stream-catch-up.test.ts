/**
 * The simulator's skipped slots: a late cycle gets the exact quotes of the slots it skipped since
 * the previous good cycle, on the stream's grid, bounded; a venue that cannot quote its past gets
 * none (its holes are the store's to record as gaps).
 */
import { describe, expect, it } from 'vitest';
import { CATCH_UP_MAX_SLOTS, skippedSlotTicks } from '../../worker/activities/market/stream-catch-up.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import type { Venue } from '../../worker/activities/market/venues/venue.js';

const sim = new SimVenue(7);
const SYMBOL = 'SIM59/USDT';
const T = Date.UTC(2026, 0, 5, 12, 0, 0);

describe('skippedSlotTicks', () => {
  it('fills every second a per-second stream skipped, with the quotes fetchTickers had then', () => {
    const current = sim.tickAt(SYMBOL, T + 4_000);
    const filled = skippedSlotTicks(sim, SYMBOL, current, { interval_ms: 1_000, previous_fetched_at: T + 1_020 });
    expect(filled.map((t) => t.ts)).toEqual([T + 2_000, T + 3_000]);
    expect(filled).toEqual([sim.tickAt(SYMBOL, T + 2_000), sim.tickAt(SYMBOL, T + 3_000)]);
  });

  it('fills nothing when no slot was skipped, or without a previous good cycle', () => {
    const current = sim.tickAt(SYMBOL, T + 2_000);
    expect(skippedSlotTicks(sim, SYMBOL, current, { interval_ms: 1_000, previous_fetched_at: T + 1_300 })).toEqual([]);
    expect(skippedSlotTicks(sim, SYMBOL, current, { interval_ms: 1_000, previous_fetched_at: null })).toEqual([]);
    expect(skippedSlotTicks(sim, SYMBOL, current, {})).toEqual([]);
  });

  it('keeps to the stream grid for longer intervals', () => {
    const current = sim.tickAt(SYMBOL, T + 20_000);
    const filled = skippedSlotTicks(sim, SYMBOL, current, { interval_ms: 5_000, previous_fetched_at: T + 5_100 });
    expect(filled.map((t) => t.ts - T)).toEqual([10_000, 15_000]);
  });

  it('fills at most CATCH_UP_MAX_SLOTS slots, the newest ones', () => {
    const current = sim.tickAt(SYMBOL, T + 1_000_000);
    const filled = skippedSlotTicks(sim, SYMBOL, current, { interval_ms: 1_000, previous_fetched_at: T });
    expect(filled).toHaveLength(CATCH_UP_MAX_SLOTS);
    expect(filled[filled.length - 1]!.ts).toBe(T + 999_000);
  });

  it('fills nothing on a venue that cannot quote its past', () => {
    const { ticksBefore: _none, ...withoutPast } = sim as unknown as Record<string, unknown>;
    const ccxtLike = { ...withoutPast, ticksBefore: undefined } as unknown as Venue;
    const current = sim.tickAt(SYMBOL, T + 4_000);
    expect(skippedSlotTicks(ccxtLike, SYMBOL, current, { interval_ms: 1_000, previous_fetched_at: T })).toEqual([]);
  });
});

/**
 * The interval slots a stream skipped on a venue that knows its past quotes exactly (the
 * simulator): a cycle that ran late under load, or the first cycle after a worker restart, fills
 * them with the quotes the venue had at those slots instead of leaving a hole. The stretch before
 * the first filled slot, if the catch-up bound cuts it, is left to the store, which records it as a
 * gap like any other hole.
 */
import type { Tick, Venue } from './venues/venue.js';

/** At most this many skipped slots are filled per symbol and cycle (a few ms of CPU each). */
export const CATCH_UP_MAX_SLOTS = 120;

export interface CatchUpRequest {
  /** The stream's interval, ms. */
  interval_ms?: number;
  /** When the stream's previous good cycle fetched, ms epoch. */
  previous_fetched_at?: number | null;
}

/** The quotes of the grid slots strictly between the previous cycle's tick and `current`, oldest first. */
export function skippedSlotTicks(venue: Venue, symbol: string, current: Tick, req: CatchUpRequest): Tick[] {
  const intervalMs = req.interval_ms;
  const previous = req.previous_fetched_at;
  if (!venue.ticksBefore || typeof intervalMs !== 'number' || intervalMs < 1000 || typeof previous !== 'number') return [];
  // The simulator quotes whole seconds: the previous cycle's tick carried the second it fetched in.
  const previousTickTs = Math.floor(previous / 1000) * 1000;
  const firstSlot = (Math.floor(previousTickTs / intervalMs) + 1) * intervalMs;
  if (firstSlot >= current.ts) return [];
  const slots = Math.min(CATCH_UP_MAX_SLOTS, Math.ceil((current.ts - firstSlot) / intervalMs));
  const fromTs = Math.max(firstSlot, current.ts - slots * intervalMs);
  const seconds = Math.ceil((current.ts - fromTs) / 1000);
  return venue.ticksBefore(symbol, current.ts, seconds).filter((t) => t.ts >= fromTs && t.ts % intervalMs === 0);
}

/**
 * A resting limit buy that the simulated book will cross a few seconds from now. The sim venue's
 * book is a pure function of (seed, symbol, second), so the test can look ahead: it picks a limit
 * below every ask of the next `quietSec` seconds (the order rests when placed) and at or above every
 * ask of `holdSec` consecutive seconds that come later (the book crosses it then, and stays crossed
 * long enough that an order checking the book about once a second under load cannot miss it). A
 * test can thus place an order that would fill at a known moment and change the trading state
 * before that moment.
 */
import type { SimVenue } from '../../../worker/activities/market/venues/sim/sim-venue.js';

export interface CrossingLimit {
  limit_price: string;
  /** The start of the second in which the book first crosses the limit. */
  crosses_at_ms: number;
  /** The end of the last second of the run in which the book keeps crossing it. */
  crossed_until_ms: number;
}

const bestAsk = (sim: SimVenue, symbol: string, sec: number): number => sim.bookAt(symbol, sec * 1000, 1).asks[0]?.price ?? Infinity;

export function limitBuyCrossingSoon(sim: SimVenue, symbol: string, nowMs: number, quietSec: number, withinSec: number, holdSec = 1): CrossingLimit | null {
  const nowSec = Math.floor(nowMs / 1000);
  let quietMin = Infinity;
  for (let sec = nowSec - 1; sec <= nowSec + quietSec; sec += 1) quietMin = Math.min(quietMin, bestAsk(sim, symbol, sec));
  for (let start = nowSec + quietSec + 1; start + holdSec - 1 <= nowSec + withinSec; start += 1) {
    let highest = -Infinity;
    for (let sec = start; sec < start + holdSec; sec += 1) highest = Math.max(highest, bestAsk(sim, symbol, sec));
    if (highest < quietMin) return { limit_price: String(highest), crosses_at_ms: start * 1000, crossed_until_ms: (start + holdSec) * 1000 };
  }
  return null;
}

/** Waits (a second at a time) until the book offers such a limit; null if it never does within `attempts`. */
export async function nextCrossingLimit(sim: SimVenue, symbol: string, quietSec: number, withinSec: number, attempts = 30, holdSec = 1): Promise<CrossingLimit | null> {
  for (let i = 0; i < attempts; i += 1) {
    const found = limitBuyCrossingSoon(sim, symbol, Date.now(), quietSec, withinSec, holdSec);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  return null;
}

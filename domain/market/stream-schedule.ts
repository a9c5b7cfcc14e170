/**
 * When a stream cycle runs and how long it may take: pure arithmetic, kept apart from the workflow
 * so it is unit-testable.
 */
import type { MarketStreamSettings } from '../../schemas/temporal/market.js';

/**
 * Intervals up to this long wait for their slot inside the cycle's activity, so a cycle costs
 * about six history events (one activity, one workflow task); longer ones sleep on a workflow
 * timer, where a few more events per cycle do not matter and no activity sits idle for minutes.
 */
export const ACTIVITY_WAIT_MAX_INTERVAL_MS = 60_000;

/** The next slot on the interval grid strictly after `nowMs`. */
export function nextSlot(nowMs: number, intervalMs: number): number {
  return (Math.floor(nowMs / intervalMs) + 1) * intervalMs;
}

/** Slots of the interval grid in (afterMs, throughMs]: those a failing stretch went without. At least one. */
export function missedSlots(afterMs: number, throughMs: number, intervalMs: number): number {
  return Math.max(1, Math.floor(throughMs / intervalMs) - Math.floor(afterMs / intervalMs));
}

export function waitsInActivity(intervalMs: number): boolean {
  return intervalMs <= ACTIVITY_WAIT_MAX_INTERVAL_MS;
}

/** Upper bound of one cycle attempt: the wait for its slot (if any) plus the fetch. */
export function cycleAttemptTimeoutMs(settings: MarketStreamSettings, intervalMs: number): number {
  return (waitsInActivity(intervalMs) ? intervalMs : 0) + settings.fetchTimeoutMs;
}

/** The pause a failure asked for (a rate limit's Retry-After), if its details carry one. */
export function requestedPauseMs(details: readonly unknown[] | undefined): number {
  const first = details?.[0] as { retry_after_ms?: unknown } | undefined;
  const ms = first?.retry_after_ms;
  return typeof ms === 'number' && Number.isFinite(ms) && ms > 0 ? ms : 0;
}

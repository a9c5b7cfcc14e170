/**
 * A subscriber's pure state: the cursor (last seq delivered), what each delivery did, and how many
 * intents the bus trimmed before this subscriber read them (agents only; system subscribers hold
 * the bus back instead).
 */
import type { BusEntriesPage, DeliveryOutcome, SubscriberCarriedState } from '../../schemas/temporal/intents.js';

export const freshSubscriber = (fromSeq: number): SubscriberCarriedState => ({ cursor: fromSeq - 1, delivered: 0, missed: 0, log: [], runs: 1 });

/** Moves the cursor past intents the bus no longer holds, counting them as missed. */
export function skipTrimmed(state: SubscriberCarriedState, page: Pick<BusEntriesPage, 'oldest_seq'>): number {
  const gap = page.oldest_seq - 1 - state.cursor;
  if (gap <= 0) return 0;
  state.missed += gap;
  state.cursor = page.oldest_seq - 1;
  return gap;
}

/** Records one delivery; deliveries come in seq order, each exactly once. */
export function recordDelivery(state: SubscriberCarriedState, outcome: DeliveryOutcome, logLimit: number): void {
  if (outcome.seq <= state.cursor) throw new Error(`delivery of seq ${outcome.seq} is out of order (cursor ${state.cursor})`);
  state.cursor = outcome.seq;
  state.delivered += 1;
  state.log.push(outcome);
  if (state.log.length > logLimit) state.log.splice(0, state.log.length - logLimit);
}

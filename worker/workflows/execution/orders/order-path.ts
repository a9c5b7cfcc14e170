/**
 * The order path's version markers, decided once at the start of each order run, before any local
 * activity. A marker recorded after a local activity in the same workflow task is found again on
 * replay only if the replaying worker saw it ahead of time, which it does not always do, and a
 * marker it misses is a nondeterminism error; markers at the start are always seen. A run that
 * began before these changes keeps its old path for its whole life.
 */
import { patched } from '@temporalio/workflow';

export interface OrderPath {
  /** The gate is asked by signal and answers by signal (order-gate.ts), instead of by update through an activity. */
  asksBySignal: boolean;
  /** The book is fetched by a local activity, inside the order's workflow task. */
  bookByLocalActivity: boolean;
  /** The ledger is read once per order, by the gate; the pre-trade check no longer reads it again. */
  ledgerReadOnce: boolean;
  /**
   * A resting fill asks the gate, decided here. Runs begun before this marker decided it in the
   * resting loop, after the book's fetch (RESTING_FILL_GATED in paper-order.ts), and keep doing so;
   * with the fetch a local activity that placement is the one replay can miss.
   */
  restingFillGated: boolean;
  /**
   * Decisions taken after a local activity (a resting order's expiry and the book's age, the
   * pre-trade check, the hand-over) use the time and history length read before it. Read right
   * after one, they are not the same live and on replay: live, the SDK can deliver a local
   * activity's result in the next workflow task, whose start time and length are then current;
   * replay delivers it in the task that recorded its marker. A resting order whose expiry fell
   * between the two failed replay with a missing local activity (recorded in the chaos tier).
   */
  timeBeforeLocalRead: boolean;
}

export function decideOrderPath(): OrderPath {
  return {
    asksBySignal: patched('order-gate-asks-by-signal'),
    bookByLocalActivity: patched('order-book-by-local-activity'),
    ledgerReadOnce: patched('pre-trade-reads-the-ledger-once'),
    restingFillGated: patched('resting-fill-gated-from-the-start'),
    timeBeforeLocalRead: patched('order-decides-by-the-time-before-a-local-read'),
  };
}

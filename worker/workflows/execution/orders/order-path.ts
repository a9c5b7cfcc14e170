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
}

export function decideOrderPath(): OrderPath {
  return {
    asksBySignal: patched('order-gate-asks-by-signal'),
    bookByLocalActivity: patched('order-book-by-local-activity'),
    ledgerReadOnce: patched('pre-trade-reads-the-ledger-once'),
    restingFillGated: patched('resting-fill-gated-from-the-start'),
  };
}

/**
 * How soon the stack decides again after a worker SIGKILL: for each kill while orders were waiting
 * for their decision, the time from the kill to the first order decided after it. An order counts
 * as decided when the gate's answer took effect: its first fill, or its rejection by the gate's
 * reasons or the book (never a rejection that says the gate or a venue could not be reached).
 */
import type { PaperOrderState } from '../../schemas/temporal/orders.js';

const UNDECIDED_CODES = new Set(['RISK_GATE_BUSY', 'RISK_GATE_UNAVAILABLE', 'VENUE_UNAVAILABLE', 'LEDGER_UNAVAILABLE']);

/** When the order was decided (ms epoch), or null when it never was. */
export function decidedAt(order: PaperOrderState): number | null {
  const firstFill = order.fills[0];
  if (firstFill) return firstFill.ts;
  if (order.status === 'rejected' && order.rejection && !UNDECIDED_CODES.has(order.rejection.code)) return order.updated_ts;
  return null;
}

export interface Recovery {
  /** Milliseconds from each kill (with orders waiting) to the next decision, sorted. */
  delaysMs: number[];
  /** Kills after which nothing was decided again. */
  neverDecided: number;
}

export function recoveryAfterKills(killTimes: readonly number[], orders: readonly PaperOrderState[]): Recovery {
  const orderTimes = orders.map((o) => ({ created: o.created_ts, at: decidedAt(o) }));
  const decisions = orderTimes.flatMap((o) => (o.at === null ? [] : [o.at]));
  const delaysMs: number[] = [];
  let neverDecided = 0;
  for (const killedAt of killTimes) {
    // Only a kill that found orders waiting (never decided, or decided after it) says anything about recovery.
    if (!orderTimes.some((o) => o.created <= killedAt && (o.at === null || o.at > killedAt))) continue;
    const after = decisions.filter((at) => at > killedAt);
    if (after.length) delaysMs.push(Math.min(...after) - killedAt);
    else neverDecided += 1;
  }
  return { delaysMs: delaysMs.sort((a, b) => a - b), neverDecided };
}

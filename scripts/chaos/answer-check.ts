/**
 * The answer bounds, call by call: place_mock_order answers within its stated bound (the execution
 * server waits PLACEMENT_WAIT_MS, 15 s, for the placement and then reports the order pending; the
 * allowance covers the idempotent start and the stdio hop), with the order's true state or a
 * refusal that has a code and a retry hint, and never a raw transport or server error. "True
 * state": a terminal answer is the order's final state, a working one (pending, open, partially
 * filled) holds no fill the order does not end with; a submission after everything settled is a
 * duplicate answering the final state.
 */
import { isTerminalOrderStatus, type OrderStatus } from '../../schemas/temporal/orders.js';
import type { CallRecord } from './call-record.js';
import type { ChaosRun } from './chaos-run.js';

/** The stated wait of place_mock_order (servers/execution README: "pending after 15 s"). */
export const PLACEMENT_WAIT_MS = 15_000;
/** For starting the order workflow and the stdio round trip around the wait. */
export const ANSWER_ALLOWANCE_MS = 5_000;
export const ANSWER_BOUND_MS = PLACEMENT_WAIT_MS + ANSWER_ALLOWANCE_MS;

export interface AnswerFigures {
  overBound: CallRecord[];
  raw: CallRecord[];
  violations: string[];
}

function stateViolation(call: CallRecord, run: ChaosRun, late: boolean): string | undefined {
  if (call.outcome !== 'order') return undefined;
  const final = run.finals.get(call.client_order_id)?.order;
  if (!final) return undefined;
  const status = call.status as OrderStatus;
  const what = `${call.client_order_id} submission ${call.submission}`;
  if (late && (!call.duplicate || status !== final.status)) return `${what} after settling answered ${status}${call.duplicate ? '' : ' (not marked duplicate)'}; the order ended ${final.status}`;
  if (isTerminalOrderStatus(status) && status !== final.status) return `${what} answered ${status}; the order ended ${final.status}`;
  if ((call.fills ?? 0) > final.fills.length) return `${what} answered ${call.fills} fills; the order ended with ${final.fills.length}`;
  return undefined;
}

export function checkAnswers(run: ChaosRun): AnswerFigures {
  const violations: string[] = [];
  const all = [...run.calls.map((c) => ({ c, late: false })), ...run.lateCalls.map((c) => ({ c, late: true }))];
  const overBound = all.filter(({ c }) => c.latencyMs > ANSWER_BOUND_MS).map(({ c }) => c);
  const raw = all.filter(({ c }) => c.outcome === 'raw_error' || c.outcome === 'call_failed').map(({ c }) => c);
  for (const { c, late } of all) {
    if (c.outcome === 'refusal' && !c.code) violations.push(`${c.client_order_id} submission ${c.submission}: a refusal without a code: ${c.text?.slice(0, 200)}`);
    const wrong = stateViolation(c, run, late);
    if (wrong) violations.push(wrong);
  }
  if (overBound.length) violations.push(`${overBound.length} of ${all.length} place_mock_order calls answered after more than ${ANSWER_BOUND_MS / 1000} s (slowest ${Math.round(Math.max(...overBound.map((c) => c.latencyMs)))} ms)`);
  if (raw.length) violations.push(`${raw.length} of ${all.length} place_mock_order calls answered a raw error or none (see "raw errors by text")`);
  return { overBound, raw, violations };
}

/**
 * The trading state as a person meant it, moment by moment, and what it forbids. Built from the
 * risk workflow's state log and the client's own record of answers:
 * - a tightening takes effect when its answer reached the client (fills approved before it may still
 *   be booked until then); one the client did not ask for (the breaker's) after IN_FLIGHT_GRACE_MS;
 * - a loosening counts only when a person made it: the operator (`operator_cli`, and the test's
 *   operator really did), or a person at the host who entered a one-time code the operator issued for
 *   exactly that account and state, used once. Any other loosening is a violation and is ignored, so
 *   what follows it is still judged under the stricter state.
 * Then: no fill of any kind while HALTED; no buy while REDUCING (spot, long only: a buy always adds
 * exposure); and once a tightening has answered, no order of the account still working against it.
 */
import { tradingStateRank, type TradingState, type TradingStateChange } from '../../../schemas/temporal/risk.js';
import type { IssuedCode, Journal, StateAnswer } from '../harness/journal.js';
import { WORKING_STATUSES, type Snapshot } from './snapshot.js';
import type { Violation } from './violation.js';

/**
 * How long after a state change the client did not ask for (the breaker's) a fill approved before
 * it may still be booked: the gate waits for such fills before it answers the check that tripped.
 */
export const IN_FLIGHT_GRACE_MS = 2_000;

/** Entries the risk workflow keeps in the state log it shows (STATE_LOG_LIMIT in domain/risk/risk-state.ts). */
const STATE_LOG_KEPT = 50;

interface Moment {
  at: number;
  state: TradingState;
}

const stricter = (a: TradingState, b: TradingState): TradingState => (tradingStateRank(a) >= tradingStateRank(b) ? a : b);

/** Which of the client's answers can report a change made under this authority. */
function answeredBy(change: TradingStateChange): ReadonlyArray<StateAnswer['by']> {
  const a = change.authority;
  if (a.kind === 'agent') return ['agent', 'elicitation'];
  if (a.kind === 'person') return a.via === 'operator_cli' ? ['operator'] : ['elicitation'];
  // The breaker changes the state inside a check; no set_trading_state answers it.
  return [];
}

/** The client's first answer reporting this very change, marked as accounted for. */
function takeAnswer(answers: StateAnswer[], used: Set<StateAnswer>, change: TradingStateChange): StateAnswer | undefined {
  const by = answeredBy(change);
  const found = answers
    .filter((a) => !used.has(a) && by.includes(a.by) && a.ok && a.result?.changed && a.result.trading_state === change.to && a.result.previous_state === change.from && a.answered_at >= change.at)
    .sort((x, y) => x.answered_at - y.answered_at)[0];
  if (found) used.add(found);
  return found;
}

function personLoosened(change: TradingStateChange, account: string, issued: IssuedCode[], usedCodes: Set<string>, answers: StateAnswer[], used: Set<StateAnswer>): string | null {
  const authority = change.authority;
  if (authority.kind !== 'person') return `authority ${authority.kind} may only tighten`;
  if (authority.via === 'operator_cli') {
    return takeAnswer(answers, used, change) ? null : 'recorded as the operator CLI, but the operator made no such change (an untrusted path claimed its authority)';
  }
  takeAnswer(answers, used, change);
  const codeId = authority.code_id;
  if (!codeId) return 'recorded as a person at the host without the one-time code the operator issued';
  if (usedCodes.has(codeId)) return `loosening code ${codeId} was used before`;
  if (!issued.some((c) => c.code_id === codeId && c.account === account && c.state === change.to)) return `loosening code ${codeId} was not issued for account ${account} and ${change.to}`;
  usedCodes.add(codeId);
  return null;
}

export interface TradingTimeline {
  stateAt(ms: number): TradingState;
  violations: Violation[];
}

export function tradingTimeline(account: string, log: TradingStateChange[], journal: Journal): TradingTimeline {
  const answers = journal.stateAnswers.filter((a) => a.account === account);
  const used = new Set<StateAnswer>();
  const usedCodes = new Set<string>();
  const violations: Violation[] = [];
  const moments: Moment[] = [{ at: 0, state: 'ACTIVE' }];
  let current: TradingState = 'ACTIVE';
  for (const change of [...log].sort((a, b) => a.at - b.at)) {
    const direction = tradingStateRank(change.to) - tradingStateRank(change.from);
    if (direction > 0) {
      const answer = takeAnswer(answers, used, change);
      current = stricter(current, change.to);
      moments.push({ at: answer ? answer.answered_at : change.at + IN_FLIGHT_GRACE_MS, state: current });
    } else if (direction < 0) {
      const refused = personLoosened(change, account, journal.issuedCodes, usedCodes, answers, used);
      if (refused) {
        violations.push({ invariant: 'loosening-needs-person', message: `${change.from} → ${change.to} was applied but ${refused}`, context: change });
        continue;
      }
      current = change.to;
      moments.push({ at: change.at, state: current });
    }
  }
  // The log keeps its latest entries only: an answer older than its oldest entry cannot be judged.
  const oldest = log.length >= STATE_LOG_KEPT ? Math.min(...log.map((c) => c.at)) : -Infinity;
  for (const a of answers) {
    if (a.ok && a.result?.changed && !used.has(a) && a.answered_at >= oldest) {
      violations.push({ invariant: 'state-change-recorded', message: `set_trading_state (${a.by}) answered ${a.result.previous_state} → ${a.result.trading_state}, but the state log holds no such change`, context: a });
    }
    const tightening = a.result && tradingStateRank(a.requested) >= tradingStateRank(a.result.previous_state);
    if (a.ok && tightening && a.result?.trading_state !== a.requested) {
      violations.push({ invariant: 'state-change-recorded', message: `set_trading_state ${a.requested} (${a.by}) answered ${a.result?.trading_state}`, context: a });
    }
  }
  // In log order; a tightening that took effect late never reaches past the change after it.
  for (let i = moments.length - 2; i >= 0; i -= 1) {
    const next = moments[i + 1] as Moment;
    const m = moments[i] as Moment;
    m.at = Math.min(m.at, next.at);
  }
  const stateAt = (ms: number): TradingState => {
    let state: TradingState = 'ACTIVE';
    for (const m of moments) if (m.at <= ms) state = m.state;
    return state;
  };
  return { stateAt, violations };
}

export function fillsAgainstState(snapshot: Snapshot, timeline: TradingTimeline): Violation[] {
  const violations: Violation[] = [];
  for (const fill of snapshot.fills?.fills ?? []) {
    const state = timeline.stateAt(fill.ts);
    const about = { fill_id: fill.fill_id, client_order_id: fill.client_order_id, side: fill.side, qty: fill.qty, price: fill.price, ts: fill.ts };
    if (state === 'HALTED') violations.push({ invariant: 'no-fill-while-halted', message: `${fill.side} ${fill.qty} ${fill.symbol} filled while the account was HALTED`, context: about });
    else if (state === 'REDUCING' && fill.side === 'buy') {
      violations.push({ invariant: 'no-exposure-increase-while-reducing', message: `buy ${fill.qty} ${fill.symbol} filled while the account was REDUCING`, context: about });
    }
  }
  return violations;
}

const STOP_REASON = /HALTED|REDUCING|trading state/i;
/** Orders the ledger stopped (no cash or holdings left for a resting fill) say so instead. */
const LEDGER_STOP = /ledger|insufficient|refused/i;

export function ordersAgainstState(snapshot: Snapshot, timeline: TradingTimeline, journal: Journal): Violation[] {
  const violations: Violation[] = [];
  const reported = (snapshot.limits?.trading_state ?? 'ACTIVE') as TradingState;
  const now = stricter(timeline.stateAt(snapshot.taken_at), reported);
  for (const [id, order] of snapshot.orders) {
    // A pending order has not met the gate yet; the gate will judge it under the state it meets.
    const working = WORKING_STATUSES.has(order.status) && order.status !== 'pending';
    if (working && (now === 'HALTED' || (now === 'REDUCING' && order.side === 'buy'))) {
      violations.push({ invariant: 'tightening-stops-orders', message: `${order.side} order ${id} is still ${order.status} while the account is ${now}`, context: { client_order_id: id, status: order.status, remaining_qty: order.remaining_qty } });
    }
    if (order.status === 'cancelled' && !journal.cancelled.has(id) && !STOP_REASON.test(order.status_reason ?? '') && !LEDGER_STOP.test(order.status_reason ?? '')) {
      violations.push({ invariant: 'stop-reason-named', message: `order ${id} was cancelled without the client asking, and its reason does not name the trading state`, context: { client_order_id: id, status_reason: order.status_reason } });
    }
  }
  return violations;
}

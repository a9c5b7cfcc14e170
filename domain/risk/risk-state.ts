/**
 * The risk workflow's pure state transitions: recording decisions (bounded, for idempotency by
 * intent id), the approvals behind the duplicate and throttle windows, the reservations of working
 * orders, the breaker and the trading state. Kept apart from the workflow so they are unit tested.
 */
import { canonicalDecimal } from '../../schemas/primitives/decimal.js';
import {
  intentDecisionKey,
  legSizeKey,
  type OrderProgress,
  type RiskReason,
  type TradingState,
  type RiskCarriedState,
  type RiskCheckRequest,
  type RiskDecision,
  type RiskLeg,
  type RiskSettings,
  type RiskStateView,
  type Reservation,
  type TradingStateChange,
} from '../../schemas/temporal/risk.js';
import { money, text } from '../money.js';
import { emptyBreaker, type BreakerBreach } from './breaker.js';
import type { PreVarOutcome } from './checks.js';
import type { OrderObservation } from './risk-inputs.js';

/** State changes kept for the audit view (the full record is the workflow history). */
const STATE_LOG_LIMIT = 50;

export function emptyRiskState(settings: RiskSettings, nowMs: number): RiskCarriedState {
  return {
    settings,
    limits_loaded_at: nowMs,
    trading_state: 'ACTIVE',
    state_log: [],
    decisions: [],
    recent_approvals: [],
    recent_rejections: [],
    reservations: [],
    inflight_fills: [],
    breaker: emptyBreaker(),
    counters: { checks: 0, approved: 0, rejected: 0, dry_runs: 0, next_check_seq: 1 },
    runs: 1,
  };
}

/** A decision's key; decisions recorded before keys existed were recorded by intent id. */
const keyOf = (d: RiskDecision): string => d.key ?? (d.source === 'order_gate' ? d.intent_id : intentDecisionKey(d.intent_id));

export function findDecision(state: RiskCarriedState, key: string): RiskDecision | undefined {
  for (let i = state.decisions.length - 1; i >= 0; i -= 1) {
    const decision = state.decisions[i] as RiskDecision;
    if (keyOf(decision) === key) return decision;
  }
  return undefined;
}

/** The recorded answer for a key asked again with the same legs; undefined when the legs differ. */
export function recordedAnswer(recorded: RiskDecision, fingerprint: string): RiskDecision | undefined {
  return recorded.fingerprint === fingerprint ? { ...recorded, duplicate: true } : undefined;
}

/**
 * How runs recorded before decision keys answered a repeat: by the caller's intent id, an order of an
 * approved intent answered with the intent's decision. Kept only so those histories replay.
 */
export function legacyRecordedAnswer(state: RiskCarriedState, request: RiskCheckRequest, fingerprint: string): RiskDecision | 'conflict' | undefined {
  let recorded: RiskDecision | undefined;
  for (let i = state.decisions.length - 1; i >= 0 && !recorded; i -= 1) {
    if ((state.decisions[i] as RiskDecision).intent_id === request.intent_id) recorded = state.decisions[i];
  }
  if (!recorded) return undefined;
  if (recorded.fingerprint === fingerprint) return { ...recorded, duplicate: true };
  if (request.source === 'order_gate' && request.legs.length === 1 && recorded.requested_legs.some((leg) => matchesApprovedLeg(leg, request.legs[0] as RiskLeg))) {
    return { ...recorded, duplicate: true };
  }
  return 'conflict';
}

/** An order matches the leg it was approved as: same id, symbol, side, size and limit price. */
export const matchesApprovedLeg = (approved: RiskLeg, asked: RiskLeg): boolean =>
  approved.client_order_id === asked.client_order_id &&
  approved.symbol === asked.symbol &&
  approved.side === asked.side &&
  legSizeKey(approved) === legSizeKey(asked) &&
  // A market leg may be sent as a slippage-protected limit order; a limit leg must keep its price.
  (approved.limit_price === null || (asked.limit_price !== null && canonicalDecimal(approved.limit_price) === canonicalDecimal(asked.limit_price)));

/**
 * How an order or a fill meets the gate. `fresh`: nothing speaks for it, every check runs.
 * `admitted`: an intent's approval still reserved for exactly this order, or an order the gate
 * already admitted about to fill: the checks run against the state now, the order's own
 * reservation left out so it is not counted twice, and the submission windows (duplicates, order
 * rate) that it passed when it was approved are not counted again. `mismatch`: the id is reserved
 * for a leg this order does not match.
 */
export type Admission = { kind: 'fresh' } | { kind: 'admitted'; client_order_id: string } | { kind: 'mismatch'; reservation: Reservation };

export function admissionOf(state: RiskCarriedState, request: RiskCheckRequest, nowMs: number): Admission {
  if (request.source !== 'order_gate' && request.source !== 'fill_check') return { kind: 'fresh' };
  const leg = request.legs[0] as RiskLeg;
  const admitted: Admission = { kind: 'admitted', client_order_id: leg.client_order_id };
  if (request.source === 'fill_check') return admitted;
  const reservation = state.reservations.find((r) => r.client_order_id === leg.client_order_id);
  if (!reservation) return { kind: 'fresh' };
  // The same order asking again after its recorded decision was forgotten.
  if (reservation.admitted) return admitted;
  if (reservation.expires_at <= nowMs) {
    // The approval lapsed unused: it speaks for nothing any more.
    state.reservations = state.reservations.filter((r) => r !== reservation);
    return { kind: 'fresh' };
  }
  if (!reservation.approved_leg || !matchesApprovedLeg(reservation.approved_leg, leg)) return { kind: 'mismatch', reservation };
  return admitted;
}

/**
 * The state the checks see for an admitted order: without its own reservation (looked up by id,
 * since reservations are replaced as orders are observed).
 */
export function gateStateFor(state: RiskCarriedState, admission: Admission): RiskCarriedState {
  if (admission.kind !== 'admitted') return state;
  return { ...state, reservations: state.reservations.filter((r) => r.client_order_id !== admission.client_order_id) };
}

/**
 * Reservations after reading the orders' status: a finished order releases its reservation, a
 * working one holds what remains, and one never placed lapses at its expiry. Orders not observed
 * (approved after the read began) keep their reservation as it is.
 */
export function refreshReservations(reservations: Reservation[], orders: Record<string, OrderObservation>, nowMs: number): Reservation[] {
  const kept: Reservation[] = [];
  for (const r of reservations) {
    const seen = orders[r.client_order_id];
    if (!seen) {
      kept.push(r);
    } else if (seen.status === 'terminal') {
      continue;
    } else if (seen.status === 'working') {
      const remaining = money(seen.remaining_qty ?? r.qty);
      if (remaining.isPositive()) kept.push({ ...r, qty: text(remaining), order_seen: true });
    } else if (!r.order_seen && r.expires_at > nowMs) {
      kept.push(r);
    }
  }
  return kept;
}

/** What an order workflow reported: its reservation follows the order, and its fill is no longer in flight. */
export function applyOrderProgress(state: RiskCarriedState, progress: OrderProgress): void {
  state.inflight_fills = (state.inflight_fills ?? []).filter((f) =>
    progress.key === null ? f.client_order_id !== progress.client_order_id : f.key !== progress.key,
  );
  if (progress.status === 'terminal') {
    state.inflight_fills = state.inflight_fills.filter((f) => f.client_order_id !== progress.client_order_id);
    state.reservations = state.reservations.filter((r) => r.client_order_id !== progress.client_order_id);
    // An order that stopped waiting in the queue (cancelled) and ended must not be admitted after its end.
    if (state.queued_checks?.length) state.queued_checks = state.queued_checks.filter((q) => q?.legs?.[0]?.client_order_id !== progress.client_order_id);
    return;
  }
  const remaining = money(progress.remaining_qty);
  state.reservations = state.reservations.flatMap((r) => {
    if (r.client_order_id !== progress.client_order_id) return [r];
    return remaining.isPositive() ? [{ ...r, qty: text(remaining), order_seen: true }] : [];
  });
}

/** Approvals and rejections older than their windows are forgotten; fills in flight for long are given up. */
export function pruneWindows(state: RiskCarriedState, nowMs: number): void {
  const { duplicate_window_sec, throttle_window_sec } = state.settings.limits;
  const since = nowMs - Math.max(duplicate_window_sec, throttle_window_sec) * 1000;
  state.recent_approvals = state.recent_approvals.filter((a) => a.at >= since);
  state.recent_rejections = (state.recent_rejections ?? []).filter((at) => at >= nowMs - throttle_window_sec * 1000);
  state.inflight_fills = (state.inflight_fills ?? []).filter((f) => f.at >= nowMs - INFLIGHT_GIVE_UP_MS);
}

/** An approved fill whose order never reports back stops holding up a tightening after this long. */
export const INFLIGHT_GIVE_UP_MS = 60_000;

/**
 * A flood of refused requests is slowed: past the limit within the window, new requests are refused
 * unchecked until the window has room. Admitted orders and fills are never held up by it.
 */
export function rejectionThrottle(state: RiskCarriedState, nowMs: number): RiskReason | null {
  const { max_rejections_per_window, throttle_window_sec } = state.settings.limits;
  const recent = (state.recent_rejections ?? []).filter((at) => at >= nowMs - throttle_window_sec * 1000);
  if (recent.length < max_rejections_per_window) return null;
  const waitSec = Math.max(1, Math.ceil(((recent[0] as number) + throttle_window_sec * 1000 - nowMs) / 1000));
  return {
    code: 'REJECTIONS_THROTTLED',
    message: `${recent.length} requests of this account were refused in the last ${throttle_window_sec} s (at most ${max_rejections_per_window}); the gate does not look at more until ${waitSec} s from now. Fix what the earlier refusals said before sending more`,
    leg_index: null,
  };
}

export const nextRiskCheckId = (state: RiskCarriedState, account: string): string => `rc:${account}:${state.counters.next_check_seq}`;

/** Records a decision and everything it implies for the state. */
export function applyDecision(state: RiskCarriedState, decision: RiskDecision, outcome: PreVarOutcome | null, admission: Admission, nowMs: number): void {
  state.counters.next_check_seq += 1;
  if (outcome) state.breaker = outcome.breaker;
  if (outcome?.breach) tripBreaker(state, outcome.breach, nowMs);
  if (decision.dry_run) {
    // A dry run observes (the breaker may trip on what it sees) and records nothing else.
    state.counters.dry_runs = (state.counters.dry_runs ?? 0) + 1;
    return;
  }
  state.counters.checks += 1;
  if (decision.decision === 'approved') state.counters.approved += 1;
  else state.counters.rejected += 1;

  state.decisions.push(decision);
  const excess = state.decisions.length - state.settings.decision_memory;
  if (excess > 0) state.decisions.splice(0, excess);

  if (decision.decision === 'rejected') {
    if (admission.kind !== 'admitted') state.recent_rejections = [...(state.recent_rejections ?? []), nowMs];
    return;
  }
  if (!outcome) return;
  if (decision.source === 'order_gate' || decision.source === 'fill_check') {
    const leg = decision.requested_legs[0] as RiskLeg;
    state.inflight_fills = [...(state.inflight_fills ?? []), { client_order_id: leg.client_order_id, key: decision.key, at: nowMs }];
  }
  if (admission.kind === 'admitted') {
    // Already counted in the windows when it was approved; its reservation now belongs to the order.
    state.reservations = state.reservations.map((r) => (r.client_order_id === admission.client_order_id ? { ...r, admitted: true } : r));
    return;
  }
  const ttlMs = state.settings.limits.reservation_ttl_sec * 1000;
  for (const valued of outcome.valued) {
    const leg = decision.requested_legs[valued.index] as RiskLeg;
    state.recent_approvals.push({ at: nowMs, intent_id: decision.intent_id, symbol: leg.symbol, side: leg.side, size_key: legSizeKey(leg) });
    state.reservations = state.reservations.filter((r) => r.client_order_id !== leg.client_order_id);
    state.reservations.push({
      client_order_id: leg.client_order_id,
      intent_id: decision.intent_id,
      symbol: leg.symbol,
      side: leg.side,
      qty: text(valued.qty),
      price: text(valued.price),
      created_at: nowMs,
      expires_at: nowMs + ttlMs,
      order_seen: false,
      // An order's own approval admits it; an intent's leg waits for its order to be admitted against it.
      admitted: decision.source === 'order_gate',
      approved_leg: leg,
    });
  }
}

/**
 * A breach moves an ACTIVE account to REDUCING: exits still pass, nothing adds exposure. A state
 * already as tight (REDUCING or HALTED, whoever set it) is left as it is.
 */
export function tripBreaker(state: RiskCarriedState, breach: BreakerBreach, nowMs: number): void {
  if (state.trading_state === 'ACTIVE') {
    tradingStateChanged(state, { from: state.trading_state, to: 'REDUCING', reason: breach.message, authority: { kind: 'breaker', code: breach.code }, at: nowMs });
  }
  state.breaker = { ...state.breaker, tripped: { code: breach.code, message: breach.message, at: nowMs } };
}

export function tradingStateChanged(state: RiskCarriedState, change: TradingStateChange): void {
  state.trading_state = change.to;
  state.state_log.push(change);
  if (state.state_log.length > STATE_LOG_LIMIT) state.state_log.splice(0, state.state_log.length - STATE_LOG_LIMIT);
  // A person who sets the state after a trip has seen it: the loss so far is acknowledged at the next observation.
  if (change.authority.kind === 'person' && state.breaker.tripped) state.breaker = { ...state.breaker, tripped: null, acknowledge_pending: true };
}

/** Working orders a tightening to `to` stops: all under HALTED; under REDUCING those that add exposure (spot: buys). */
export function ordersStoppedBy(state: RiskCarriedState, to: TradingState): Reservation[] {
  if (to === 'HALTED') return [...state.reservations];
  if (to === 'REDUCING') return state.reservations.filter((r) => r.side === 'buy');
  return [];
}

export function stateView(state: RiskCarriedState, account: string, run: { workflowId: string; runId: string }): RiskStateView {
  return {
    account,
    workflow_id: run.workflowId,
    run_id: run.runId,
    mode: state.settings.mode,
    exchange: state.settings.exchange,
    trading_state: state.trading_state,
    last_change: state.state_log[state.state_log.length - 1] ?? null,
    state_log: state.state_log,
    limits: state.settings.limits,
    limits_source: state.settings.limits_source,
    limits_loaded_at: state.limits_loaded_at,
    breaker: state.breaker,
    reservations: state.reservations,
    counters: state.counters,
    runs: state.runs,
  };
}

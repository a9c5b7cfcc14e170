/**
 * The risk workflow's pure state transitions: recording decisions (bounded, for idempotency by
 * intent id), the approvals behind the duplicate and throttle windows, the reservations of working
 * orders, the breaker and the trading state. Kept apart from the workflow so they are unit tested.
 */
import { canonicalDecimal } from '../../schemas/primitives/decimal.js';
import {
  legSizeKey,
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
    reservations: [],
    breaker: emptyBreaker(),
    counters: { checks: 0, approved: 0, rejected: 0, next_check_seq: 1 },
    runs: 1,
  };
}

export function findDecision(state: RiskCarriedState, intentId: string): RiskDecision | undefined {
  for (let i = state.decisions.length - 1; i >= 0; i -= 1) {
    const decision = state.decisions[i] as RiskDecision;
    if (decision.intent_id === intentId) return decision;
  }
  return undefined;
}

const sameLeg = (approved: RiskLeg, asked: RiskLeg): boolean =>
  approved.client_order_id === asked.client_order_id &&
  approved.symbol === asked.symbol &&
  approved.side === asked.side &&
  legSizeKey(approved) === legSizeKey(asked) &&
  // A market leg may be sent as a slippage-protected limit order; a limit leg must keep its price.
  (approved.limit_price === null || (asked.limit_price !== null && canonicalDecimal(approved.limit_price) === canonicalDecimal(asked.limit_price)));

/**
 * The recorded answer for a request whose intent id was decided before: the whole intent asked
 * again, or (for an order's gate) one order of it. Undefined when the request does not match.
 */
export function recordedAnswer(recorded: RiskDecision, request: RiskCheckRequest, fingerprint: string): RiskDecision | undefined {
  if (recorded.fingerprint === fingerprint) return { ...recorded, duplicate: true };
  if (request.source === 'order_gate' && request.legs.length === 1) {
    const asked = request.legs[0] as RiskLeg;
    if (recorded.requested_legs.some((leg) => sameLeg(leg, asked))) return { ...recorded, duplicate: true };
  }
  return undefined;
}

/**
 * A check's approval carried into a submission after its reservation lapsed: prices and capacity
 * have moved on, so the old approval no longer speaks for the intent. (An order of an intent that
 * was submitted in time is a different matter: its capacity is still held by its reservation.)
 */
export function approvalLapsed(recorded: RiskDecision, request: RiskCheckRequest, ageMs: number, ttlSec: number): boolean {
  return recorded.decision === 'approved' && recorded.source === 'pre_trade_risk_check' && request.source === 'submit_intent' && ageMs > ttlSec * 1000;
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

/** Approvals older than both windows are forgotten. */
export function pruneApprovals(state: RiskCarriedState, nowMs: number): void {
  const { duplicate_window_sec, throttle_window_sec } = state.settings.limits;
  const since = nowMs - Math.max(duplicate_window_sec, throttle_window_sec) * 1000;
  state.recent_approvals = state.recent_approvals.filter((a) => a.at >= since);
}

export const nextRiskCheckId = (state: RiskCarriedState, account: string): string => `rc:${account}:${state.counters.next_check_seq}`;

/** Records a decision and everything it implies for the state. */
export function applyDecision(state: RiskCarriedState, decision: RiskDecision, outcome: PreVarOutcome | null, nowMs: number): void {
  state.counters.checks += 1;
  state.counters.next_check_seq += 1;
  if (decision.decision === 'approved') state.counters.approved += 1;
  else state.counters.rejected += 1;

  state.decisions.push(decision);
  const excess = state.decisions.length - state.settings.decision_memory;
  if (excess > 0) state.decisions.splice(0, excess);

  if (outcome) state.breaker = outcome.breaker;
  if (outcome?.breach) tripBreaker(state, outcome.breach, nowMs);

  if (decision.decision === 'approved' && outcome) {
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
      });
    }
  }
}

/** A breach halts trading and is kept on the breaker until a person loosens the state. */
export function tripBreaker(state: RiskCarriedState, breach: BreakerBreach, nowMs: number): void {
  tradingStateChanged(state, { from: state.trading_state, to: 'HALTED', reason: breach.message, authority: { kind: 'breaker', code: breach.code }, at: nowMs });
  state.breaker = { ...state.breaker, tripped: { code: breach.code, message: breach.message, at: nowMs } };
}

export function tradingStateChanged(state: RiskCarriedState, change: TradingStateChange): void {
  state.trading_state = change.to;
  state.state_log.push(change);
  if (state.state_log.length > STATE_LOG_LIMIT) state.state_log.splice(0, state.state_log.length - STATE_LOG_LIMIT);
  // A person who loosens has seen the trip; the breaker trips again if the loss still stands.
  if (change.authority.kind === 'person' && change.to !== 'HALTED') state.breaker = { ...state.breaker, tripped: null };
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

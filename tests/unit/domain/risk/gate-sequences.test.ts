/**
 * The gate's state across a sequence of decisions, as pure functions: a dry run leaves nothing
 * behind, an approval admits exactly its own order once and only before it lapses, refusals are
 * throttled, the breaker moves an account to REDUCING and lets exits through, a person's
 * acknowledgement is not re-tripped, and a tightening names the orders it stops.
 */
import { describe, expect, it } from 'vitest';
import {
  type RiskCarriedState,
  type RiskCheckRequest,
  type RiskDecision,
  type RiskLeg,
  type RiskSettings,
} from '../../../../schemas/temporal/risk.js';
import { DEFAULT_RISK_LIMITS } from '../../../../worker/config/risk-config.js';
import { breakerBreach, observeEquity } from '../../../../domain/risk/breaker.js';
import { evaluateBeforeVar, sizesNear, type PreVarOutcome } from '../../../../domain/risk/checks.js';
import { buildDecision } from '../../../../domain/risk/decision.js';
import type { QuoteTick, RiskInputs } from '../../../../domain/risk/risk-inputs.js';
import {
  admissionOf,
  applyDecision,
  applyOrderProgress,
  emptyRiskState,
  gateStateFor,
  ordersStoppedBy,
  rejectionThrottle,
  tradingStateChanged,
  tripBreaker,
} from '../../../../domain/risk/risk-state.js';
import { riskDecisionKey, riskLegsFingerprint } from '../../../../schemas/temporal/risk.js';
import { money } from '../../../../domain/money.js';

const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
const settings: RiskSettings = {
  mode: 'paper',
  exchange: 'sim',
  limits: DEFAULT_RISK_LIMITS,
  limits_source: { file: null, env_overrides: [] },
  decision_memory: 100,
  continue_as_new_after: 500,
  history_limit: 9_000,
};

const tick = (mid: number): QuoteTick => ({ ts: NOW - 1_000, bid: mid - 5, ask: mid + 5, last: mid });
function inputs(over: Partial<RiskInputs['portfolio']> = {}): RiskInputs {
  return {
    gathered_at: NOW,
    portfolio: { quote_currency: 'USDT', initial_cash: '100000', cash: '100000', positions: {}, last_prices: {}, ledger_workflow_id: 'ledger:paper', ...over },
    quotes: { 'BTC/USDT': { symbol: 'BTC/USDT', tick_store_workflow_id: 't', latest: tick(65_000), previous: tick(65_000), unavailable_reason: null } },
    orders: {},
  };
}

const leg = (over: Partial<RiskLeg> = {}): RiskLeg => ({ symbol: 'BTC/USDT', side: 'buy', qty: '0.1', quote_notional: null, limit_price: null, client_order_id: 'i-1.0', ...over });
const req = (source: RiskCheckRequest['source'], legs: RiskLeg[], intentId = 'i-1', fillSeq?: number): RiskCheckRequest => ({
  intent_id: intentId,
  account: 'paper',
  legs,
  source,
  ...(fillSeq ? { fill_seq: fillSeq } : {}),
});

/** One decision as the risk workflow takes it (without VaR, which needs the tick stores). */
function decide(state: RiskCarriedState, request: RiskCheckRequest, at = NOW, portfolio: Partial<RiskInputs['portfolio']> = {}): RiskDecision {
  const admission = admissionOf(state, request, at);
  const throttled = admission.kind === 'admitted' ? null : rejectionThrottle(state, at);
  const mismatch = admission.kind === 'mismatch';
  let outcome: PreVarOutcome | null = null;
  if (!throttled && !mismatch) {
    outcome = evaluateBeforeVar({ request, state: gateStateFor(state, admission), limits: state.settings.limits, inputs: inputs(portfolio), nowMs: at, admitted: admission.kind === 'admitted' });
  }
  const decision = buildDecision({
    request,
    fingerprint: riskLegsFingerprint(request.legs),
    riskCheckId: `rc:paper:${state.counters.next_check_seq}`,
    key: riskDecisionKey(request),
    workflowId: 'risk:paper',
    runId: 'run',
    nowMs: at,
    limits: state.settings.limits,
    tradingStateBefore: state.trading_state,
    outcome,
    extraReasons: [
      ...(throttled ? [throttled] : []),
      ...(mismatch ? [{ code: 'APPROVAL_MISMATCH' as const, message: 'reserved for another leg', leg_index: 0 }] : []),
    ],
    varResult: null,
  });
  applyDecision(state, decision, outcome, admission, at);
  return decision;
}
const codes = (d: RiskDecision) => d.reasons.map((r) => r.code);

describe('a dry run', () => {
  it('reserves nothing, counts toward no window and makes no later order a duplicate or throttled', () => {
    const state = emptyRiskState(settings, NOW);
    for (let i = 0; i < 25; i += 1) expect(decide(state, req('pre_trade_risk_check', [leg()], `dry-${i}`)).decision).toBe('approved');
    expect(state).toMatchObject({ reservations: [], recent_approvals: [], decisions: [], counters: { dry_runs: 25, checks: 0 } });
    const order = decide(state, req('order_gate', [leg({ client_order_id: 'real-1' })], 'dry-0'));
    expect(order.decision).toBe('approved');
    expect(order.key).toBe('order:real-1');
  });
});

describe('an approval', () => {
  it('admits its own order exactly as approved, re-checked against the state now', () => {
    const state = emptyRiskState(settings, NOW);
    expect(decide(state, req('submit_intent', [leg()])).decision).toBe('approved');
    expect(state.reservations).toMatchObject([{ client_order_id: 'i-1.0', admitted: false }]);
    // Another size under the reserved id is no order of the intent.
    expect(codes(decide(state, req('order_gate', [leg({ qty: '0.2' })], 'anything'), NOW + 1))).toEqual(['APPROVAL_MISMATCH']);
    // Tightened in between: the approval carries no authority past the state.
    tradingStateChanged(state, { from: 'ACTIVE', to: 'HALTED', reason: 'stop', authority: { kind: 'agent' }, at: NOW + 2 });
    expect(codes(decide(state, req('order_gate', [leg()], 'i-1'), NOW + 3))).toContain('TRADING_HALTED');
  });

  it('is not counted twice: its order passes duplicate and rate windows it already used, and holds one reservation', () => {
    const state = emptyRiskState({ ...settings, limits: { ...DEFAULT_RISK_LIMITS, max_orders_per_window: 1 } }, NOW);
    expect(decide(state, req('submit_intent', [leg()])).decision).toBe('approved');
    const order = decide(state, req('order_gate', [leg()], 'i-1'), NOW + 10);
    expect(order.decision).toBe('approved');
    expect(state.reservations).toMatchObject([{ client_order_id: 'i-1.0', admitted: true }]);
    expect(state.inflight_fills).toMatchObject([{ client_order_id: 'i-1.0', key: 'order:i-1.0' }]);
    // A fresh order is throttled by the rate the intent used.
    expect(codes(decide(state, req('order_gate', [leg({ client_order_id: 'x', qty: '0.5' })], 'x'), NOW + 20))).toContain('ORDER_RATE_THROTTLED');
  });

  it('lapses unused: after its ttl the order is checked afresh, and a caller intent_id gives it nothing', () => {
    const state = emptyRiskState({ ...settings, limits: { ...DEFAULT_RISK_LIMITS, max_symbol_notional: '10000' } }, NOW);
    expect(decide(state, req('submit_intent', [leg()])).decision).toBe('approved');
    const later = NOW + DEFAULT_RISK_LIMITS.reservation_ttl_sec * 1000 + 1;
    const held = { positions: { 'BTC/USDT': '0.1' } };
    expect(codes(decide(state, req('order_gate', [leg()], 'i-1'), later, held))).toContain('MAX_SYMBOL_NOTIONAL');
  });

  it('counts a resting fill against the position without its own reservation', () => {
    const state = emptyRiskState(settings, NOW);
    decide(state, req('order_gate', [leg({ client_order_id: 'rest-1', qty: '0.3' })], 'rest-1'));
    applyOrderProgress(state, { client_order_id: 'rest-1', key: null, status: 'working', remaining_qty: '0.3' });
    const fill = decide(state, req('fill_check', [leg({ client_order_id: 'rest-1', qty: '0.3' })], 'rest-1', 1), NOW + 5);
    expect(fill.reasons).toEqual([]);
    expect(fill).toMatchObject({ decision: "approved", key: "fill:rest-1:1" });
    expect(fill.legs[0]?.position_after).toBe('0.3');
    applyOrderProgress(state, { client_order_id: 'rest-1', key: null, status: 'terminal', remaining_qty: '0' });
    expect(state.reservations).toEqual([]);
    expect(state.inflight_fills).toEqual([]);
  });

  it('drops a queued check of an order that ended before the gate reached it, and keeps the others', () => {
    const state = emptyRiskState(settings, NOW);
    state.queued_checks = [req('order_gate', [leg({ client_order_id: 'gone' })], 'gone'), req('order_gate', [leg({ client_order_id: 'stays' })], 'stays')];
    applyOrderProgress(state, { client_order_id: 'gone', key: null, status: 'terminal', remaining_qty: '0' });
    expect(state.queued_checks.map((q) => q.legs[0]?.client_order_id)).toEqual(['stays']);
  });
});

describe('an intent whose leg id is already an order', () => {
  it('is refused, so no approval holds capacity for an order that will never be placed', () => {
    const state = emptyRiskState(settings, NOW);
    const request = req('submit_intent', [leg({ client_order_id: 'x.0' })], 'x');
    const taken = { ...inputs(), orders: { 'x.0': { client_order_id: 'x.0', status: 'terminal' as const, remaining_qty: null } } };
    const outcome = evaluateBeforeVar({ request, state, limits: state.settings.limits, inputs: taken, nowMs: NOW });
    expect(outcome.reasons.map((r) => r.code)).toEqual(['ORDER_ID_IN_USE']);
    const free = { ...inputs(), orders: { 'x.0': { client_order_id: 'x.0', status: 'missing' as const, remaining_qty: null } } };
    expect(evaluateBeforeVar({ request, state, limits: state.settings.limits, inputs: free, nowMs: NOW }).reasons).toEqual([]);
  });
});

describe('refusals', () => {
  it('past the limit in a window are refused unchecked, and admitted orders still pass', () => {
    const state = emptyRiskState({ ...settings, limits: { ...DEFAULT_RISK_LIMITS, max_rejections_per_window: 3 } }, NOW);
    decide(state, req('submit_intent', [leg({ client_order_id: 'ok.0' })], 'ok'));
    for (let i = 0; i < 3; i += 1) expect(codes(decide(state, req('order_gate', [leg({ symbol: 'DOGE/USDT', client_order_id: `bad-${i}` })], `bad-${i}`), NOW + i))).toContain('SYMBOL_NOT_ALLOWED');
    expect(codes(decide(state, req('order_gate', [leg({ client_order_id: 'good', qty: '0.3' })], 'good'), NOW + 10))).toEqual(['REJECTIONS_THROTTLED']);
    expect(decide(state, req('order_gate', [leg({ client_order_id: 'ok.0' })], 'ok'), NOW + 11).decision).toBe('approved');
    expect(rejectionThrottle(state, NOW + DEFAULT_RISK_LIMITS.throttle_window_sec * 1000 + 10)).toBeNull();
  });

  it('count near-identical repeats as duplicates, within the tolerance only', () => {
    expect(sizesNear('qty:0.1', 'qty:0.1005', 1)).toBe(true);
    expect(sizesNear('qty:0.1', 'qty:0.102', 1)).toBe(false);
    expect(sizesNear('qty:0.1', 'quote:0.1', 1)).toBe(false);
    const state = emptyRiskState(settings, NOW);
    decide(state, req('order_gate', [leg({ client_order_id: 'a' })], 'a'));
    const twin = decide(state, req('order_gate', [leg({ client_order_id: 'b', qty: '0.1009' })], 'b'), NOW + 1000);
    expect(codes(twin)).toEqual(['DUPLICATE_INTENT']);
    expect(twin.reasons[0]?.message).toMatch(/send it again in \d+ s/);
  });
});

describe('the breaker', () => {
  const breach = { code: 'DAILY_LOSS_BREAKER' as const, message: 'lost too much' };

  it('moves ACTIVE to REDUCING, lets the exit through, and leaves a tighter state alone', () => {
    const state = emptyRiskState(settings, NOW);
    state.breaker = observeEquity(state.breaker, money('100000'), NOW, money('100000'));
    // Down 6 000 on the day with 1 BTC held: a buy is refused, the exit sell passes.
    const lossy = { cash: '29000', positions: { 'BTC/USDT': '1' } };
    const buy = decide(state, req('order_gate', [leg({ client_order_id: 'buy' })], 'buy'), NOW + 1, lossy);
    expect(codes(buy)).toContain('DAILY_LOSS_BREAKER');
    expect(state.trading_state).toBe('REDUCING');
    expect(state.state_log.at(-1)).toMatchObject({ to: 'REDUCING', authority: { kind: 'breaker', code: 'DAILY_LOSS_BREAKER' } });
    const exit = decide(state, req('order_gate', [leg({ client_order_id: 'exit', side: 'sell', qty: '0.3' })], 'exit'), NOW + 2, lossy);
    expect(exit.reasons).toEqual([]);
    const halted = emptyRiskState(settings, NOW);
    tradingStateChanged(halted, { from: 'ACTIVE', to: 'HALTED', reason: 'x', authority: { kind: 'agent' }, at: NOW });
    tripBreaker(halted, breach, NOW);
    expect(halted.trading_state).toBe('HALTED');
  });

  it('is not re-tripped on a loss a person acknowledged, keeps the day open, and trips on a further loss', () => {
    const limits = DEFAULT_RISK_LIMITS;
    let breaker = observeEquity({ ...emptyRiskState(settings, NOW).breaker }, money('100000'), NOW, money('100000'));
    expect(breakerBreach(breaker, money('94000'), limits)?.code).toBe('DAILY_LOSS_BREAKER');
    breaker = observeEquity({ ...breaker, acknowledge_pending: true }, money('94000'), NOW + 1, money('100000'));
    expect(breaker).toMatchObject({ day_open_equity: '100000', acknowledged: { equity: '94000' } });
    expect(breakerBreach(breaker, money('93000'), limits)).toBeNull();
    expect(breakerBreach(breaker, money('88000'), limits)?.message).toMatch(/acknowledged today/);
  });
});

describe('a tightening', () => {
  it('stops every working order when HALTED and the buys when REDUCING', () => {
    const state = emptyRiskState(settings, NOW);
    decide(state, req('order_gate', [leg({ client_order_id: 'b1' })], 'b1'));
    decide(state, req('order_gate', [leg({ client_order_id: 's1', side: 'sell', qty: '0.2' })], 's1'), NOW + 1, { positions: { 'BTC/USDT': '1' } });
    expect(ordersStoppedBy(state, 'REDUCING').map((r) => r.client_order_id)).toEqual(['b1']);
    expect(ordersStoppedBy(state, 'HALTED').map((r) => r.client_order_id)).toEqual(['b1', 's1']);
    expect(ordersStoppedBy(state, 'ACTIVE')).toEqual([]);
  });
});

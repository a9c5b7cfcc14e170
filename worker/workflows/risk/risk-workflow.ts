/**
 * The risk gate of one account (`risk:<account>`): long-lived, one decision at a time. A check
 * reads its inputs through activities (recorded in history), then decides with pure functions, so
 * the decision replays identically. Every order path asks here: pre_trade_risk_check, submit_intent
 * and the paper order workflow's pre-trade gate. Any failure to read what a check needs becomes a
 * rejection: the gate fails closed.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  APPROVAL_EXPIRED,
  INTENT_CONFLICT,
  INVALID_RISK_REQUEST,
  LOOSENING_NEEDS_PERSON,
  reloadLimitsUpdate,
  resetBreakerUpdate,
  riskCheckUpdate,
  riskDecisionQuery,
  riskLegsFingerprint,
  riskStateQuery,
  setTradingStateUpdate,
  type RiskCarriedState,
  type RiskCheckRequest,
  type RiskDecision,
  type RiskReason,
  type RiskWorkflowInput,
  type SetTradingStateRequest,
} from '../../../schemas/temporal/risk.js';
import type { RiskActivities } from '../../activities/risk/index.js';
import { msToNextUtcMidnight } from '../../../domain/risk/breaker.js';
import { evaluateBeforeVar, observePortfolio, varWeights, type PreVarOutcome } from '../../../domain/risk/checks.js';
import { buildDecision } from '../../../domain/risk/decision.js';
import type { PortfolioVarResult, RiskInputs } from '../../../domain/risk/risk-inputs.js';
import {
  applyDecision,
  approvalLapsed,
  emptyRiskState,
  findDecision,
  nextRiskCheckId,
  pruneApprovals,
  recordedAnswer,
  refreshReservations,
  stateView,
  tradingStateChanged,
  tripBreaker,
} from '../../../domain/risk/risk-state.js';
import { InvalidRiskRequestError, validateRiskCheckRequest } from '../../../domain/risk/request-validation.js';
import { InvalidStateRequestError, LooseningNeedsPersonError, decideStateChange, validateStateRequest } from '../../../domain/risk/trading-state.js';

const { loadRiskSettings } = proxyLocalActivities<RiskActivities>({ startToCloseTimeout: '10 seconds' });
const { gatherRiskInputs, estimatePortfolioVar } = proxyLocalActivities<RiskActivities>({
  startToCloseTimeout: '10 seconds',
  // A read that keeps failing becomes a rejection within seconds, never a hanging order.
  retry: { maximumAttempts: 3, initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds' },
});

/** The midnight observation runs a moment after midnight, so the new day's clock has turned. */
const MIDNIGHT_SLACK_MS = 1_000;

const failureText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? 'unknown error';

function asApplicationFailure(err: unknown): unknown {
  if (err instanceof InvalidRiskRequestError || err instanceof InvalidStateRequestError) {
    return ApplicationFailure.create({ type: INVALID_RISK_REQUEST, message: err.message, nonRetryable: true });
  }
  if (err instanceof LooseningNeedsPersonError) {
    return ApplicationFailure.create({ type: LOOSENING_NEEDS_PERSON, message: err.message, nonRetryable: true });
  }
  return err;
}

export async function riskWorkflow(input: RiskWorkflowInput): Promise<void> {
  const { account } = input;
  const { workflowId, runId } = workflowInfo();
  const run = { workflowId, runId };
  let state: RiskCarriedState | undefined = input.carried;
  let handled = 0;
  let busy = false;

  /** One decision, state change or observation at a time. */
  async function exclusive<T>(work: (s: RiskCarriedState) => Promise<T> | T): Promise<T> {
    // Several waiters can be unblocked by the same release; whoever resumes second waits again.
    while (state === undefined || busy) await condition(() => state !== undefined && !busy);
    busy = true;
    try {
      return await work(state as RiskCarriedState);
    } finally {
      busy = false;
    }
  }

  async function check(s: RiskCarriedState, req: RiskCheckRequest): Promise<RiskDecision> {
    const fingerprint = riskLegsFingerprint(req.legs);
    const recorded = findDecision(s, req.intent_id);
    if (recorded) {
      const answer = recordedAnswer(recorded, req, fingerprint);
      const ageMs = Date.now() - recorded.decided_at;
      if (answer && approvalLapsed(recorded, req, ageMs, s.settings.limits.reservation_ttl_sec)) {
        throw ApplicationFailure.create({
          type: APPROVAL_EXPIRED,
          nonRetryable: true,
          message: `intent ${req.intent_id} was approved ${Math.round(ageMs / 1000)} s ago (${recorded.risk_check_id}), longer than the ${s.settings.limits.reservation_ttl_sec} s its capacity is held, and the market has moved since; check and submit it again under a new intent_id`,
        });
      }
      if (answer) return answer;
      throw ApplicationFailure.create({
        type: INTENT_CONFLICT,
        nonRetryable: true,
        message: `intent_id ${req.intent_id} was already decided (${recorded.decision}, ${recorded.risk_check_id}) for different legs; use a new intent_id for a new intent`,
      });
    }
    pruneApprovals(s, Date.now());
    const limits = s.settings.limits;
    const extraReasons: RiskReason[] = [];
    let inputs: RiskInputs | null = null;
    try {
      inputs = await gatherRiskInputs({
        account,
        exchange: s.settings.exchange,
        symbols: [...new Set([...req.legs.map((l) => l.symbol), ...s.reservations.map((r) => r.symbol)])],
        client_order_ids: s.reservations.map((r) => r.client_order_id),
      });
    } catch (err) {
      if (s.trading_state === 'HALTED') {
        extraReasons.push({ code: 'TRADING_HALTED', message: `trading is HALTED for account ${account}; only a person can loosen it`, leg_index: null });
      }
      extraReasons.push({
        code: 'RISK_INPUTS_UNAVAILABLE',
        message: `the gate could not read its inputs (${failureText(err)}); it fails closed. Retry with a new intent_id once the ledger and tick stores answer`,
        leg_index: null,
      });
    }
    const nowMs = Date.now();
    let outcome: PreVarOutcome | null = null;
    let varResult: PortfolioVarResult | null = null;
    if (inputs) {
      s.reservations = refreshReservations(s.reservations, inputs.orders, nowMs);
      outcome = evaluateBeforeVar({ request: req, state: s, limits, inputs, nowMs });
      if (outcome.reasons.length === 0) {
        const weights = varWeights(outcome);
        try {
          varResult = await estimatePortfolioVar({
            exchange: s.settings.exchange,
            weights_before: weights.before,
            weights_after: weights.after,
            confidence: limits.var_confidence,
            window_returns: limits.var_window_returns,
            interval_sec: limits.var_return_interval_sec,
            min_observations: limits.var_min_observations,
            end_ms: nowMs,
          });
        } catch (err) {
          varResult = { available: false, reason: `the estimate failed (${failureText(err)})`, observations: 0, missing_symbols: [] };
        }
      }
    }
    const decision = buildDecision({
      request: req,
      fingerprint,
      riskCheckId: nextRiskCheckId(s, account),
      workflowId,
      runId,
      nowMs: Date.now(),
      limits,
      tradingStateBefore: s.trading_state,
      outcome,
      extraReasons,
      varResult,
    });
    applyDecision(s, decision, outcome, decision.decided_at);
    handled += 1;
    return decision;
  }

  setHandler(riskCheckUpdate, (req) => exclusive((s) => check(s, req)), {
    validator: (req) => {
      try {
        validateRiskCheckRequest(req, account);
      } catch (err) {
        throw asApplicationFailure(err);
      }
    },
  });

  setHandler(
    setTradingStateUpdate,
    (req: SetTradingStateRequest) =>
      exclusive((s) => {
        try {
          const { result, change } = decideStateChange(account, s.trading_state, req, Date.now());
          if (change) tradingStateChanged(s, change);
          handled += 1;
          return result;
        } catch (err) {
          throw asApplicationFailure(err);
        }
      }),
    {
      validator: (req) => {
        try {
          validateStateRequest(req);
          // Refused before it reaches history when the answer is already clear.
          if (state) decideStateChange(account, state.trading_state, req, Date.now());
        } catch (err) {
          throw asApplicationFailure(err);
        }
      },
    },
  );

  setHandler(
    reloadLimitsUpdate,
    (req) =>
      exclusive(async (s) => {
        s.settings = await loadRiskSettings();
        s.limits_loaded_at = Date.now();
        s.state_log.push({
          from: s.trading_state,
          to: s.trading_state,
          reason: `limits reloaded: ${req.reason}`,
          authority: { kind: 'person', via: 'operator_cli', confirmed_by: req.requested_by },
          at: s.limits_loaded_at,
        });
        handled += 1;
        return stateView(s, account, run);
      }),
    { validator: (req) => validateOperatorRequest(req) },
  );

  setHandler(
    resetBreakerUpdate,
    (req) =>
      exclusive((s) => {
        s.breaker = { ...s.breaker, rebase_pending: true };
        s.state_log.push({
          from: s.trading_state,
          to: s.trading_state,
          reason: `breaker reference points reset: ${req.reason}`,
          authority: { kind: 'person', via: 'operator_cli', confirmed_by: req.requested_by },
          at: Date.now(),
        });
        handled += 1;
        return stateView(s, account, run);
      }),
    { validator: (req) => validateOperatorRequest(req) },
  );

  setHandler(riskStateQuery, () => (state ? stateView(state, account, run) : null));
  setHandler(riskDecisionQuery, (intentId) => (state ? (findDecision(state, intentId) ?? null) : null));

  if (!state) state = emptyRiskState(await loadRiskSettings(), Date.now());
  const s = state;

  const rollOver = () =>
    handled >= s.settings.continue_as_new_after ||
    workflowInfo().historyLength >= s.settings.history_limit ||
    workflowInfo().continueAsNewSuggested;

  // Wake at each UTC midnight to open the new day's equity, even if nobody trades.
  while (!(await condition(rollOver, msToNextUtcMidnight(Date.now()) + MIDNIGHT_SLACK_MS))) {
    await exclusive(async (current) => {
      try {
        const inputs = await gatherRiskInputs({
          account,
          exchange: current.settings.exchange,
          symbols: [...new Set(current.reservations.map((r) => r.symbol))],
          client_order_ids: current.reservations.map((r) => r.client_order_id),
        });
        const nowMs = Date.now();
        current.reservations = refreshReservations(current.reservations, inputs.orders, nowMs);
        const observation = observePortfolio(current, inputs, current.settings.limits, nowMs);
        current.breaker = observation.breaker;
        if (observation.breach) tripBreaker(current, observation.breach, nowMs);
      } catch {
        // The next check observes equity instead; the first observation of a day opens it.
      }
    });
  }
  await condition(allHandlersFinished);
  await continueAsNew<typeof riskWorkflow>({ account, carried: { ...s, runs: s.runs + 1 } });
}

function validateOperatorRequest(req: { reason: string; requested_by: string }): void {
  if (typeof req?.reason !== 'string' || req.reason.trim().length < 3) {
    throw ApplicationFailure.create({ type: INVALID_RISK_REQUEST, message: 'reason must say why in at least 3 characters', nonRetryable: true });
  }
  if (typeof req.requested_by !== 'string' || req.requested_by.trim().length === 0) {
    throw ApplicationFailure.create({ type: INVALID_RISK_REQUEST, message: 'requested_by must name the operator', nonRetryable: true });
  }
}

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
  getExternalWorkflowHandle,
  patched,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { orderWorkflowId, riskCancelOrderSignal } from '../../../schemas/temporal/orders.js';
import {
  INTENT_CONFLICT,
  MAX_QUEUED_CHECKS,
  RISK_GATE_BUSY,
  queueRiskCheckSignal,
  riskAnswerSignal,
  type RiskAnswer,
  INVALID_RISK_REQUEST,
  LOOSENING_NEEDS_PERSON,
  reloadLimitsUpdate,
  resetBreakerUpdate,
  riskCheckUpdate,
  riskDecisionQuery,
  orderProgressSignal,
  completeRiskSettings,
  riskDecisionKey,
  fillDecisionKey,
  orderDecisionKey,
  riskLegsFingerprint,
  riskStateQuery,
  setTradingStateUpdate,
  tradingStateRank,
  type OrderProgress,
  type Reservation,
  type TradingState,
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
  admissionOf,
  applyDecision,
  applyOrderProgress,
  emptyRiskState,
  findDecision,
  gateStateFor,
  legacyRecordedAnswer,
  nextRiskCheckId,
  ordersStoppedBy,
  pruneWindows,
  recordedAnswer,
  refreshReservations,
  rejectionThrottle,
  stateView,
  tradingStateChanged,
  tripBreaker,
} from '../../../domain/risk/risk-state.js';
import { InvalidRiskRequestError, validateRiskCheckRequest } from '../../../domain/risk/request-validation.js';
import { InvalidStateRequestError, LooseningNeedsPersonError, decideStateChange, validateStateRequest } from '../../../domain/risk/trading-state.js';
import { installLooseningCodeHandlers } from './loosening-code-handlers.js';

const { loadRiskSettings } = proxyLocalActivities<RiskActivities>({ startToCloseTimeout: '10 seconds' });
const { gatherRiskInputs, estimatePortfolioVar } = proxyLocalActivities<RiskActivities>({
  startToCloseTimeout: '10 seconds',
  // A read that keeps failing becomes a rejection within seconds, never a hanging order.
  retry: { maximumAttempts: 3, initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds' },
});

/** The midnight observation runs a moment after midnight, so the new day's clock has turned. */
/**
 * How long a tightening waits for fills already approved to be booked and stopped orders to
 * finish before it answers (an order workflow whose worker is down cannot answer sooner).
 */
const STOP_WAIT_MS = 20_000;
/** Decisions recorded by key, dry runs, admission of orders against exactly what was approved. */
const DECISION_KEYS = 'risk-decision-keys';
/** From this change on, a reason's remedy names what this caller should do for this cause. */
const SPECIFIC_REMEDIES = 'risk-specific-remedies';
/** From this change on, both of the above are decided at the start of each run. */
const MARKERS_AT_START = 'risk-markers-at-the-start';
/**
 * From this change on, a queued check's answer goes out as soon as it is decided and the next batch
 * does not wait for the batch before to be delivered (each delivery is its own workflow task, so a
 * batch of 25 waited for 25 tasks); the run delivers everything before it continues as new.
 */
const ANSWERS_DRAIN_AT_HAND_OVER = 'risk-answers-drain-at-hand-over';
const MIDNIGHT_SLACK_MS = 1_000;
/**
 * Queued checks decided in one turn of the lock: they share one read of the inputs, and each
 * decides against the state the ones before it left (their reservations count). Bounded, so a
 * tightening or an operator waiting for the lock waits for one batch at most.
 */
const CHECK_BATCH = 25;

type GatherRequest = Parameters<RiskActivities['gatherRiskInputs']>[0];

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
  // Before any local activity: a marker recorded after one in the same workflow task is one replay
  // can miss. Runs begun before this marker decide the two below where they are used, as they did.
  const markersAtStart = patched(MARKERS_AT_START);
  const answersDrainAtHandOver = patched(ANSWERS_DRAIN_AT_HAND_OVER);
  /** Answers to queued checks not yet delivered; the run hands over only once they are. */
  const answersInFlight = new Set<Promise<void>>();
  const { workflowId, runId } = workflowInfo();
  const run = { workflowId, runId };
  let state: RiskCarriedState | undefined = input.carried;
  /** Checks queued before this run has loaded its settings; they join the state once it has. */
  const pendingState: Pick<RiskCarriedState, 'queued_checks'> = {};
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

  async function check(
    s: RiskCarriedState,
    req: RiskCheckRequest,
    gather: (r: GatherRequest) => Promise<RiskInputs> = gatherRiskInputs,
  ): Promise<RiskDecision> {
    const fingerprint = riskLegsFingerprint(req.legs);
    const key = riskDecisionKey(req);
    const dryRun = req.source === 'pre_trade_risk_check';
    if (!(markersAtStart || patched(DECISION_KEYS))) {
      // A run recorded before decision keys: its repeats are answered as they were then.
      const legacy = legacyRecordedAnswer(s, req, fingerprint);
      if (legacy === 'conflict') {
        throw ApplicationFailure.create({ type: INTENT_CONFLICT, nonRetryable: true, message: `intent_id ${req.intent_id} was already decided for different legs; use a new intent_id for a new intent` });
      }
      if (legacy) return legacy;
    } else if (!dryRun) {
      const recorded = findDecision(s, key);
      if (recorded) {
        const answer = recordedAnswer(recorded, fingerprint);
        if (answer) return answer;
        throw ApplicationFailure.create({
          type: INTENT_CONFLICT,
          nonRetryable: true,
          message: `${key} was already decided (${recorded.decision}, ${recorded.risk_check_id}) for different legs; use a new id for a new ${req.source === 'submit_intent' ? 'intent' : 'order'}`,
        });
      }
    }
    const nowAtStart = Date.now();
    pruneWindows(s, nowAtStart);
    const admission = admissionOf(s, req, nowAtStart);
    const admitted = admission.kind === 'admitted';
    const limits = s.settings.limits;
    const extraReasons: RiskReason[] = [];
    if (admission.kind === 'mismatch') {
      extraReasons.push({
        code: 'APPROVAL_MISMATCH',
        message: `client_order_id ${admission.reservation.client_order_id} is reserved for a leg of intent ${admission.reservation.intent_id} that this order does not match (symbol, side, size and limit price must be exactly as approved); place other orders under ids of their own`,
        leg_index: 0,
      });
    }
    const throttled = admitted ? null : rejectionThrottle(s, nowAtStart);
    if (throttled) extraReasons.push(throttled);
    let inputs: RiskInputs | null = null;
    // A request already refused before the checks costs no reads.
    if (extraReasons.length === 0) {
      try {
        inputs = await gather({
          account,
          exchange: s.settings.exchange,
          symbols: [...new Set([...req.legs.map((l) => l.symbol), ...s.reservations.map((r) => r.symbol)])],
          // An intent's legs become orders under ids of their own: an id already taken is read too.
          client_order_ids: [...ordersToObserve(s.reservations), ...(req.source === 'submit_intent' ? req.legs.map((l) => l.client_order_id) : [])],
        });
      } catch (err) {
        if (s.trading_state === 'HALTED') {
          extraReasons.push({ code: 'TRADING_HALTED', message: `trading is HALTED for account ${account}; only a person can loosen it`, leg_index: null });
        }
        extraReasons.push({
          code: 'RISK_INPUTS_UNAVAILABLE',
          message: `the gate could not read its inputs (${failureText(err)}); it fails closed. Ask again once the ledger and tick stores answer`,
          leg_index: null,
        });
      }
    }
    const nowMs = Date.now();
    let outcome: PreVarOutcome | null = null;
    let varResult: PortfolioVarResult | null = null;
    if (inputs) {
      s.reservations = refreshReservations(s.reservations, inputs.orders, nowMs);
      outcome = evaluateBeforeVar({ request: req, state: gateStateFor(s, admission), limits, inputs, nowMs, admitted, specificRemedies: markersAtStart || patched(SPECIFIC_REMEDIES) });
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
      key,
      workflowId,
      runId,
      nowMs: Date.now(),
      limits,
      tradingStateBefore: s.trading_state,
      outcome,
      extraReasons,
      varResult,
    });
    const stateBefore = s.trading_state;
    applyDecision(s, decision, outcome, admission, decision.decided_at);
    handled += 1;
    // A breaker trip stops what it must; the check's answer does not wait for the orders to stop.
    if (s.trading_state !== stateBefore) await stopWorkingOrders(s, s.trading_state);
    return decision;
  }

  /**
   * A tightening reaches working orders: each one it stops is told, records why and stops; an
   * intent's approval not yet placed is dropped (its order, if it comes, is checked afresh).
   * Returns the orders told.
   */
  async function stopWorkingOrders(s: RiskCarriedState, to: TradingState): Promise<string[]> {
    const reason = `trading is ${to} for account ${account}: ${to === 'HALTED' ? 'every working order is cancelled' : 'working orders that add exposure are cancelled'} (${s.state_log[s.state_log.length - 1]?.reason ?? 'no reason given'})`;
    const told: string[] = [];
    for (const r of ordersStoppedBy(s, to)) {
      if (r.admitted) told.push(r.client_order_id);
      else s.reservations = s.reservations.filter((x) => x !== r);
    }
    await Promise.all(
      told.map((id) =>
        getExternalWorkflowHandle(orderWorkflowId(id))
          .signal(riskCancelOrderSignal, { reason })
          // An order that has already closed has nothing left to stop.
          .catch(() => {
            s.reservations = s.reservations.filter((x) => x.client_order_id !== id);
          }),
      ),
    );
    return told;
  }

  /**
   * Waits, bounded, until every fill the gate approved is booked and every told order has stopped,
   * so once a tightening answers no order of the account fills against the old state. It waits
   * outside the gate's lock: a resting order asking to fill meanwhile is refused under the new
   * state, which is how it learns to stop.
   */
  async function awaitStopped(told: string[]): Promise<void> {
    const s = state as RiskCarriedState;
    const settled = () => (s.inflight_fills ?? []).length === 0 && !s.reservations.some((r) => told.includes(r.client_order_id));
    if (!settled()) await condition(settled, STOP_WAIT_MS);
  }

  /** Sends an answer without waiting for its delivery, which the run drains before it hands over. */
  function answerLater(to: string, answer: RiskAnswer): void {
    const sent = sendAnswer(to, answer).finally(() => answersInFlight.delete(sent));
    answersInFlight.add(sent);
  }

  /**
   * Decides up to CHECK_BATCH queued checks, oldest first, and answers each as soon as it is decided
   * (runs from before ANSWERS_DRAIN_AT_HAND_OVER sent them all at the end and waited for each). The
   * inputs are read once, for every symbol the batch and the reservations name; each check decides
   * against the state the checks before it left.
   */
  async function decideQueued(s: RiskCarriedState): Promise<void> {
    const batch = (s.queued_checks ?? []).splice(0, CHECK_BATCH);
    let shared: Promise<RiskInputs> | undefined;
    const gatherOnce = (first: GatherRequest): Promise<RiskInputs> => {
      shared ??= gatherRiskInputs({
        ...first,
        symbols: [...new Set([...first.symbols, ...batch.flatMap((r) => (Array.isArray(r?.legs) ? r.legs.map((l) => l?.symbol) : []))])]
          .filter((symbol): symbol is string => typeof symbol === 'string')
          .sort(),
      });
      return shared;
    };
    const answers: Array<{ to: string; answer: RiskAnswer }> = [];
    for (const req of batch) {
      const { to, key } = replyTarget(req);
      let answer: RiskAnswer;
      try {
        validateQueuedCheck(req, account);
        answer = { key, decision: await check(s, req, gatherOnce), failure: null };
      } catch (err) {
        const failure = asApplicationFailure(err);
        const type = failure instanceof ApplicationFailure ? (failure.type ?? 'Error') : 'Error';
        answer = { key, decision: null, failure: { type, message: failureText(failure) } };
      }
      if (answersDrainAtHandOver) answerLater(to, answer);
      else answers.push({ to, answer });
    }
    await Promise.all(answers.map(({ to, answer }) => sendAnswer(to, answer)));
  }

  setHandler(queueRiskCheckSignal, async (req: RiskCheckRequest) => {
    const queue = (state ?? pendingState).queued_checks ?? [];
    if (queue.length < MAX_QUEUED_CHECKS) {
      queue.push(req);
      (state ?? pendingState).queued_checks = queue;
      return;
    }
    const { to, key } = replyTarget(req);
    await sendAnswer(to, {
      key,
      decision: null,
      failure: { type: RISK_GATE_BUSY, message: `the risk gate of account ${account} already holds ${MAX_QUEUED_CHECKS} orders in its queue` },
    });
  });

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
    async (req: SetTradingStateRequest) => {
      const { result, told } = await exclusive(async (s) => {
        let decided: ReturnType<typeof decideStateChange>;
        try {
          decided = decideStateChange(account, s.trading_state, req, Date.now());
        } catch (err) {
          throw asApplicationFailure(err);
        }
        const { change } = decided;
        if (change) tradingStateChanged(s, change);
        handled += 1;
        const tightened = change !== null && tradingStateRank(change.to) > tradingStateRank(change.from);
        return { result: decided.result, told: tightened ? await stopWorkingOrders(s, change.to) : null };
      });
      if (told) await awaitStopped(told);
      return result;
    },
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
        s.settings = completeRiskSettings(await loadRiskSettings({ account }));
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
        // The trip is acknowledged at the next observation; the day's open and the high-water mark stay.
        s.breaker = { ...s.breaker, tripped: null, acknowledge_pending: true };
        s.state_log.push({
          from: s.trading_state,
          to: s.trading_state,
          reason: `breaker acknowledged (the day's loss stays on record): ${req.reason}`,
          authority: { kind: 'person', via: 'operator_cli', confirmed_by: req.requested_by },
          at: Date.now(),
        });
        handled += 1;
        return stateView(s, account, run);
      }),
    { validator: (req) => validateOperatorRequest(req) },
  );

  setHandler(orderProgressSignal, (progress: OrderProgress) => {
    // Reported by the order workflows themselves; before the settings load there is nothing to follow.
    if (state && typeof progress?.client_order_id === 'string') applyOrderProgress(state, progress);
  });

  installLooseningCodeHandlers({ account, exclusive, countHandled: () => void (handled += 1) });
  setHandler(riskStateQuery, () => (state ? stateView(state, account, run) : null));
  setHandler(riskDecisionQuery, (intentId) => (state ? (findDecision(state, intentId) ?? null) : null));

  if (!state) state = emptyRiskState(completeRiskSettings(await loadRiskSettings({ account })), Date.now());
  else state.settings = completeRiskSettings(state.settings);
  const s = state;
  if (pendingState.queued_checks?.length) s.queued_checks = [...(s.queued_checks ?? []), ...pendingState.queued_checks];
  const hasQueued = () => (s.queued_checks?.length ?? 0) > 0;

  const rollOver = () =>
    handled >= s.settings.continue_as_new_after ||
    workflowInfo().historyLength >= s.settings.history_limit ||
    workflowInfo().continueAsNewSuggested;

  // Wake at each UTC midnight to open the new day's equity, even if nobody trades; decide what
  // orders queued in between. A run that rolls over carries what is still queued.
  for (;;) {
    const woken = await condition(() => rollOver() || hasQueued(), msToNextUtcMidnight(Date.now()) + MIDNIGHT_SLACK_MS);
    if (rollOver()) break;
    if (woken) {
      await exclusive(decideQueued);
      continue;
    }
    await exclusive(async (current) => {
      try {
        const inputs = await gatherRiskInputs({
          account,
          exchange: current.settings.exchange,
          symbols: [...new Set(current.reservations.map((r) => r.symbol))],
          client_order_ids: ordersToObserve(current.reservations),
        });
        const nowMs = Date.now();
        current.reservations = refreshReservations(current.reservations, inputs.orders, nowMs);
        const observation = observePortfolio(current, inputs, current.settings.limits, nowMs);
        current.breaker = observation.breaker;
        if (observation.breach) {
          const before = current.trading_state;
          tripBreaker(current, observation.breach, nowMs);
          if (current.trading_state !== before) await stopWorkingOrders(current, current.trading_state);
        }
      } catch {
        // The next check observes equity instead; the first observation of a day opens it.
      }
    });
  }
  // Every answer is delivered before the hand-over: a signal still being sent when the run closes is lost.
  while (answersInFlight.size > 0) await Promise.all([...answersInFlight]);
  await condition(allHandlersFinished);
  await continueAsNew<typeof riskWorkflow>({ account, carried: { ...s, runs: s.runs + 1 } });
}

/**
 * Orders whose status the gate reads before it decides. Orders it admitted report their progress
 * themselves (orderProgress), and an intent's leg not yet admitted lapses at its expiry; both are
 * left alone, because such an order may be waiting in its own gate step for this very decision, and
 * a query to it would wait until that step ends. Only reservations carried from runs before orders
 * reported back are read.
 */
/** The answer to a queued check, to the order that asked; an order that has closed needs none. */
function sendAnswer(orderWorkflow: string, answer: RiskAnswer): Promise<void> {
  return getExternalWorkflowHandle(orderWorkflow)
    .signal(riskAnswerSignal, answer)
    .catch(() => undefined);
}

/** Only an order's own checks come by signal: the answer goes to the order the leg names. */
function validateQueuedCheck(req: RiskCheckRequest, account: string): void {
  validateRiskCheckRequest(req, account);
  if (req.source !== 'order_gate' && req.source !== 'fill_check') {
    throw new InvalidRiskRequestError(`a queued check must come from an order (order_gate or fill_check), not ${String(req.source)}`);
  }
}

/** The order a queued check answers to and the key it is answered under, read without trusting the request's shape. */
function replyTarget(req: RiskCheckRequest): { to: string; key: string } {
  const orderId = Array.isArray(req?.legs) && typeof req.legs[0]?.client_order_id === 'string' ? req.legs[0].client_order_id : '';
  const key = req?.source === 'fill_check' ? fillDecisionKey(orderId, req.fill_seq ?? 0) : orderDecisionKey(orderId);
  return { to: orderWorkflowId(orderId), key };
}

const ordersToObserve = (reservations: Reservation[]): string[] => reservations.filter((r) => r.approved_leg === undefined).map((r) => r.client_order_id);

function validateOperatorRequest(req: { reason: string; requested_by: string }): void {
  if (typeof req?.reason !== 'string' || req.reason.trim().length < 3) {
    throw ApplicationFailure.create({ type: INVALID_RISK_REQUEST, message: 'reason must say why in at least 3 characters', nonRetryable: true });
  }
  if (typeof req.requested_by !== 'string' || req.requested_by.trim().length === 0) {
    throw ApplicationFailure.create({ type: INVALID_RISK_REQUEST, message: 'requested_by must name the operator', nonRetryable: true });
  }
}

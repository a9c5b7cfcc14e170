/**
 * The risk gate as a paper order meets it (worker/workflows/execution/orders/pre-trade-gate.ts and
 * the resting loop of paper-order.ts). An order is checked under its own client_order_id, whatever
 * intent id its caller gave: only an intent's approval reserved for exactly this order admits it,
 * and even then every check runs again against the state now. A resting order asks again before
 * each fill. Anything that goes wrong on the way is a refusal: the gate fails closed. An account
 * whose gate is busy with a burst of orders makes the order wait its turn (up to a few minutes,
 * cancellable), then refuses it as RISK_GATE_BUSY; a gate that cannot be reached at all refuses it
 * as RISK_GATE_UNAVAILABLE. Either way nothing was checked, and the message says what to do.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  condition,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
} from '@temporalio/workflow';
import { UNKNOWN_ACCOUNT, unknownAccountFailure } from '../../../schemas/temporal/accounts.js';
import type { OrderRejection, PaperOrderRequest } from '../../../schemas/temporal/orders.js';
import {
  INTENT_CONFLICT,
  INVALID_RISK_REQUEST,
  RISK_GATE_BUSY,
  RISK_WORKFLOW_CLOSED,
  queueRiskCheckSignal,
  riskAnswerSignal,
  riskDecisionKey,
  riskWorkflowId,
  type RiskAnswer,
  type RiskCheckRequest,
  type RiskDecision,
  type RiskLeg,
  type RiskReason,
} from '../../../schemas/temporal/risk.js';
import type { RiskActivities } from '../../activities/risk/index.js';

const GATE_RETRY = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '10 seconds',
  maximumAttempts: 8,
  nonRetryableErrorTypes: [INTENT_CONFLICT, INVALID_RISK_REQUEST, RISK_WORKFLOW_CLOSED, UNKNOWN_ACCOUNT],
};
// Orders placed before ASKS_BY_ACTIVITY asked through a local activity. A local activity holds the
// order's workflow task, and with it one of the worker's workflow task slots, for as long as the
// gate takes to answer: a burst of orders on one account held every slot while the account's risk
// workflow, which must run to answer them, waited for one. From then on the order asks through an
// ordinary activity, whose wait holds no workflow task, heartbeating so that a worker killed
// mid-ask is noticed within seconds.
const ASKS_BY_ACTIVITY = 'order-gate-asks-by-activity';
const { requestRiskDecision: requestRiskDecisionLocally } = proxyLocalActivities<RiskActivities>({
  startToCloseTimeout: '30 seconds',
  // The bound is on all attempts together: a worker that is stopping cancels a local activity and
  // then starts its next attempt at once, so only a total bound lets it finish shutting down.
  scheduleToCloseTimeout: '60 seconds',
  retry: GATE_RETRY,
});
const { requestRiskDecision } = proxyActivities<RiskActivities>({
  startToCloseTimeout: '30 seconds',
  heartbeatTimeout: '5 seconds',
  // Long enough to ride out a worker restart (the risk workflow's tasks move to a new worker),
  // short enough that an order never waits on an unreachable gate for more than a minute.
  scheduleToCloseTimeout: '60 seconds',
  retry: GATE_RETRY,
});

const { ensureRiskGate } = proxyLocalActivities<RiskActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 5, nonRetryableErrorTypes: [RISK_WORKFLOW_CLOSED, UNKNOWN_ACCOUNT] },
});

/** From this change on, an order waits out a busy gate instead of being refused at the first try. */
const WAITS_OUT_BUSY_GATE = 'order-gate-waits-out-a-busy-gate';
/** How long, in all, an order waits for a busy gate to take it. */
const BUSY_QUEUE_MS = 5 * 60_000;
/** The pause between asks of a busy gate: random in this range, so a burst does not ask in lockstep. */
const BUSY_PAUSE_MIN_MS = 500;
const BUSY_PAUSE_SPREAD_MS = 2_500;

export const riskLegOfOrder = (request: PaperOrderRequest): RiskLeg => ({
  symbol: request.symbol,
  side: request.side,
  qty: request.qty,
  quote_notional: request.quote_notional,
  limit_price: request.type === 'limit' ? request.limit_price : null,
  client_order_id: request.client_order_id,
});

export type RiskGateAnswer =
  | { approved: true; decision: RiskDecision }
  | { approved: false; rejection: OrderRejection; decision: RiskDecision | null };

/** What a gate that gave no decision says: busy (the account's requests queue) or not reachable. */
function notDecided(request: PaperOrderRequest, cause: unknown): RiskGateAnswer {
  const message = cause instanceof Error ? cause.message : String(cause);
  const busy = (cause instanceof ApplicationFailure && cause.type === RISK_GATE_BUSY) || cause instanceof TimeoutFailure;
  const rejection: OrderRejection = busy
    ? {
        code: 'RISK_GATE_BUSY',
        message:
          `the risk gate of account ${request.account} was deciding other orders and did not take this one in time (${message}); nothing was checked or placed. ` +
          'Place it again with a new client_order_id once fewer orders of this account are in flight (the gate decides them one at a time).',
        risk_check_id: null,
        reasons: [],
      }
    : {
        code: 'RISK_GATE_UNAVAILABLE',
        message:
          `the risk gate of account ${request.account} could not be reached (${message}), so the order is refused: the gate fails closed and nothing was placed. ` +
          'Place it again with a new client_order_id once the worker runs (npm start).',
        risk_check_id: null,
        reasons: [],
      };
  return { approved: false, decision: null, rejection };
}

const isBusy = (answer: RiskGateAnswer): boolean => !answer.approved && answer.rejection.code === 'RISK_GATE_BUSY';

/** Reasons that mean the order may not fill now nor later under this state: a resting order stops. */
export const STATE_REASONS: readonly RiskReason['code'][] = ['TRADING_HALTED', 'REDUCE_ONLY'];

function refused(decision: RiskDecision): RiskGateAnswer {
  const reasons = decision.reasons ?? [];
  const codes = reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
  return {
    approved: false,
    decision,
    rejection: { code: 'RISK_REJECTED', message: `the risk gate refused it (${decision.risk_check_id}): ${codes}`, risk_check_id: decision.risk_check_id, reasons },
  };
}

/** Answers to this order's queued checks, by decision key; the handler is set at the first ask. */
let answers: Map<string, RiskAnswer> | undefined;

function riskAnswers(): Map<string, RiskAnswer> {
  if (!answers) {
    const received = new Map<string, RiskAnswer>();
    setHandler(riskAnswerSignal, (answer: RiskAnswer) => {
      if (typeof answer?.key === 'string') received.set(answer.key, answer);
    });
    answers = received;
  }
  return answers;
}

/**
 * Queues the check in the account's gate. A gate that is not running yet (the account's first
 * order, or a run that ended) is started by a local activity, which also refuses an account the
 * operator did not configure, and the signal is sent again.
 */
async function queueCheck(req: RiskCheckRequest): Promise<void> {
  const send = () => getExternalWorkflowHandle(riskWorkflowId(req.account)).signal(queueRiskCheckSignal, req);
  try {
    await send();
  } catch {
    await ensureRiskGate({ account: req.account });
    await send();
  }
}

/**
 * Asks by signal and waits for the answer, until BUSY_QUEUE_MS have passed or `stopped` says to
 * give up. The request is sent once: a signal the server accepted is in the gate's queue for good
 * (carried across its continue-as-new), and a copy sent again could outlive the recorded decision
 * it should be answered from and be decided twice.
 */
async function askBySignal(request: PaperOrderRequest, req: RiskCheckRequest, stopped: () => boolean): Promise<RiskGateAnswer> {
  const key = riskDecisionKey(req);
  const received = riskAnswers();
  try {
    await queueCheck(req);
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    if (cause instanceof ApplicationFailure && cause.type === UNKNOWN_ACCOUNT) throw unknownAccountFailure(request.account);
    return notDecided(request, cause);
  }
  await condition(() => received.has(key) || stopped(), BUSY_QUEUE_MS);
  const answer = received.get(key);
  if (answer?.decision) return answer.decision.decision === 'approved' ? { approved: true, decision: answer.decision } : refused(answer.decision);
  if (answer?.failure) return notDecided(request, ApplicationFailure.create({ type: answer.failure.type, message: answer.failure.message, nonRetryable: true }));
  return notDecided(request, ApplicationFailure.create({ type: RISK_GATE_BUSY, message: `no decision within ${BUSY_QUEUE_MS / 60_000} minutes in the queue` }));
}

/**
 * How an order reaches the gate. By signal (order-path.ts decides, once per run): a burst on one
 * account queues in the gate instead of meeting the server's limit on in-flight updates and asking
 * again and again, and the gate decides the queue in batches. Runs from before ask by update.
 */
export interface GateRoute {
  bySignal: boolean;
}

async function ask(request: PaperOrderRequest, leg: RiskLeg, fillSeq: number | null, route: GateRoute, stopped: () => boolean = () => false): Promise<RiskGateAnswer> {
  const req: RiskCheckRequest = {
    // Informational only: an order's authority is its own id, never the intent id its caller names.
    intent_id: request.intent_id ?? request.client_order_id,
    account: request.account,
    legs: [leg],
    ...(fillSeq === null ? { source: 'order_gate' as const } : { source: 'fill_check' as const, fill_seq: fillSeq }),
  };
  if (route.bySignal) return askBySignal(request, req, stopped);
  let decision: RiskDecision;
  try {
    const askGate = patched(ASKS_BY_ACTIVITY) ? requestRiskDecision : requestRiskDecisionLocally;
    decision = await askGate(req);
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    // An account nobody configured is no order at all: the order workflow fails, the caller gets UNKNOWN_ACCOUNT.
    if (cause instanceof ApplicationFailure && cause.type === UNKNOWN_ACCOUNT) throw unknownAccountFailure(request.account);
    return notDecided(request, cause);
  }
  return decision.decision === 'approved' ? { approved: true, decision } : refused(decision);
}

/**
 * The gate's answer for an order about to touch the book. While the account's gate is busy the
 * order asks again after a random pause, until BUSY_QUEUE_MS have passed or `stopped` (a
 * cancellation) says to give up; each ask is decided against the state at that moment.
 */
export async function askRiskGate(request: PaperOrderRequest, route: GateRoute, stopped: () => boolean = () => false): Promise<RiskGateAnswer> {
  let answer = await ask(request, riskLegOfOrder(request), null, route, stopped);
  // A queued ask has waited its turn already.
  if (!isBusy(answer) || route.bySignal || !patched(WAITS_OUT_BUSY_GATE)) return answer;
  const giveUpAt = Date.now() + BUSY_QUEUE_MS;
  while (isBusy(answer) && Date.now() < giveUpAt) {
    // Math.random is the workflow's seeded one: the pause replays the same.
    await condition(stopped, BUSY_PAUSE_MIN_MS + Math.floor(Math.random() * BUSY_PAUSE_SPREAD_MS));
    if (stopped()) return answer;
    answer = await ask(request, riskLegOfOrder(request), null, route);
  }
  return answer;
}

/** The gate's answer for a resting order's next fill: the quantity left, at its limit. */
export function askRiskGateForFill(request: PaperOrderRequest, remainingQty: string, fillSeq: number, route: GateRoute): Promise<RiskGateAnswer> {
  return ask(request, { ...riskLegOfOrder(request), qty: remainingQty, quote_notional: null }, fillSeq, route);
}

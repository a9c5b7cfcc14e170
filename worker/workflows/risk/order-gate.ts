/**
 * The risk gate as a paper order meets it (worker/workflows/execution/orders/pre-trade-gate.ts and
 * the resting loop of paper-order.ts). An order is checked under its own client_order_id, whatever
 * intent id its caller gave: only an intent's approval reserved for exactly this order admits it,
 * and even then every check runs again against the state now. A resting order asks again before
 * each fill. Anything that goes wrong on the way is a refusal: the gate fails closed.
 */
import { ActivityFailure, ApplicationFailure, proxyLocalActivities } from '@temporalio/workflow';
import { UNKNOWN_ACCOUNT, unknownAccountFailure } from '../../../schemas/temporal/accounts.js';
import type { OrderRejection, PaperOrderRequest } from '../../../schemas/temporal/orders.js';
import {
  INTENT_CONFLICT,
  INVALID_RISK_REQUEST,
  RISK_WORKFLOW_CLOSED,
  type RiskDecision,
  type RiskLeg,
  type RiskReason,
} from '../../../schemas/temporal/risk.js';
import type { RiskActivities } from '../../activities/risk/index.js';

const { requestRiskDecision } = proxyLocalActivities<RiskActivities>({
  startToCloseTimeout: '30 seconds',
  // Long enough to ride out a worker restart (the risk workflow's tasks move to a new worker),
  // short enough that an order never waits on an unreachable gate for more than a minute. The
  // bound is on all attempts together: a worker that is stopping cancels a local activity and then
  // starts its next attempt at once, so only a total bound lets it finish shutting down.
  scheduleToCloseTimeout: '60 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 8,
    nonRetryableErrorTypes: [INTENT_CONFLICT, INVALID_RISK_REQUEST, RISK_WORKFLOW_CLOSED, UNKNOWN_ACCOUNT],
  },
});

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

async function ask(request: PaperOrderRequest, leg: RiskLeg, fillSeq: number | null): Promise<RiskGateAnswer> {
  let decision: RiskDecision;
  try {
    decision = await requestRiskDecision({
      // Informational only: an order's authority is its own id, never the intent id its caller names.
      intent_id: request.intent_id ?? request.client_order_id,
      account: request.account,
      legs: [leg],
      ...(fillSeq === null ? { source: 'order_gate' as const } : { source: 'fill_check' as const, fill_seq: fillSeq }),
    });
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    // An account nobody configured is no order at all: the order workflow fails, the caller gets UNKNOWN_ACCOUNT.
    if (cause instanceof ApplicationFailure && cause.type === UNKNOWN_ACCOUNT) throw unknownAccountFailure(request.account);
    const message = cause instanceof Error ? cause.message : String(cause);
    return {
      approved: false,
      decision: null,
      rejection: { code: 'RISK_REJECTED', message: `the risk gate could not approve this order (${message}); it fails closed`, risk_check_id: null, reasons: [] },
    };
  }
  return decision.decision === 'approved' ? { approved: true, decision } : refused(decision);
}

/** The gate's answer for an order about to touch the book. */
export function askRiskGate(request: PaperOrderRequest): Promise<RiskGateAnswer> {
  return ask(request, riskLegOfOrder(request), null);
}

/** The gate's answer for a resting order's next fill: the quantity left, at its limit. */
export function askRiskGateForFill(request: PaperOrderRequest, remainingQty: string, fillSeq: number): Promise<RiskGateAnswer> {
  return ask(request, { ...riskLegOfOrder(request), qty: remainingQty, quote_notional: null }, fillSeq);
}

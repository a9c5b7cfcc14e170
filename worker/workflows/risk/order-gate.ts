/**
 * The risk gate as a paper order meets it (worker/workflows/execution/orders/pre-trade-gate.ts):
 * the order becomes a one-leg check under its intent id (or, placed without one, under
 * `order:<client_order_id>`). An order of an intent the gate already approved is answered with that
 * decision. Anything that goes wrong on the way is a refusal: the gate fails closed.
 */
import { ActivityFailure, proxyLocalActivities } from '@temporalio/workflow';
import type { OrderRejection, PaperOrderRequest } from '../../../schemas/temporal/orders.js';
import {
  APPROVAL_EXPIRED,
  INTENT_CONFLICT,
  INVALID_RISK_REQUEST,
  RISK_WORKFLOW_CLOSED,
  orderIntentId,
  type RiskDecision,
  type RiskLeg,
} from '../../../schemas/temporal/risk.js';
import type { RiskActivities } from '../../activities/risk/index.js';

const { requestRiskDecision } = proxyLocalActivities<RiskActivities>({
  startToCloseTimeout: '30 seconds',
  // Long enough to ride out a worker restart (the risk workflow's tasks move to a new worker),
  // short enough that an order never waits on an unreachable gate for more than about a minute.
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '10 seconds',
    maximumAttempts: 8,
    nonRetryableErrorTypes: [INTENT_CONFLICT, INVALID_RISK_REQUEST, APPROVAL_EXPIRED, RISK_WORKFLOW_CLOSED],
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

export type RiskGateAnswer = { approved: true; decision: RiskDecision } | { approved: false; rejection: OrderRejection };

export async function askRiskGate(request: PaperOrderRequest): Promise<RiskGateAnswer> {
  let decision: RiskDecision;
  try {
    decision = await requestRiskDecision({
      intent_id: request.intent_id ?? orderIntentId(request.client_order_id),
      account: request.account,
      legs: [riskLegOfOrder(request)],
      source: 'order_gate',
    });
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const message = cause instanceof Error ? cause.message : String(cause);
    return { approved: false, rejection: { code: 'RISK_REJECTED', message: `the risk gate could not approve this order (${message}); it fails closed` } };
  }
  if (decision.decision === 'approved') return { approved: true, decision };
  const reasons = decision.reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
  return { approved: false, rejection: { code: 'RISK_REJECTED', message: `the risk gate refused it (${decision.risk_check_id}): ${reasons}` } };
}

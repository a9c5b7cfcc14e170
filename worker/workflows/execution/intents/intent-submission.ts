/**
 * One workflow per submitted intent (`intent:<intent_id>`), the record of what was asked and what
 * happened: the risk gate decides (or answers the decision recorded for this intent id); an
 * approved intent is published on the bus, a rejected one is not. The result carries the decision
 * with its reasons, the bus seq and the client_order_ids the execution subscriber places.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { IntentSubmission, IntentSubmissionResult } from '../../../../schemas/temporal/intents.js';
import { INTENT_CONFLICT, INVALID_RISK_REQUEST, RISK_WORKFLOW_CLOSED } from '../../../../schemas/temporal/risk.js';
import type { IntentActivities } from '../../../activities/execution/intents/index.js';
import type { RiskActivities } from '../../../activities/risk/index.js';

const { requestRiskDecision } = proxyActivities<RiskActivities>({
  startToCloseTimeout: '30 seconds',
  // The ask heartbeats while the gate decides: a worker killed mid-ask is noticed within seconds.
  heartbeatTimeout: '5 seconds',
  // The gate answers or refuses; until it can be reached at all, keep asking (the caller sees "pending").
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', nonRetryableErrorTypes: [INTENT_CONFLICT, INVALID_RISK_REQUEST, RISK_WORKFLOW_CLOSED] },
});
const { publishIntent } = proxyActivities<IntentActivities>({
  startToCloseTimeout: '30 seconds',
  // An approved intent must reach the bus; a backlogged bus is waited out.
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function intentSubmissionWorkflow(req: IntentSubmission): Promise<IntentSubmissionResult> {
  const decision = await requestRiskDecision({ intent_id: req.intent_id, account: req.account, legs: req.legs, source: 'submit_intent' });
  if (decision.decision !== 'approved') return { decision, bus_seq: null, client_order_ids: [], source: req.source ?? null };
  const { seq } = await publishIntent({
    intent_id: req.intent_id,
    account: req.account,
    legs: req.legs,
    max_slippage_bps: req.max_slippage_bps,
    risk_check_id: decision.risk_check_id,
    reference_prices: Object.fromEntries(decision.legs.map((l) => [l.client_order_id, l.reference_price])),
    approved_at: decision.decided_at,
  });
  return { decision, bus_seq: seq, client_order_ids: req.legs.map((l) => l.client_order_id), source: req.source ?? null };
}

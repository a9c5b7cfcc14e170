/**
 * Walks a trade's decision path backwards and forwards through the workflows that made it:
 * order ← intent ← prompt ← nudge, and intent → risk decision → orders → fills. Every link is an id
 * recorded by the workflows themselves (an order's intent_id, an intent's source prompt, a prompt
 * delivery's parent), never a guess from naming.
 */
import type { Client } from '@temporalio/client';
import { promptDeliveryWorkflowId } from '../../../../schemas/temporal/agents.js';
import { intentSubmissionWorkflowId } from '../../../../schemas/temporal/intents.js';
import { orderWorkflowId, type PaperOrderState } from '../../../../schemas/temporal/orders.js';
import { intentDecisionKey, orderDecisionKey, riskWorkflowId } from '../../../../schemas/temporal/risk.js';
import { ledgerWorkflowId } from '../../../../schemas/temporal/ledger.js';
import { intentSubmissionResult, isNudge, promptDeliveryResult, workflowFacts } from '../../../../temporal/clients/audit.js';
import { queryOrder } from '../../../../temporal/clients/orders/read-order.js';
import { readRiskDecision } from '../../../../temporal/clients/risk.js';

export interface AuditStep {
  step: 'nudge' | 'prompt' | 'intent' | 'risk_decision' | 'order' | 'fill';
  workflow_id: string;
  run_id: string | null;
  at: string;
  summary: string;
  detail: Record<string, unknown>;
}

export interface AuditTrail {
  steps: AuditStep[];
  missing: string[];
  complete: boolean;
}

const iso = (ms: number | Date): string => new Date(ms).toISOString();

async function orderSteps(client: Client, clientOrderId: string, steps: AuditStep[], missing: string[]): Promise<PaperOrderState | null> {
  const facts = await workflowFacts(client, orderWorkflowId(clientOrderId));
  const order = facts ? await queryOrder(client, clientOrderId) : null;
  if (!facts || !order) {
    missing.push(`order ${clientOrderId}: no order workflow ${orderWorkflowId(clientOrderId)}`);
    return null;
  }
  steps.push({
    step: 'order',
    workflow_id: facts.workflow_id,
    run_id: facts.run_id,
    at: iso(facts.started_at),
    summary: `${order.side} ${order.requested_qty ?? order.quote_notional ?? '?'} ${order.symbol} ${order.type}: ${order.status}${order.status_reason ? ` (${order.status_reason})` : ''}`,
    detail: { client_order_id: order.client_order_id, status: order.status, filled_qty: order.filled_qty, avg_price: order.avg_price, exchange: order.exchange },
  });
  for (const fill of order.fills) {
    steps.push({
      step: 'fill',
      workflow_id: ledgerWorkflowId(order.account),
      run_id: null,
      at: iso(fill.ts),
      summary: `${fill.qty} @ ${fill.price}, fee ${fill.fee} ${fill.fee_currency} (${fill.liquidity})`,
      detail: { fill_id: fill.fill_id, client_order_id: order.client_order_id, order_workflow_id: facts.workflow_id },
    });
  }
  return order;
}

async function riskStep(client: Client, account: string, intentId: string, steps: AuditStep[], missing: string[]): Promise<void> {
  const decision = await readRiskDecision(client, account, intentId);
  if (!decision) {
    missing.push(`risk decision for ${intentId}: not (or no longer) held by ${riskWorkflowId(account)}`);
    return;
  }
  const reasons = decision.reasons.map((r) => r.code).join(', ');
  steps.push({
    step: 'risk_decision',
    workflow_id: decision.workflow_id,
    run_id: decision.run_id,
    at: iso(decision.decided_at),
    summary: `${decision.decision}${reasons ? `: ${reasons}` : ''} (state ${decision.trading_state})`,
    detail: { risk_check_id: decision.risk_check_id, decision: decision.decision, reasons: decision.reasons, metrics: decision.metrics },
  });
}

async function promptSteps(client: Client, source: { agent: string; message_id: string }, steps: AuditStep[], missing: string[]): Promise<boolean> {
  const prompt = await workflowFacts(client, promptDeliveryWorkflowId(source.agent, source.message_id));
  if (!prompt) {
    missing.push(`prompt ${source.message_id} to ${source.agent}: no delivery workflow`);
    return false;
  }
  const delivered = await promptDeliveryResult(client, prompt);
  let nudged = false;
  if (prompt.parent) {
    const nudge = await workflowFacts(client, prompt.parent.workflow_id);
    if (nudge) {
      nudged = isNudge(nudge);
      steps.push({
        step: 'nudge',
        workflow_id: nudge.workflow_id,
        run_id: nudge.run_id,
        at: iso(nudge.started_at),
        summary: `${nudge.type}${nudge.scheduled_by ? ` started by schedule ${nudge.scheduled_by}` : ''}`,
        detail: { type: nudge.type, schedule_id: nudge.scheduled_by },
      });
    }
  } else {
    missing.push(`prompt ${source.message_id}: sent directly (prompt_agent), not by a nudge`);
  }
  steps.push({
    step: 'prompt',
    workflow_id: prompt.workflow_id,
    run_id: prompt.run_id,
    at: iso(prompt.started_at),
    summary: `prompt ${source.message_id} to ${source.agent}${delivered ? ` delivered as #${delivered.seq}` : ` (${prompt.status.toLowerCase()})`}`,
    detail: { agent: source.agent, message_id: source.message_id, delivered_at: delivered?.delivered_at ?? null },
  });
  return nudged;
}

export async function buildAuditTrail(client: Client, query: { client_order_id?: string; intent_id?: string }): Promise<AuditTrail> {
  const before: AuditStep[] = [];
  const after: AuditStep[] = [];
  const missing: string[] = [];
  let intentId = query.intent_id ?? null;
  let account = 'paper';
  let firstOrder: PaperOrderState | null = null;

  if (query.client_order_id) {
    firstOrder = await orderSteps(client, query.client_order_id, after, missing);
    if (firstOrder) account = firstOrder.account;
    intentId = firstOrder?.intent_id ?? null;
    if (!intentId) {
      missing.push(`order ${query.client_order_id} was placed directly (place_mock_order), not from an intent`);
      await riskStep(client, account, orderDecisionKey(query.client_order_id), before, missing);
    }
  }

  let nudged = false;
  if (intentId) {
    const facts = await workflowFacts(client, intentSubmissionWorkflowId(intentId));
    const submission = await intentSubmissionResult(client, facts);
    if (!facts) {
      missing.push(`intent ${intentId}: no submission workflow (the intent was never submitted with submit_intent)`);
    } else {
      if (submission?.source) nudged = await promptSteps(client, submission.source, before, missing);
      else missing.push(`intent ${intentId}: submitted without a source prompt`);
      before.push({
        step: 'intent',
        workflow_id: facts.workflow_id,
        run_id: facts.run_id,
        at: iso(facts.started_at),
        summary: submission
          ? `${submission.decision.decision}${submission.bus_seq !== null ? `, bus #${submission.bus_seq}` : ''}; orders ${submission.client_order_ids.join(', ') || 'none'}`
          : `intent ${intentId} (${facts.status.toLowerCase()})`,
        detail: { intent_id: intentId, bus_seq: submission?.bus_seq ?? null, client_order_ids: submission?.client_order_ids ?? [] },
      });
      account = submission?.decision.account ?? account;
      await riskStep(client, account, intentDecisionKey(intentId), before, missing);
      if (!query.client_order_id) {
        for (const clientOrderId of submission?.client_order_ids ?? []) await orderSteps(client, clientOrderId, after, missing);
      }
    }
  }

  const steps = [...before, ...after];
  const complete = nudged && steps.some((s) => s.step === 'risk_decision') && steps.some((s) => s.step === 'fill');
  return { steps, missing, complete };
}

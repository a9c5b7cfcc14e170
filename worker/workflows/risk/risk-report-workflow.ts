/**
 * One short workflow per get_risk_report call: reads the account's risk state and fresh inputs,
 * estimates the VaR of what is held, and records the report it answered. It never writes to the
 * risk workflow, so reading a report cannot change a decision.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import { riskWorkflowId, type RiskReport, type RiskReportInput } from '../../../schemas/temporal/risk.js';
import type { RiskActivities } from '../../activities/risk/index.js';
import { buildRiskReport, heldWeights } from '../../../domain/risk/report.js';
import type { PortfolioVarResult } from '../../../domain/risk/risk-inputs.js';

const { readRiskState, gatherRiskInputs, estimatePortfolioVar } = proxyLocalActivities<RiskActivities>({
  startToCloseTimeout: '15 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 milliseconds', backoffCoefficient: 2 },
});

export async function riskReportWorkflow(input: RiskReportInput): Promise<RiskReport> {
  const view = await readRiskState({ account: input.account });
  const inputs = await gatherRiskInputs({
    account: input.account,
    exchange: view.exchange,
    symbols: [...new Set(view.reservations.map((r) => r.symbol))],
    client_order_ids: view.reservations.map((r) => r.client_order_id),
  });
  const nowMs = Date.now();
  const weights = heldWeights(view, inputs, nowMs);
  let varResult: PortfolioVarResult;
  try {
    varResult = await estimatePortfolioVar({
      exchange: view.exchange,
      weights_before: weights,
      weights_after: weights,
      confidence: view.limits.var_confidence,
      window_returns: view.limits.var_window_returns,
      interval_sec: view.limits.var_return_interval_sec,
      min_observations: view.limits.var_min_observations,
      end_ms: nowMs,
    });
  } catch (err) {
    varResult = { available: false, reason: `the estimate failed (${err instanceof Error ? err.message : String(err)})`, observations: 0, missing_symbols: [] };
  }
  return buildRiskReport({ view, inputs, varResult, nowMs, riskWorkflowId: riskWorkflowId(input.account) });
}

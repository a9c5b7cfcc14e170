import { preTradeRiskCheck, riskDecisionOutput, riskLegsOf } from '../../../schemas/risk.js';
import type { RiskCheckRequest } from '../../../schemas/temporal/risk.js';
import { requestRiskDecision } from '../../../temporal/clients/risk.js';
import { defineTool } from '../../kit/define-tool.js';
import { accountOf } from './account-of.js';

export const preTradeRiskCheckTool = defineTool(preTradeRiskCheck, async (input, { temporal, signal }) => {
  const request: RiskCheckRequest = { intent_id: input.intent_id, account: accountOf(input), legs: riskLegsOf(input.intent_id, input.intents), source: 'pre_trade_risk_check' };
  // Each call is its own request; the workflow answers a repeated intent_id with its recorded decision.
  const decision = await requestRiskDecision(await temporal.client(), temporal.env.taskQueue, request, { retryUnprocessed: signal });
  return riskDecisionOutput(decision);
});

import { preTradeRiskCheck, riskDecisionOutput, riskLegsOf } from '../../../schemas/risk.js';
import {
  RISK_WORKFLOW,
  riskCheckUpdate,
  riskCheckUpdateId,
  riskWorkflowStartOptions,
  type RiskCheckRequest,
} from '../../../schemas/temporal/risk.js';
import { defineTool } from '../../kit/define-tool.js';
import { accountOf, riskWorkflowClosed } from './risk-workflow.js';

export const preTradeRiskCheckTool = defineTool(preTradeRiskCheck, async (input, { temporal }) => {
  const client = await temporal.client();
  const { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } = await import('@temporalio/client');
  const account = accountOf(input);
  const request: RiskCheckRequest = { intent_id: input.intent_id, account, legs: riskLegsOf(input.intent_id, input.intents), source: 'pre_trade_risk_check' };
  try {
    const decision = await client.workflow.executeUpdateWithStart(riskCheckUpdate, {
      args: [request],
      // Each call is its own request; the workflow answers a repeated intent_id with its recorded decision.
      updateId: riskCheckUpdateId(request.intent_id, crypto.randomUUID()),
      startWorkflowOperation: new WithStartWorkflowOperation(RISK_WORKFLOW, riskWorkflowStartOptions(account, temporal.env.taskQueue)),
    });
    return riskDecisionOutput(decision);
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw riskWorkflowClosed(account);
    throw err;
  }
});

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
import { retryUnprocessedUpdate } from '../../../temporal/retry-unprocessed-update.js';

export const preTradeRiskCheckTool = defineTool(preTradeRiskCheck, async (input, { temporal, signal }) => {
  const client = await temporal.client();
  const { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError } = await import('@temporalio/client');
  const account = accountOf(input);
  const request: RiskCheckRequest = { intent_id: input.intent_id, account, legs: riskLegsOf(input.intent_id, input.intents), source: 'pre_trade_risk_check' };
  try {
    // Each call is its own request; the workflow answers a repeated intent_id with its recorded decision.
    const updateId = riskCheckUpdateId(request.intent_id, crypto.randomUUID());
    const decision = await retryUnprocessedUpdate(
      () =>
        client.workflow.executeUpdateWithStart(riskCheckUpdate, {
          args: [request],
          updateId,
          startWorkflowOperation: new WithStartWorkflowOperation(RISK_WORKFLOW, riskWorkflowStartOptions(account, temporal.env.taskQueue)),
        }),
      signal,
    );
    return riskDecisionOutput(decision);
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw riskWorkflowClosed(account);
    throw err;
  }
});

import { submitIntent } from '../../../../schemas/execution-intents.js';
import { riskDecisionOutput, riskLegsOf } from '../../../../schemas/risk.js';
import type { IntentSubmission } from '../../../../schemas/temporal/intents.js';
import { DEFAULT_ACCOUNT } from '../../../../schemas/temporal/ledger.js';
import { riskWorkflowId } from '../../../../schemas/temporal/risk.js';
import { DECISION_WAIT_MS, submitIntentAndWait } from '../../../../temporal/clients/intent-submission.js';
import { defineTool } from '../../../kit/define-tool.js';
import { ToolError } from '../../../kit/tool-error.js';

export const submitIntentTool = defineTool(submitIntent, async (input, { temporal, signal }) => {
  const account = input.account ?? DEFAULT_ACCOUNT;
  const submission: IntentSubmission = {
    intent_id: input.intent_id,
    account,
    legs: riskLegsOf(input.intent_id, input.intents),
    max_slippage_bps: input.max_slippage_bps ?? null,
    source: input.source ?? null,
  };
  const submitted = await submitIntentAndWait(await temporal.client(), temporal.env.taskQueue, submission, signal);
  const { result } = submitted;
  if (!result) {
    throw new ToolError(
      'INTENT_PENDING',
      `intent ${input.intent_id} was accepted but not decided within ${DECISION_WAIT_MS / 1000} s (is a worker running?); it will be decided and, if approved, broadcast durably`,
      'Call submit_intent again with the same intent_id and intents to read the outcome.',
      true,
    );
  }
  return {
    ...riskDecisionOutput(result.decision),
    duplicate: submitted.duplicate || result.decision.duplicate,
    broadcast: result.bus_seq !== null,
    bus_seq: result.bus_seq,
    client_order_ids: result.client_order_ids,
    risk_workflow_id: riskWorkflowId(account),
    workflow_id: submitted.workflowId,
    run_id: submitted.runId,
  };
});

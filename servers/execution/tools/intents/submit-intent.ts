import { submitIntent } from '../../../../schemas/execution-intents.js';
import { riskDecisionOutput, riskLegsOf } from '../../../../schemas/risk.js';
import { INTENT_SUBMISSION_WORKFLOW, intentSubmissionWorkflowId, type IntentSubmission, type IntentSubmissionResult } from '../../../../schemas/temporal/intents.js';
import { DEFAULT_ACCOUNT } from '../../../../schemas/temporal/ledger.js';
import { riskWorkflowId } from '../../../../schemas/temporal/risk.js';
import { defineTool } from '../../../kit/define-tool.js';
import { resultWithin, sha256Hex, startIdempotent } from '../../../../temporal/idempotent-start.js';
import { ToolError } from '../../../kit/tool-error.js';

/** How long the call waits for the gate's decision and the broadcast; they go on durably after. */
const DECISION_WAIT_MS = 20_000;

export const submitIntentTool = defineTool(submitIntent, async (input, { temporal, signal }) => {
  const client = await temporal.client();
  const account = input.account ?? DEFAULT_ACCOUNT;
  const submission: IntentSubmission = {
    intent_id: input.intent_id,
    account,
    legs: riskLegsOf(input.intent_id, input.intents),
    max_slippage_bps: input.max_slippage_bps ?? null,
    source: input.source ?? null,
  };
  const started = await startIdempotent(client, {
    workflowType: INTENT_SUBMISSION_WORKFLOW,
    workflowId: intentSubmissionWorkflowId(input.intent_id),
    taskQueue: temporal.env.taskQueue,
    args: [submission],
    fingerprint: await sha256Hex({ account, legs: submission.legs, max_slippage_bps: submission.max_slippage_bps }),
    keyName: 'intent_id',
  });
  const result = await resultWithin<IntentSubmissionResult>(started.handle, DECISION_WAIT_MS, signal);
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
    duplicate: started.duplicate || result.decision.duplicate,
    broadcast: result.bus_seq !== null,
    bus_seq: result.bus_seq,
    client_order_ids: result.client_order_ids,
    risk_workflow_id: riskWorkflowId(account),
    workflow_id: started.handle.workflowId,
    run_id: started.runId,
  };
});

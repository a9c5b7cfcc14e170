/**
 * How other workflows reach the risk gate: an activity sends the check as an update-with-start to
 * the account's risk workflow (a workflow cannot send an update itself). The update id carries the
 * intent id and a digest of the legs, so a retried activity is answered by the same decision.
 */
import { ApplicationFailure } from '@temporalio/activity';
import {
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import { failureType } from '../../../schemas/temporal/failure-type.js';
import {
  INTENT_CONFLICT,
  INVALID_RISK_REQUEST,
  RISK_WORKFLOW,
  RISK_WORKFLOW_CLOSED,
  riskCheckUpdate,
  riskCheckUpdateId,
  riskLegsFingerprint,
  riskStateQuery,
  riskWorkflowId,
  riskWorkflowStartOptions,
  type RiskCheckRequest,
  type RiskDecision,
  type RiskStateView,
} from '../../../schemas/temporal/risk.js';

function closedFailure(account: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: RISK_WORKFLOW_CLOSED,
    nonRetryable: true,
    message: `the risk workflow ${riskWorkflowId(account)} is closed, so nothing can pass the gate; an operator must look at why it ended before trading resumes`,
  });
}

export async function requestRiskDecision(client: Client, taskQueue: string, req: RiskCheckRequest): Promise<RiskDecision> {
  try {
    return await client.workflow.executeUpdateWithStart(riskCheckUpdate, {
      args: [req],
      updateId: riskCheckUpdateId(req.intent_id, riskLegsFingerprint(req.legs)),
      startWorkflowOperation: new WithStartWorkflowOperation(RISK_WORKFLOW, riskWorkflowStartOptions(req.account, taskQueue)),
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw closedFailure(req.account);
    const type = err instanceof WorkflowUpdateFailedError ? failureType(err.cause) : undefined;
    if (type === INTENT_CONFLICT || type === INVALID_RISK_REQUEST) {
      throw ApplicationFailure.create({ type, nonRetryable: true, message: (err as WorkflowUpdateFailedError).cause?.message ?? String(err) });
    }
    throw err;
  }
}

/** The account's risk state, starting its workflow when absent; waits out the moments before it has loaded. */
export async function readRiskState(client: Client, taskQueue: string, account: string): Promise<RiskStateView> {
  try {
    await client.workflow.start(RISK_WORKFLOW, riskWorkflowStartOptions(account, taskQueue));
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw closedFailure(account);
    throw err;
  }
  const handle = client.workflow.getHandle(riskWorkflowId(account));
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const view = await handle.query(riskStateQuery);
    if (view) return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw ApplicationFailure.create({ type: 'RiskStateNotLoaded', message: `${riskWorkflowId(account)} has not loaded its settings yet; is a worker running?` });
}

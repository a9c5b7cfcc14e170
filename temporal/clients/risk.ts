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
import {
  APPROVAL_EXPIRED,
  INTENT_CONFLICT,
  INVALID_RISK_REQUEST,
  RISK_WORKFLOW,
  RISK_WORKFLOW_CLOSED,
  riskCheckUpdate,
  riskCheckUpdateId,
  riskStateQuery,
  riskWorkflowId,
  riskWorkflowStartOptions,
  type RiskCheckRequest,
  type RiskDecision,
  type RiskStateView,
} from '../../schemas/temporal/risk.js';

function closedFailure(account: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: RISK_WORKFLOW_CLOSED,
    nonRetryable: true,
    message: `the risk workflow ${riskWorkflowId(account)} is closed, so nothing can pass the gate; an operator must look at why it ended before trading resumes`,
  });
}

/**
 * Asks the gate. requestId names this request: an activity passes its own identity, so a retried
 * attempt attaches to the update its first attempt sent.
 */
/** The failure types the risk workflow raises for a request it will never accept. */
const GATE_REFUSALS: readonly string[] = [INTENT_CONFLICT, INVALID_RISK_REQUEST, APPROVAL_EXPIRED];

export async function requestRiskDecision(client: Client, taskQueue: string, req: RiskCheckRequest, requestId: string = crypto.randomUUID()): Promise<RiskDecision> {
  try {
    return await client.workflow.executeUpdateWithStart(riskCheckUpdate, {
      args: [req],
      updateId: riskCheckUpdateId(req.intent_id, requestId),
      startWorkflowOperation: new WithStartWorkflowOperation(RISK_WORKFLOW, riskWorkflowStartOptions(req.account, taskQueue)),
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw closedFailure(req.account);
    // The gate's own refusals (a conflicting or lapsed intent id, a malformed request) are final:
    // passed on with their type, so the caller's retry policy does not ask again. Anything else,
    // including the server's rejection of an update a crashing worker never processed, is retried.
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type && GATE_REFUSALS.includes(cause.type)) {
      throw ApplicationFailure.create({ type: cause.type, nonRetryable: true, message: cause.message });
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

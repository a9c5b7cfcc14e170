/**
 * How the risk tools reach an account's risk workflow: started on first use, never re-created once
 * closed (a fresh run would forget a HALTED state), and read through its query once it has loaded
 * its limits.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import { DEFAULT_ACCOUNT } from '../../../schemas/temporal/ledger.js';
import { RISK_WORKFLOW, riskStateQuery, riskWorkflowId, riskWorkflowStartOptions, type RiskStateView } from '../../../schemas/temporal/risk.js';
import type { LazyTemporal } from '../../../temporal/lazy-client.js';
import { ToolError } from '../../kit/tool-error.js';

export const accountOf = (input: { account?: string | undefined }): string => input.account ?? DEFAULT_ACCOUNT;

/** How long a read waits for a just-started risk workflow to load its limits. */
const LOAD_WAIT_MS = 10_000;
const LOAD_POLL_MS = 100;

export function riskWorkflowClosed(account: string): ToolError {
  return new ToolError(
    'RISK_WORKFLOW_CLOSED',
    `the risk workflow ${riskWorkflowId(account)} is closed, so nothing can pass the gate`,
    'An operator must look at why it ended (temporal workflow show) before trading resumes in this account.',
    false,
  );
}

export async function startRiskWorkflow(client: Client, taskQueue: string, account: string): Promise<WorkflowHandle> {
  const { WorkflowExecutionAlreadyStartedError } = await import('@temporalio/client');
  try {
    await client.workflow.start(RISK_WORKFLOW, riskWorkflowStartOptions(account, taskQueue));
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw riskWorkflowClosed(account);
    throw err;
  }
  return client.workflow.getHandle(riskWorkflowId(account));
}

export async function readRiskState(temporal: LazyTemporal, account: string, signal: AbortSignal): Promise<RiskStateView> {
  const client = await temporal.client();
  const handle = await startRiskWorkflow(client, temporal.env.taskQueue, account);
  const deadline = Date.now() + LOAD_WAIT_MS;
  for (;;) {
    const view = await handle.query(riskStateQuery);
    if (view) return view;
    if (Date.now() >= deadline || signal.aborted) {
      throw new ToolError('RISK_NOT_READY', `${riskWorkflowId(account)} has not loaded its limits yet`, 'Is a worker running on this task queue? Retry in a moment.', true);
    }
    await new Promise((resolve) => setTimeout(resolve, LOAD_POLL_MS));
  }
}

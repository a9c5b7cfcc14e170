/**
 * How activities reach an account's ledger: started on first use with the worker's settings, and
 * never silently re-created once closed (a terminated ledger's history stays the record; starting
 * a fresh one under the same id would reset the account's cash and positions).
 */
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client, type WorkflowHandle } from '@temporalio/client';
import {
  EXECUTION_LEDGER_WORKFLOW,
  LEDGER_CLOSED,
  ledgerWorkflowId,
  type LedgerInput,
  type LedgerSettings,
} from '../../schemas/temporal/ledger.js';

export interface LedgerTarget {
  client: Client;
  taskQueue: string;
  account: string;
  settings: LedgerSettings;
}

export function ledgerStartOptions(target: LedgerTarget) {
  const input: LedgerInput = { account: target.account, settings: target.settings };
  return {
    workflowId: ledgerWorkflowId(target.account),
    taskQueue: target.taskQueue,
    args: [input] as [LedgerInput],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
  };
}

export function ledgerClosedFailure(account: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: LEDGER_CLOSED,
    nonRetryable: true,
    message:
      `the ledger workflow ${ledgerWorkflowId(account)} is closed (terminated or failed), so it cannot book or report; ` +
      'its history keeps the record. Trade in another account, or delete the closed execution deliberately to start this one afresh',
  });
}

/** The running ledger of an account (started when absent) and its current run id. */
export async function ensureLedger(target: LedgerTarget): Promise<{ handle: WorkflowHandle; runId: string }> {
  try {
    const handle = await target.client.workflow.start(EXECUTION_LEDGER_WORKFLOW, ledgerStartOptions(target));
    // With USE_EXISTING the answer names the running execution when there is one.
    return { handle: target.client.workflow.getHandle(handle.workflowId), runId: handle.firstExecutionRunId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw ledgerClosedFailure(target.account);
    throw err;
  }
}

/**
 * What the audit trail reads of the workflows a trade went through: any workflow's ids, times,
 * status, parent and the schedule that started it (from its description), and the recorded
 * results of the short workflows on the path (a prompt's delivery, an intent's submission), read
 * from history, so no worker is needed. A workflow that does not exist reads as null.
 */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, type Workflow, type WorkflowResultType } from '@temporalio/common';
import { ENSEMBLE_NUDGE_WORKFLOW } from '../../schemas/temporal/ensemble.js';
import type { promptDeliveryWorkflow } from '../../worker/workflows/agents/prompt-delivery.js';
import type { intentSubmissionWorkflow } from '../../worker/workflows/execution/intents/intent-submission.js';

export interface WorkflowFacts {
  workflow_id: string;
  run_id: string;
  type: string;
  status: string;
  started_at: Date;
  closed_at: Date | null;
  parent: { workflow_id: string; run_id: string } | null;
  /** The schedule that started it, when a schedule did. */
  scheduled_by: string | null;
}

export async function workflowFacts(client: Client, workflowId: string): Promise<WorkflowFacts | null> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    const scheduledBy = (d.searchAttributes as Record<string, unknown[] | undefined> | undefined)?.TemporalScheduledById?.[0];
    return {
      workflow_id: d.workflowId,
      run_id: d.runId,
      type: d.type,
      status: d.status.name,
      started_at: d.startTime,
      closed_at: d.closeTime ?? null,
      parent: d.parentExecution?.workflowId ? { workflow_id: d.parentExecution.workflowId, run_id: d.parentExecution.runId ?? '' } : null,
      scheduled_by: typeof scheduledBy === 'string' ? scheduledBy : null,
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/** Whether the workflow is an ensemble nudge (the start of a trade's decision path). */
export const isNudge = (facts: WorkflowFacts): boolean => facts.type === ENSEMBLE_NUDGE_WORKFLOW;

/** The result of a completed workflow, or null while it runs or when it did not complete. */
async function completedResult<W extends Workflow>(client: Client, facts: WorkflowFacts | null): Promise<WorkflowResultType<W> | null> {
  if (!facts || facts.status !== 'COMPLETED') return null;
  return client.workflow.getHandle<W>(facts.workflow_id, facts.run_id).result();
}

/** A prompt delivery's recorded result: the seq and time its message entered the inbox. */
export function promptDeliveryResult(client: Client, facts: WorkflowFacts | null): Promise<WorkflowResultType<typeof promptDeliveryWorkflow> | null> {
  return completedResult<typeof promptDeliveryWorkflow>(client, facts);
}

/** An intent submission's recorded result: the risk decision, its bus seq, its orders and its source prompt. */
export function intentSubmissionResult(client: Client, facts: WorkflowFacts | null): Promise<WorkflowResultType<typeof intentSubmissionWorkflow> | null> {
  return completedResult<typeof intentSubmissionWorkflow>(client, facts);
}

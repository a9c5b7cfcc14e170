/** What the audit trail reads of any workflow: ids, times, status and its parent, or null if absent. */
import type { Client } from '@temporalio/client';

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
  const { WorkflowNotFoundError } = await import('@temporalio/client');
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

/** The result of a completed workflow, or null while it runs or when it did not complete. */
export async function completedResult<T>(client: Client, facts: WorkflowFacts | null): Promise<T | null> {
  if (!facts || facts.status !== 'COMPLETED') return null;
  return (await client.workflow.getHandle(facts.workflow_id, facts.run_id).result()) as T;
}

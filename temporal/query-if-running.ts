/** A query on a workflow that may not exist yet: null instead of an error. */
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError, type QueryDefinition } from '@temporalio/common';

export async function queryIfRunning<R, A extends unknown[]>(
  client: Client,
  workflowId: string,
  query: QueryDefinition<R, A>,
  ...args: A
): Promise<R | null> {
  try {
    return await client.workflow.getHandle(workflowId).query(query, ...args);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

/**
 * Start options typed by the workflow they start. The SDK's options type is conditional on the
 * workflow's parameters and cannot be narrowed for a generic workflow type, so the one cast that
 * bridges the two is written here, once; the fields are exactly the SDK's own.
 */
import type { WorkflowStartOptions } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';

export type StartFields<W extends Workflow> = Omit<WorkflowStartOptions, 'args'> & { args: Parameters<W> };

export function startOptionsFor<W extends Workflow>(fields: StartFields<W>): WorkflowStartOptions<W> {
  return fields as unknown as WorkflowStartOptions<W>;
}

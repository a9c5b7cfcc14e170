/**
 * How activities reach the intent bus: publishing as an update-with-start (the bus exists from the
 * first intent on), reading a subscriber's next page through a query. The bus is never silently
 * re-created once closed: a fresh bus would number intents from 1 again, and subscribers key
 * their effects by that number.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { failureType } from '../../schemas/temporal/failure-type.js';
import {
  BUS_BACKLOGGED,
  INTENT_BUS_WORKFLOW,
  busEntriesQuery,
  intentBusWorkflowId,
  publishIntentUpdate,
  type BusEntriesPage,
  type BusEntriesRequest,
  type BusIntentDraft,
  type IntentBusInput,
  type PublishResult,
} from '../../schemas/temporal/intents.js';

export const BUS_CLOSED = 'IntentBusClosed';

export function busStartOptions(taskQueue: string) {
  const input: IntentBusInput = {};
  return {
    workflowId: intentBusWorkflowId(taskQueue),
    taskQueue,
    args: [input] as [IntentBusInput],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: 'REJECT_DUPLICATE' as const,
  };
}

export function busClosedFailure(taskQueue: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: BUS_CLOSED,
    nonRetryable: true,
    message: `the intent bus ${intentBusWorkflowId(taskQueue)} is closed; approved intents wait until an operator looks at why it ended`,
  });
}

export async function publishOnBus(client: Client, taskQueue: string, draft: BusIntentDraft): Promise<PublishResult> {
  try {
    return await client.workflow.executeUpdateWithStart(publishIntentUpdate, {
      args: [draft],
      // A retried activity is answered by the same update; the bus answers repeats across runs by intent id.
      updateId: `publish:${draft.intent_id}`,
      startWorkflowOperation: new WithStartWorkflowOperation(INTENT_BUS_WORKFLOW, busStartOptions(taskQueue)),
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) throw busClosedFailure(taskQueue);
    if (err instanceof WorkflowUpdateFailedError && failureType(err.cause) === BUS_BACKLOGGED) {
      // Retryable: the activity's retry policy waits for the subscribers to catch up.
      throw ApplicationFailure.create({ type: BUS_BACKLOGGED, message: err.cause?.message ?? 'the bus is backlogged', nonRetryable: false });
    }
    throw err;
  }
}

export function readBusPage(client: Client, taskQueue: string, req: BusEntriesRequest): Promise<BusEntriesPage> {
  return client.workflow.getHandle(intentBusWorkflowId(taskQueue)).query(busEntriesQuery, req);
}

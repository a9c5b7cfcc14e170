/**
 * Owns the client side of the intent bus (one long-lived workflow per deployment, named by its
 * task queue, continuing as new): its start options, written once; publishing, as an
 * update-with-start (the bus exists from the first intent on); subscribing and unsubscribing an
 * agent; and the reads, a subscriber's next page and the bus's status.
 *
 * The bus is never silently re-created once closed: a fresh bus would number intents from 1
 * again, and subscribers key their effects by that number.
 */
import type { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { failureType } from '../../schemas/temporal/failure-type.js';
import {
  BUS_BACKLOGGED,
  INTENT_BUS_WORKFLOW,
  agentSubscriber,
  busEntriesQuery,
  busStatusQuery,
  intentBusWorkflowId,
  publishIntentUpdate,
  subscribeIntentsUpdate,
  unsubscribeIntentsUpdate,
  type BusEntriesPage,
  type BusEntriesRequest,
  type BusIntentDraft,
  type BusStatus,
  type PublishResult,
  type SubscribeRequest,
  type SubscribeResult,
  type UnsubscribeResult,
} from '../../schemas/temporal/intents.js';
import type { intentBusWorkflow } from '../../worker/workflows/execution/intents/intent-bus.js';
import { CallError } from '../call-error.js';

export const BUS_CLOSED = 'IntentBusClosed';

type BusStart = WithStartWorkflowOperation<typeof intentBusWorkflow>;

/** What a bus update was answered with, and the run that answered it. */
export interface BusAnswer<T> {
  result: T;
  runId: string;
}

/** The bus's start, sent along with every update to it. Single-use: build one per update. */
async function busStart(taskQueue: string): Promise<BusStart> {
  // Imported on first use: servers start without loading the gRPC client.
  const { WithStartWorkflowOperation } = await import('../client-sdk.js');
  return new WithStartWorkflowOperation<typeof intentBusWorkflow>(INTENT_BUS_WORKFLOW, {
    workflowId: intentBusWorkflowId(taskQueue),
    taskQueue,
    args: [{}],
    workflowIdConflictPolicy: 'USE_EXISTING',
    // A closed bus is never replaced: a new one would number intents from 1 again.
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
}

export function busClosedFailure(taskQueue: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: BUS_CLOSED,
    nonRetryable: true,
    message: `the intent bus ${intentBusWorkflowId(taskQueue)} is closed; approved intents wait until an operator looks at why it ended`,
  });
}

/** Publishes an approved intent (the submission's activity); a repeat of the same intent id gets its first seq. */
export async function publishOnBus(client: Client, taskQueue: string, draft: BusIntentDraft): Promise<PublishResult> {
  const { WorkflowUpdateFailedError } = await import('../client-sdk.js');
  try {
    return await client.workflow.executeUpdateWithStart(publishIntentUpdate, {
      args: [draft],
      // A retried activity is answered by the same update; the bus answers repeats across runs by intent id.
      updateId: `publish:${draft.intent_id}`,
      startWorkflowOperation: await busStart(taskQueue),
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

/** Sends a tool's update to the bus, starting it when absent, and names the run that answered. */
async function updateBus<T>(client: Client, taskQueue: string, send: (startBus: BusStart) => Promise<T>): Promise<BusAnswer<T>> {
  const startBus = await busStart(taskQueue);
  try {
    const result = await send(startBus);
    // By its id alone, not through the start operation's handle, which pins the run it started with.
    const { runId } = await client.workflow.getHandle<typeof intentBusWorkflow>(intentBusWorkflowId(taskQueue)).describe();
    return { result, runId };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) {
      throw new CallError('INTENT_BUS_CLOSED', `the intent bus ${intentBusWorkflowId(taskQueue)} is closed`, 'An operator must look at why it ended before intents flow again.', false);
    }
    throw err;
  }
}

/** Subscribes an agent: from then on every approved intent lands in its inbox. */
export function subscribeAgent(client: Client, taskQueue: string, agent: string, from: SubscribeRequest['from']): Promise<BusAnswer<SubscribeResult>> {
  return updateBus(client, taskQueue, (startBus) =>
    client.workflow.executeUpdateWithStart(subscribeIntentsUpdate, { args: [{ subscriber: agentSubscriber(agent), from }], startWorkflowOperation: startBus }),
  );
}

export function unsubscribeAgent(client: Client, taskQueue: string, agent: string): Promise<BusAnswer<UnsubscribeResult>> {
  return updateBus(client, taskQueue, (startBus) =>
    client.workflow.executeUpdateWithStart(unsubscribeIntentsUpdate, { args: [{ subscriber: agentSubscriber(agent) }], startWorkflowOperation: startBus }),
  );
}

/** A subscriber's next page of intents (its workflow's activity reads it). */
export function readBusPage(client: Client, taskQueue: string, req: BusEntriesRequest): Promise<BusEntriesPage> {
  return client.workflow.getHandle<typeof intentBusWorkflow>(intentBusWorkflowId(taskQueue)).query(busEntriesQuery, req);
}

export function readBusStatus(client: Client, taskQueue: string): Promise<BusStatus> {
  return client.workflow.getHandle<typeof intentBusWorkflow>(intentBusWorkflowId(taskQueue)).query(busStatusQuery);
}

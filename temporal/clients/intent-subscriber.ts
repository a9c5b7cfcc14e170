/**
 * Owns the client side of an intent subscriber (one long-lived workflow per subscriber, started
 * by the bus, holding its cursor): reading its status and delivery log.
 */
import type { Client } from '@temporalio/client';
import { intentSubscriberWorkflowId, subscriberStatusQuery, type SubscriberStatus } from '../../schemas/temporal/intents.js';
import type { intentSubscriberWorkflow } from '../../worker/workflows/execution/intents/intent-subscriber.js';

export function readSubscriberStatus(client: Client, taskQueue: string, subscriber: string): Promise<SubscriberStatus> {
  return client.workflow.getHandle<typeof intentSubscriberWorkflow>(intentSubscriberWorkflowId(taskQueue, subscriber)).query(subscriberStatusQuery);
}

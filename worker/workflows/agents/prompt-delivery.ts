/**
 * One workflow per prompt, keyed by its message_id: the durable record that a prompt was sent
 * and where it landed. Its activity retries until the inbox accepts it; the inbox deduplicates, so
 * a retried delivery never enqueues twice.
 */
import { proxyActivities } from '@temporalio/workflow';
import {
  INBOX_FULL,
  inboxWorkflowId,
  type PromptDeliveryRequest,
  type PromptDeliveryResult,
} from '../../../schemas/temporal/agents.js';
import type { AgentsActivities } from '../../activities/agents/index.js';

const { deliverToInbox } = proxyActivities<AgentsActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: [INBOX_FULL] },
});

export async function promptDeliveryWorkflow(req: PromptDeliveryRequest): Promise<PromptDeliveryResult> {
  const { seq, duplicate } = await deliverToInbox(req);
  return {
    message_id: req.message_id,
    target: req.target,
    seq,
    duplicate,
    text_digest: req.text_digest,
    inbox_workflow_id: inboxWorkflowId(req.target),
    delivered_at: new Date().toISOString(),
  };
}

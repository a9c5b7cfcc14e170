/**
 * An agent subscriber's delivery: the intent as a message in the agent's inbox, through the same
 * durable prompt delivery prompt_agent uses, under the message id intent-bus-<seq>, so a repeated
 * delivery is the same message and the agent reads it once (next_prompt). The delivery counts once
 * the inbox holds the message. An agent whose inbox is full is waited for (retryable): it holds up
 * only its own subscription, never the bus.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { WorkflowFailedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import {
  INBOX_FULL,
  PROMPT_DELIVERY_WORKFLOW,
  inboxStatusQuery,
  inboxWorkflowId,
  promptDeliveryWorkflowId,
  type InboxLimits,
  type PromptDeliveryRequest,
  type PromptDeliveryResult,
} from '../../../../schemas/temporal/agents.js';
import { failureType } from '../../../../schemas/temporal/failure-type.js';
import { intentInboxMessageId, type BusIntent, type DeliveryOutcome } from '../../../../schemas/temporal/intents.js';
import { sha256Hex, startIdempotent } from '../../../../temporal/idempotent-start.js';

/** The message an agent reads: a line for people, then the intent as JSON for programs. */
export function intentMessage(intent: BusIntent): string {
  const legs = intent.legs
    .map((l) => `${l.side} ${l.qty ?? `${l.quote_notional} quote of`} ${l.symbol} ${l.limit_price ? `limit ${l.limit_price}` : 'market'} as ${l.client_order_id}`)
    .join('; ');
  return `Approved intent ${intent.intent_id} (bus #${intent.seq}, account ${intent.account}, ${intent.risk_check_id}): ${legs}.\n${JSON.stringify(intent)}`;
}

async function inboxDepth(client: Client, agent: string): Promise<number> {
  try {
    return (await client.workflow.getHandle(inboxWorkflowId(agent)).query(inboxStatusQuery)).depth;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 0;
    throw err;
  }
}

export async function deliverToAgent(client: Client, taskQueue: string, agent: string, intent: BusIntent, limits: InboxLimits): Promise<DeliveryOutcome> {
  const messageId = intentInboxMessageId(intent.seq);
  const workflowId = promptDeliveryWorkflowId(agent, messageId);
  const text = intentMessage(intent);
  const request: PromptDeliveryRequest = {
    target: agent,
    message_id: messageId,
    from: 'intent-bus',
    text,
    text_digest: createHash('sha256').update(text).digest('hex'),
  };
  const depth = await inboxDepth(client, agent);
  if (depth >= limits.maxMessages) {
    throw ApplicationFailure.create({
      type: 'AgentInboxFull',
      nonRetryable: false,
      message: `${agent}'s inbox holds ${depth} unread messages (limit ${limits.maxMessages}); intent #${intent.seq} waits until the agent reads with next_prompt`,
    });
  }
  const started = await startIdempotent(client, {
    workflowType: PROMPT_DELIVERY_WORKFLOW,
    workflowId,
    taskQueue,
    args: [request],
    // The fingerprint prompt_agent records, so the delivery is the same one whichever way it came.
    fingerprint: await sha256Hex({ target: agent, text_digest: request.text_digest, from: request.from }),
    keyName: 'message_id',
  });
  let result: PromptDeliveryResult;
  try {
    result = (await started.handle.result()) as PromptDeliveryResult;
  } catch (err) {
    // The inbox filled up between the look and the delivery: that message id is spent, so say so.
    if (err instanceof WorkflowFailedError && failureType(err) === INBOX_FULL) {
      return { seq: intent.seq, intent_id: intent.intent_id, status: 'failed', detail: `${agent}'s inbox was full (${workflowId})`, delivered_at: Date.now() };
    }
    throw err;
  }
  return {
    seq: intent.seq,
    intent_id: intent.intent_id,
    status: 'delivered',
    detail: `in ${agent}'s inbox as ${messageId} (inbox seq ${result.seq}${result.duplicate || started.duplicate ? ', delivered before' : ''})`,
    delivered_at: Date.now(),
  };
}

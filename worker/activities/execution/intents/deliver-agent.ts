/**
 * An agent subscriber's delivery: the intent as a message in the agent's inbox, through the same
 * durable prompt delivery prompt_agent uses, under the message id intent-bus-<seq>, so a repeated
 * delivery is the same message and the agent reads it once (next_prompt). The delivery counts once
 * the inbox holds the message. An agent whose inbox is full is waited for (retryable): it holds up
 * only its own subscription, never the bus.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { promptDeliveryWorkflowId, type InboxLimits } from '../../../../schemas/temporal/agents.js';
import { intentInboxMessageId, type BusIntent, type DeliveryOutcome } from '../../../../schemas/temporal/intents.js';
import { readInboxStatus } from '../../../../temporal/clients/inbox.js';
import { deliveredOrRefused, startPromptDelivery } from '../../../../temporal/clients/prompt-delivery.js';

/** The message an agent reads: a line for people, then the intent as JSON for programs. */
export function intentMessage(intent: BusIntent): string {
  const legs = intent.legs
    .map((l) => `${l.side} ${l.qty ?? `${l.quote_notional} quote of`} ${l.symbol} ${l.limit_price ? `limit ${l.limit_price}` : 'market'} as ${l.client_order_id}`)
    .join('; ');
  return `Approved intent ${intent.intent_id} (bus #${intent.seq}, account ${intent.account}, ${intent.risk_check_id}): ${legs}.\n${JSON.stringify(intent)}`;
}

export async function deliverToAgent(client: Client, taskQueue: string, agent: string, intent: BusIntent, limits: InboxLimits): Promise<DeliveryOutcome> {
  const messageId = intentInboxMessageId(intent.seq);
  const workflowId = promptDeliveryWorkflowId(agent, messageId);
  const depth = (await readInboxStatus(client, agent))?.depth ?? 0;
  if (depth >= limits.maxMessages) {
    throw ApplicationFailure.create({
      type: 'AgentInboxFull',
      nonRetryable: false,
      message: `${agent}'s inbox holds ${depth} unread messages (limit ${limits.maxMessages}); intent #${intent.seq} waits until the agent reads with next_prompt`,
    });
  }
  const started = await startPromptDelivery(client, taskQueue, { target: agent, message_id: messageId, from: 'intent-bus', text: intentMessage(intent) });
  const result = await deliveredOrRefused(started);
  if (!result) {
    // The inbox filled up between the look and the delivery: that message id is spent, so say so.
    return { seq: intent.seq, intent_id: intent.intent_id, status: 'failed', detail: `${agent}'s inbox was full (${workflowId})`, delivered_at: Date.now() };
  }
  return {
    seq: intent.seq,
    intent_id: intent.intent_id,
    status: 'delivered',
    detail: `in ${agent}'s inbox as ${messageId} (inbox seq ${result.seq}${result.duplicate || started.duplicate ? ', delivered before' : ''})`,
    delivered_at: Date.now(),
  };
}

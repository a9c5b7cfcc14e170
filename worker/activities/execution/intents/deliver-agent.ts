/**
 * An agent subscriber's delivery: the intent as a message in the agent's inbox, through the same
 * durable prompt delivery prompt_agent uses, under the message id intent-bus-<seq>, so a repeated
 * delivery is the same message and the agent reads it once (next_prompt).
 */
import { createHash } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { PROMPT_DELIVERY_WORKFLOW, promptDeliveryWorkflowId, type PromptDeliveryRequest } from '../../../../schemas/temporal/agents.js';
import { intentInboxMessageId, type BusIntent, type DeliveryOutcome } from '../../../../schemas/temporal/intents.js';
import { sha256Hex, startIdempotent } from '../../../../servers/kit/idempotent-start.js';

/** The message an agent reads: a line for people, then the intent as JSON for programs. */
export function intentMessage(intent: BusIntent): string {
  const legs = intent.legs
    .map((l) => `${l.side} ${l.qty ?? `${l.quote_notional} quote of`} ${l.symbol} ${l.limit_price ? `limit ${l.limit_price}` : 'market'} as ${l.client_order_id}`)
    .join('; ');
  return `Approved intent ${intent.intent_id} (bus #${intent.seq}, account ${intent.account}, ${intent.risk_check_id}): ${legs}.\n${JSON.stringify(intent)}`;
}

export async function deliverToAgent(client: Client, taskQueue: string, agent: string, intent: BusIntent): Promise<DeliveryOutcome> {
  const messageId = intentInboxMessageId(intent.seq);
  const text = intentMessage(intent);
  const request: PromptDeliveryRequest = {
    target: agent,
    message_id: messageId,
    from: 'intent-bus',
    text,
    text_digest: createHash('sha256').update(text).digest('hex'),
  };
  const started = await startIdempotent(client, {
    workflowType: PROMPT_DELIVERY_WORKFLOW,
    workflowId: promptDeliveryWorkflowId(agent, messageId),
    taskQueue,
    args: [request],
    // The fingerprint prompt_agent records, so the delivery is the same one whichever way it came.
    fingerprint: await sha256Hex({ target: agent, text_digest: request.text_digest, from: request.from }),
    keyName: 'message_id',
  });
  return {
    seq: intent.seq,
    intent_id: intent.intent_id,
    status: 'delivered',
    detail: `${started.duplicate ? 'already sent' : 'sent'} to ${agent}'s inbox as ${messageId}`,
    delivered_at: Date.now(),
  };
}

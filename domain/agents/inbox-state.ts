/**
 * The inbox's pure state transitions, kept apart from the workflow so they can be unit tested and
 * so the workflow file holds only orchestration.
 */
import type { EnqueueRequest, InboxCarriedState, InboxLimits, InboxMessage } from '../../schemas/temporal/agents.js';

export class InboxFullError extends Error {}

export function emptyInbox(limits: InboxLimits): InboxCarriedState {
  return { limits, queue: [], recent: [], nextSeq: 0, delivered: 0 };
}

export interface EnqueueOutcome {
  seq: number;
  duplicate: boolean;
}

/** Adds a message unless its id was seen (then reports the earlier seq) or the inbox is full. */
export function enqueue(state: InboxCarriedState, req: EnqueueRequest, nowIso: string): EnqueueOutcome {
  const seen = state.recent.find((r) => r.message_id === req.message_id);
  if (seen) return { seq: seen.seq, duplicate: true };
  if (state.queue.length >= state.limits.maxMessages) {
    throw new InboxFullError(
      `inbox holds ${state.queue.length} undelivered messages (limit ${state.limits.maxMessages})`,
    );
  }
  const message: InboxMessage = {
    message_id: req.message_id,
    seq: state.nextSeq,
    from: req.from,
    text: req.text,
    enqueued_at: nowIso,
    prompt_workflow_id: req.prompt_workflow_id,
  };
  state.nextSeq += 1;
  state.queue.push(message);
  remember(state, req.message_id, message.seq);
  return { seq: message.seq, duplicate: false };
}

/** Takes the oldest message, if any. */
export function take(state: InboxCarriedState): InboxMessage | undefined {
  const message = state.queue.shift();
  if (message) state.delivered += 1;
  return message;
}

function remember(state: InboxCarriedState, messageId: string, seq: number): void {
  state.recent.push({ message_id: messageId, seq });
  const excess = state.recent.length - state.limits.dedupeWindow;
  if (excess > 0) state.recent.splice(0, excess);
}

/**
 * The Temporal side of an agent's durable conversation: one long-lived workflow per agent holds
 * the messages a model host exchanged with its model, so a restarted host continues the same
 * conversation. Turns enter through an update, de-duplicated by turn_id; readers use a query.
 * Shared by the agents server (client) and the worker (implementation). Pure definitions and pure
 * checks only: this module is bundled into workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const CONVERSATION_WORKFLOW = 'conversationWorkflow';

export const conversationWorkflowId = (agent: string): string => `conversation:${agent}`;

export type ConversationRole = 'system' | 'user' | 'assistant' | 'tool';

/** A function call the model asked for; `arguments` is the JSON text exactly as the model wrote it. */
export interface ConversationToolCall {
  id: string;
  name: string;
  arguments: string;
}

/**
 * One message in the shape chat-completion APIs use. An assistant message may carry tool_calls;
 * each is answered by a tool message whose tool_call_id names it.
 */
export interface ConversationMessage {
  role: ConversationRole;
  content: string;
  tool_calls?: ConversationToolCall[];
  tool_call_id?: string;
}

/** Bounds of a conversation, from the worker's configuration (worker/config/conversation-config.ts). */
export interface ConversationLimits {
  /** Messages kept besides the system prompt; older whole exchanges are trimmed away. */
  maxMessages: number;
  /** Approximate characters kept besides the system prompt (content plus tool-call names and arguments). */
  maxChars: number;
  /** Turn ids remembered for de-duplication, carried across continue-as-new. */
  dedupeWindow: number;
  /** Turns appended before the run continues as new. */
  continueAsNewAfter: number;
  /** History length past which the run continues as new. */
  historyLimit: number;
}

/** What a turn id was used for: enough to answer a repeat and to refuse a reuse for other messages. */
export interface RememberedTurn {
  turn_id: string;
  digest: string;
  turn_seq: number;
}

/** The state of a conversation, carried across continue-as-new. Bounded by its limits. */
export interface ConversationState {
  limits: ConversationLimits;
  /** The system prompt: the latest system message appended. Never trimmed. */
  system: ConversationMessage | null;
  /** Everything else, oldest first, already trimmed to the limits. */
  messages: ConversationMessage[];
  /** Recently appended turns (bounded by dedupeWindow), oldest first. */
  recent: RememberedTurn[];
  /** Turns appended since the conversation began (duplicates not counted). */
  turnCount: number;
  /** Messages trimmed away since the conversation began. */
  droppedMessages: number;
  lastTurnId: string | null;
  updatedAt: string | null;
}

export interface ConversationInput {
  agent: string;
  carried?: ConversationState;
}

export interface AppendTurnRequest {
  turn_id: string;
  /** SHA-256 of the turn's messages, so reusing a turn_id for different messages is caught. */
  digest: string;
  messages: ConversationMessage[];
}

export interface AppendTurnResult {
  turn_id: string;
  /** Position of the turn in the conversation, 1-based; a repeated turn reports its first position. */
  turn_seq: number;
  /** True when this turn_id had been appended before: nothing new was added. */
  duplicate: boolean;
  /** Messages (besides the system prompt) the conversation holds after this turn. */
  stored_messages: number;
  /** Messages trimmed away since the conversation began. */
  dropped_messages: number;
}

export interface ConversationViewRequest {
  /** Return at most this many messages besides the system prompt, trimmed by whole exchanges. */
  max_messages?: number;
}

export interface ConversationView {
  agent: string;
  system: ConversationMessage | null;
  /** The most recent messages within the requested bound, oldest first, system prompt excluded. */
  messages: ConversationMessage[];
  /** Messages stored but left out of this view by max_messages. */
  omitted_messages: number;
  stored_messages: number;
  dropped_messages: number;
  turn_count: number;
  last_turn_id: string | null;
  updated_at: string | null;
}

export const appendTurnUpdate = defineUpdate<AppendTurnResult, [AppendTurnRequest]>('appendConversationTurn');
export const conversationViewQuery = defineQuery<ConversationView, [ConversationViewRequest]>('conversationView');

/** Error types raised by the conversation workflow; the server kit turns them into isError codes. */
export const TURN_CONFLICT = 'TurnConflict';
export const INVALID_TURN = 'InvalidTurn';

/** Bounds of one turn, so a single call cannot blow up a workflow history. */
export const MAX_TURN_MESSAGES = 64;
export const MAX_MESSAGE_CHARS = 100_000;
export const MAX_TOOL_CALLS_PER_MESSAGE = 32;

/**
 * What makes a turn unacceptable, as sentences; empty when it is fine. A turn must hold whole tool
 * exchanges: each assistant message with tool_calls is followed directly by one tool message per
 * call, and every tool message answers a call of that assistant message. So nothing stored can
 * ever separate a tool call from its result, and trimming can always cut between exchanges.
 */
export function turnProblems(messages: readonly ConversationMessage[]): string[] {
  const problems: string[] = [];
  if (messages.length === 0) problems.push('a turn needs at least one message');
  if (messages.length > MAX_TURN_MESSAGES) problems.push(`a turn holds at most ${MAX_TURN_MESSAGES} messages, this one has ${messages.length}`);
  let systems = 0;
  /** Calls of the latest assistant message still waiting for their tool message. */
  let awaiting: Set<string> | null = null;
  let awaitingFrom = -1;
  messages.forEach((m, i) => {
    const at = `messages[${i}]`;
    if (m.role !== 'tool') {
      if (awaiting && awaiting.size > 0) {
        problems.push(
          `${at}: the tool calls of messages[${awaitingFrom}] (${[...awaiting].join(', ')}) must each be answered by a tool message directly after it`,
        );
      }
      awaiting = null;
    }
    if (m.role !== 'assistant' && m.tool_calls !== undefined) problems.push(`${at}: only assistant messages carry tool_calls`);
    if (m.role !== 'tool' && m.tool_call_id !== undefined) problems.push(`${at}: only tool messages carry tool_call_id`);
    if (m.role === 'system') systems += 1;
    if (m.role === 'assistant' && m.tool_calls !== undefined) {
      if (m.tool_calls.length === 0) problems.push(`${at}: tool_calls is empty; leave it out when the assistant called no tool`);
      const ids = new Set(m.tool_calls.map((c) => c.id));
      if (ids.size !== m.tool_calls.length) problems.push(`${at}: tool call ids must be unique within a message`);
      awaiting = ids;
      awaitingFrom = i;
    }
    if (m.role === 'tool') {
      const id = m.tool_call_id;
      if (id === undefined) problems.push(`${at}: a tool message needs the tool_call_id it answers`);
      else if (!awaiting || !awaiting.has(id)) {
        problems.push(
          `${at}: tool_call_id ${id} answers no unanswered call of the assistant message directly before it; tool results follow their assistant message within the same turn`,
        );
      } else awaiting.delete(id);
    }
  });
  const unanswered = awaiting as Set<string> | null;
  if (unanswered && unanswered.size > 0) {
    problems.push(
      `the tool calls of messages[${awaitingFrom}] (${[...unanswered].join(', ')}) are unanswered; save the assistant message together with its tool results in one turn`,
    );
  }
  if (systems > 1) problems.push('a turn holds at most one system message (it replaces the system prompt)');
  return problems;
}

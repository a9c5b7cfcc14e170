/**
 * The conversation's pure state transitions, kept apart from the workflow so they can be unit
 * tested and so the workflow file holds only orchestration.
 */
import {
  turnProblems,
  type AppendTurnRequest,
  type AppendTurnResult,
  type ConversationLimits,
  type ConversationState,
  type ConversationView,
  type ConversationViewRequest,
} from '../../schemas/temporal/conversation.js';
import { trimConversation } from './conversation-trim.js';

/** The turn cannot be appended as sent; `kind` tells the workflow which failure type to raise. */
export class TurnRejection extends Error {
  constructor(
    readonly kind: 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

export function newConversation(limits: ConversationLimits): ConversationState {
  return { limits, system: null, messages: [], recent: [], turnCount: 0, droppedMessages: 0, lastTurnId: null, updatedAt: null };
}

/** Refuses what cannot be appended, before anything is written. A repeat of a known turn passes. */
export function checkTurn(state: ConversationState | undefined, req: AppendTurnRequest): void {
  const problems = turnProblems(req.messages);
  if (problems.length > 0) throw new TurnRejection('invalid', `turn ${req.turn_id} is malformed: ${problems.join('; ')}`);
  const seen = state?.recent.find((t) => t.turn_id === req.turn_id);
  if (seen && seen.digest !== req.digest) {
    throw new TurnRejection(
      'conflict',
      `turn_id ${req.turn_id} was already saved (turn ${seen.turn_seq}) with different messages; use a new turn_id for a new turn, or repeat the original turn unchanged`,
    );
  }
}

/** Appends a turn unless its id was seen (then reports the earlier position), and trims to the limits. */
export function appendTurn(state: ConversationState, req: AppendTurnRequest, nowIso: string): AppendTurnResult {
  checkTurn(state, req);
  const seen = state.recent.find((t) => t.turn_id === req.turn_id);
  if (seen) {
    return {
      turn_id: req.turn_id,
      turn_seq: seen.turn_seq,
      duplicate: true,
      stored_messages: state.messages.length,
      dropped_messages: state.droppedMessages,
    };
  }
  // A system message sets the system prompt; the rest joins the conversation.
  const system = req.messages.find((m) => m.role === 'system');
  if (system) state.system = system;
  const appended = [...state.messages, ...req.messages.filter((m) => m.role !== 'system')];
  const { kept, dropped } = trimConversation(appended, state.limits);
  state.messages = kept;
  state.droppedMessages += dropped;
  state.turnCount += 1;
  state.lastTurnId = req.turn_id;
  state.updatedAt = nowIso;
  state.recent.push({ turn_id: req.turn_id, digest: req.digest, turn_seq: state.turnCount });
  const excess = state.recent.length - state.limits.dedupeWindow;
  if (excess > 0) state.recent.splice(0, excess);
  return {
    turn_id: req.turn_id,
    turn_seq: state.turnCount,
    duplicate: false,
    stored_messages: state.messages.length,
    dropped_messages: state.droppedMessages,
  };
}

/** The conversation as a reader sees it, trimmed again when the reader asks for fewer messages. */
export function viewConversation(agent: string, state: ConversationState | undefined, req: ConversationViewRequest): ConversationView {
  const stored = state?.messages ?? [];
  const max = req.max_messages;
  const messages = max === undefined || max >= stored.length ? stored : trimConversation(stored, { maxMessages: max, maxChars: Infinity }).kept;
  return {
    agent,
    system: state?.system ?? null,
    messages,
    omitted_messages: stored.length - messages.length,
    stored_messages: stored.length,
    dropped_messages: state?.droppedMessages ?? 0,
    turn_count: state?.turnCount ?? 0,
    last_turn_id: state?.lastTurnId ?? null,
    updated_at: state?.updatedAt ?? null,
  };
}

/** The state handed to the next run, re-trimmed in case the limits were tightened meanwhile. */
export function carryConversation(state: ConversationState, limits: ConversationLimits): ConversationState {
  const { kept, dropped } = trimConversation(state.messages, limits);
  return {
    ...state,
    limits,
    messages: kept,
    droppedMessages: state.droppedMessages + dropped,
    recent: state.recent.slice(Math.max(0, state.recent.length - limits.dedupeWindow)),
  };
}

/**
 * Bounds of the agents' durable conversations, from the worker's environment, read once at
 * start-up with errors that name the variable. They enter the conversation workflow through an
 * activity (and are refreshed at every continue-as-new), never by the workflow reading the environment.
 */
import type { ConversationLimits } from '../../schemas/temporal/conversation.js';
import { envInteger } from './env-number.js';

export function conversationLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): ConversationLimits {
  return {
    maxMessages: envInteger(env, 'CONVERSATION_MAX_MESSAGES', 200, 2, 5_000),
    // A whole conversation travels as one payload at continue-as-new; stay far below Temporal's 2 MB limit.
    maxChars: envInteger(env, 'CONVERSATION_MAX_CHARS', 200_000, 1_000, 1_000_000),
    dedupeWindow: envInteger(env, 'CONVERSATION_DEDUPE_WINDOW', 1_000, 1, 10_000),
    continueAsNewAfter: envInteger(env, 'CONVERSATION_CONTINUE_AS_NEW_AFTER', 200, 1, 10_000),
    historyLimit: envInteger(env, 'CONVERSATION_HISTORY_LIMIT', 9_000, 100, 40_000),
  };
}

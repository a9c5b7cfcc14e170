/**
 * The conversation workflow's one activity: its limits, read from the worker's configuration once
 * at start-up and recorded in history when the workflow asks (so replays see the same values).
 */
import type { ConversationLimits } from '../../../schemas/temporal/conversation.js';

export function createConversationActivities(deps: { conversationLimits: ConversationLimits }) {
  return {
    async loadConversationLimits(): Promise<ConversationLimits> {
      return deps.conversationLimits;
    },
  };
}

export type ConversationActivities = ReturnType<typeof createConversationActivities>;

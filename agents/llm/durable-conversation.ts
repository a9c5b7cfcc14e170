/**
 * The host's view of its durable conversation, kept by the agents server in a Temporal workflow:
 * everything the model sees is read back from there, so what the model is shown and what survives
 * a restart are the same thing.
 */
import type { getConversation } from '../../schemas/agents-conversation.js';
import type { ToolOutput } from '../../schemas/contract.js';
import type { ConversationMessage } from '../../schemas/temporal/conversation.js';
import type { McpHost } from '../host/mcp-host.js';

export interface ConversationSnapshot {
  system: string | null;
  /** Non-system messages, oldest first, trimmed by the worker (and by LLM_CONTEXT_MAX_MESSAGES). */
  messages: ConversationMessage[];
  turnCount: number;
}

export class DurableConversation {
  constructor(
    private readonly host: McpHost,
    readonly agent: string,
    private readonly maxMessages: number | undefined,
  ) {}

  async load(): Promise<ConversationSnapshot> {
    const view = await this.host.call<ToolOutput<typeof getConversation>>('get_conversation', {
      agent: this.agent,
      ...(this.maxMessages !== undefined ? { max_messages: this.maxMessages } : {}),
    });
    const system = view.messages[0]?.role === 'system' ? view.messages[0] : undefined;
    return {
      system: system ? system.content : null,
      messages: system ? view.messages.slice(1) : view.messages,
      turnCount: view.turn_count,
    };
  }

  /**
   * Saves one turn. Its id is the position it will take (turn_count + 1 of the snapshot it was built
   * on): repeating a save that landed is recognised as the same turn, and after a crash the host
   * reads the new count, so an id is never reused for other messages.
   */
  async save(after: ConversationSnapshot, messages: ConversationMessage[]): Promise<void> {
    await this.host.call('save_conversation_turn', { agent: this.agent, turn_id: `turn-${after.turnCount + 1}`, messages });
  }
}

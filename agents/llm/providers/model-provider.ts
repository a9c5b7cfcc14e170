/**
 * What the LLM host needs from a model API: given the system prompt, the conversation and the
 * tools, one assistant reply (text and/or tool calls). Each provider maps this to its own wire format.
 */
import type { ConversationMessage, ConversationToolCall } from '../../../schemas/temporal/conversation.js';

/** A tool offered to the model as a function: its JSON Schema comes from the MCP server's tools/list. */
export interface FunctionTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface ModelRequest {
  system: string | null;
  /** The conversation, oldest first, without system messages. */
  messages: readonly ConversationMessage[];
  tools: readonly FunctionTool[];
}

export interface ModelReply {
  content: string;
  tool_calls: ConversationToolCall[];
  /** The provider's reason for stopping (stop, tool_calls, length, end_turn, tool_use, ...). */
  stop_reason: string;
}

export interface ModelProvider {
  /** e.g. "openai gpt-4.1-mini at https://api.openai.com/v1": safe to print, never holds the key. */
  readonly description: string;
  complete(request: ModelRequest, signal: AbortSignal): Promise<ModelReply>;
}

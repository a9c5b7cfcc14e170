/**
 * Runs one tool call the model asked for through MCP and turns the outcome into the text of the
 * tool message that answers it. Failures are answers too: an isError result, unknown tool or bad
 * arguments go back to the model as text that says what was wrong, so it can correct itself.
 */
import type { ConversationMessage, ConversationToolCall } from '../../schemas/temporal/conversation.js';
import { resultText, type McpHost } from '../host/mcp-host.js';

export interface ToolOutcome {
  message: ConversationMessage;
  ok: boolean;
}

/** Cuts text to max characters, saying how much was left out. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = (omitted: number) => `\n[truncated: ${omitted} more characters]`;
  // The note's own length depends on the number it states; sized for the larger count, it always fits.
  const kept = Math.max(0, max - note(text.length).length);
  return text.slice(0, kept) + note(text.length - kept);
}

function answer(call: ConversationToolCall, content: string, ok: boolean, maxChars: number): ToolOutcome {
  return { message: { role: 'tool', tool_call_id: call.id, content: truncate(content, maxChars) }, ok };
}

export async function runToolCall(host: McpHost, offered: ReadonlySet<string>, call: ConversationToolCall, maxChars: number): Promise<ToolOutcome> {
  if (!offered.has(call.name)) {
    return answer(call, `UNKNOWN_TOOL: there is no tool named ${call.name}. Call one of: ${[...offered].sort().join(', ')}.`, false, maxChars);
  }
  let args: unknown;
  try {
    args = JSON.parse(call.arguments || '{}');
  } catch (err) {
    return answer(call, `INVALID_ARGUMENTS: the arguments are not valid JSON (${err instanceof Error ? err.message : String(err)}). Call again with a JSON object.`, false, maxChars);
  }
  if (!args || typeof args !== 'object' || Array.isArray(args)) {
    return answer(call, 'INVALID_ARGUMENTS: the arguments must be a JSON object of the tool\'s input fields. Call again with an object.', false, maxChars);
  }
  try {
    const result = await host.callRaw(call.name, args as Record<string, unknown>);
    return answer(call, resultText(result) || (result.isError ? 'ERROR: the tool failed without saying why' : '(empty result)'), !result.isError, maxChars);
  } catch (err) {
    // The call did not complete (server gone, timeout): the model learns that, and that a retry may help.
    return answer(call, `TOOL_UNAVAILABLE: ${call.name} did not answer (${err instanceof Error ? err.message : String(err)}). Retrying later can help.`, false, maxChars);
  }
}

/**
 * Brings a model reply within what a conversation turn accepts before any of its tool calls run:
 * a turn that could not be saved would be asked of the model again, and its tools run again.
 * Models do produce missing or repeated call ids, overlong names and runaway outputs; each is
 * repaired here rather than refused, and every repair is reported.
 */
import {
  MAX_MESSAGE_CHARS,
  MAX_TOOL_CALLS_PER_MESSAGE,
  type ConversationToolCall,
} from '../../schemas/temporal/conversation.js';
import type { ModelReply } from './providers/model-provider.js';

const MAX_ID_CHARS = 128;
const MAX_NAME_CHARS = 128;

export interface BoundedReply {
  reply: ModelReply;
  /** What was changed, one sentence each, for the log. */
  repairs: string[];
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, max);
}

export function boundReply(reply: ModelReply): BoundedReply {
  const repairs: string[] = [];
  let content = reply.content;
  if (content.length > MAX_MESSAGE_CHARS) {
    repairs.push(`the answer was cut from ${content.length} to ${MAX_MESSAGE_CHARS} characters`);
    content = cut(content, MAX_MESSAGE_CHARS);
  }
  let calls = reply.tool_calls;
  if (calls.length > MAX_TOOL_CALLS_PER_MESSAGE) {
    repairs.push(`only the first ${MAX_TOOL_CALLS_PER_MESSAGE} of ${calls.length} tool calls are run`);
    calls = calls.slice(0, MAX_TOOL_CALLS_PER_MESSAGE);
  }
  const seen = new Set<string>();
  const bounded: ConversationToolCall[] = calls.map((call, i) => {
    let id = call.id;
    if (!id || id.length > MAX_ID_CHARS || seen.has(id)) {
      const fresh = `call_${i}_${crypto.randomUUID().slice(0, 8)}`;
      repairs.push(`tool call ${i} had ${id ? (seen.has(id) ? `a repeated id ${cut(id, 40)}` : 'an overlong id') : 'no id'}; it is ${fresh} now`);
      id = fresh;
    }
    seen.add(id);
    const name = cut(call.name, MAX_NAME_CHARS);
    if (name !== call.name) repairs.push(`tool call ${i} named a tool longer than ${MAX_NAME_CHARS} characters`);
    const args = cut(call.arguments, MAX_MESSAGE_CHARS);
    if (args !== call.arguments) repairs.push(`tool call ${i} had arguments over ${MAX_MESSAGE_CHARS} characters; they were cut`);
    return { id, name, arguments: args };
  });
  return { reply: { ...reply, content, tool_calls: bounded }, repairs };
}

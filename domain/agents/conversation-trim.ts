/**
 * Trimming a conversation to a budget, as a pure function (the workflow stores the result, and the
 * get_conversation view applies it again with a caller's tighter bound).
 *
 * The rules, in order of importance:
 * 1. A leading system message is the system prompt: always kept, never counted against the budget.
 * 2. An assistant message carrying tool calls and the tool messages answering it form one block
 *    that is kept or dropped as a whole: a model API refuses a tool call without its result, and a
 *    result without its call.
 * 3. Whole exchanges are trimmed, oldest first. An exchange opens with a user message and runs to
 *    the next one, so what is kept starts with a user message, as the model APIs expect.
 * 4. When even the newest exchange is over the budget, its opening user message is kept (the model
 *    must see what it is answering) together with the newest blocks of that exchange that still fit.
 *    That user message is the one thing kept even when it alone is over the budget.
 */
import type { ConversationMessage } from '../../schemas/temporal/conversation.js';

export interface TrimBudget {
  /** Messages kept besides the system prompt, at least 1. */
  maxMessages: number;
  /** Approximate characters kept besides the system prompt. */
  maxChars: number;
}

export interface TrimResult {
  /** The system prompt (if any) followed by the kept messages, oldest first. */
  kept: ConversationMessage[];
  /** How many messages were left out. */
  dropped: number;
}

/** A rough size of a message as a model sees it: a stand-in for tokens that needs no tokenizer. */
export function messageChars(m: ConversationMessage): number {
  let chars = m.content.length;
  for (const call of m.tool_calls ?? []) chars += call.name.length + call.arguments.length;
  return chars;
}

export interface Block {
  messages: ConversationMessage[];
  chars: number;
}

/** Splits messages into blocks that must never be separated (rule 2). */
export function toBlocks(messages: readonly ConversationMessage[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < messages.length; ) {
    const first = messages[i] as ConversationMessage;
    const block: ConversationMessage[] = [first];
    i += 1;
    const pending = new Set((first.role === 'assistant' ? first.tool_calls ?? [] : []).map((c) => c.id));
    while (pending.size > 0 && i < messages.length) {
      const next = messages[i] as ConversationMessage;
      if (next.role !== 'tool' || next.tool_call_id === undefined || !pending.has(next.tool_call_id)) break;
      pending.delete(next.tool_call_id);
      block.push(next);
      i += 1;
    }
    blocks.push({ messages: block, chars: block.reduce((sum, m) => sum + messageChars(m), 0) });
  }
  return blocks;
}

/** Groups blocks into exchanges, each opening at a block that starts with a user message (rule 3). */
function toExchanges(blocks: readonly Block[]): Block[][] {
  const exchanges: Block[][] = [];
  for (const block of blocks) {
    const opensExchange = block.messages[0]?.role === 'user';
    const current = exchanges[exchanges.length - 1];
    if (opensExchange || !current) exchanges.push([block]);
    else current.push(block);
  }
  return exchanges;
}

function size(blocks: readonly Block[]): { messages: number; chars: number } {
  let messages = 0;
  let chars = 0;
  for (const b of blocks) {
    messages += b.messages.length;
    chars += b.chars;
  }
  return { messages, chars };
}

export function trimConversation(all: readonly ConversationMessage[], budget: TrimBudget): TrimResult {
  if (!(budget.maxMessages >= 1) || !(budget.maxChars >= 0)) {
    throw new RangeError(`trim budget needs maxMessages >= 1 and maxChars >= 0, got ${budget.maxMessages} and ${budget.maxChars}`);
  }
  const system = all[0]?.role === 'system' ? [all[0]] : [];
  const rest = all.slice(system.length);
  const exchanges = toExchanges(toBlocks(rest));

  let usedMessages = 0;
  let usedChars = 0;
  const fits = (s: { messages: number; chars: number }) =>
    usedMessages + s.messages <= budget.maxMessages && usedChars + s.chars <= budget.maxChars;

  // Whole exchanges, newest first, as long as they fit.
  let firstKept = exchanges.length;
  while (firstKept > 0) {
    const s = size(exchanges[firstKept - 1] as Block[]);
    if (!fits(s)) break;
    usedMessages += s.messages;
    usedChars += s.chars;
    firstKept -= 1;
  }
  if (firstKept < exchanges.length || exchanges.length === 0) {
    const kept = exchanges.slice(firstKept).flat().flatMap((b) => b.messages);
    return { kept: [...system, ...kept], dropped: rest.length - kept.length };
  }

  // Not even the newest exchange fits (rule 4).
  const newest = exchanges[exchanges.length - 1] as Block[];
  const opener = newest[0] as Block;
  const anchored = opener.messages[0]?.role === 'user';
  const anchor = anchored ? [opener] : [];
  const candidates = anchored ? newest.slice(1) : newest;
  usedMessages = anchored ? opener.messages.length : 0;
  usedChars = anchored ? opener.chars : 0;
  let firstBlock = candidates.length;
  if (fits({ messages: 0, chars: 0 })) {
    while (firstBlock > 0) {
      const s = size([candidates[firstBlock - 1] as Block]);
      if (!fits(s)) break;
      usedMessages += s.messages;
      usedChars += s.chars;
      firstBlock -= 1;
    }
  }
  const kept = [...anchor, ...candidates.slice(firstBlock)].flatMap((b) => b.messages);
  return { kept: [...system, ...kept], dropped: rest.length - kept.length };
}

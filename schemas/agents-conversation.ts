/**
 * The durable conversation tools of the agents group: any model host keeps its conversation in
 * Temporal (one workflow per agent) so that a restart continues it instead of starting over.
 */
import { z } from 'zod';
import { defineContract } from './contract.js';
import { agentName, idempotencyKey, isoTimestamp } from './common.js';
import {
  MAX_MESSAGE_CHARS,
  MAX_TOOL_CALLS_PER_MESSAGE,
  MAX_TURN_MESSAGES,
  turnProblems,
} from './temporal/conversation.js';

/** Read bound of get_conversation; the worker's own bound (CONVERSATION_MAX_MESSAGES) may be lower. */
export const MAX_CONVERSATION_READ_MESSAGES = 5_000;

const toolCall = z.strictObject({
  id: z.string().min(1).max(128).describe('Id the model gave the call; the tool message answering it repeats it'),
  name: z.string().min(1).max(128).describe('Tool name'),
  arguments: z.string().max(MAX_MESSAGE_CHARS).describe('JSON text of the arguments, exactly as the model wrote it'),
});

const messageFields = {
  role: z.enum(['system', 'user', 'assistant', 'tool']),
  content: z.string().max(MAX_MESSAGE_CHARS).describe('Text of the message; may be empty for an assistant message that only calls tools'),
  tool_calls: z
    .array(toolCall)
    .min(1)
    .max(MAX_TOOL_CALLS_PER_MESSAGE)
    .optional()
    .describe('Assistant only: the tools the model called'),
  tool_call_id: z.string().min(1).max(128).optional().describe('Tool only: the id of the call this message answers'),
};

/** Strict on input, so a misspelt field (toolCalls, tool_call) is an error instead of silently dropped. */
const inputMessage = z.strictObject(messageFields);
const outputMessage = z.object(messageFields);

export const saveConversationTurn = defineContract({
  name: 'save_conversation_turn',
  group: 'agents',
  title: 'Save a conversation turn',
  description:
    "Append one turn of an agent's model conversation to its durable conversation (a Temporal workflow), so a restarted host continues it. The same turn_id twice appends once and returns the recorded position; reusing a turn_id for different messages is refused. A turn holds whole tool exchanges: an assistant message with tool_calls is followed directly by one tool message per call. A system message replaces the system prompt. Old exchanges are trimmed to the worker's bounds, never splitting a tool call from its result.",
  input: z.object({
    agent: agentName.describe('Agent whose conversation this is, e.g. "ensemble"'),
    turn_id: idempotencyKey.describe('Idempotency key of this turn; repeating it never appends twice'),
    messages: z
      .array(inputMessage)
      .min(1)
      .max(MAX_TURN_MESSAGES)
      .superRefine((messages, ctx) => {
        for (const problem of turnProblems(messages)) ctx.addIssue({ code: 'custom', message: problem });
      })
      .describe(`The turn's messages, oldest first (1-${MAX_TURN_MESSAGES})`),
  }),
  output: z.object({
    agent: z.string(),
    turn_id: z.string(),
    turn_seq: z.number().int().positive().describe('Position of this turn in the conversation, 1-based'),
    duplicate: z.boolean().describe('True when this turn_id had been saved before; nothing new was appended'),
    stored_messages: z.number().int().nonnegative().describe('Messages the conversation holds now, besides the system prompt'),
    dropped_messages: z.number().int().nonnegative().describe('Messages trimmed away since the conversation began'),
    workflow_id: z.string().describe('Temporal workflow id of the conversation'),
    run_id: z.string().describe('Temporal run id of that workflow execution'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

export const getConversation = defineContract({
  name: 'get_conversation',
  group: 'agents',
  title: 'Read a conversation',
  description:
    "Read an agent's durable conversation as a model should see it: the system prompt first, then the most recent messages, trimmed by whole exchanges so a tool call is never separated from its result. An agent with no saved turn has an empty conversation.",
  input: z.object({
    agent: agentName.describe('Agent whose conversation to read'),
    max_messages: z
      .number()
      .int()
      .min(1)
      .max(MAX_CONVERSATION_READ_MESSAGES)
      .optional()
      .describe('Return at most this many messages besides the system prompt (whole exchanges, newest kept); all stored messages when omitted'),
  }),
  output: z.object({
    agent: z.string(),
    messages: z.array(outputMessage).describe('System prompt first (when set), then the kept messages, oldest first'),
    omitted_messages: z.number().int().nonnegative().describe('Stored messages left out because of max_messages'),
    stored_messages: z.number().int().nonnegative().describe('Messages the conversation holds, besides the system prompt'),
    dropped_messages: z.number().int().nonnegative().describe('Messages trimmed away since the conversation began'),
    turn_count: z.number().int().nonnegative().describe('Turns saved since the conversation began'),
    last_turn_id: z.string().nullable(),
    updated_at: isoTimestamp.nullable(),
    workflow_id: z.string().describe('Temporal workflow id of the conversation'),
    run_id: z.string().nullable().describe('Temporal run id of that workflow execution; null when no turn was ever saved'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

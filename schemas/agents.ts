import { z } from 'zod';
import { defineContract } from './contract.js';
import { agentName, idempotencyKey, isoTimestamp, workflowRef } from './common.js';

export const MAX_PROMPT_CHARS = 20_000;
export const MAX_WAIT_SEC = 50;

const inboxMessage = z.object({
  message_id: z.string(),
  seq: z.number().int().nonnegative().describe('Position in the inbox, increasing per agent'),
  from: z.string().nullable().describe('Who sent it, when the sender said'),
  text: z.string(),
  enqueued_at: isoTimestamp,
  prompt_workflow_id: z.string().describe('The delivery workflow of this message (audit trail)'),
});

export const promptAgent = defineContract({
  name: 'prompt_agent',
  group: 'agents',
  title: 'Prompt an agent',
  description:
    "Deliver a message durably into an agent's inbox (a Temporal workflow). The same message_id twice delivers once and returns the recorded result. Returns status 'delivered' once the inbox holds it, or 'queued' when no worker has picked the delivery up yet (it will be delivered when one does).",
  input: z.object({
    target: agentName.describe('Agent whose inbox receives the message, e.g. "ensemble"'),
    message: z.string().min(1).max(MAX_PROMPT_CHARS).describe('The prompt text'),
    message_id: idempotencyKey.optional().describe('Idempotency key; generated when omitted. Reusing it never delivers twice.'),
    from: z.string().min(1).max(64).optional().describe('Sender label shown to the receiving agent'),
  }),
  output: z.object({
    message_id: z.string(),
    target: z.string(),
    status: z.enum(['delivered', 'queued']),
    duplicate: z.boolean().describe('True when this message_id had been sent before; nothing new was delivered'),
    seq: z.number().int().nonnegative().nullable().describe('Position in the inbox once delivered'),
    inbox_workflow_id: z.string(),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

export const nextPrompt = defineContract({
  name: 'next_prompt',
  group: 'agents',
  title: 'Take the next prompt',
  description:
    "Take the oldest undelivered message from an agent's inbox, waiting up to wait_sec for one. Each message is handed out exactly once, even to callers waiting at the same time. message is null when none arrived in time.",
  input: z.object({
    agent: agentName.describe('Agent whose inbox to read'),
    wait_sec: z.number().int().min(0).max(MAX_WAIT_SEC).default(0).describe(`Seconds to wait for a message, 0-${MAX_WAIT_SEC}`),
    claim_id: idempotencyKey.optional().describe('Optional key for this read: repeating it returns the same message instead of taking another'),
  }),
  output: z.object({
    agent: z.string(),
    message: inboxMessage.nullable(),
    remaining: z.number().int().nonnegative().describe('Messages still waiting after this one'),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
});

export const agentsContracts = [promptAgent, nextPrompt] as const;

import { z } from 'zod';
import { defineContract } from './contract.js';
import { agentName, idempotencyKey, isoTimestamp, workflowRef } from './common.js';
import { getConversation, saveConversationTurn } from './agents-conversation.js';

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
/** A prompt as next_prompt hands it out and the inbox resource lists it. */
export type InboxMessage = z.output<typeof inboxMessage>;

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



const pairSymbol = z
  .string()
  .regex(/^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}(:[A-Z0-9]{1,20})?$/, 'use a ccxt unified symbol such as BTC/USDT');

const scheduleState = z.object({
  schedule_id: z.string(),
  interval_sec: z.number().positive(),
  paused: z.boolean(),
  next_run_at: isoTimestamp.nullable(),
  last_run_at: isoTimestamp.nullable(),
  recent_runs: z.number().int().nonnegative().describe('Runs the schedule started so far'),
});
/** The nudge schedule as set_nudge_schedule and get_agent_status report it. */
export type NudgeScheduleState = z.output<typeof scheduleState>;

export const selectPairs = defineContract({
  name: 'select_pairs',
  group: 'agents',
  title: 'Select trading pairs',
  description:
    "Select the pairs the ensemble agent trades: records them in the agent's workflow, starts their market streams, tells the agent through prompt_agent, and creates the nudge schedule the first time (repeated calls leave exactly one schedule).",
  input: z.object({
    symbols: z.array(pairSymbol).min(1).max(20).describe('ccxt unified symbols, e.g. ["BTC/USDT", "ETH/USDT"]'),
    exchange: z.string().regex(/^[a-z0-9]{2,32}$/, 'use a ccxt exchange id such as binance, or sim').optional().describe('Venue id; default MARKET_EXCHANGE (sim when unset)'),
    agent: agentName.default('ensemble').describe('The agent that trades these pairs'),
    request_id: idempotencyKey.optional().describe('Idempotency key; repeating it returns the recorded result'),
  }),
  output: z.object({
    agent: z.string(),
    exchange: z.string(),
    symbols: z.array(z.string()),
    stream_workflow_ids: z.array(z.string()),
    schedule_id: z.string(),
    schedule_created: z.boolean().describe('False when the schedule already existed'),
    prompt_workflow_id: z.string().describe('The prompt that told the agent'),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
});

export const setNudgeSchedule = defineContract({
  name: 'set_nudge_schedule',
  group: 'agents',
  title: 'Change the nudge schedule',
  description: "Change how often the agent is nudged, or pause and resume the nudges. The schedule exists once pairs were selected with select_pairs.",
  input: z.object({
    agent: agentName.default('ensemble'),
    interval_sec: z.number().int().min(1).max(86_400).optional().describe('Seconds between nudges'),
    paused: z.boolean().optional().describe('true pauses the nudges, false resumes them'),
  }),
  output: z.object({ agent: z.string(), schedule: scheduleState }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

export const getAgentStatus = defineContract({
  name: 'get_agent_status',
  group: 'agents',
  title: 'Agent status',
  description: "An agent's selected pairs, inbox depth, nudge schedule and last nudge.",
  input: z.object({ agent: agentName.default('ensemble') }),
  output: z.object({
    agent: z.string(),
    exchange: z.string().nullable(),
    selected_pairs: z.array(z.string()),
    selected_at: isoTimestamp.nullable(),
    inbox_depth: z.number().int().nonnegative(),
    inbox_delivered: z.number().int().nonnegative(),
    nudges: z.number().int().nonnegative(),
    last_nudge: z.object({ message_id: z.string(), workflow_id: z.string(), at: isoTimestamp }).nullable(),
    schedule: scheduleState.nullable(),
    workflow_id: z.string().describe('The agent state workflow'),
    inbox_workflow_id: z.string(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

export const agentsContracts = [
  promptAgent,
  nextPrompt,
  selectPairs,
  setNudgeSchedule,
  getAgentStatus,
  saveConversationTurn,
  getConversation,
] as const;

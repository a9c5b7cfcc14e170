import { z } from 'zod';
import { agentName, idempotencyKey, workflowRef } from './common.js';
import { defineContract } from './contract.js';
import { accountName } from './ledger.js';
import { intentId, intentLegs, riskDecisionView } from './risk.js';

/** Widest slippage protection a caller may ask for (10 %). */
export const MAX_SLIPPAGE_BPS = 1_000;

export const submitIntent = defineContract({
  name: 'submit_intent',
  group: 'execution',
  title: 'Submit a trading intent',
  description:
    'Submit an intent (1-20 legs) for execution: the risk gate decides first (the same checks as pre_trade_risk_check; a decision already recorded for this intent_id is reused), and only an approved intent is broadcast on the intent bus, where the execution service turns each leg into a paper order <intent_id>.<leg index> through the same order workflow as place_mock_order, the account\'s intent journal records it, and subscribed agents receive it, each exactly once and in order. A rejected intent is recorded with its reasons and never broadcast. With max_slippage_bps, market legs become limit orders that far beyond the checked mid that expire within seconds. The same intent_id always returns the same outcome.',
  input: z.object({
    intent_id: intentId,
    intents: intentLegs.describe('The legs of the intent, in order; leg i becomes order <intent_id>.<i>'),
    max_slippage_bps: z.number().int().min(1).max(MAX_SLIPPAGE_BPS).optional().describe('Protects market legs: worst fill this many bps beyond the mid the gate checked'),
    account: accountName.optional().describe('Account to trade in; "paper" when omitted'),
    source: z
      .object({ agent: agentName, message_id: idempotencyKey })
      .strict()
      .optional()
      .describe('The prompt this intent answers (from next_prompt): get_audit_trail follows it back to the nudge'),
  }),
  output: z.object({
    ...riskDecisionView,
    broadcast: z.boolean().describe('True when the intent is on the bus (approved)'),
    bus_seq: z.number().int().positive().nullable().describe('Position on the intent bus; null when rejected'),
    client_order_ids: z.array(z.string()).describe('The paper orders the intent becomes (get_order_status); empty when rejected'),
    risk_workflow_id: z.string().describe('The risk workflow that decided'),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
});

const subscriptionRef = {
  bus_workflow_id: z.string().describe('The intent bus workflow'),
  subscriber_workflow_id: z.string().describe('The workflow that delivers to this agent, with its cursor'),
};

export const subscribeIntents = defineContract({
  name: 'subscribe_intents',
  group: 'execution',
  title: 'Subscribe to approved intents',
  description:
    "Subscribe an agent to the intent bus: every approved intent from then on (or from the oldest the bus still holds) arrives in the agent's inbox as one message (read it with next_prompt on the agents server), exactly once and in bus order, across worker restarts. Subscribing again changes nothing.",
  input: z.object({
    agent: agentName.describe('Agent whose inbox receives the intents'),
    from: z.enum(['next', 'retained']).default('next').describe('next: intents published from now on; retained: also those the bus still holds'),
  }),
  output: z.object({
    agent: z.string(),
    subscriber: z.string().describe('agent:<agent>'),
    from_seq: z.number().int().positive().describe('The first bus seq delivered'),
    already: z.boolean().describe('True when the agent was subscribed before: nothing changed'),
    ...subscriptionRef,
    inbox_workflow_id: z.string(),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
});

export const unsubscribeIntents = defineContract({
  name: 'unsubscribe_intents',
  group: 'execution',
  title: 'Unsubscribe from approved intents',
  description: "Stop delivering approved intents to an agent's inbox. Messages already delivered stay. Unsubscribing an agent that is not subscribed changes nothing.",
  input: z.object({
    agent: agentName.describe('Agent to unsubscribe'),
  }),
  output: z.object({
    agent: z.string(),
    removed: z.boolean().describe('False when the agent was not subscribed'),
    acked_seq: z.number().int().nonnegative().nullable().describe('The last bus seq delivered to it'),
    bus_workflow_id: z.string(),
    ...workflowRef,
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
});

/** Intent tools (submit_intent and the bus subscriptions): risk-checked intents broadcast on the intent bus. */
export const executionIntentContracts = [submitIntent, subscribeIntents, unsubscribeIntents] as const;

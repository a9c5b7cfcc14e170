/**
 * Drives the intent bus through a plain Temporal client exactly as the execution server does,
 * through the same clients: a submission is the idempotent start submit_intent makes
 * (temporal/clients/intent-submission.ts), a subscription the update it sends
 * (temporal/clients/intent-bus.ts); the bus, its subscribers and the journals are read through
 * their clients too.
 */
import type { Client } from '@temporalio/client';
import { riskLegsOf } from '../../schemas/risk.js';
import type {
  BusStatus,
  IntentJournalPage,
  IntentSubmission,
  IntentSubmissionResult,
  SubscribeResult,
  SubscriberStatus,
  UnsubscribeResult,
} from '../../schemas/temporal/intents.js';
import { readBusStatus, subscribeAgent, unsubscribeAgent } from '../../temporal/clients/intent-bus.js';
import { readJournal } from '../../temporal/clients/intent-journal.js';
import { startIntentSubmission, type StartedSubmission } from '../../temporal/clients/intent-submission.js';
import { readSubscriberStatus } from '../../temporal/clients/intent-subscriber.js';

export interface LegInput {
  symbol: string;
  side: 'buy' | 'sell';
  qty?: string;
  quote_notional?: string;
  limit_price?: string;
}

export class IntentDriver {
  constructor(
    readonly client: Client,
    readonly taskQueue: string,
  ) {}

  /** Starts the submission as submit_intent does (same workflow id, same fingerprint). */
  start(account: string, intentId: string, legs: LegInput[], maxSlippageBps: number | null = null): Promise<StartedSubmission> {
    const submission: IntentSubmission = { intent_id: intentId, account, legs: riskLegsOf(intentId, legs), max_slippage_bps: maxSlippageBps };
    return startIntentSubmission(this.client, this.taskQueue, submission);
  }

  async submit(account: string, intentId: string, legs: LegInput[], maxSlippageBps: number | null = null): Promise<IntentSubmissionResult> {
    const { handle } = await this.start(account, intentId, legs, maxSlippageBps);
    return handle.result();
  }

  async subscribe(agent: string, from: 'next' | 'retained' = 'next'): Promise<SubscribeResult> {
    return (await subscribeAgent(this.client, this.taskQueue, agent, from)).result;
  }

  async unsubscribe(agent: string): Promise<UnsubscribeResult> {
    return (await unsubscribeAgent(this.client, this.taskQueue, agent)).result;
  }

  bus(): Promise<BusStatus> {
    return readBusStatus(this.client, this.taskQueue);
  }

  subscriber(name: string): Promise<SubscriberStatus> {
    return readSubscriberStatus(this.client, this.taskQueue, name);
  }

  journal(account: string, limit = 1_000): Promise<IntentJournalPage> {
    return readJournal(this.client, account, limit);
  }
}

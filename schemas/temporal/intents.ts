/**
 * The Temporal side of the intent bus. submit_intent starts one submission workflow per intent
 * (`intent:<intent_id>`): it asks the risk gate and, when approved, publishes the intent on the bus
 * (`intent-bus:<task queue>`, one per deployment), a long-lived workflow that numbers intents in
 * order. Each subscriber has a workflow of its own (`intent-subscriber:<task queue>:<name>`) holding its cursor; it reads the bus in order
 * and delivers every intent once, through an effect keyed by the intent's sequence number, so a
 * worker crash repeats a delivery's effect never. Subscribers: `execution` (paper orders through the
 * order workflow), `journal` (the account's intent journal) and `agent:<name>` (the agent's inbox).
 * Pure definitions only: this module is bundled into workflow code.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { RiskDecision, RiskLeg } from './risk.js';

export const INTENT_SUBMISSION_WORKFLOW = 'intentSubmissionWorkflow';
export const INTENT_BUS_WORKFLOW = 'intentBusWorkflow';
export const INTENT_SUBSCRIBER_WORKFLOW = 'intentSubscriberWorkflow';
export const INTENT_JOURNAL_WORKFLOW = 'intentJournalWorkflow';

/**
 * One bus per deployment: the task queue its workers poll names it, so two deployments (or two
 * test workers) sharing a Temporal namespace never share a bus or its sequence numbers.
 */
export const intentBusWorkflowId = (taskQueue: string): string => `intent-bus:${taskQueue}`;
/**
 * The task queue a bus serves, read back from the bus's own workflow id. Workflows derive their
 * subscribers' ids from this, never from workflowInfo().taskQueue: a replay runs on a queue of its
 * own, and ids must come out the same as when the history was recorded.
 */
export const busTaskQueueOf = (busWorkflowId: string): string => busWorkflowId.slice('intent-bus:'.length);
export const intentSubmissionWorkflowId = (intentId: string): string => `intent:${intentId}`;
export const intentSubscriberWorkflowId = (taskQueue: string, subscriber: string): string => `intent-subscriber:${taskQueue}:${subscriber}`;
export const intentJournalWorkflowId = (account: string): string => `intent-journal:${account}`;

/** The subscribers every bus has; agents add themselves as `agent:<name>`. */
export const SYSTEM_SUBSCRIBERS = ['execution', 'journal'] as const;
export type SystemSubscriber = (typeof SYSTEM_SUBSCRIBERS)[number];
export const agentSubscriber = (agent: string): string => `agent:${agent}`;
export const isSystemSubscriber = (name: string): name is SystemSubscriber => (SYSTEM_SUBSCRIBERS as readonly string[]).includes(name);

/** The message id an intent has in a subscribing agent's inbox: one per bus sequence number. */
export const intentInboxMessageId = (seq: number): string => `intent-bus-${seq}`;

export interface IntentSubmission {
  intent_id: string;
  account: string;
  /** With their client_order_ids (<intent_id>.<leg index>). */
  legs: RiskLeg[];
  /** Market legs become limit orders this far beyond the mid the gate saw; null: plain market orders. */
  max_slippage_bps: number | null;
  /** The prompt this intent answers, when the agent said: the audit trail follows it to the nudge. */
  source?: IntentSource | null;
}

export interface IntentSource {
  agent: string;
  message_id: string;
}

export interface IntentSubmissionResult {
  decision: RiskDecision;
  /** Position on the bus; null when rejected (a rejected intent is never broadcast). */
  bus_seq: number | null;
  /** The orders the execution subscriber places; empty when rejected. */
  client_order_ids: string[];
  source?: IntentSource | null;
}

/** An approved intent as the bus carries it. */
export interface BusIntent {
  seq: number;
  intent_id: string;
  account: string;
  legs: RiskLeg[];
  max_slippage_bps: number | null;
  risk_check_id: string;
  /** The mid each leg was checked against, by client_order_id (the base of slippage protection). */
  reference_prices: Record<string, string | null>;
  approved_at: number;
  published_at: number;
}

export type BusIntentDraft = Omit<BusIntent, 'seq' | 'published_at'>;

export interface IntentBusSettings {
  /** Intents kept on the bus for subscribers that have not read them yet. */
  retention: number;
  /** Published intent ids remembered, so a repeated publish returns its first seq. */
  dedupeWindow: number;
  /** Deliveries a subscriber keeps in its log (the full record is its history). */
  deliveryLogLimit: number;
  /** Intents a journal keeps per account (newest). */
  journalLimit: number;
  /** A protected market leg (max_slippage_bps) rests this long before it expires, like immediate-or-cancel. */
  protectedOrderTtlSec: number;
  /** Messages handled before a bus, subscriber or journal run continues as new. */
  continueAsNewAfter: number;
  historyLimit: number;
}

export interface SubscriberRecord {
  name: string;
  /** The last seq this subscriber acknowledged (0: none). */
  acked_seq: number;
  subscribed_at: number;
  /** The first seq it receives. */
  from_seq: number;
}

export interface IntentBusCarriedState {
  settings: IntentBusSettings;
  next_seq: number;
  /** Oldest first. */
  entries: BusIntent[];
  /** [intent_id, seq], oldest first, at most settings.dedupeWindow. */
  published: Array<[string, number]>;
  subscribers: Record<string, SubscriberRecord>;
  runs: number;
}

export interface IntentBusInput {
  carried?: IntentBusCarriedState;
}

export interface PublishResult {
  seq: number;
  /** This intent id had been published before: nothing new was broadcast. */
  duplicate: boolean;
}

export interface SubscribeRequest {
  subscriber: string;
  /** 'next': from the next intent published; 'retained': from the oldest intent the bus still holds. */
  from: 'next' | 'retained';
}

export interface SubscribeResult {
  subscriber: string;
  from_seq: number;
  /** Already subscribed: nothing changed. */
  already: boolean;
  subscriber_workflow_id: string;
}

export interface UnsubscribeResult {
  subscriber: string;
  /** False when it was not subscribed. */
  removed: boolean;
  acked_seq: number | null;
}

export interface BusEntriesRequest {
  subscriber: string;
  after_seq: number;
  limit: number;
}

export interface BusEntriesPage {
  entries: BusIntent[];
  /** The seq of the oldest retained intent (next_seq when none is retained). */
  oldest_seq: number;
  next_seq: number;
  /** False when the subscriber is no longer subscribed: its workflow ends. */
  subscribed: boolean;
}

export interface BusStatus {
  next_seq: number;
  retained: number;
  oldest_seq: number;
  subscribers: Array<SubscriberRecord & { lag: number }>;
  runs: number;
}

export interface AckRequest {
  subscriber: string;
  seq: number;
}

export const publishIntentUpdate = defineUpdate<PublishResult, [BusIntentDraft]>('publishIntent');
export const subscribeIntentsUpdate = defineUpdate<SubscribeResult, [SubscribeRequest]>('subscribeIntents');
export const unsubscribeIntentsUpdate = defineUpdate<UnsubscribeResult, [{ subscriber: string }]>('unsubscribeIntents');
export const ackIntentsSignal = defineSignal<[AckRequest]>('ackIntents');
export const busEntriesQuery = defineQuery<BusEntriesPage, [BusEntriesRequest]>('busEntries');
export const busStatusQuery = defineQuery<BusStatus>('busStatus');

/** What one delivery did, as the subscriber records it. */
export interface DeliveryOutcome {
  seq: number;
  intent_id: string;
  /** delivered: the effect happened (now or on an earlier attempt); failed: it cannot happen (why in detail). */
  status: 'delivered' | 'failed';
  detail: string;
  delivered_at: number;
}

export interface SubscriberInput {
  subscriber: string;
  /** The bus this subscriber acknowledges to (recorded, so a replay signals the same workflow). */
  bus_workflow_id?: string;
  settings: IntentBusSettings;
  /** The first seq to deliver (the subscription's start). */
  from_seq: number;
  carried?: SubscriberCarriedState;
}

export interface SubscriberCarriedState {
  /** The last seq delivered. */
  cursor: number;
  delivered: number;
  /** Intents the bus had trimmed before this (lagging, non-system) subscriber read them. */
  missed: number;
  /** Oldest first, at most settings.deliveryLogLimit. */
  log: DeliveryOutcome[];
  runs: number;
}

export interface SubscriberStatus {
  subscriber: string;
  cursor: number;
  delivered: number;
  missed: number;
  log: DeliveryOutcome[];
  runs: number;
}

/** The bus has intents past a cursor: wake up and read. */
export const intentsAvailableSignal = defineSignal<[number]>('intentsAvailable');
/** The subscription ended: finish after the delivery in progress. */
export const stopSubscriberSignal = defineSignal('stopSubscriber');
export const subscriberStatusQuery = defineQuery<SubscriberStatus>('subscriberStatus');

/** A bus intent as the account's journal keeps it: without the prices the bus carried for slippage. */
export type JournalIntent = Omit<BusIntent, 'reference_prices' | 'published_at'> & { journaled_at: number };

export interface IntentJournalInput {
  account: string;
  settings: IntentBusSettings;
  carried?: { entries: JournalIntent[]; last_seq: number; count: number; runs: number };
}

export interface AppendJournalResult {
  appended: boolean;
  count: number;
}

export interface IntentJournalPage {
  account: string;
  entries: JournalIntent[];
  /** Intents ever journaled in this account. */
  count: number;
  last_seq: number;
}

export const appendIntentJournalUpdate = defineUpdate<AppendJournalResult, [Omit<JournalIntent, 'journaled_at'>]>('appendIntentJournal');
export const intentJournalQuery = defineQuery<IntentJournalPage, [{ limit: number }]>('intentJournal');

/** Error types of the bus. */
export const BUS_BACKLOGGED = 'BusBacklogged';
export const INVALID_SUBSCRIBER = 'InvalidSubscriber';

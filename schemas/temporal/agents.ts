/**
 * The Temporal side of the agents contract: workflow types, workflow ids, and the messages the
 * inbox workflow accepts. Shared by the MCP servers (clients) and the worker (implementation).
 * Pure definitions only: this module is bundled into workflow code.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

export const AGENT_INBOX_WORKFLOW = 'agentInboxWorkflow';
export const PROMPT_DELIVERY_WORKFLOW = 'promptDeliveryWorkflow';

export const inboxWorkflowId = (agent: string): string => `agent-inbox:${agent}`;
export const promptDeliveryWorkflowId = (target: string, messageId: string): string => `prompt:${target}:${messageId}`;

export interface InboxLimits {
  /** Undelivered messages an inbox holds before it refuses more (backpressure, never silent loss). */
  maxMessages: number;
  /** Message ids remembered for de-duplication, carried across continue-as-new. */
  dedupeWindow: number;
  /** Messages handled (enqueued or taken) before the run continues as new. */
  continueAsNewAfter: number;
}

export interface InboxMessage {
  message_id: string;
  seq: number;
  from: string | null;
  text: string;
  enqueued_at: string;
  prompt_workflow_id: string;
}

/** Input of a fresh inbox (an empty object) or the state carried across continue-as-new. */
export interface InboxInput {
  agent: string;
  carried?: InboxCarriedState;
}

export interface InboxCarriedState {
  limits: InboxLimits;
  queue: InboxMessage[];
  /** Recently enqueued ids (bounded by dedupeWindow), oldest first. */
  recent: Array<{ message_id: string; seq: number }>;
  nextSeq: number;
  delivered: number;
}

export interface EnqueueRequest {
  message_id: string;
  from: string | null;
  text: string;
  prompt_workflow_id: string;
}

export interface EnqueueResult {
  seq: number;
  duplicate: boolean;
}

export interface ClaimRequest {
  wait_ms: number;
}

export interface ClaimResult {
  message: InboxMessage | null;
  remaining: number;
  /** The run is handing over to its continuation: ask again (same inbox id) for the rest of the wait. */
  rolled_over: boolean;
  /** The run that answered, so the caller needs no describe round trip to name it. */
  run_id: string;
}

export interface InboxStatus {
  agent: string;
  depth: number;
  next_seq: number;
  delivered: number;
  oldest_enqueued_at: string | null;
  /** Undelivered messages per sender label, so a scheduler can avoid piling up prompts. */
  pending_by_sender: Record<string, number>;
}

export const enqueueMessageUpdate = defineUpdate<EnqueueResult, [EnqueueRequest]>('enqueueMessage');
export const claimNextMessageUpdate = defineUpdate<ClaimResult, [ClaimRequest]>('claimNextMessage');
export const inboxStatusQuery = defineQuery<InboxStatus>('inboxStatus');
/** The oldest undelivered messages, without taking them. */
export const inboxPeekQuery = defineQuery<InboxMessage[], [number]>('inboxPeek');

export interface PromptDeliveryRequest {
  target: string;
  message_id: string;
  from: string | null;
  text: string;
  /** SHA-256 of the text, so reusing a message_id for different text is caught. */
  text_digest: string;
}

export interface PromptDeliveryResult {
  message_id: string;
  target: string;
  seq: number;
  duplicate: boolean;
  text_digest: string;
  inbox_workflow_id: string;
  delivered_at: string;
}

/** Error types raised by the agents workflows; the server kit maps them to isError text. */
export const INBOX_FULL = 'InboxFull';

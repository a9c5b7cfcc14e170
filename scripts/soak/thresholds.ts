/**
 * The long-lived workflow types of the worker (each continues as new on its own threshold) and
 * the worker environment that shrinks every threshold to the fewest events it allows, so a few
 * minutes of traffic make each of them hand over many times.
 */

/** Every workflow type that runs for as long as the stack does and continues as new to stay small. */
export const LONG_LIVED_WORKFLOW_TYPES = [
  'marketStreamWorkflow',
  'tickStoreWorkflow',
  'agentInboxWorkflow',
  'agentStateWorkflow',
  'conversationWorkflow',
  'executionLedgerWorkflow',
  'riskWorkflow',
  'intentBusWorkflow',
  'intentSubscriberWorkflow',
  'intentJournalWorkflow',
  'nonceAllocatorWorkflow',
] as const;

export type LongLivedWorkflowType = (typeof LONG_LIVED_WORKFLOW_TYPES)[number];

/**
 * One variable per long-lived type (the bus's subscribers and journal follow the bus's). A stream
 * cycles once a second, so it hands over every two seconds; a tick store every three batches.
 */
export const TINY_THRESHOLDS: Record<string, string> = {
  STREAM_CONTINUE_EVERY: '2',
  TICK_STORE_CONTINUE_EVERY: '3',
  INBOX_CONTINUE_AS_NEW_AFTER: '2',
  CONVERSATION_CONTINUE_AS_NEW_AFTER: '1',
  AGENT_STATE_CONTINUE_AS_NEW_AFTER: '1',
  LEDGER_CONTINUE_AS_NEW_AFTER: '1',
  RISK_CONTINUE_AS_NEW_AFTER: '1',
  INTENT_BUS_CONTINUE_AS_NEW_AFTER: '1',
  EVM_NONCE_CONTINUE_AS_NEW_AFTER: '1',
};

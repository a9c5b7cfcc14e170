/**
 * Owns the client side of an account's intent journal (one long-lived workflow per account,
 * created by its first entry): the journal subscriber's append, idempotent by bus seq, and the
 * journal's read.
 */
import type { Client } from '@temporalio/client';
import {
  INTENT_JOURNAL_WORKFLOW,
  appendIntentJournalUpdate,
  intentJournalQuery,
  intentJournalWorkflowId,
  type AppendJournalResult,
  type BusIntent,
  type IntentBusSettings,
  type IntentJournalPage,
} from '../../schemas/temporal/intents.js';
import type { intentJournalWorkflow } from '../../worker/workflows/execution/intents/intent-journal.js';

export async function appendToJournal(client: Client, taskQueue: string, intent: BusIntent, settings: IntentBusSettings): Promise<AppendJournalResult> {
  const { WithStartWorkflowOperation } = await import('../client-sdk.js');
  return client.workflow.executeUpdateWithStart(appendIntentJournalUpdate, {
    args: [
      {
        seq: intent.seq,
        intent_id: intent.intent_id,
        account: intent.account,
        legs: intent.legs,
        max_slippage_bps: intent.max_slippage_bps,
        risk_check_id: intent.risk_check_id,
        approved_at: intent.approved_at,
      },
    ],
    updateId: `journal:${intent.seq}`,
    startWorkflowOperation: new WithStartWorkflowOperation<typeof intentJournalWorkflow>(INTENT_JOURNAL_WORKFLOW, {
      workflowId: intentJournalWorkflowId(intent.account),
      taskQueue,
      args: [{ account: intent.account, settings }],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
}

export function readJournal(client: Client, account: string, limit: number): Promise<IntentJournalPage> {
  return client.workflow.getHandle<typeof intentJournalWorkflow>(intentJournalWorkflowId(account)).query(intentJournalQuery, { limit });
}

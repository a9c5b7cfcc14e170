/** The journal subscriber's delivery: the intent appended to its account's intent journal, idempotent by bus seq. */
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import {
  INTENT_JOURNAL_WORKFLOW,
  appendIntentJournalUpdate,
  intentJournalWorkflowId,
  type BusIntent,
  type DeliveryOutcome,
  type IntentBusSettings,
  type IntentJournalInput,
} from '../../../../schemas/temporal/intents.js';

export async function deliverToJournal(client: Client, taskQueue: string, intent: BusIntent, settings: IntentBusSettings): Promise<DeliveryOutcome> {
  const input: IntentJournalInput = { account: intent.account, settings };
  const result = await client.workflow.executeUpdateWithStart(appendIntentJournalUpdate, {
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
    startWorkflowOperation: new WithStartWorkflowOperation(INTENT_JOURNAL_WORKFLOW, {
      workflowId: intentJournalWorkflowId(intent.account),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
    }),
  });
  return {
    seq: intent.seq,
    intent_id: intent.intent_id,
    status: 'delivered',
    detail: `${result.appended ? 'journaled' : 'already journaled'} in ${intentJournalWorkflowId(intent.account)} (${result.count} intents)`,
    delivered_at: Date.now(),
  };
}

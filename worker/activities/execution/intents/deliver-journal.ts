/** The journal subscriber's delivery: the intent appended to its account's intent journal, idempotent by bus seq. */
import type { Client } from '@temporalio/client';
import { intentJournalWorkflowId, type BusIntent, type DeliveryOutcome, type IntentBusSettings } from '../../../../schemas/temporal/intents.js';
import { appendToJournal } from '../../../../temporal/clients/intent-journal.js';

export async function deliverToJournal(client: Client, taskQueue: string, intent: BusIntent, settings: IntentBusSettings): Promise<DeliveryOutcome> {
  const result = await appendToJournal(client, taskQueue, intent, settings);
  return {
    seq: intent.seq,
    intent_id: intent.intent_id,
    status: 'delivered',
    detail: `${result.appended ? 'journaled' : 'already journaled'} in ${intentJournalWorkflowId(intent.account)} (${result.count} intents)`,
    delivered_at: Date.now(),
  };
}

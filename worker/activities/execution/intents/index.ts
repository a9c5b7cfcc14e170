/**
 * Intent bus activities: publishing, a subscriber's reads, and the three kinds of delivery. Every
 * delivery's effect is keyed by the intent (its orders' ids, its bus seq), so a delivery repeated
 * after a crash changes nothing.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { INVALID_SUBSCRIBER, type BusEntriesPage, type BusEntriesRequest, type BusIntent, type BusIntentDraft, type DeliveryOutcome, type IntentBusSettings, type PublishResult } from '../../../../schemas/temporal/intents.js';
import type { WorkerConfig } from '../../../config/worker-config.js';
import { publishOnBus, readBusPage } from '../../../../temporal/clients/intent-bus.js';
import { deliverToAgent } from './deliver-agent.js';
import { deliverToJournal } from './deliver-journal.js';
import { deliverToExecution } from './deliver-orders.js';

export function createIntentActivities(config: WorkerConfig) {
  return {
    async loadIntentBusSettings(): Promise<IntentBusSettings> {
      return config.intents;
    },

    async publishIntent(draft: BusIntentDraft): Promise<PublishResult> {
      const { client, info } = Context.current();
      return publishOnBus(client, info.taskQueue, draft);
    },

    async readBusEntries(req: BusEntriesRequest): Promise<BusEntriesPage> {
      const { client, info } = Context.current();
      return readBusPage(client, info.taskQueue, req);
    },

    async deliverIntent(req: { subscriber: string; intent: BusIntent }): Promise<DeliveryOutcome> {
      const { client, info } = Context.current();
      if (req.subscriber === 'execution') return deliverToExecution(client, info.taskQueue, req.intent, config.intents.protectedOrderTtlSec);
      if (req.subscriber === 'journal') return deliverToJournal(client, info.taskQueue, req.intent, config.intents);
      if (req.subscriber.startsWith('agent:')) return deliverToAgent(client, info.taskQueue, req.subscriber.slice('agent:'.length), req.intent, config.inboxLimits);
      throw ApplicationFailure.create({ type: INVALID_SUBSCRIBER, nonRetryable: true, message: `no delivery for subscriber ${req.subscriber}` });
    },
  };
}

export type IntentActivities = ReturnType<typeof createIntentActivities>;

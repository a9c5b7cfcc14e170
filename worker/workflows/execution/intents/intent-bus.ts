/**
 * The intent bus (`intent-bus:<task queue>`): one long-lived workflow that numbers approved intents in the
 * order they are published and holds them until every subscriber has read them. Each subscriber
 * is a child workflow of its own (abandoned on close, so it outlives the bus's runs) that pulls in
 * order from its cursor; the bus only wakes them. Publishing is idempotent by intent id.
 */
import {
  ApplicationFailure,
  ParentClosePolicy,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyLocalActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  BUS_BACKLOGGED,
  INVALID_SUBSCRIBER,
  INTENT_SUBSCRIBER_WORKFLOW,
  busTaskQueueOf,
  ackIntentsSignal,
  busEntriesQuery,
  busStatusQuery,
  intentSubscriberWorkflowId,
  intentsAvailableSignal,
  publishIntentUpdate,
  stopSubscriberSignal,
  subscribeIntentsUpdate,
  unsubscribeIntentsUpdate,
  type IntentBusCarriedState,
  type IntentBusInput,
  type SubscriberInput,
} from '../../../../schemas/temporal/intents.js';
import type { IntentActivities } from '../../../activities/execution/intents/index.js';
import { BusBackloggedError, acknowledge, busStatus, emptyBus, ensureSystemSubscribers, entriesAfter, publish, subscribe, unsubscribe } from '../../../../domain/intents/bus-state.js';

const { loadIntentBusSettings } = proxyLocalActivities<IntentActivities>({ startToCloseTimeout: '10 seconds' });

/** From this change on, a run sends every wake-up it started before it hands over. */
const DRAINS_WAKES = 'intent-bus-drains-wakes-before-handover';

const AGENT_SUBSCRIBER = /^agent:[a-z0-9][a-z0-9_-]{0,63}$/;

function validateAgentSubscriber(subscriber: unknown): void {
  if (typeof subscriber !== 'string' || !AGENT_SUBSCRIBER.test(subscriber)) {
    throw ApplicationFailure.create({
      type: INVALID_SUBSCRIBER,
      nonRetryable: true,
      message: 'a subscriber is named agent:<agent name> (lowercase letters, digits, "-" or "_"); execution and journal are built in',
    });
  }
}

export async function intentBusWorkflow(input: IntentBusInput): Promise<void> {
  let state: IntentBusCarriedState | undefined = input.carried;
  let handled = 0;
  const busWorkflowId = workflowInfo().workflowId;
  const subscriberId = (name: string) => intentSubscriberWorkflowId(busTaskQueueOf(busWorkflowId), name);
  // Wake-ups not yet sent. A run that continued as new with one outstanding would drop it, and its
  // subscriber would wait for its safety poll: the run sends them all before it hands over.
  const wakesInFlight = new Set<Promise<void>>();

  /** Wakes every subscriber; one that is not running (yet) reads from its cursor when it starts. */
  function wakeSubscribers(bus: IntentBusCarriedState, seq: number): void {
    for (const name of Object.keys(bus.subscribers)) {
      const wake: Promise<void> = getExternalWorkflowHandle(subscriberId(name))
        .signal(intentsAvailableSignal, seq)
        // A subscriber not running (yet) reads from its cursor when it starts.
        .catch(() => undefined)
        .finally(() => wakesInFlight.delete(wake));
      wakesInFlight.add(wake);
    }
  }

  async function startSubscriber(bus: IntentBusCarriedState, name: string): Promise<void> {
    const record = bus.subscribers[name];
    if (!record) return;
    const subscriberInput: SubscriberInput = { subscriber: name, bus_workflow_id: busWorkflowId, settings: bus.settings, from_seq: record.from_seq };
    try {
      await startChild(INTENT_SUBSCRIBER_WORKFLOW, {
        workflowId: subscriberId(name),
        args: [subscriberInput],
        // A subscriber outlives the bus run that started it: its cursor must survive the hand-over.
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      // Already running (started by an earlier run): it keeps its cursor.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  setHandler(
    publishIntentUpdate,
    async (draft) => {
      await condition(() => state !== undefined);
      const bus = state as IntentBusCarriedState;
      try {
        const result = publish(bus, draft, Date.now());
        if (!result.duplicate) {
          handled += 1;
          wakeSubscribers(bus, result.seq);
        }
        return result;
      } catch (err) {
        if (err instanceof BusBackloggedError) throw ApplicationFailure.create({ type: BUS_BACKLOGGED, message: err.message, nonRetryable: false });
        throw err;
      }
    },
    {
      validator: (draft) => {
        if (!draft?.intent_id || !Array.isArray(draft.legs) || draft.legs.length === 0) {
          throw ApplicationFailure.create({ type: 'InvalidIntent', nonRetryable: true, message: 'an intent needs an intent_id and at least one leg' });
        }
      },
    },
  );

  setHandler(
    subscribeIntentsUpdate,
    async (req) => {
      await condition(() => state !== undefined);
      const bus = state as IntentBusCarriedState;
      const { record, already } = subscribe(bus, req, Date.now());
      if (!already) {
        handled += 1;
        await startSubscriber(bus, req.subscriber);
      }
      return { subscriber: record.name, from_seq: record.from_seq, already, subscriber_workflow_id: subscriberId(record.name) };
    },
    {
      validator: (req) => {
        validateAgentSubscriber(req?.subscriber);
        if (req.from !== 'next' && req.from !== 'retained') {
          throw ApplicationFailure.create({ type: INVALID_SUBSCRIBER, nonRetryable: true, message: 'from must be "next" or "retained"' });
        }
      },
    },
  );

  setHandler(
    unsubscribeIntentsUpdate,
    async ({ subscriber }) => {
      await condition(() => state !== undefined);
      const result = unsubscribe(state as IntentBusCarriedState, subscriber);
      if (result.removed) {
        handled += 1;
        await getExternalWorkflowHandle(subscriberId(subscriber))
          .signal(stopSubscriberSignal)
          .catch(() => undefined);
      }
      return result;
    },
    { validator: (req) => validateAgentSubscriber(req?.subscriber) },
  );

  setHandler(ackIntentsSignal, ({ subscriber, seq }) => {
    if (state) acknowledge(state, subscriber, seq);
  });
  setHandler(busEntriesQuery, ({ subscriber, after_seq, limit }) =>
    // Before the first run has loaded, nothing is published yet: an empty page, still subscribed.
    state ? entriesAfter(state, subscriber, after_seq, limit) : { entries: [], oldest_seq: 1, next_seq: 1, subscribed: true },
  );
  setHandler(busStatusQuery, () => (state ? busStatus(state) : { next_seq: 1, retained: 0, oldest_seq: 1, subscribers: [], runs: 0 }));

  if (!state) state = emptyBus(await loadIntentBusSettings());
  const bus = state;
  ensureSystemSubscribers(bus, Date.now());
  for (const name of Object.keys(bus.subscribers)) await startSubscriber(bus, name);

  await condition(
    () =>
      handled >= bus.settings.continueAsNewAfter ||
      workflowInfo().historyLength >= bus.settings.historyLimit ||
      workflowInfo().continueAsNewSuggested,
  );
  await condition(allHandlersFinished);
  if (patched(DRAINS_WAKES)) {
    // A publish accepted while the last wake-ups were sent is one more handler: wait for both.
    while (wakesInFlight.size > 0) {
      await Promise.all([...wakesInFlight]);
      await condition(allHandlersFinished);
    }
  }
  await continueAsNew<typeof intentBusWorkflow>({ carried: { ...bus, runs: bus.runs + 1 } });
}

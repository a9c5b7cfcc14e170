/**
 * One subscriber of the intent bus (`intent-subscriber:<task queue>:<name>`): reads the bus in order from its
 * cursor and delivers each intent exactly once. The cursor lives in this workflow's state and moves
 * only after a delivery's activity has completed; each delivery's effect is keyed by the intent's
 * seq (order ids, journal seq, inbox message id), so an activity repeated after a worker crash
 * repeats nothing. Woken by the bus on every publish, and every minute regardless.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  ackIntentsSignal,
  intentBusWorkflowId,
  intentsAvailableSignal,
  stopSubscriberSignal,
  subscriberStatusQuery,
  type SubscriberInput,
} from '../../../../schemas/temporal/intents.js';
import type { IntentActivities } from '../../../activities/execution/intents/index.js';
import { freshSubscriber, recordDelivery, skipTrimmed } from '../../../../domain/intents/subscriber-state.js';

// A read is a query to the bus, which may be unanswerable for a while (its worker draining or
// gone, or the bus in the middle of a hand-over: a query that reaches a run as it continues as new
// is dropped, and its caller waits out its timeout). Runs of this workflow before
// READS_BY_ACTIVITY read through a local activity, which held this workflow's task open for as long
// as a read hung; from then on a read is an ordinary activity with a short timeout, so a dropped
// query costs a quick retry and this workflow's task completes at once. Either gives up after a
// few tries and the loop waits on a timer instead.
const READS_BY_ACTIVITY = 'intent-subscriber-reads-by-activity';
const { readBusEntries: readBusEntriesLocally } = proxyLocalActivities<IntentActivities>({
  startToCloseTimeout: '5 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds', maximumAttempts: 3 },
});
const { readBusEntries } = proxyActivities<IntentActivities>({
  startToCloseTimeout: '3 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds', maximumAttempts: 6 },
});
const { deliverIntent } = proxyActivities<IntentActivities>({
  startToCloseTimeout: '30 seconds',
  // An intent must reach its subscriber: retry until it does (the effect is idempotent by seq).
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/** Intents read from the bus per activity. */
const PAGE = 50;
/** A missed wake-up costs at most this much delay. */
const SAFETY_POLL_MS = 60_000;
/** After a failed read, the wait before reading again. */
const READ_RETRY_MS = 5_000;

export async function intentSubscriberWorkflow(input: SubscriberInput): Promise<void> {
  const state = input.carried ?? freshSubscriber(input.from_seq);
  const settings = input.settings;
  let known = state.cursor;
  let stopping = false;
  let handled = 0;

  setHandler(intentsAvailableSignal, (seq) => {
    known = Math.max(known, seq);
  });
  setHandler(stopSubscriberSignal, () => {
    stopping = true;
  });
  setHandler(subscriberStatusQuery, () => ({
    subscriber: input.subscriber,
    cursor: state.cursor,
    delivered: state.delivered,
    missed: state.missed,
    log: state.log,
    runs: state.runs,
  }));

  const rollOver = () =>
    handled >= settings.continueAsNewAfter || workflowInfo().historyLength >= settings.historyLimit || workflowInfo().continueAsNewSuggested;

  while (!stopping && !rollOver()) {
    let page;
    try {
      const read = patched(READS_BY_ACTIVITY) ? readBusEntries : readBusEntriesLocally;
      page = await read({ subscriber: input.subscriber, after_seq: state.cursor, limit: PAGE });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await condition(() => stopping || rollOver(), READ_RETRY_MS);
      continue;
    }
    if (!page.subscribed) return;
    skipTrimmed(state, page);
    for (const entry of page.entries) {
      let outcome;
      try {
        outcome = await deliverIntent({ subscriber: input.subscriber, intent: entry });
      } catch (err) {
        // Only a defect gets here (deliveries retry until they land); record it rather than wedge the stream.
        const cause = err instanceof ActivityFailure ? err.cause : err;
        outcome = { seq: entry.seq, intent_id: entry.intent_id, status: 'failed' as const, detail: cause instanceof Error ? cause.message : String(cause), delivered_at: Date.now() };
      }
      recordDelivery(state, outcome, settings.deliveryLogLimit);
      handled += 1;
    }
    if (page.entries.length) {
      await getExternalWorkflowHandle(input.bus_workflow_id ?? intentBusWorkflowId(workflowInfo().taskQueue))
        .signal(ackIntentsSignal, { subscriber: input.subscriber, seq: state.cursor })
        .catch(() => undefined);
    }
    // Caught up with what the bus had: wait to be woken. Otherwise read the next page at once.
    if (state.cursor >= page.next_seq - 1) {
      await condition(() => known > state.cursor || stopping || rollOver(), SAFETY_POLL_MS);
    }
  }
  if (stopping) return;
  await condition(allHandlersFinished);
  await continueAsNew<typeof intentSubscriberWorkflow>({ ...input, carried: { ...state, runs: state.runs + 1 } });
}

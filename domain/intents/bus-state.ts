/**
 * The intent bus's pure state: intents numbered in publication order, subscribers with the last
 * seq each acknowledged, and a retained window trimmed once every subscriber has read past it.
 * The system subscribers (execution, journal) are never trimmed past: when they lag a full window
 * behind, publishing waits (backpressure) rather than lose an intent. An agent that lags that far
 * loses the oldest intents instead, and is told how many it missed.
 */
import {
  SYSTEM_SUBSCRIBERS,
  isSystemSubscriber,
  type BusEntriesPage,
  type BusIntent,
  type BusIntentDraft,
  type BusStatus,
  type IntentBusCarriedState,
  type IntentBusSettings,
  type PublishResult,
  type SubscribeRequest,
  type SubscriberRecord,
  type UnsubscribeResult,
} from '../../schemas/temporal/intents.js';

export class BusBackloggedError extends Error {}

export function emptyBus(settings: IntentBusSettings): IntentBusCarriedState {
  return { settings, next_seq: 1, entries: [], published: [], subscribers: {}, runs: 1 };
}

const oldestSeq = (state: IntentBusCarriedState): number => state.entries[0]?.seq ?? state.next_seq;

/** The last seq a subscriber no longer needs: what it acknowledged, or everything before its start. */
const doneThrough = (s: SubscriberRecord): number => Math.max(s.acked_seq, s.from_seq - 1);

/** Adds the system subscribers a bus must always have, from the next intent on. */
export function ensureSystemSubscribers(state: IntentBusCarriedState, nowMs: number): void {
  for (const name of SYSTEM_SUBSCRIBERS) {
    state.subscribers[name] ??= { name, acked_seq: state.next_seq - 1, subscribed_at: nowMs, from_seq: state.next_seq };
  }
}

/** Drops intents every subscriber has read. */
export function trim(state: IntentBusCarriedState): void {
  const subscribers = Object.values(state.subscribers);
  const through = subscribers.length ? Math.min(...subscribers.map(doneThrough)) : state.next_seq - 1;
  const keepFrom = state.entries.findIndex((e) => e.seq > through);
  state.entries = keepFrom < 0 ? [] : state.entries.slice(keepFrom);
}

export function publish(state: IntentBusCarriedState, draft: BusIntentDraft, nowMs: number): PublishResult {
  const earlier = state.published.find(([id]) => id === draft.intent_id);
  if (earlier) return { seq: earlier[1], duplicate: true };
  trim(state);
  if (state.entries.length >= state.settings.retention) {
    const oldest = (state.entries[0] as BusIntent).seq;
    const laggingSystem = SYSTEM_SUBSCRIBERS.filter((n) => {
      const s = state.subscribers[n];
      return s !== undefined && doneThrough(s) < oldest;
    });
    if (laggingSystem.length) {
      throw new BusBackloggedError(
        `the bus holds ${state.entries.length} intents that ${laggingSystem.join(' and ')} has not delivered yet (retention ${state.settings.retention}); publishing resumes as they catch up`,
      );
    }
    // Only agents lag this far: they lose the oldest intent (and are told how many they missed).
    state.entries.shift();
  }
  const seq = state.next_seq;
  state.next_seq += 1;
  state.entries.push({ ...draft, seq, published_at: nowMs });
  state.published.push([draft.intent_id, seq]);
  const excess = state.published.length - state.settings.dedupeWindow;
  if (excess > 0) state.published.splice(0, excess);
  return { seq, duplicate: false };
}

export function subscribe(state: IntentBusCarriedState, req: SubscribeRequest, nowMs: number): { record: SubscriberRecord; already: boolean } {
  const existing = state.subscribers[req.subscriber];
  if (existing) return { record: existing, already: true };
  const fromSeq = req.from === 'retained' ? oldestSeq(state) : state.next_seq;
  const record: SubscriberRecord = { name: req.subscriber, acked_seq: fromSeq - 1, subscribed_at: nowMs, from_seq: fromSeq };
  state.subscribers[req.subscriber] = record;
  return { record, already: false };
}

export function unsubscribe(state: IntentBusCarriedState, subscriber: string): UnsubscribeResult {
  if (isSystemSubscriber(subscriber)) throw new Error(`${subscriber} is a system subscriber and cannot be removed`);
  const existing = state.subscribers[subscriber];
  if (!existing) return { subscriber, removed: false, acked_seq: null };
  delete state.subscribers[subscriber];
  trim(state);
  return { subscriber, removed: true, acked_seq: existing.acked_seq };
}

export function acknowledge(state: IntentBusCarriedState, subscriber: string, seq: number): void {
  const record = state.subscribers[subscriber];
  if (!record || !Number.isInteger(seq)) return;
  record.acked_seq = Math.max(record.acked_seq, Math.min(seq, state.next_seq - 1));
  trim(state);
}

export function entriesAfter(state: IntentBusCarriedState, subscriber: string, afterSeq: number, limit: number): BusEntriesPage {
  return {
    entries: state.entries.filter((e) => e.seq > afterSeq).slice(0, Math.max(1, limit)),
    oldest_seq: oldestSeq(state),
    next_seq: state.next_seq,
    subscribed: subscriber in state.subscribers,
  };
}

export function busStatus(state: IntentBusCarriedState): BusStatus {
  return {
    next_seq: state.next_seq,
    retained: state.entries.length,
    oldest_seq: oldestSeq(state),
    subscribers: Object.values(state.subscribers).map((s) => ({ ...s, lag: state.next_seq - 1 - doneThrough(s) })),
    runs: state.runs,
  };
}

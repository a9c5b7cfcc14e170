/**
 * The intent bus's pure state and the mapping of a broadcast leg to a paper order: numbering,
 * idempotent publishing, subscriptions from now or from what is retained, trimming once everyone
 * has read, backpressure for the system subscribers and counted losses for lagging agents.
 */
import { describe, expect, it } from 'vitest';
import type { BusIntent, BusIntentDraft, IntentBusSettings } from '../../../../schemas/temporal/intents.js';
import { intentBusSettingsFromEnv } from '../../../../worker/config/intents-config.js';
import { orderRequestFor } from '../../../../worker/activities/execution/intents/deliver-orders.js';
import { BusBackloggedError, acknowledge, busStatus, emptyBus, ensureSystemSubscribers, entriesAfter, publish, subscribe, unsubscribe } from '../../../../domain/intents/bus-state.js';
import { freshSubscriber, recordDelivery, skipTrimmed } from '../../../../domain/intents/subscriber-state.js';

const settings: IntentBusSettings = { ...intentBusSettingsFromEnv({}), retention: 3 };

const draft = (id: string): BusIntentDraft => ({
  intent_id: id,
  account: 'paper',
  legs: [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.01', quote_notional: null, limit_price: null, client_order_id: `${id}.0` }],
  max_slippage_bps: null,
  risk_check_id: `rc:paper:${id}`,
  reference_prices: { [`${id}.0`]: '65000' },
  approved_at: 1,
});

function bus() {
  const state = emptyBus(settings);
  ensureSystemSubscribers(state, 0);
  return state;
}

describe('publishing', () => {
  it('numbers intents from 1 in order and answers a repeated intent id with its first seq', () => {
    const state = bus();
    expect(publish(state, draft('a'), 10)).toEqual({ seq: 1, duplicate: false });
    expect(publish(state, draft('b'), 11)).toEqual({ seq: 2, duplicate: false });
    expect(publish(state, draft('a'), 12)).toEqual({ seq: 1, duplicate: true });
    expect(state.entries.map((e) => [e.seq, e.intent_id, e.published_at])).toEqual([
      [1, 'a', 10],
      [2, 'b', 11],
    ]);
  });

  it('holds back when a system subscriber lags a full window, and resumes once it catches up', () => {
    const state = bus();
    for (const id of ['a', 'b', 'c']) publish(state, draft(id), 0);
    acknowledge(state, 'journal', 3);
    expect(() => publish(state, draft('d'), 0)).toThrow(BusBackloggedError);
    expect(() => publish(state, draft('d'), 0)).toThrow(/execution has not delivered yet/);
    acknowledge(state, 'execution', 1);
    expect(publish(state, draft('d'), 0)).toEqual({ seq: 4, duplicate: false });
    expect(state.entries.map((e) => e.seq)).toEqual([2, 3, 4]);
  });

  it('drops the oldest intent past the window when only an agent lags, and the agent learns how many it missed', () => {
    const state = bus();
    subscribe(state, { subscriber: 'agent:slow', from: 'next' }, 0);
    for (const id of ['a', 'b', 'c', 'd']) {
      publish(state, draft(id), 0);
      acknowledge(state, 'execution', state.next_seq - 1);
      acknowledge(state, 'journal', state.next_seq - 1);
    }
    expect(state.entries.map((e) => e.seq)).toEqual([2, 3, 4]);
    const page = entriesAfter(state, 'agent:slow', 0, 10);
    expect(page).toMatchObject({ oldest_seq: 2, next_seq: 5, subscribed: true });
    const cursor = freshSubscriber(1);
    expect(skipTrimmed(cursor, page)).toBe(1);
    expect(cursor).toMatchObject({ cursor: 1, missed: 1 });
  });
});

describe('subscriptions', () => {
  it('start from the next intent or from the oldest retained one, once', () => {
    const state = bus();
    publish(state, draft('a'), 0);
    publish(state, draft('b'), 0);
    expect(subscribe(state, { subscriber: 'agent:new', from: 'next' }, 5).record).toMatchObject({ from_seq: 3, acked_seq: 2 });
    expect(subscribe(state, { subscriber: 'agent:history', from: 'retained' }, 5).record).toMatchObject({ from_seq: 1, acked_seq: 0 });
    expect(subscribe(state, { subscriber: 'agent:new', from: 'retained' }, 6)).toMatchObject({ already: true, record: { from_seq: 3 } });
    expect(entriesAfter(state, 'agent:history', 0, 10).entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(entriesAfter(state, 'agent:gone', 0, 10).subscribed).toBe(false);
  });

  it('trim what every subscriber has read, and report each one\'s lag', () => {
    const state = bus();
    subscribe(state, { subscriber: 'agent:x', from: 'next' }, 0);
    for (const id of ['a', 'b']) publish(state, draft(id), 0);
    acknowledge(state, 'execution', 2);
    acknowledge(state, 'journal', 2);
    expect(state.entries).toHaveLength(2);
    acknowledge(state, 'agent:x', 1);
    expect(state.entries.map((e) => e.seq)).toEqual([2]);
    expect(busStatus(state).subscribers.map((s) => [s.name, s.lag])).toEqual([
      ['execution', 0],
      ['journal', 0],
      ['agent:x', 1],
    ]);
    // An acknowledgement past what was published is capped, a stale one ignored.
    acknowledge(state, 'agent:x', 99);
    acknowledge(state, 'agent:x', 0);
    expect(state.subscribers['agent:x']?.acked_seq).toBe(2);
  });

  it('remove an agent but never a system subscriber', () => {
    const state = bus();
    subscribe(state, { subscriber: 'agent:x', from: 'next' }, 0);
    expect(unsubscribe(state, 'agent:x')).toEqual({ subscriber: 'agent:x', removed: true, acked_seq: 0 });
    expect(unsubscribe(state, 'agent:x')).toEqual({ subscriber: 'agent:x', removed: false, acked_seq: null });
    expect(() => unsubscribe(state, 'execution')).toThrow(/system subscriber/);
  });
});

describe('a subscriber', () => {
  it('records each delivery once, in seq order', () => {
    const state = freshSubscriber(1);
    recordDelivery(state, { seq: 1, intent_id: 'a', status: 'delivered', detail: '', delivered_at: 0 }, 2);
    recordDelivery(state, { seq: 2, intent_id: 'b', status: 'delivered', detail: '', delivered_at: 0 }, 2);
    recordDelivery(state, { seq: 3, intent_id: 'c', status: 'failed', detail: 'conflict', delivered_at: 0 }, 2);
    expect(state).toMatchObject({ cursor: 3, delivered: 3 });
    expect(state.log.map((l) => l.seq)).toEqual([2, 3]);
    expect(() => recordDelivery(state, { seq: 3, intent_id: 'c', status: 'delivered', detail: '', delivered_at: 0 }, 2)).toThrow(/out of order/);
  });
});

describe('a broadcast leg as a paper order', () => {
  const intent = (over: Partial<BusIntent> = {}): BusIntent => ({ ...draft('i'), seq: 1, published_at: 0, ...over });

  it('is a market order, or a limit order when the leg has a limit', () => {
    expect(orderRequestFor(intent(), intent().legs[0]!, 5)).toMatchObject({ client_order_id: 'i.0', type: 'market', limit_price: null, intent_id: 'i', expires_after_sec: null });
    const limited = intent({ legs: [{ ...intent().legs[0]!, limit_price: '64000' }] });
    expect(orderRequestFor(limited, limited.legs[0]!, 5)).toMatchObject({ type: 'limit', limit_price: '64000', expires_after_sec: null });
  });

  it('becomes a short-lived limit max_slippage_bps beyond the checked mid when protected', () => {
    const buy = intent({ max_slippage_bps: 25 });
    expect(orderRequestFor(buy, buy.legs[0]!, 5)).toMatchObject({ type: 'limit', limit_price: '65162.5', expires_after_sec: 5 });
    const sell = intent({ max_slippage_bps: 25, legs: [{ ...intent().legs[0]!, side: 'sell' }] });
    expect(orderRequestFor(sell, sell.legs[0]!, 5)).toMatchObject({ type: 'limit', limit_price: '64837.5' });
  });
});

/**
 * The intent bus on a real Temporal dev server with a real worker: an approved intent reaches every
 * subscriber once and in order (paper orders through the order workflow, the account's journal, a
 * subscribed agent's inbox); a rejected one is recorded and never broadcast; a repeated submission
 * broadcasts once; an intent checked with pre_trade_risk_check is decided again when submitted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intentInboxMessageId } from '../../schemas/temporal/intents.js';
import { eventually } from '../helpers/eventually.js';
import { InboxDriver, uniqueAgent } from '../helpers/inbox-driver.js';
import { IntentDriver } from '../helpers/intent-driver.js';
import { OrderDriver } from '../helpers/order-driver.js';
import { RiskDriver, uniqueAccount, uniqueExchange } from '../helpers/risk-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

const exchange = uniqueExchange();
const ENV = { RISK_MARKET_EXCHANGE: exchange, RISK_MAX_DATA_AGE_MS: '300000' };

let connection: Awaited<ReturnType<typeof testClient>>;
const workers: RunningWorker[] = [];
let risk: RiskDriver;
let intents: IntentDriver;
let inboxes: InboxDriver;
let orders: (account: string) => OrderDriver;

async function onQueue(prefix: string, env: Record<string, string> = {}) {
  const taskQueue = uniqueTaskQueue(prefix);
  workers.push(await startTestWorker(taskQueue, { ...ENV, ...env }));
  return { taskQueue, risk: new RiskDriver(connection.client, taskQueue, exchange, { ...ENV, ...env }), intents: new IntentDriver(connection.client, taskQueue) };
}

beforeAll(async () => {
  connection = await testClient();
  const queue = await onQueue('intent-bus');
  ({ risk, intents } = queue);
  inboxes = new InboxDriver(connection.client, queue.taskQueue);
  orders = (account) => new OrderDriver(connection.client, queue.taskQueue, account);
  await Promise.all(['BTC/USDT', 'ETH/USDT'].map((s) => risk.feed(s, risk.simHistory(s, 900))));
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await connection?.close();
});

/** Waits until a subscriber has delivered through `seq`. */
const deliveredThrough = (name: string, seq: number) =>
  eventually(async () => {
    const status = await intents.subscriber(name);
    expect(status.cursor).toBeGreaterThanOrEqual(seq);
    return status;
  });

describe('an approved intent', () => {
  it('reaches every subscriber once and in order: paper orders, the journal, and a subscribed agent', async () => {
    const account = uniqueAccount('bus');
    const agent = uniqueAgent('listener');
    const subscribed = await intents.subscribe(agent);
    expect(subscribed).toMatchObject({ subscriber: `agent:${agent}`, already: false });

    const sizes = ['0.01', '0.02', '0.03'];
    const results = [];
    for (const [i, qty] of sizes.entries()) {
      results.push(await intents.submit(account, `bus-${account}-${i}`, [{ symbol: 'BTC/USDT', side: 'buy', qty }]));
    }
    expect(results.map((r) => r.decision.decision)).toEqual(['approved', 'approved', 'approved']);
    const seqs = results.map((r) => r.bus_seq as number);
    expect(seqs).toEqual([seqs[0], (seqs[0] as number) + 1, (seqs[0] as number) + 2]);
    expect(results[1]?.client_order_ids).toEqual([`bus-${account}-1.0`]);

    const last = seqs[2] as number;
    for (const name of ['execution', 'journal', `agent:${agent}`]) {
      const status = await deliveredThrough(name, last);
      const mine = status.log.filter((l) => seqs.includes(l.seq));
      expect(mine.map((l) => [l.seq, l.status]), name).toEqual(seqs.map((s) => [s, 'delivered']));
    }

    // The execution service placed each leg through the order workflow, under its derived id.
    for (const [i, qty] of sizes.entries()) {
      const order = await eventually(async () => {
        const o = await orders(account).status(`bus-${account}-${i}.0`);
        expect(o.status).toBe('filled');
        return o;
      });
      expect(order).toMatchObject({ intent_id: `bus-${account}-${i}`, type: 'market', filled_qty: qty, account });
    }

    // The account's journal holds each intent once, in bus order.
    const journal = await intents.journal(account);
    expect(journal.entries.map((e) => [e.seq, e.intent_id])).toEqual(seqs.map((s, i) => [s, `bus-${account}-${i}`]));
    expect(journal.count).toBe(3);

    // The agent reads them from its inbox, once each, in order.
    const read = await inboxes.drain(agent);
    expect(read).toEqual(seqs.map(intentInboxMessageId));
  });

  it('is broadcast once however often it is submitted, and a checked intent is decided afresh when submitted', async () => {
    const account = uniqueAccount('bus-repeat');
    const first = await intents.submit(account, `rep-${account}`, [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.5' }]);
    const again = await intents.start(account, `rep-${account}`, [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.5' }]);
    expect(again.duplicate).toBe(true);
    expect(await again.handle.result()).toEqual(first);

    // The check is a dry run: the submission owes it nothing and is decided, and recorded, on its own.
    const checked = await risk.check(account, `pre-${account}`, [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.25' }]);
    expect(checked).toMatchObject({ decision: 'approved', dry_run: true });
    const submitted = await intents.submit(account, `pre-${account}`, [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.25' }]);
    expect(submitted.decision).toMatchObject({ decision: 'approved', dry_run: false, duplicate: false, source: 'submit_intent', key: `intent:pre-${account}` });
    expect(submitted.decision.risk_check_id).not.toBe(checked.risk_check_id);
    expect(submitted.bus_seq).toBe((first.bus_seq as number) + 1);

    const differing = await intents.start(account, `pre-${account}`, [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.3' }]).catch((err: unknown) => err);
    expect((differing as { code?: string }).code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('places a protected market leg as a short-lived limit order beyond the checked mid', async () => {
    const account = uniqueAccount('bus-protected');
    const result = await intents.submit(account, `prot-${account}`, [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.01' }], 30);
    const mid = Number(result.decision.legs[0]?.reference_price);
    const order = await eventually(async () => {
      const o = await orders(account).status(`prot-${account}.0`);
      expect(o.status).not.toBe('pending');
      return o;
    });
    expect(order.type).toBe('limit');
    expect(Number(order.limit_price)).toBeCloseTo(mid * 1.003, 2);
  });
});

describe('a rejected intent', () => {
  it('is recorded with its reasons and never broadcast', async () => {
    const account = uniqueAccount('bus-rejected');
    const before = await intents.bus();
    const result = await intents.submit(account, `rej-${account}`, [{ symbol: 'BTC/USDT', side: 'buy', qty: '5' }]);
    expect(result).toMatchObject({ bus_seq: null, client_order_ids: [], decision: { decision: 'rejected' } });
    expect(result.decision.reasons.map((r) => r.code)).toContain('MAX_ORDER_NOTIONAL');
    expect((await intents.bus()).next_seq).toBe(before.next_seq);
    await expect(orders(account).status(`rej-${account}.0`)).rejects.toThrow();
  });
});

describe('subscriptions', () => {
  it('stop delivering when an agent unsubscribes, and a late subscriber can read what the bus still holds', async () => {
    const account = uniqueAccount('bus-subs');
    const early = uniqueAgent('early');
    await intents.subscribe(early);
    const one = await intents.submit(account, `subs-${account}-1`, [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.11' }]);
    await deliveredThrough(`agent:${early}`, one.bus_seq as number);
    expect(await intents.unsubscribe(early)).toMatchObject({ removed: true });
    const two = await intents.submit(account, `subs-${account}-2`, [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.12' }]);
    await deliveredThrough('journal', two.bus_seq as number);
    expect(await inboxes.drain(early)).toEqual([intentInboxMessageId(one.bus_seq as number)]);
    expect((await intents.bus()).subscribers.map((s) => s.name)).not.toContain(`agent:${early}`);

    // The bus lets go of an intent once every subscriber has it, so what it still holds depends on
    // how far the others have read: the late subscriber starts at the oldest intent still held.
    const late = uniqueAgent('late');
    const heldBefore = await intents.bus();
    const subscribed = await intents.subscribe(late, 'retained');
    expect(subscribed.from_seq).toBeLessThanOrEqual(Math.max(heldBefore.oldest_seq, heldBefore.next_seq));
    const three = await intents.submit(account, `subs-${account}-3`, [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.13' }]);
    await deliveredThrough(`agent:${late}`, three.bus_seq as number);
    const drained = await inboxes.drain(late);
    expect(drained).toContain(intentInboxMessageId(three.bus_seq as number));
    if (subscribed.from_seq <= (two.bus_seq as number)) expect(drained).toContain(intentInboxMessageId(two.bus_seq as number));
  });
});

describe('an intent checked before it is submitted', () => {
  it('is decided again at submission, so an approval given under an earlier state never trades', async () => {
    const account = uniqueAccount('bus-stale');
    const legs = [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.1' }] as const;
    expect((await risk.check(account, `old-${account}`, [...legs])).decision).toBe('approved');
    await risk.setState(account, { state: 'HALTED', reason: 'desk halt', authority: { kind: 'agent' } });
    const before = await intents.bus();
    const result = await intents.submit(account, `old-${account}`, [...legs]);
    expect(result).toMatchObject({ bus_seq: null, client_order_ids: [], decision: { decision: 'rejected', dry_run: false } });
    expect(result.decision.reasons.map((r) => r.code)).toContain('TRADING_HALTED');
    expect((await intents.bus()).next_seq).toBe(before.next_seq);
    await expect(orders(account).status(`old-${account}.0`)).rejects.toThrow();
  });
});

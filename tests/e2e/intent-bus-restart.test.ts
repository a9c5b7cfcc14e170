/**
 * The intent bus across a worker crash, end to end with the real worker process: intents are
 * submitted while the worker is SIGKILLed mid-stream and while it is down; after a restart every
 * subscriber has received every approved intent exactly once and in bus order (the execution
 * service's paper orders, each filled once; the account's journal; a subscribed agent's inbox).
 * Small continue-as-new bounds make the bus and the subscribers hand over during the run as well.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { intentInboxMessageId, type IntentSubmissionResult } from '../../schemas/temporal/intents.js';
import { ledgerBalancesQuery, ledgerWorkflowId } from '../../schemas/temporal/ledger.js';
import { eventually } from '../helpers/eventually.js';
import { InboxDriver, uniqueAgent } from '../helpers/inbox-driver.js';
import { IntentDriver } from '../helpers/intent-driver.js';
import { OrderDriver } from '../helpers/order-driver.js';
import { RiskDriver, uniqueAccount, uniqueExchange } from '../helpers/risk-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { uniqueTaskQueue } from '../helpers/test-worker.js';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const INTENTS = 12;
const workers: WorkerProcess[] = [];
let env: Record<string, string>;
let temporal: Awaited<ReturnType<typeof testClient>>;
let risk: RiskDriver;
let intents: IntentDriver;

async function startWorker(): Promise<WorkerProcess> {
  const worker = spawnWorkerProcess(env);
  workers.push(worker);
  await worker.ready;
  return worker;
}

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue('intent-restart');
  const exchange = uniqueExchange();
  env = {
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: taskQueue,
    RISK_MARKET_EXCHANGE: exchange,
    RISK_MAX_DATA_AGE_MS: '900000',
    RISK_MAX_ORDERS_PER_WINDOW: '1000',
    INTENT_BUS_CONTINUE_AS_NEW_AFTER: '5',
    // A restarting worker takes a while: a book fetched before the crash may be checked after it.
    PAPER_MAX_BOOK_AGE_MS: '180000',
  };
  temporal = await testClient();
  risk = new RiskDriver(temporal.client, taskQueue, exchange, env);
  intents = new IntentDriver(temporal.client, taskQueue);
}, 240_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await temporal?.close();
});

describe('the intent bus across a worker SIGKILL', () => {
  it('delivers every approved intent to every subscriber exactly once and in order', { timeout: 300_000 }, async () => {
    const first = await startWorker();
    await risk.feed('ETH/USDT', risk.simHistory('ETH/USDT', 900));
    const account = uniqueAccount('restart');
    const agent = uniqueAgent('restart');
    await intents.subscribe(agent);

    // Each intent its own size, so none is a duplicate of another.
    const legs = (i: number) => [{ symbol: 'ETH/USDT', side: 'buy' as const, qty: (0.1 + i / 100).toFixed(2) }];
    const ids = Array.from({ length: INTENTS }, (_, i) => `restart-${account}-${i}`);
    const submissions = [];
    for (const [i, id] of ids.slice(0, INTENTS / 2).entries()) submissions.push(await intents.start(account, id, legs(i)));

    // Crash once the bus is under way: some intents delivered, others in flight.
    await eventually(async () => expect((await intents.bus()).next_seq).toBeGreaterThan(3), 60_000, 50);
    await first.kill();
    for (const [i, id] of ids.slice(INTENTS / 2).entries()) submissions.push(await intents.start(account, id, legs(i + INTENTS / 2)));
    await startWorker();

    const results = (await Promise.all(submissions.map((s) => s.handle.result()))) as IntentSubmissionResult[];
    // While the worker is down or reloading, the gate may be unable to read its inputs: it then
    // refuses (fails closed), and a refused intent is never broadcast. Everything else is approved.
    for (const r of results.filter((x) => x.decision.decision === 'rejected')) {
      expect(r.decision.reasons.map((x) => x.code)).toEqual(['RISK_INPUTS_UNAVAILABLE']);
      expect(r.bus_seq).toBeNull();
    }
    const approved = results.filter((r) => r.decision.decision === 'approved');
    expect(approved.length).toBeGreaterThanOrEqual(INTENTS / 2);
    const count = approved.length;
    expect(approved.map((r) => r.bus_seq as number).sort((a, b) => a - b)).toEqual(approved.map((_, i) => i + 1));
    const intentOfSeq = new Map(approved.map((r) => [r.bus_seq as number, r.decision.intent_id]));
    const inOrder = approved.map((_, i) => i + 1);

    for (const name of ['execution', 'journal', `agent:${agent}`]) {
      const status = await eventually(async () => {
        const s = await intents.subscriber(name);
        expect(s.cursor).toBe(count);
        return s;
      }, 120_000);
      expect(status.delivered, name).toBe(count);
      expect(status.log.map((l) => [l.seq, l.intent_id, l.status]), name).toEqual(inOrder.map((seq) => [seq, intentOfSeq.get(seq), 'delivered']));
    }
    expect((await intents.bus()).runs).toBeGreaterThan(1);

    const journal = await intents.journal(account);
    expect(journal.count).toBe(count);
    expect(journal.entries.map((e) => [e.seq, e.intent_id])).toEqual(inOrder.map((seq) => [seq, intentOfSeq.get(seq)]));

    expect(await new InboxDriver(temporal.client, env.TEMPORAL_TASK_QUEUE as string).drain(agent)).toEqual(inOrder.map(intentInboxMessageId));

    // Every approved intent's order was placed once and ran once: the ledger holds each fill once.
    const orders = new OrderDriver(temporal.client, env.TEMPORAL_TASK_QUEUE as string, account);
    const finished = [];
    for (const r of approved) {
      finished.push(
        await eventually(async () => {
          const order = await orders.status(r.client_order_ids[0] as string);
          expect(order.status, JSON.stringify(order.rejection)).toBe('filled');
          return order;
        }, 60_000),
      );
    }
    const balances = await temporal.client.workflow.getHandle(ledgerWorkflowId(account)).query(ledgerBalancesQuery);
    expect(balances.fill_count).toBe(finished.reduce((sum, o) => sum + o.fills.length, 0));
    expect(Number(balances.positions['ETH/USDT']?.qty)).toBeCloseTo(finished.reduce((sum, o) => sum + Number(o.filled_qty), 0), 8);
  });
});

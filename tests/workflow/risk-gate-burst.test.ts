/**
 * A burst of orders on one account, four times the ten updates Temporal lets one workflow hold in
 * flight. Each order queues its check in the account's risk workflow by signal, which has no such
 * limit, and the gate decides the queue in batches: a burst is queued, never failed closed without
 * a reason: every order ends filled, or refused with the gate's reason codes, or (only if the queue
 * never drains) RISK_GATE_BUSY with what to do. With the gate handing over every few decisions,
 * every answer it sent is delivered before its run ends, and the queue goes on in the next run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaperOrderState } from '../../schemas/temporal/orders.js';
import { riskWorkflowId } from '../../schemas/temporal/risk.js';
import { SimVenue } from '../../worker/activities/market/venues/sim/sim-venue.js';
import { OrderDriver } from '../helpers/order-driver.js';
import { uniqueAccount } from '../helpers/risk-driver.js';
import { orderMechanicsRiskEnv, riskExchangeId, seedQuotes } from '../helpers/risk-ready-market.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

/** Four times what one workflow may hold in flight. */
const BURST = 40;
const FINISHED = new Set(['filled', 'cancelled', 'expired', 'rejected']);

const QUOTES = riskExchangeId('burst');
const sim = new SimVenue(42);
let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let taskQueue: string;

beforeAll(async () => {
  taskQueue = uniqueTaskQueue('risk-burst');
  temporal = await testClient();
  await seedQuotes(temporal.client, taskQueue, QUOTES, { 'BTC/USDT': sim.tickAt('BTC/USDT', Date.now()) });
  worker = await startTestWorker(taskQueue, { ...orderMechanicsRiskEnv(QUOTES, ['BTC/USDT']), RISK_MAX_WORKING_ORDERS: '1000', RISK_MAX_REJECTIONS_PER_WINDOW: '1000' });
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
});

describe('a burst of orders on one account', () => {
  it(`is queued by the gate: all ${BURST} orders placed at once are decided, none fails closed without a reason`, { timeout: 480_000 }, async () => {
    await placeBurstAndExpectAllFilled(new OrderDriver(temporal.client, taskQueue, uniqueAccount('burst')));
  });

  it("is decided across the gate's hand-overs: every answer sent before a run continues as new reaches its order", { timeout: 480_000 }, async () => {
    const handingOverQueue = uniqueTaskQueue('risk-burst-can');
    await seedQuotes(temporal.client, handingOverQueue, QUOTES, { 'BTC/USDT': sim.tickAt('BTC/USDT', Date.now()) });
    const handingOver = await startTestWorker(handingOverQueue, {
      ...orderMechanicsRiskEnv(QUOTES, ['BTC/USDT']),
      RISK_MAX_WORKING_ORDERS: '1000',
      RISK_MAX_REJECTIONS_PER_WINDOW: '1000',
      // A hand-over after every few decisions: the burst spans several runs of the gate (a run
      // decides a batch whole, so it hands over at the end of each batch of up to 25).
      RISK_CONTINUE_AS_NEW_AFTER: '3',
    });
    try {
      const account = uniqueAccount('burst-can');
      await placeBurstAndExpectAllFilled(new OrderDriver(temporal.client, handingOverQueue, account));
      let handOvers = 0;
      for await (const run of temporal.client.workflow.list({ query: `WorkflowId = "${riskWorkflowId(account)}"` })) {
        if (run.status.name === 'CONTINUED_AS_NEW') handOvers += 1;
      }
      expect(handOvers).toBeGreaterThanOrEqual(2);
    } finally {
      await handingOver.stop();
    }
  });
});

async function placeBurstAndExpectAllFilled(orders: OrderDriver): Promise<void> {
  // Sizes far enough apart that none is a near-duplicate of another.
  const requests = Array.from({ length: BURST }, (_, i) => orders.request({ side: 'buy', type: 'market', qty: (0.001 + i * 0.0002).toFixed(4) }));
  const answers = await Promise.all(requests.map((r) => orders.place(r)));

  // Every call answered with the order's state: decided, or pending under its own id.
  for (const [i, answer] of answers.entries()) {
    expect(answer.client_order_id).toBe(requests[i]!.client_order_id);
    expect(['pending', 'filled', 'rejected']).toContain(answer.status);
  }

  const final: PaperOrderState[] = await Promise.all(requests.map((r) => orders.result(r.client_order_id)));
  const unexplained = final.filter((o) => o.status === 'rejected' && o.rejection?.code === 'RISK_REJECTED' && (o.rejection.reasons ?? []).length === 0);
  expect(unexplained.map((o) => o.rejection), 'orders refused without a reason code').toEqual([]);
  for (const o of final) expect(FINISHED.has(o.status), `${o.client_order_id} ended ${o.status}`).toBe(true);
  // The queue drains well within its bound: every order of the burst fills.
  expect(final.filter((o) => o.status !== 'filled').map((o) => [o.client_order_id, o.status, o.rejection?.code, o.rejection?.message])).toEqual([]);
}

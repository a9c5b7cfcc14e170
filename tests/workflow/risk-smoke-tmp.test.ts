import { afterAll, beforeAll, expect, it } from 'vitest';
import { INTENT_SUBMISSION_WORKFLOW, intentSubmissionWorkflowId, intentJournalWorkflowId, intentJournalQuery, INTENT_BUS_WORKFLOW_ID, busStatusQuery, intentSubscriberWorkflowId, subscriberStatusQuery, type IntentSubmissionResult } from '../../schemas/temporal/intents.js';
import { orderWorkflowId, orderStatusQuery } from '../../schemas/temporal/orders.js';
import { RiskDriver, uniqueAccount, uniqueExchange } from '../helpers/risk-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { eventually } from '../helpers/eventually.js';

let worker: RunningWorker;
let conn: Awaited<ReturnType<typeof testClient>>;
let driver: RiskDriver;
let tq: string;
beforeAll(async () => {
  tq = uniqueTaskQueue('risk-smoke');
  const exchange = uniqueExchange();
  const env = { RISK_MARKET_EXCHANGE: exchange };
  worker = await startTestWorker(tq, env);
  conn = await testClient();
  driver = new RiskDriver(conn.client, tq, exchange, env);
});
afterAll(async () => { await worker?.stop(); await conn?.close(); });

it('smoke bus', async () => {
  const account = uniqueAccount('smoke');
  await driver.feed('BTC/USDT', driver.simHistory('BTC/USDT', 600));
  const intentId = `smoke-${crypto.randomUUID().slice(0, 6)}`;
  const res = (await conn.client.workflow.execute(INTENT_SUBMISSION_WORKFLOW, {
    workflowId: intentSubmissionWorkflowId(intentId), taskQueue: tq,
    args: [{ intent_id: intentId, account, legs: [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.01', quote_notional: null, limit_price: null, client_order_id: `${intentId}.0` }], max_slippage_bps: 20 }],
  })) as IntentSubmissionResult;
  console.log(res.decision.decision, JSON.stringify(res.decision.reasons), res.bus_seq, res.client_order_ids);
  const order = await eventually(async () => {
    const o = await conn.client.workflow.getHandle(orderWorkflowId(`${intentId}.0`)).query(orderStatusQuery);
    if (o.status === 'pending') throw new Error('pending');
    return o;
  });
  console.log(JSON.stringify(order, null, 1));
  const journal = await eventually(async () => {
    const j = await conn.client.workflow.getHandle(intentJournalWorkflowId(account)).query(intentJournalQuery, { limit: 10 });
    if (!j.count) throw new Error('none');
    return j;
  });
  console.log(JSON.stringify(journal));
  console.log(JSON.stringify(await conn.client.workflow.getHandle(INTENT_BUS_WORKFLOW_ID).query(busStatusQuery)));
  console.log(JSON.stringify(await conn.client.workflow.getHandle(intentSubscriberWorkflowId('execution')).query(subscriberStatusQuery)));
  expect(res.decision.decision).toBe('approved');
});

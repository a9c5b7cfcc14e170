import { afterAll, beforeAll, expect, it } from 'vitest';
import { RiskDriver, uniqueAccount, uniqueExchange } from '../helpers/risk-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

let worker: RunningWorker;
let conn: Awaited<ReturnType<typeof testClient>>;
let driver: RiskDriver;
beforeAll(async () => {
  const tq = uniqueTaskQueue('risk-smoke');
  const exchange = uniqueExchange();
  const env = { RISK_MARKET_EXCHANGE: exchange };
  worker = await startTestWorker(tq, env);
  conn = await testClient();
  driver = new RiskDriver(conn.client, tq, exchange, env);
});
afterAll(async () => { await worker?.stop(); await conn?.close(); });

it('smoke', async () => {
  const account = uniqueAccount('smoke');
  await driver.feed('BTC/USDT', driver.walk({ mid: 65000, count: 600, stepMs: 1000, returns: [0.001, -0.0008, 0.0005, -0.0009] }));
  const t0 = Date.now();
  const d = await driver.check(account, 'i-1', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.1' }]);
  console.log(Date.now() - t0, JSON.stringify(d, null, 1));
  const t1 = Date.now();
  const d2 = await driver.check(account, 'i-2', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.2' }]);
  console.log('second', Date.now() - t1, d2.decision, JSON.stringify(d2.reasons));
  expect(d.decision).toBe('approved');
});

/**
 * The gate's decisions replay identically. A risk workflow's history is recorded on a real server
 * (approvals, refusals with several codes, a repeated intent id, state changes, a breaker trip);
 * replaying it against the current code raises no determinism error, and every decision the code
 * takes during replay, from the inputs recorded in history, equals the decision recorded then.
 */
import { fileURLToPath } from 'node:url';
import { defaultPayloadConverter } from '@temporalio/common';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { riskWorkflowId, type SetTradingStateRequest } from '../../schemas/temporal/risk.js';
import { RiskDriver, uniqueAccount, uniqueExchange } from '../helpers/risk-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

const exchange = uniqueExchange();
const ENV = { RISK_MARKET_EXCHANGE: exchange, RISK_MAX_DATA_AGE_MS: '300000' };

let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let driver: RiskDriver;
const account = uniqueAccount('replay');

const agent = (state: SetTradingStateRequest['state']): SetTradingStateRequest => ({ state, reason: 'replay test', authority: { kind: 'agent' } });

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue('risk-replay');
  worker = await startTestWorker(taskQueue, ENV);
  temporal = await testClient();
  driver = new RiskDriver(temporal.client, taskQueue, exchange, ENV);
  await Promise.all(['BTC/USDT', 'ETH/USDT'].map((s) => driver.feed(s, driver.simHistory(s, 600))));
  await driver.feed('BNB/USDT', driver.simHistory('BNB/USDT', 600).map((t) => ({ ...t, bid: 600, ask: 600.1, last: 600 })));

  // A history with every kind of answer the gate gives.
  await driver.check(account, 'ok-1', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.02' }]);
  await driver.check(account, 'ok-1', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.02' }]);
  await driver.check(account, 'too-big', [{ symbol: 'BTC/USDT', side: 'buy', qty: '2' }]);
  await driver.check(account, 'unknown', [{ symbol: 'DOGE/USDT', side: 'buy', qty: '10' }]);
  await driver.check(account, 'short', [{ symbol: 'ETH/USDT', side: 'sell', qty: '1' }]);
  await driver.check(account, 'twin', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.02' }]);
  await driver.fill(account, { symbol: 'BNB/USDT', side: 'buy', qty: '100', price: '600' });
  await driver.check(account, 'opens-day', [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.1' }]);
  await driver.setState(account, agent('REDUCING'));
  await driver.check(account, 'reduce-only', [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.2' }]);
  const now = Date.now();
  await driver.feed('BNB/USDT', [{ ts: now, bid: 530, ask: 530.1, last: 530 }]);
  await driver.check(account, 'trips', [{ symbol: 'ETH/USDT', side: 'sell', qty: '0.05' }]);
  await driver.check(account, 'halted', [{ symbol: 'ETH/USDT', side: 'sell', qty: '0.05' }]);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
});

describe('a risk workflow history', () => {
  it('holds the decisions the test meant to record', async () => {
    const view = await driver.state(account);
    expect(view.trading_state).toBe('HALTED');
    expect(view.breaker.tripped?.code).toBe('DAILY_LOSS_BREAKER');
    expect(view.counters).toMatchObject({ checks: 9, approved: 2 });
  });

  it('replays against the current code without a determinism error, deciding exactly as recorded', { timeout: 180_000 }, async () => {
    const history = await temporal.client.workflow.getHandle(riskWorkflowId(account)).fetchHistory();

    // Plain replay with the bundle the worker runs.
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history, riskWorkflowId(account));

    // Replay again with an interceptor that reports each update's result as the code computes it now.
    const { code } = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('../../worker/workflows/index.ts', import.meta.url)),
      workflowInterceptorModules: [fileURLToPath(new URL('./capture-update-results.ts', import.meta.url))],
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } as never,
    });
    const replayed = new Map<string, unknown>();
    await Worker.runReplayHistory(
      {
        workflowBundle: { code },
        sinks: {
          capture: {
            updateResult: {
              // (name, updateId, result), as capture-update-results.ts reports them.
              fn: (_info, ...[, updateId, result]: unknown[]) => {
                replayed.set(updateId as string, result);
              },
              callDuringReplay: true,
            },
          },
        },
      },
      history,
      riskWorkflowId(account),
    );

    const recorded = new Map<string, unknown>();
    for (const event of history.events ?? []) {
      const completed = event.workflowExecutionUpdateCompletedEventAttributes;
      const payload = completed?.outcome?.success?.payloads?.[0];
      if (completed?.meta?.updateId && payload) recorded.set(completed.meta.updateId, defaultPayloadConverter.fromPayload(payload));
    }
    expect(recorded.size).toBe(11);
    const decisions = [...recorded.values()].filter((r): r is { risk_check_id: string; decision: string } => typeof r === 'object' && r !== null && 'risk_check_id' in r);
    expect(decisions.map((d) => d.decision)).toEqual(['approved', 'approved', 'rejected', 'rejected', 'rejected', 'rejected', 'approved', 'rejected', 'rejected', 'rejected']);
    expect(replayed.size).toBe(recorded.size);
    for (const [updateId, result] of recorded) expect(replayed.get(updateId), updateId).toEqual(result);
  });
});

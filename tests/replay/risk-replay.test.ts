/**
 * The gate's decisions replay identically. A risk workflow's history is recorded on a real server
 * (dry runs, recorded approvals, refusals with several codes, a repeated intent id, an order admitted
 * by its intent's approval, state changes, a breaker trip to REDUCING and a person's acknowledgement);
 * replaying it against the current code raises no determinism error, and every decision the code
 * takes during replay, from the inputs recorded in history, equals the decision recorded then.
 */
import { fileURLToPath } from 'node:url';
import { defaultPayloadConverter } from '@temporalio/common';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { riskWorkflowId, type SetTradingStateRequest } from '../../schemas/temporal/risk.js';
import { RiskDriver, uniqueAccount, uniqueExchange, type LegSpec } from '../helpers/risk-driver.js';
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
  const submit = (intentId: string, legs: LegSpec[]) => driver.check(account, intentId, legs, 'submit_intent');
  await driver.check(account, 'ok-1', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.02' }]);
  await driver.check(account, 'ok-1', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.02' }]);
  await submit('ok-1', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.02' }]);
  await submit('ok-1', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.02' }]);
  await submit('too-big', [{ symbol: 'BTC/USDT', side: 'buy', qty: '2' }]);
  await submit('unknown', [{ symbol: 'DOGE/USDT', side: 'buy', qty: '10' }]);
  await submit('short', [{ symbol: 'ETH/USDT', side: 'sell', qty: '1' }]);
  await submit('twin', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.02' }]);
  // The order of ok-1's leg at its gate, admitted by that approval.
  await driver.check(account, 'ok-1', [{ symbol: 'BTC/USDT', side: 'buy', qty: '0.02' }], 'order_gate');
  await driver.fill(account, { symbol: 'BNB/USDT', side: 'buy', qty: '100', price: '600' });
  await driver.check(account, 'after-fill', [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.1' }]);
  const now = Date.now();
  await driver.feed('BNB/USDT', [{ ts: now, bid: 530, ask: 530.1, last: 530 }]);
  await submit('trips', [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.1' }]);
  await submit('reduce-only', [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.2' }]);
  await driver.setState(account, agent('HALTED'));
  await submit('halted', [{ symbol: 'BNB/USDT', side: 'sell', qty: '10' }]);
  await driver.setState(account, { state: 'ACTIVE', reason: 'loss reviewed', authority: { kind: 'person', via: 'operator_cli', confirmed_by: 'ops' } });
  // BNB settles at 530, so the sale after the acknowledgement meets a quote that is no jump.
  await driver.feed('BNB/USDT', [{ ts: Date.now(), bid: 530, ask: 530.1, last: 530 }]);
  await driver.check(account, 'acknowledges', [{ symbol: 'BNB/USDT', side: 'sell', qty: '10' }]);
}, 120_000);

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
});

describe('a risk workflow history', () => {
  it('holds the decisions the test meant to record', async () => {
    const view = await driver.state(account);
    expect(view.trading_state).toBe('ACTIVE');
    expect(view.state_log.map((c) => [c.from, c.to, c.authority.kind])).toEqual([
      ['ACTIVE', 'REDUCING', 'breaker'],
      ['REDUCING', 'HALTED', 'agent'],
      ['HALTED', 'ACTIVE', 'person'],
    ]);
    expect(view.breaker).toMatchObject({ tripped: null, acknowledge_pending: false, acknowledged: { equity: expect.any(String) } });
    expect(view.counters).toMatchObject({ checks: 9, approved: 2, rejected: 7, dry_runs: 4 });
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
    expect(recorded.size).toBe(16);
    const decisions = [...recorded.values()].filter(
      (r): r is { risk_check_id: string; decision: string; dry_run: boolean; duplicate: boolean; source: string } => typeof r === 'object' && r !== null && 'risk_check_id' in r,
    );
    expect(decisions.map((d) => [d.source, d.decision, d.dry_run, d.duplicate])).toEqual([
      ['pre_trade_risk_check', 'approved', true, false],
      ['pre_trade_risk_check', 'approved', true, false],
      ['submit_intent', 'approved', false, false],
      ['submit_intent', 'approved', false, true],
      ['submit_intent', 'rejected', false, false],
      ['submit_intent', 'rejected', false, false],
      ['submit_intent', 'rejected', false, false],
      ['submit_intent', 'rejected', false, false],
      ['order_gate', 'approved', false, false],
      ['pre_trade_risk_check', 'approved', true, false],
      ['submit_intent', 'rejected', false, false],
      ['submit_intent', 'rejected', false, false],
      ['submit_intent', 'rejected', false, false],
      ['pre_trade_risk_check', 'approved', true, false],
    ]);
    expect(replayed.size).toBe(recorded.size);
    for (const [updateId, result] of recorded) expect(replayed.get(updateId), updateId).toEqual(result);
  });
});

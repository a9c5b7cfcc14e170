/**
 * The product end to end, as `npm start` runs it: the real worker process, the five servers
 * spawned from mcp.json, the broker selecting pairs on the sim venue, nudges every two seconds,
 * and the ensemble agent trading through submit_intent. The worker is killed mid-run and
 * restarted; afterwards nothing is lost or doubled, every fill's audit trail leads back to its
 * nudge, and every history of the run replays against the current workflow code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { runEnsembleAgent, type EnsembleEvent } from '../../agents/ensemble/ensemble-agent.js';
import { McpHost } from '../../agents/host/mcp-host.js';
import { DEFAULT_STRATEGY_PARAMS } from '../../agents/strategy/ensemble-strategy.js';
import { nudgeScheduleId } from '../../schemas/temporal/ensemble.js';
import { replayRecentHistories } from '../../worker/replay/replay-histories.js';
import { eventually } from '../helpers/eventually.js';
import { testClient } from '../helpers/temporal-client.js';
import { uniqueTaskQueue } from '../helpers/test-worker.js';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const suffix = crypto.randomUUID().slice(0, 8);
const agent = `e2e-${suffix}`;
const account = `t-e2e-${suffix}`;
const taskQueue = uniqueTaskQueue('e2e-trading');
const symbols = ['SOL/USDT', 'XRP/USDT'];
// Trade on every nudge: the point here is the path of each trade, not the strategy's edge.
const params = { ...DEFAULT_STRATEGY_PARAMS, momentumThreshold: 0, reversionZ: 100, momentumWeight: 1, maxPositionFraction: 0.01, minTradeNotional: 5 };

interface Fill {
  fill_id: string;
  client_order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  qty: string;
}

let worker: WorkerProcess;
let host: McpHost;
let temporal: Awaited<ReturnType<typeof testClient>>;
const events: EnsembleEvent[] = [];
const stopAgent = new AbortController();
let agentLoop: Promise<void>;

function workerEnv(): Record<string, string> {
  return { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue, NUDGE_INTERVAL_SEC: '2', SIM_BACKFILL_SEC: '600' };
}

async function fills(): Promise<Fill[]> {
  return (await host.call<{ fills: Fill[] }>('get_fills', { account, limit: 1000 })).fills;
}

beforeAll(async () => {
  temporal = await testClient();
  worker = spawnWorkerProcess(workerEnv());
  await worker.ready;
  host = await McpHost.launch({ name: 'e2e', env: { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue } });
}, 240_000);

afterAll(async () => {
  stopAgent.abort();
  await agentLoop?.catch(() => undefined);
  await temporal?.client.schedule.getHandle(nudgeScheduleId(agent)).delete().catch(() => undefined);
  await host?.close();
  await worker?.stop();
  await temporal?.close();
}, 60_000);

describe('npm start, end to end on the sim venue', () => {
  it('select_pairs three times leaves one schedule', async () => {
    const created = [];
    for (let i = 0; i < 3; i += 1) created.push((await host.call<{ schedule_created: boolean }>('select_pairs', { agent, symbols, exchange: 'sim' })).schedule_created);
    expect(created).toEqual([true, false, false]);
    const ids = [];
    for await (const s of temporal.client.schedule.list()) if (s.scheduleId === nudgeScheduleId(agent)) ids.push(s.scheduleId);
    expect(ids).toHaveLength(1);
  });

  it('the agent trades on nudges; a worker killed mid-run loses and doubles nothing', async () => {
    agentLoop = runEnsembleAgent({ host, agent, account, params, lookbackTicks: 90, waitSec: 3, signal: stopAgent.signal, onEvent: (e) => events.push(e) });
    await eventually(async () => {
      if ((await fills()).length < 2) throw new Error(`waiting for fills; events so far:\n${events.map((e) => e.text).join('\n')}`);
    }, 150_000, 1_000);

    await worker.kill();
    worker = spawnWorkerProcess(workerEnv());
    await worker.ready;
    const before = (await fills()).length;
    await eventually(async () => {
      if ((await fills()).length < before + 2) throw new Error('waiting for fills after the restart');
    }, 150_000, 1_000);
    stopAgent.abort();
    await agentLoop;

    const journal = await fills();
    expect(new Set(journal.map((f) => f.fill_id)).size).toBe(journal.length);
    const portfolio = await host.call<{ fill_count: number; positions: Array<{ symbol: string; qty: string }> }>('get_portfolio_status', { account });
    expect(portfolio.fill_count).toBe(journal.length);
    for (const symbol of symbols) {
      const signed = journal.filter((f) => f.symbol === symbol).reduce((sum, f) => sum + (f.side === 'buy' ? 1 : -1) * Number(f.qty), 0);
      const held = Number(portfolio.positions.find((p) => p.symbol === symbol)?.qty ?? '0');
      expect(held).toBeCloseTo(signed, 10);
    }
    // One order per intent leg, never a second order or fill for the same intent.
    const orders = new Set(journal.map((f) => f.client_order_id));
    for (const id of orders) expect(id).toMatch(/\.0$/);
  }, 400_000);

  it('the audit trail links every fill to its nudge', async () => {
    const journal = await fills();
    for (const orderId of new Set(journal.map((f) => f.client_order_id))) {
      const trail = await host.call<{ complete: boolean; missing: string[]; steps: Array<{ step: string; workflow_id: string; run_id: string | null; at: string; detail: Record<string, unknown> }> }>(
        'get_audit_trail',
        { client_order_id: orderId },
      );
      expect(trail.complete, `${orderId}: ${trail.missing.join('; ')}`).toBe(true);
      expect(trail.steps.map((s) => s.step).slice(0, 5)).toEqual(['nudge', 'prompt', 'intent', 'risk_decision', 'order']);
      const nudge = trail.steps[0] as { workflow_id: string; detail: Record<string, unknown> };
      expect(nudge.workflow_id.startsWith(`nudge:${agent}`)).toBe(true);
      expect(nudge.detail.schedule_id).toBe(nudgeScheduleId(agent));
      const fillSteps = trail.steps.filter((s) => s.step === 'fill');
      expect(fillSteps.map((s) => s.detail.fill_id).sort()).toEqual(journal.filter((f) => f.client_order_id === orderId).map((f) => f.fill_id).sort());
      for (const step of trail.steps) expect(Number.isNaN(Date.parse(step.at))).toBe(false);
    }
  }, 120_000);

  it('every history of the run replays without a determinism error', async () => {
    const report = await replayRecentHistories(temporal.client, { bundlePath: inject('workflowBundlePath'), query: `TaskQueue = "${taskQueue}"`, limit: 2_000, digestFailures: true });
    expect(report.failures).toEqual([]);
    expect(report.replayed).toBeGreaterThan(20);
  }, 300_000);
});

/**
 * The execution server's intent tools through the spawned stdio server with a real worker behind
 * it: submit_intent decides, broadcasts and places orders; a subscribed agent reads the intent with
 * next_prompt on the agents server; bad input gets a clear isError.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { nextPrompt } from '../../schemas/agents.js';
import { getOrderStatus } from '../../schemas/execution-orders.js';
import { submitIntent, subscribeIntents, unsubscribeIntents } from '../../schemas/execution-intents.js';
import { agentSubscriber, busStatusQuery, intentBusWorkflowId, intentSubmissionWorkflowId } from '../../schemas/temporal/intents.js';
import { riskWorkflowId } from '../../schemas/temporal/risk.js';
import { eventually } from '../helpers/eventually.js';
import { uniqueAgent } from '../helpers/inbox-driver.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { RiskDriver, uniqueAccount, uniqueExchange } from '../helpers/risk-driver.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { toolCaller } from '../helpers/tool-calls.js';

const exchange = uniqueExchange();
const WORKER_ENV = { RISK_MARKET_EXCHANGE: exchange, RISK_MAX_DATA_AGE_MS: '300000' };

let worker: RunningWorker;
let temporal: Awaited<ReturnType<typeof testClient>>;
let execution: ConnectedServer;
let agents: ConnectedServer;
let taskQueue: string;

beforeAll(async () => {
  taskQueue = uniqueTaskQueue('intent-tools');
  worker = await startTestWorker(taskQueue, WORKER_ENV);
  temporal = await testClient();
  const driver = new RiskDriver(temporal.client, taskQueue, exchange, WORKER_ENV);
  await Promise.all(['BTC/USDT', 'ETH/USDT'].map((s) => driver.feed(s, driver.simHistory(s, 900))));
  const env = { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue };
  [execution, agents] = await Promise.all([connectServer('execution', env), connectServer('agents', env)]);
});

afterAll(async () => {
  await execution?.close();
  await agents?.close();
  await worker?.stop();
  await temporal?.close();
});

const on = (server: ConnectedServer) => toolCaller(() => server.client);
const succeed = <T>(server: ConnectedServer, name: string, args: Record<string, unknown>, output: { strict(): { parse(v: unknown): T } }) => on(server).succeed(name, args, output);
const fail = (server: ConnectedServer, name: string, args: Record<string, unknown>) => on(server).fail(name, args);

describe('submit_intent', () => {
  it('decides, broadcasts to a subscribed agent and places the orders; the same intent_id returns the same outcome', async () => {
    const account = uniqueAccount('tool-intent');
    const agent = uniqueAgent('tool-listener');
    const subscribed = await succeed(execution, 'subscribe_intents', { agent }, subscribeIntents.output);
    expect(subscribed).toMatchObject({ agent, subscriber: `agent:${agent}`, already: false, bus_workflow_id: intentBusWorkflowId(taskQueue) });

    const args = { intent_id: `tool-${account}`, intents: [{ symbol: 'ETH/USDT', side: 'buy', qty: '0.3' }, { symbol: 'BTC/USDT', side: 'buy', quote_notional: '500' }], account };
    const first = await succeed(execution, 'submit_intent', args, submitIntent.output);
    expect(first).toMatchObject({
      decision: 'approved',
      broadcast: true,
      duplicate: false,
      client_order_ids: [`tool-${account}.0`, `tool-${account}.1`],
      workflow_id: intentSubmissionWorkflowId(`tool-${account}`),
      risk_workflow_id: riskWorkflowId(account),
    });
    expect(first.bus_seq).toBeGreaterThanOrEqual(1);
    const again = await succeed(execution, 'submit_intent', args, submitIntent.output);
    expect(again).toEqual({ ...first, duplicate: true });

    for (const id of first.client_order_ids) {
      const order = await eventually(async () => {
        const o = await succeed(execution, 'get_order_status', { client_order_id: id }, getOrderStatus.output);
        expect(o.status).toBe('filled');
        return o;
      });
      expect(order.intent_id).toBe(`tool-${account}`);
    }

    const read = await succeed(agents, 'next_prompt', { agent, wait_sec: 20 }, nextPrompt.output);
    expect(read.message?.message_id).toBe(`intent-bus-${first.bus_seq}`);
    expect(read.message?.from).toBe('intent-bus');
    expect(read.message?.text).toContain(`Approved intent tool-${account}`);

    expect(await succeed(execution, 'subscribe_intents', { agent }, subscribeIntents.output)).toMatchObject({ already: true });
    // The subscriber acknowledges to the bus after the inbox took the message: reading it can be quicker.
    await eventually(async () => {
      const status = await temporal.client.workflow.getHandle(intentBusWorkflowId(taskQueue)).query(busStatusQuery);
      expect(status.subscribers.find((s) => s.name === agentSubscriber(agent))?.acked_seq).toBe(first.bus_seq);
    });
    expect(await succeed(execution, 'unsubscribe_intents', { agent }, unsubscribeIntents.output)).toMatchObject({ removed: true, acked_seq: first.bus_seq });
    expect(await succeed(execution, 'unsubscribe_intents', { agent }, unsubscribeIntents.output)).toMatchObject({ removed: false, acked_seq: null });
  });

  it('returns a refused intent with its reasons, not broadcast', async () => {
    const account = uniqueAccount('tool-intent-refused');
    const refused = await succeed(execution, 'submit_intent', { intent_id: `no-${account}`, intents: [{ symbol: 'ETH/USDT', side: 'sell', qty: '1' }], account }, submitIntent.output);
    expect(refused).toMatchObject({ decision: 'rejected', broadcast: false, bus_seq: null, client_order_ids: [] });
    expect(refused.reasons.map((r) => r.code)).toEqual(['INSUFFICIENT_HOLDINGS']);
  });

  it('refuses bad input and an intent_id reused for another intent', async () => {
    const leg = { symbol: 'ETH/USDT', side: 'buy', qty: '0.01' };
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ intent_id: 'x', intents: [leg], max_slippage_bps: 0 }, /max_slippage_bps/],
      [{ intent_id: 'x', intents: [leg], max_slippage_bps: 1001 }, /max_slippage_bps/],
      [{ intent_id: 'x', intents: [leg], max_slippage_bps: 2.5 }, /max_slippage_bps/],
      [{ intent_id: 'x', intents: [] }, /intents/],
      [{ intent_id: 'bad id', intents: [leg] }, /intent_id/],
      [{ intent_id: 'x', intents: [{ ...leg, qty: 'lots' }] }, /intents\.0\.qty/],
      [{ intent_id: 'x', intents: [leg], client_order_id: 'mine' }, /client_order_id/],
    ];
    for (const [args, message] of bad) expect(await fail(execution, 'submit_intent', args)).toMatch(new RegExp(`^INVALID_INPUT: .*${message.source}`));

    const account = uniqueAccount('tool-intent-conflict');
    await succeed(execution, 'submit_intent', { intent_id: `c-${account}`, intents: [leg], account }, submitIntent.output);
    const conflict = await fail(execution, 'submit_intent', { intent_id: `c-${account}`, intents: [{ ...leg, qty: '0.02' }], account });
    expect(conflict).toMatch(/^IDEMPOTENCY_CONFLICT: intent_id was already used for a different request/);

    expect(await fail(execution, 'subscribe_intents', { agent: 'Not An Agent' })).toMatch(/^INVALID_INPUT: agent/);
    expect(await fail(execution, 'subscribe_intents', { agent: 'ok', from: 'yesterday' })).toMatch(/^INVALID_INPUT: from/);
    expect(await fail(execution, 'unsubscribe_intents', {})).toMatch(/^INVALID_INPUT: agent/);
  });
});

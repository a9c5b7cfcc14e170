/**
 * select_pairs, the nudge schedule, agent status, the inbox resource and the review_portfolio
 * prompt, through the real agents and market servers spawned from mcp.json, on a worker with a
 * one-second nudge interval. Each test run uses its own agent name: schedules are namespace-wide.
 */
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { getAgentStatus, selectPairs, setNudgeSchedule } from '../../schemas/agents.js';
import { nudgeScheduleId } from '../../schemas/temporal/ensemble.js';
import { eventually } from '../helpers/eventually.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';

const agent = `t-${crypto.randomUUID().slice(0, 8)}`;
let worker: RunningWorker;
let agents: ConnectedServer;
let temporal: Awaited<ReturnType<typeof testClient>>;

async function call(name: string, args: Record<string, unknown>) {
  return agents.client.callTool({ name, arguments: args }, undefined, { timeout: 60_000 });
}

function textOf(result: Awaited<ReturnType<typeof call>>): string {
  return (result.content as Array<{ text?: string }>).map((c) => c.text ?? '').join('');
}

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue('ensemble');
  worker = await startTestWorker(taskQueue, { NUDGE_INTERVAL_SEC: '1' });
  agents = await connectServer('agents', { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue });
  temporal = await testClient();
});

afterAll(async () => {
  await temporal?.client.schedule.getHandle(nudgeScheduleId(agent)).delete().catch(() => undefined);
  await temporal?.close();
  await agents?.close();
  await worker?.stop();
});

describe('select_pairs and the nudge schedule', () => {
  it('selecting pairs three times leaves exactly one schedule, and the agent is told each time', async () => {
    const results = [];
    for (let i = 0; i < 3; i += 1) {
      const result = await call('select_pairs', { agent, symbols: ['ETH/USDT', 'BTC/USDT'], exchange: 'sim' });
      expect(result.isError, textOf(result)).toBeFalsy();
      results.push(selectPairs.output.parse(result.structuredContent));
    }
    expect(results.map((r) => r.schedule_created)).toEqual([true, false, false]);
    expect(results[0]?.symbols).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(results[0]?.stream_workflow_ids[0]).toContain('market-stream:sim:');

    const schedules = [];
    for await (const s of temporal.client.schedule.list()) if (s.scheduleId === nudgeScheduleId(agent)) schedules.push(s);
    expect(schedules).toHaveLength(1);

    const first = await call('next_prompt', { agent, wait_sec: 5 });
    const message = (first.structuredContent as { message: { from: string; text: string } | null }).message;
    expect(message?.from).toBe('select-pairs');
    expect(message?.text).toContain('BTC/USDT, ETH/USDT on sim');
  });

  it('nudges arrive on the schedule, name the pairs, and are recorded in the agent status', async () => {
    const nudge = await eventually(async () => {
      const got = await call('next_prompt', { agent, wait_sec: 5 });
      const m = (got.structuredContent as { message: { from: string; text: string; prompt_workflow_id: string } | null }).message;
      if (m?.from !== 'nudge-schedule') throw new Error(`not a nudge yet: ${JSON.stringify(m)}`);
      return m;
    }, 45_000);
    expect(nudge.text).toContain('BTC/USDT, ETH/USDT');
    expect(nudge.prompt_workflow_id).toMatch(/^prompt:/);

    const status = getAgentStatus.output.parse((await call('get_agent_status', { agent })).structuredContent);
    expect(status.selected_pairs).toEqual(['BTC/USDT', 'ETH/USDT']);
    expect(status.nudges).toBeGreaterThanOrEqual(1);
    expect(status.last_nudge?.workflow_id).toMatch(new RegExp(`^nudge:${agent}`));
    expect(status.schedule?.interval_sec).toBe(1);
  });

  it('an unread nudge is not followed by more: nudges coalesce while the agent is away', async () => {
    await call('set_nudge_schedule', { agent, paused: false });
    const pendingNudges = async () => {
      const peek = await agents.client.readResource({ uri: `agent://${agent}/inbox` });
      const body = JSON.parse((peek.contents[0] as { text: string }).text) as { pending: Array<{ from: string }> };
      return body.pending.filter((m) => m.from === 'nudge-schedule').length;
    };
    await eventually(async () => {
      if ((await pendingNudges()) < 1) throw new Error('no nudge waiting yet');
    }, 30_000);
    // Several schedule ticks later there is still exactly one nudge waiting.
    const before = getAgentStatus.output.parse((await call('get_agent_status', { agent })).structuredContent);
    await eventually(async () => {
      const now = getAgentStatus.output.parse((await call('get_agent_status', { agent })).structuredContent);
      if ((now.schedule?.recent_runs ?? 0) < (before.schedule?.recent_runs ?? 0) + 3) throw new Error('waiting for more schedule runs');
      expect(await pendingNudges()).toBe(1);
    }, 30_000);
  });

  it('set_nudge_schedule changes the interval and pauses; bad calls say what to do', async () => {
    const changed = setNudgeSchedule.output.parse((await call('set_nudge_schedule', { agent, interval_sec: 7, paused: true })).structuredContent);
    expect(changed.schedule.interval_sec).toBe(7);
    expect(changed.schedule.paused).toBe(true);

    const nothing = await call('set_nudge_schedule', { agent });
    expect(nothing.isError).toBe(true);
    expect(textOf(nothing)).toContain('NOTHING_TO_CHANGE');
    const missing = await call('set_nudge_schedule', { agent: 'nobody-here', paused: true });
    expect(missing.isError).toBe(true);
    expect(textOf(missing)).toMatch(/NO_SCHEDULE.*select_pairs/);
    for (const bad of [{ agent, interval_sec: 0 }, { agent, interval_sec: 1.5 }, { agent, paused: 'yes' }]) {
      const r = await call('set_nudge_schedule', bad);
      expect(r.isError, JSON.stringify(bad)).toBe(true);
    }
  });

  it('select_pairs refuses bad symbols, an unknown venue and an empty list, naming the fix', async () => {
    for (const symbols of [[], ['btcusdt'], ['BTC-USDT'], Array.from({ length: 21 }, (_, i) => `C${i}/USDT`)]) {
      const r = await call('select_pairs', { agent, symbols });
      expect(r.isError, JSON.stringify(symbols)).toBe(true);
    }
    const lower = await call('select_pairs', { agent, symbols: ['btc/usdt'] });
    expect(textOf(lower)).toContain('ccxt unified symbol');
    const venue = await call('select_pairs', { agent: `${agent}-x`, symbols: ['BTC/USDT'], exchange: 'nosuchvenue' });
    expect(venue.isError).toBe(true);
    expect(textOf(venue)).toMatch(/nosuchvenue/);
  });
});

describe('inbox resource and review_portfolio prompt', () => {
  it('lists the template, reads the inbox without taking, and notifies a subscriber', async () => {
    const templates = await agents.client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toContain('agent://{name}/inbox');

    const reader = `${agent}-r`;
    const uri = `agent://${reader}/inbox`;
    const updated = new Promise<string>((resolve) => {
      agents.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => resolve(n.params.uri));
    });
    await agents.client.subscribeResource({ uri });
    const sent = await call('prompt_agent', { target: reader, message: 'peek at me', message_id: 'peek-1' });
    expect(sent.isError, textOf(sent)).toBeFalsy();
    expect(await updated).toBe(uri);

    const read = await agents.client.readResource({ uri });
    const body = JSON.parse((read.contents[0] as { text: string }).text) as { depth: number; pending: Array<{ message_id: string }> };
    expect(body.depth).toBe(1);
    expect(body.pending.map((m) => m.message_id)).toEqual(['peek-1']);
    // Reading did not take it.
    const taken = await call('next_prompt', { agent: reader, wait_sec: 0 });
    expect((taken.structuredContent as { message: { message_id: string } }).message.message_id).toBe('peek-1');
    await agents.client.unsubscribeResource({ uri });

    await expect(agents.client.readResource({ uri: 'agent://Bad Name/inbox' })).rejects.toThrow();
    await expect(agents.client.readResource({ uri: 'market://nothing' })).rejects.toThrow(/no resource/);
  });

  it('review_portfolio names the selected pairs and the steps', async () => {
    const prompts = await agents.client.listPrompts();
    expect(prompts.prompts.map((p) => p.name)).toEqual(['review_portfolio']);
    const prompt = await agents.client.getPrompt({ name: 'review_portfolio', arguments: { agent } });
    const text = (prompt.messages[0]?.content as { text: string }).text;
    expect(text).toContain('BTC/USDT, ETH/USDT on sim');
    expect(text).toContain('submit_intent');
    await expect(agents.client.getPrompt({ name: 'review_portfolio', arguments: { agent: 'Bad Name' } })).rejects.toThrow();
  });
});

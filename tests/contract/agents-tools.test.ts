/**
 * prompt_agent and next_prompt through the spawned agents server, with a real worker behind it:
 * results match the output contract, exactly-once holds across repeated calls, and every bad
 * input gets a clear isError instead of a stack trace.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MAX_PROMPT_CHARS, nextPrompt, promptAgent } from '../../schemas/agents.js';
import { contractsByGroup } from '../../schemas/index.js';
import { inboxWorkflowId, promptDeliveryWorkflowId } from '../../schemas/temporal/agents.js';
import { uniqueAgent } from '../helpers/inbox-driver.js';
import { connectServer, type ConnectedServer } from '../helpers/mcp-servers.js';
import { testClient } from '../helpers/temporal-client.js';
import { startTestWorker, uniqueTaskQueue, type RunningWorker } from '../helpers/test-worker.js';
import { toolCaller } from '../helpers/tool-calls.js';


let worker: RunningWorker;
let server: ConnectedServer;
let temporal: Awaited<ReturnType<typeof testClient>>;

beforeAll(async () => {
  const taskQueue = uniqueTaskQueue('agents-tools');
  worker = await startTestWorker(taskQueue);
  temporal = await testClient();
  server = await connectServer('agents', { TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: taskQueue });
});

afterAll(async () => {
  await server?.close();
  await worker?.stop();
  await temporal?.close();
});

const { succeed, fail } = toolCaller(() => server.client);

describe('prompt_agent and next_prompt', () => {
  it('delivers a prompt once, refuses its id for other text, and hands it out once', async () => {
    const agent = uniqueAgent('contract');
    const args = { target: agent, message: 'rebalance BTC/USDT', message_id: 'nudge-1', from: 'scheduler' };

    const sent = await succeed('prompt_agent', args, promptAgent.output);
    expect(sent).toMatchObject({
      message_id: 'nudge-1',
      target: agent,
      status: 'delivered',
      duplicate: false,
      seq: 0,
      inbox_workflow_id: inboxWorkflowId(agent),
      workflow_id: promptDeliveryWorkflowId(agent, 'nudge-1'),
    });
    // The audit trail is one lookup away: the run named in the result exists and completed.
    const delivery = await temporal.client.workflow.getHandle(sent.workflow_id, sent.run_id).describe();
    expect(delivery.status.name).toBe('COMPLETED');

    const again = await succeed('prompt_agent', args, promptAgent.output);
    expect(again).toEqual({ ...sent, duplicate: true });

    const conflict = await fail('prompt_agent', { ...args, message: 'something else' });
    expect(conflict).toMatch(/^IDEMPOTENCY_CONFLICT: /);
    expect(conflict).toContain('message_id');
    expect(conflict).toContain('Retrying the same call will not help.');

    const read = await succeed('next_prompt', { agent, wait_sec: 0 }, nextPrompt.output);
    expect(read).toMatchObject({
      agent,
      remaining: 0,
      workflow_id: inboxWorkflowId(agent),
      message: { message_id: 'nudge-1', seq: 0, from: 'scheduler', text: 'rebalance BTC/USDT', prompt_workflow_id: sent.workflow_id },
    });
    expect(read.run_id).toMatch(/\S/);

    const empty = await succeed('next_prompt', { agent, wait_sec: 1 }, nextPrompt.output);
    expect(empty).toMatchObject({ agent, message: null, remaining: 0 });
  });

  it('generates a message_id when none is given, and waits for a prompt sent while next_prompt is waiting', async () => {
    const agent = uniqueAgent('waiting');
    const waiting = succeed('next_prompt', { agent, wait_sec: 30 }, nextPrompt.output);
    // The inbox exists once the waiting claim has started it; only then is the prompt sent.
    await expect.poll(() => temporal.client.workflow.getHandle(inboxWorkflowId(agent)).describe().then((d) => d.status.name), {
      timeout: 30_000,
    }).toBe('RUNNING');
    const sent = await succeed('prompt_agent', { target: agent, message: 'wake up' }, promptAgent.output);
    expect(sent.message_id).toMatch(/^[0-9a-f-]{36}$/);
    const read = await waiting;
    expect(read.message).toMatchObject({ message_id: sent.message_id, text: 'wake up', from: null });
  });
});

describe('next_prompt with a claim_id', () => {
  it('answers a repeated claim_id with the same message instead of taking the next one', async () => {
    const agent = uniqueAgent('claim');
    await succeed('prompt_agent', { target: agent, message: 'first', message_id: 'p1' }, promptAgent.output);
    await succeed('prompt_agent', { target: agent, message: 'second', message_id: 'p2' }, promptAgent.output);
    const first = await succeed('next_prompt', { agent, claim_id: 'read-1' }, nextPrompt.output);
    const repeated = await succeed('next_prompt', { agent, claim_id: 'read-1' }, nextPrompt.output);
    expect(first.message?.message_id).toBe('p1');
    expect(repeated).toEqual(first);
    const next = await succeed('next_prompt', { agent }, nextPrompt.output);
    expect(next).toMatchObject({ message: { message_id: 'p2' }, remaining: 0 });
  });
});

describe('bad input is answered with a clear isError', () => {
  const agent = 'bad-input-agent';
  it.each([
    ['missing target', 'prompt_agent', { message: 'hi' }, /^INVALID_INPUT: target: /],
    ['an agent name with capitals and spaces', 'prompt_agent', { target: 'Bad Agent', message: 'hi' }, /target: use 1-64 characters: lowercase letters/],
    ['an empty message', 'prompt_agent', { target: agent, message: '' }, /message: .*>=1 characters/],
    ['a message one character too long', 'prompt_agent', { target: agent, message: 'x'.repeat(MAX_PROMPT_CHARS + 1) }, /message: .*<=20000 characters/],
    ['a message_id with spaces', 'prompt_agent', { target: agent, message: 'hi', message_id: 'has spaces' }, /message_id: use 1-128 characters/],
    ['an unknown extra field', 'prompt_agent', { target: agent, message: 'hi', priority: 'high' }, /Unrecognized key: "priority"/],
    ['a missing agent', 'next_prompt', { wait_sec: 0 }, /^INVALID_INPUT: agent: /],
    ['wait_sec above 50', 'next_prompt', { agent, wait_sec: 51 }, /wait_sec: .*<=50/],
    ['a negative wait_sec', 'next_prompt', { agent, wait_sec: -1 }, /wait_sec: .*>=0/],
    ['a fractional wait_sec', 'next_prompt', { agent, wait_sec: 1.5 }, /wait_sec: .*int/],
    ['wait_sec as a string', 'next_prompt', { agent, wait_sec: '5' }, /wait_sec: .*number/],
  ] as const)('%s', async (_label, tool, args, expected) => {
    const message = await fail(tool, args);
    expect(message).toMatch(expected);
    expect(message).toContain('Fix the arguments as described and call again.');
  });

  it('an unknown tool name', async () => {
    const message = await fail('prompt_agents', { target: agent, message: 'hi' });
    expect(message).toMatch(/^UNKNOWN_TOOL: the agents server has no tool prompt_agents\. Its tools: /);
    for (const contract of contractsByGroup.agents) expect(message).toContain(contract.name);
  });

  it('leaves nothing behind for a refused prompt', async () => {
    await fail('prompt_agent', { target: agent, message: '', message_id: 'refused-1' });
    const lookup = temporal.client.workflow.getHandle(promptDeliveryWorkflowId(agent, 'refused-1')).describe();
    await expect(lookup).rejects.toThrow(/not found/i);
  });
});
